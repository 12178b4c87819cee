"""Permission-matrix rows of the forums app. Each row that changes a forum builds a fresh one
per attempt (see `build_matrix_forum`), so the page attempt and the API attempt do not
interfere with each other."""

from typing import Any

from django.test import Client
from django.urls import reverse

from sinergi.forums.models import ForumRole
from sinergi.forums.states import ForumMemberStatus
from sinergi.forums.tests.fixtures import add_invitation, build_matrix_forum
from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only

STEWARDS = only("opd_officer", "forum_secretariat", "administrator")
CONVENERS = only("opd_officer", "dprd_member", "administrator")


def _persona_of(client: Client, ctx: MatrixContext) -> Any:
    """Which persona a page client is logged in as (None for anonymous)."""
    user_id = client.session.get("_auth_user_id")
    for persona in ctx.personas.by_role.values():
        if persona.user is not None and str(persona.user.pk) == str(user_id):
            return persona
    return None


def _persona_of_token(client: Client, ctx: MatrixContext) -> Any:
    response = client.get("/api/v1/accounts/me")
    if response.status_code != 200:
        return None
    username = response.json()["username"]
    return next((p for p in ctx.personas.by_role.values() if p.user and p.user.username == username), None)


def _convener_for(persona: Any, ctx: MatrixContext) -> Any:
    """The persona's own organisation; the administrator convenes for the OPD."""
    if persona is not None and persona.organisation is not None:
        return persona.organisation
    return ctx.personas["opd_officer"].organisation


def _convene_form(convener: Any) -> dict[str, Any]:
    return {
        "convener": convener.pk,
        "name": "Forum Matriks",
        "purpose": "Uji izin membentuk forum.",
        "membership_policy": "application",
        "quorum_member_share": "0.50",
        "fallback_rule": "none",
        "fallback_threshold": "0.67",
        "fallback_after_rounds": "2",
        "meeting_duration_minutes": "120",
        "agenda_notice_days": "3",
        "seat_min_swasta": "1",
    }


def convene_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    convener = _convener_for(_persona_of(client, ctx), ctx)
    return client.post(reverse("forums:convene"), _convene_form(convener))


def convene_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    convener = _convener_for(_persona_of_token(client, ctx), ctx)
    body = {"convener": convener.slug, "name": "Forum Matriks", "purpose": "Uji izin.", "seats": []}
    return client.post("/api/v1/forums", body, content_type="application/json")


def charter_page(client: Client, ctx: MatrixContext, forum: Any) -> Any:
    data = _convene_form(forum.convener)
    data.pop("convener")
    data["purpose"] = "Tujuan yang diperbarui."
    return client.post(reverse("forums:charter_edit", args=[forum.slug]), data)


def _fresh_with_applicant(ctx: MatrixContext) -> Any:
    from sinergi.forums.tests.factories import ForumMemberFactory

    forum = build_matrix_forum(ctx)
    ForumMemberFactory(forum=forum, status=ForumMemberStatus.APPLIED, joined_at=None)
    return forum


def _fresh_with_member(ctx: MatrixContext) -> Any:
    from sinergi.forums.tests.factories import fill_seats
    from sinergi.forums.tests.fixtures import NON_STATE_KINDS

    forum = build_matrix_forum(ctx)
    fill_seats(forum, NON_STATE_KINDS[0])
    return forum


def _plain_member(forum: Any) -> Any:
    return forum.members.filter(role=ForumRole.MEMBER, status=ForumMemberStatus.ACTIVE).first()


def _applicant(forum: Any) -> Any:
    return forum.members.get(status=ForumMemberStatus.APPLIED)


def _invitation_for_pemuda(ctx: MatrixContext) -> Any:
    return add_invitation(build_matrix_forum(ctx), ctx.personas["pemuda"])


def _secretariat_seat(ctx: MatrixContext) -> Any:
    forum = build_matrix_forum(ctx)
    return forum.members.get(role=ForumRole.SECRETARIAT)


def _new_invitee_slug() -> str:
    from sinergi.actors.tests.factories import PersonFactory

    return PersonFactory().slug


ACTIONS = [
    MatrixAction(
        perm="forums.view_forum",
        allowed=everyone_but(),
        subject=lambda ctx: ctx.cache["forum"],
        page=lambda client, ctx, forum: client.get(reverse("forums:detail", args=[forum.slug])),
        api=lambda client, ctx, forum: client.get(f"/api/v1/forums/{forum.slug}"),
    ),
    MatrixAction(
        perm="forums.convene_forum",
        allowed=CONVENERS,
        page=convene_page,
        api=convene_api,
    ),
    MatrixAction(
        perm="forums.change_forum",
        allowed=STEWARDS,
        subject=build_matrix_forum,
        page=charter_page,
        api=lambda client, ctx, forum: client.patch(
            f"/api/v1/forums/{forum.slug}/charter", {"purpose": "Tujuan baru."}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="forums.activate_forum",
        allowed=STEWARDS,
        subject=lambda ctx: build_matrix_forum(ctx, ready=True),
        page=lambda client, ctx, forum: client.post(reverse("forums:activate", args=[forum.slug])),
        api=lambda client, ctx, forum: client.post(f"/api/v1/forums/{forum.slug}/activate"),
    ),
    MatrixAction(
        perm="forums.close_forum",
        allowed=STEWARDS,
        subject=build_matrix_forum,
        page=lambda client, ctx, forum: client.post(reverse("forums:close", args=[forum.slug]), {"note": "Selesai."}),
        api=lambda client, ctx, forum: client.post(
            f"/api/v1/forums/{forum.slug}/close", {"note": "Selesai."}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="forums.invite_member",
        allowed=STEWARDS,
        subject=build_matrix_forum,
        page=lambda client, ctx, forum: client.post(
            reverse("forums:invite", args=[forum.slug]), {"person": _new_invitee_slug(), "role": "member"}
        ),
        api=lambda client, ctx, forum: client.post(
            f"/api/v1/forums/{forum.slug}/members", {"person": _new_invitee_slug()}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="forums.decide_membership",
        allowed=STEWARDS,
        subject=_fresh_with_applicant,
        page=lambda client, ctx, forum: client.post(
            reverse("forums:member_decide", args=[forum.slug, _applicant(forum).pk]), {"decision": "approve"}
        ),
        api=lambda client, ctx, forum: client.post(
            f"/api/v1/forums/{forum.slug}/members/{_applicant(forum).pk}/decide",
            {"decision": "approve"},
            content_type="application/json",
        ),
    ),
    MatrixAction(
        perm="forums.set_member_role",
        allowed=STEWARDS,
        subject=_fresh_with_member,
        page=lambda client, ctx, forum: client.post(
            reverse("forums:member_set_role", args=[forum.slug, _plain_member(forum).pk]), {"role": "chair"}
        ),
        api=lambda client, ctx, forum: client.post(
            f"/api/v1/forums/{forum.slug}/members/{_plain_member(forum).pk}/role",
            {"role": "chair"},
            content_type="application/json",
        ),
    ),
    MatrixAction(
        perm="forums.apply_membership",
        allowed=everyone_but("anonymous", "forum_secretariat"),
        subject=build_matrix_forum,
        page=lambda client, ctx, forum: client.post(
            reverse("forums:apply", args=[forum.slug]), {"motivation": "Ingin ikut."}
        ),
        api=lambda client, ctx, forum: client.post(
            f"/api/v1/forums/{forum.slug}/apply", {"motivation": "Ingin ikut."}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="forums.respond_invitation",
        allowed=only("pemuda", "administrator"),
        subject=_invitation_for_pemuda,
        page=lambda client, ctx, member: client.post(
            reverse("forums:invitation_respond", args=[member.forum.slug, member.pk]), {"answer": "accept"}
        ),
        api=lambda client, ctx, member: client.post(
            f"/api/v1/forums/{member.forum.slug}/members/{member.pk}/respond",
            {"answer": "accept"},
            content_type="application/json",
        ),
    ),
    MatrixAction(
        perm="forums.leave_forum",
        allowed=only("forum_secretariat", "administrator"),
        subject=_secretariat_seat,
        page=lambda client, ctx, member: client.post(reverse("forums:leave", args=[member.forum.slug, member.pk])),
        api=lambda client, ctx, member: client.post(f"/api/v1/forums/{member.forum.slug}/members/{member.pk}/leave"),
    ),
]

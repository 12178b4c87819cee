"""Permission-matrix rows of the consultations app.

Managing rows use a consultation hosted by the matrix forum (convened by the opd_officer's organisation, with the
forum_secretariat persona as its secretariat), so the stewards are opd_officer, forum_secretariat and the
administrator. Taking part uses a forum-members consultation of that forum: only its active members (the
secretariat) and the administrator may vote or write. Reading a published consultation is public.
"""

import datetime as dt
import itertools
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.consultations.states import Audience, ConsultationStatus, StatementStatus
from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only

STEWARDS = only("opd_officer", "forum_secretariat", "administrator")
CREATORS = only("opd_officer", "dprd_member", "forum_secretariat", "administrator")
FORUM_MEMBERS = only("forum_secretariat", "administrator")

_sequence = itertools.count(1)


def _forum_consultation(
    ctx: MatrixContext,
    *,
    status: str = ConsultationStatus.OPEN,
    audience: str = Audience.FORUM_MEMBERS,
    pending: bool = False,
) -> Any:
    from sinergi.consultations.tests.factories import ConsultationFactory, StatementFactory, with_statements

    consultation = ConsultationFactory(organiser=None, forum=ctx.cache["forum"], status=status, audience=audience)
    with_statements(consultation, 3)
    if pending:
        StatementFactory(consultation=consultation, is_seed=False, status=StatementStatus.PENDING, text="Menunggu.")
    return consultation


def _public_consultation(ctx: MatrixContext) -> Any:
    from sinergi.consultations.tests.factories import ConsultationFactory, with_statements

    if "public_consultation" not in ctx.cache:
        consultation = ConsultationFactory()
        with_statements(consultation, 2)
        ctx.cache["public_consultation"] = consultation
    return ctx.cache["public_consultation"]


def _persona_of(client: Client, ctx: MatrixContext) -> Any:
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


def _host_for(persona: Any, ctx: MatrixContext) -> tuple[str, str]:
    """("org"|"forum", slug-or-pk) the persona would host with: their public institution, the forum for its
    secretariat, the OPD for the administrator and for everyone else (who is refused anyway)."""
    if persona is not None and persona.role == "forum_secretariat":
        return "forum", ctx.cache["forum"].slug
    if persona is not None and persona.organisation is not None and persona.role in {"opd_officer", "dprd_member"}:
        return "org", persona.organisation.slug
    return "org", ctx.personas["opd_officer"].organisation.slug


def _dates() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    return now + dt.timedelta(days=1), now + dt.timedelta(days=15)


def create_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    from sinergi.actors.models import Organisation
    from sinergi.forums.models import Forum

    kind, slug = _host_for(_persona_of(client, ctx), ctx)
    host = Forum.objects.get(slug=slug) if kind == "forum" else Organisation.objects.get(slug=slug)
    opens, closes = _dates()
    return client.post(
        reverse("consultations:create"),
        {
            "host": f"{kind}:{host.pk}",
            "title": f"Konsultasi matriks {next(_sequence)}",
            "question": "Apa prioritas taman kota?",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "audience": "public",
            "accepts_statements": "on",
            "seed_statements": "Taman perlu lebih teduh.\nTaman perlu toilet umum.",
        },
    )


def create_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    kind, slug = _host_for(_persona_of_token(client, ctx), ctx)
    opens, closes = _dates()
    body = {
        "title": f"Konsultasi matriks {next(_sequence)}",
        "question": "Apa prioritas taman kota?",
        ("forum" if kind == "forum" else "organiser"): slug,
        "opens_at": opens.isoformat(),
        "closes_at": closes.isoformat(),
        "seed_statements": ["Taman perlu lebih teduh."],
    }
    return client.post("/api/v1/consultations", body, content_type="application/json")


def edit_page(client: Client, ctx: MatrixContext, consultation: Any) -> Any:
    return client.post(
        reverse("consultations:edit", args=[consultation.slug]),
        {
            "title": "Judul baru",
            "question": consultation.question,
            "opens_at": consultation.opens_at.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": consultation.closes_at.strftime("%Y-%m-%dT%H:%M"),
            "audience": consultation.audience,
            "seed_statements": "Satu.\nDua.",
        },
    )


def _pending(consultation: Any) -> Any:
    return consultation.statements.get(status=StatementStatus.PENDING)


def _first_statement(consultation: Any) -> Any:
    return consultation.statements.filter(status=StatementStatus.ACCEPTED).order_by("column_index").first()


ACTIONS = [
    MatrixAction(
        perm="consultations.view_consultation",
        allowed=everyone_but(),
        subject=_public_consultation,
        page=lambda client, ctx, c: client.get(reverse("consultations:detail", args=[c.slug])),
        api=lambda client, ctx, c: client.get(f"/api/v1/consultations/{c.slug}"),
    ),
    MatrixAction(
        perm="consultations.view_results",
        allowed=everyone_but(),
        subject=_public_consultation,
        page=lambda client, ctx, c: client.get(reverse("consultations:results", args=[c.slug])),
        api=lambda client, ctx, c: client.get(f"/api/v1/consultations/{c.slug}/results"),
    ),
    MatrixAction(
        perm="consultations.add_consultation",
        allowed=CREATORS,
        page=create_page,
        api=create_api,
    ),
    MatrixAction(
        perm="consultations.change_consultation",
        allowed=STEWARDS,
        subject=lambda ctx: _forum_consultation(ctx, status=ConsultationStatus.DRAFT),
        page=edit_page,
        api=lambda client, ctx, c: client.patch(
            f"/api/v1/consultations/{c.slug}", {"title": "Judul baru"}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="consultations.open_consultation",
        allowed=STEWARDS,
        subject=lambda ctx: _forum_consultation(ctx, status=ConsultationStatus.DRAFT),
        page=lambda client, ctx, c: client.post(reverse("consultations:open", args=[c.slug])),
        api=lambda client, ctx, c: client.post(f"/api/v1/consultations/{c.slug}/open"),
    ),
    MatrixAction(
        perm="consultations.close_consultation",
        allowed=STEWARDS,
        subject=_forum_consultation,
        page=lambda client, ctx, c: client.post(reverse("consultations:close", args=[c.slug]), {"reason": "Cukup."}),
        api=lambda client, ctx, c: client.post(
            f"/api/v1/consultations/{c.slug}/close", {"reason": "Cukup."}, content_type="application/json"
        ),
    ),
    MatrixAction(
        perm="consultations.moderate_statement",
        allowed=STEWARDS,
        subject=lambda ctx: _forum_consultation(ctx, pending=True),
        page=lambda client, ctx, c: client.post(
            reverse("consultations:moderate", args=[c.slug, _pending(c).pk]), {"decision": "accept"}
        ),
        api=lambda client, ctx, c: client.post(
            f"/api/v1/consultations/{c.slug}/statements/{_pending(c).pk}/moderate",
            {"decision": "accept"},
            content_type="application/json",
        ),
    ),
    MatrixAction(
        perm="consultations.take_part",
        allowed=FORUM_MEMBERS,
        subject=_forum_consultation,
        page=lambda client, ctx, c: client.post(
            reverse("consultations:vote", args=[c.slug]), {"statement": _first_statement(c).pk, "value": "1"}
        ),
        api=lambda client, ctx, c: client.post(
            f"/api/v1/consultations/{c.slug}/votes",
            {"statement": _first_statement(c).pk, "value": 1},
            content_type="application/json",
        ),
    ),
    MatrixAction(
        perm="consultations.submit_statement",
        allowed=FORUM_MEMBERS,
        subject=_forum_consultation,
        page=lambda client, ctx, c: client.post(
            reverse("consultations:statement", args=[c.slug]), {"text": f"Usulan baru {next(_sequence)}."}
        ),
        api=lambda client, ctx, c: client.post(
            f"/api/v1/consultations/{c.slug}/statements",
            {"text": f"Usulan baru {next(_sequence)}."},
            content_type="application/json",
        ),
    ),
]

"""Forum objects for the permission matrix (the forums app owns how a valid forum is built)."""

from typing import Any

from sinergi.forums.models import Forum, ForumMember, ForumRole, MembershipPolicy
from sinergi.forums.services import resolve_representation
from sinergi.forums.states import ForumMemberStatus
from tests.permission_matrix import MatrixContext

NON_STATE_KINDS = ("perusahaan", "lsm", "karang-taruna")


def _secretariat_person(context: MatrixContext) -> Any:
    from conftest import Persona
    from sinergi.actors.tests.factories import PersonFactory

    persona = context.personas.by_role.get("forum_secretariat")
    if persona is None:
        person = PersonFactory(full_name="Persona forum_secretariat")
        persona = Persona("forum_secretariat", person.user)
        context.personas.by_role["forum_secretariat"] = persona
    return persona.person


def build_matrix_forum(
    context: MatrixContext,
    *,
    ready: bool = False,
    membership_policy: str = MembershipPolicy.APPLICATION,
) -> Forum:
    """A draft forum convened by the opd_officer's organisation, with swasta, masyarakat and
    pemuda seats (minimum 1 each) and the forum_secretariat persona as its secretariat.
    `ready=True` also fills those seats with other people and links a policy object, so the
    forum can be activated."""
    from sinergi.forums.tests.factories import ForumMemberFactory, fill_seats, forum_with_seats
    from sinergi.policy.tests.factories import PolicyObjectFactory

    forum = forum_with_seats(convener=context.personas["opd_officer"].organisation, membership_policy=membership_policy)
    secretariat = _secretariat_person(context)
    organisation, sector = resolve_representation(secretariat, None)
    ForumMemberFactory(
        forum=forum, person=secretariat, organisation=organisation, sector=sector, role=ForumRole.SECRETARIAT
    )
    if ready:
        fill_seats(forum, *NON_STATE_KINDS)
        forum.policy_objects.add(PolicyObjectFactory())
    return forum


def add_invitation(forum: Forum, persona: Any) -> ForumMember:
    """A pending invitation for a persona, sitting for the persona's organisation."""
    from sinergi.forums.tests.factories import ForumMemberFactory

    return ForumMemberFactory(
        forum=forum,
        person=persona.person,
        organisation=persona.organisation,
        status=ForumMemberStatus.INVITED,
        joined_at=None,
    )


def add_matrix_forum(context: MatrixContext) -> None:
    """Create the matrix's standard forum (`context.cache["forum"]`) and add the
    `forum_secretariat` persona (no acting organisation; secretariat of that forum)."""
    context.cache["forum"] = build_matrix_forum(context)

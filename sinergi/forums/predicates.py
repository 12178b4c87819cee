"""Forum-specific role predicates (django-rules). Other apps (meetings) import these."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from sinergi.actors.selectors import user_acting_organisations, user_person
from sinergi.forums.models import ForumRole
from sinergi.forums.states import ForumMemberStatus

if TYPE_CHECKING:
    from sinergi.forums.models import Forum

STEWARD_ROLES = (ForumRole.CHAIR, ForumRole.SECRETARIAT)


def acts_for_convener(user: object, forum: Forum | None) -> bool:
    """The user acts for the convener organisation or for its parent institution."""
    if forum is None:
        return False
    convener_ids = {forum.convener_id}
    parent_id = getattr(forum.convener, "parent_id", None)
    if parent_id is not None:
        convener_ids.add(parent_id)
    return user_acting_organisations(user).filter(pk__in=convener_ids).exists()


def _active_seat_roles(user: object, forum: Forum | None) -> set[str]:
    person = user_person(user)
    if person is None or forum is None:
        return set()
    return set(forum.members.filter(person=person, status=ForumMemberStatus.ACTIVE).values_list("role", flat=True))


@rules.predicate
def is_forum_member(user: object, forum: Forum | None) -> bool:
    """An active member of the forum (any role, any sector)."""
    return bool(_active_seat_roles(user, forum))


@rules.predicate
def is_forum_chair_or_secretariat(user: object, forum: Forum | None) -> bool:
    return bool(_active_seat_roles(user, forum) & set(STEWARD_ROLES))


@rules.predicate
def is_forum_convener(user: object, forum: Forum | None) -> bool:
    return acts_for_convener(user, forum)


@rules.predicate
def is_forum_steward(user: object, forum: Forum | None) -> bool:
    """Chair or secretariat of the forum, or someone acting for the convener organisation."""
    return bool(_active_seat_roles(user, forum) & set(STEWARD_ROLES)) or acts_for_convener(user, forum)

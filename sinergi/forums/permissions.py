"""Who may do what with forums (django-rules, default deny).

Stewards of a forum are its chair and secretariat and the people acting for the convener
(or its parent institution); administrators may do everything a steward may.
"""

from typing import Any

import rules

from sinergi.actors.predicates import acts_for_public_institution, has_profile, is_administrator
from sinergi.actors.selectors import user_person
from sinergi.forums.predicates import is_forum_member, is_forum_steward
from sinergi.forums.states import ForumMemberStatus


@rules.predicate
def is_invitee(user: Any, member: Any) -> bool:
    """The person a pending invitation is addressed to (accepting is personal consent)."""
    person = user_person(user)
    return (
        person is not None
        and member is not None
        and member.person_id == person.pk
        and member.status == ForumMemberStatus.INVITED
    )


@rules.predicate
def is_seat_holder(user: Any, member: Any) -> bool:
    """The active member holding this seat."""
    person = user_person(user)
    return (
        person is not None
        and member is not None
        and member.person_id == person.pk
        and member.status == ForumMemberStatus.ACTIVE
    )


may_steward = is_administrator | is_forum_steward

rules.add_perm("forums.view_forum", rules.always_allow)
rules.add_perm("forums.convene_forum", is_administrator | acts_for_public_institution)
rules.add_perm("forums.change_forum", may_steward)
rules.add_perm("forums.activate_forum", may_steward)
rules.add_perm("forums.close_forum", may_steward)
rules.add_perm("forums.invite_member", may_steward)
rules.add_perm("forums.decide_membership", may_steward)
rules.add_perm("forums.set_member_role", may_steward)
rules.add_perm("forums.apply_membership", has_profile & ~is_forum_member)
# Administrators pass every rule (Django superuser), recording answers received offline.
rules.add_perm("forums.respond_invitation", is_invitee)
rules.add_perm("forums.leave_forum", is_seat_holder)

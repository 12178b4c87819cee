"""Who may do what with consultations (django-rules, default deny).

Managers of a consultation (edit, open, close, moderate) are the people acting for the organising public
institution (or an ancestor of it), or the stewards of the hosting forum; administrators pass every rule.
Who may take part follows the consultation's audience: public (anyone, also without an account), verified
citizens (``Person.verified_at`` set) or the active members of the hosting forum. Whether the consultation is
open is a domain rule checked by the services (a clear 4xx), not a permission.
"""

from typing import Any

import rules

from sinergi.actors.models import Organisation
from sinergi.actors.predicates import acts_for_public_institution, is_administrator
from sinergi.actors.selectors import organisation_acting_member_ids, organisation_in_subtree_of, user_person
from sinergi.consultations.states import Audience, ConsultationStatus
from sinergi.forums.predicates import STEWARD_ROLES, is_forum_member, is_forum_steward
from sinergi.forums.states import ForumMemberStatus, ForumStatus


@rules.predicate
def is_consultation_manager(user: Any, consultation: Any) -> bool:
    if consultation is None:
        return False
    if consultation.forum_id is not None:
        return bool(is_forum_steward(user, consultation.forum))
    organiser = consultation.organiser
    return isinstance(organiser, Organisation) and organisation_in_subtree_of(
        organiser, organisation_acting_member_ids(user)
    )


@rules.predicate
def stewards_a_forum(user: Any) -> bool:
    """Chair or secretariat of a forum that is not closed (may open a consultation for that forum)."""
    person = user_person(user)
    if person is None:
        return False
    return (
        person.forum_seats.filter(status=ForumMemberStatus.ACTIVE, role__in=STEWARD_ROLES)
        .exclude(forum__status=ForumStatus.CLOSED)
        .exists()
    )


@rules.predicate
def is_published(user: Any, consultation: Any) -> bool:
    return consultation is not None and consultation.status != ConsultationStatus.DRAFT


@rules.predicate
def is_in_audience(user: Any, consultation: Any) -> bool:
    if consultation is None:
        return False
    if consultation.audience == Audience.PUBLIC:
        return True
    person = user_person(user)
    if person is None:
        return False
    if consultation.audience == Audience.VERIFIED:
        return person.verified_at is not None
    if consultation.audience == Audience.FORUM_MEMBERS:
        return consultation.forum_id is not None and bool(is_forum_member(user, consultation.forum))
    return False


may_manage = is_administrator | is_consultation_manager

rules.add_perm("consultations.view_consultation", is_published | may_manage)
rules.add_perm("consultations.view_results", is_published | may_manage)
rules.add_perm("consultations.add_consultation", is_administrator | acts_for_public_institution | stewards_a_forum)
rules.add_perm("consultations.change_consultation", may_manage)
rules.add_perm("consultations.open_consultation", may_manage)
rules.add_perm("consultations.close_consultation", may_manage)
rules.add_perm("consultations.moderate_statement", may_manage)
rules.add_perm("consultations.take_part", is_published & is_in_audience)
rules.add_perm("consultations.submit_statement", is_published & is_in_audience)

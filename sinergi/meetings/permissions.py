"""Who may do what with meetings (django-rules, default deny).

Forum stewards (chair, secretariat, people acting for the convener) run meetings; any active
member of the forum, of any sector, tables agenda items and reviews minutes (C3);
administrators may do everything. The object may be a Forum, a Meeting, an AgendaItem, an
Invitation or Minutes: each is resolved to its forum.
"""

from typing import Any

import rules

from sinergi.actors.predicates import is_administrator
from sinergi.forums.models import Forum
from sinergi.forums.predicates import is_forum_member, is_forum_steward
from sinergi.meetings.models import AgendaItem, Invitation, Meeting, Minutes


def forum_of(obj: Any) -> Forum | None:
    if isinstance(obj, Forum):
        return obj
    if isinstance(obj, Meeting):
        return obj.forum
    if isinstance(obj, AgendaItem | Invitation | Minutes):
        return obj.meeting.forum
    return None


@rules.predicate
def steward_of_forum(user: Any, obj: Any) -> bool:
    forum = forum_of(obj)
    return forum is not None and bool(is_forum_steward(user, forum))


@rules.predicate
def member_of_forum(user: Any, obj: Any) -> bool:
    forum = forum_of(obj)
    return forum is not None and bool(is_forum_member(user, forum))


@rules.predicate
def is_invitee(user: Any, obj: Any) -> bool:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return isinstance(obj, Invitation) and person is not None and obj.member.person_id == person.pk


runs_meetings = is_administrator | steward_of_forum

rules.add_perm("meetings.view_meeting", rules.always_allow)
rules.add_perm("meetings.schedule_meeting", runs_meetings)
rules.add_perm("meetings.change_meeting", runs_meetings)
rules.add_perm("meetings.cancel_meeting", runs_meetings)
rules.add_perm("meetings.add_agenda_item", is_administrator | steward_of_forum | member_of_forum)
rules.add_perm("meetings.publish_agenda", runs_meetings)
rules.add_perm("meetings.send_invitations", runs_meetings)
# Administrators may record an answer or a review on a member's behalf (see the services).
rules.add_perm("meetings.respond_invitation", is_invitee | is_administrator)
rules.add_perm("meetings.run_meeting", runs_meetings)
rules.add_perm("meetings.record_attendance", runs_meetings)
rules.add_perm("meetings.record_outcome", runs_meetings)
rules.add_perm("meetings.draft_minutes", runs_meetings)
rules.add_perm("meetings.review_minutes", member_of_forum | is_administrator)
rules.add_perm("meetings.approve_minutes", runs_meetings)

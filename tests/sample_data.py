"""A small, realistic data set for the cross-cutting tests (fuzzing, page weight).

Rows are written directly, as the factories do (test set-up, not domain acts), so these tests
do not depend on any one app's services being finished. The persona fixtures supply the
reference data and the organisations of every sector.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sinergi.actors.models import Organisation, Sector
from sinergi.forums.models import ForumRole
from sinergi.forums.states import ForumStatus
from sinergi.forums.tests.factories import CharterFactory, ForumFactory, ForumMemberFactory, SeatAllocationFactory
from sinergi.meetings.models import AgendaItem, AgendaItemKind, Attendance, AttendanceStatus, Meeting
from sinergi.meetings.states import MeetingStatus


@dataclass
class SampleData:
    forums: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)
    organisations: list[Any] = field(default_factory=list)

    def known_path_values(self) -> dict[str, list[str]]:
        """Values that exist, by the kind of path parameter they fit (matched on its name)."""
        slugs = [f.slug for f in self.forums] + [o.slug for o in self.organisations]
        uids = [str(m.uid) for m in self.meetings] + [str(f.uid) for f in self.forums]
        return {"slug": slugs, "uid": uids, "sequence": ["1", "2"], "id": ["1", "2"], "code": ["35.72", "35.72.01"]}


def build_sample_data(personas: Any) -> SampleData:
    """An active forum with a charter, seats for every sector, members from each persona's
    organisation, and a past and an upcoming meeting with agenda and roll call."""
    data = SampleData(organisations=list(Organisation.objects.order_by("pk")))
    convener = personas["opd_officer"].organisation
    for index, status in enumerate([ForumStatus.ACTIVE, ForumStatus.DRAFT]):
        forum = ForumFactory(
            name=f"Forum Uji Lintas Sektor {index + 1}",
            slug=f"forum-uji-{index + 1}",
            convener=convener,
            status=status,
            activated_at=timezone.now() if status == ForumStatus.ACTIVE else None,
        )
        charter = CharterFactory(forum=forum)
        for sector in Sector.objects.all():
            SeatAllocationFactory(charter=charter, sector=sector, minimum=1)
        data.forums.append(forum)

    forum = data.forums[0]
    members = []
    for role_name in ["opd_officer", "dprd_member", "swasta", "masyarakat", "pemuda", "akademisi", "media"]:
        persona = personas[role_name]
        members.append(
            ForumMemberFactory(
                forum=forum,
                person=persona.user.person,
                organisation=persona.organisation,
                role=ForumRole.CHAIR if role_name == "opd_officer" else ForumRole.MEMBER,
            )
        )

    now = timezone.now()
    for offset_days, status in [(-14, MeetingStatus.CLOSED), (10, MeetingStatus.AGENDA_PUBLISHED)]:
        starts_at = (now + dt.timedelta(days=offset_days)).replace(minute=0, second=0, microsecond=0)
        meeting = Meeting.objects.create(
            forum=forum,
            title=f"Rapat pleno {starts_at:%B %Y}",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Ruang Rapat Bappeda Kota Blitar",
            status=status,
            agenda_published_at=starts_at - dt.timedelta(days=4),
        )
        for position, (title, kind) in enumerate(
            [
                ("Pembukaan dan pengesahan agenda", AgendaItemKind.INFORMATION),
                ("Pembahasan usulan program penataan PKL", AgendaItemKind.DISCUSSION),
                ("Keputusan rekomendasi kepada Wali Kota", AgendaItemKind.DECISION),
            ]
        ):
            AgendaItem.objects.create(meeting=meeting, position=position, title=title, kind=kind)
        if status == MeetingStatus.CLOSED:
            Attendance.objects.bulk_create(
                Attendance(meeting=meeting, member=member, sector=member.sector, status=AttendanceStatus.PRESENT)
                for member in members
            )
        data.meetings.append(meeting)
    return data

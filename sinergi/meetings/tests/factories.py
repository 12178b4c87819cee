"""Meeting test data, written directly with the ORM (set-up, never through services)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sinergi.actors.tests.factories import OrganisationFactory, PersonFactory, kind, sector
from sinergi.forums.models import Forum, ForumMember, ForumRole
from sinergi.forums.states import ForumStatus
from sinergi.forums.tests.factories import CharterFactory, ForumFactory, ForumMemberFactory
from sinergi.meetings.models import Attendance, AttendanceStatus, Meeting
from sinergi.meetings.states import MeetingStatus


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory, status=ForumStatus.ACTIVE)
    title = factory.Sequence(lambda n: f"Rapat Pleno {n}")
    starts_at = factory.LazyFunction(lambda: (timezone.now() + dt.timedelta(days=14)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=2))
    location = "Ruang Rapat Balai Kota"
    status = MeetingStatus.SCHEDULED


# Organisation kinds per sector in the reference data.
SECTOR_KIND = {
    "pemerintah": "opd",
    "legislatif": "dprd",
    "swasta": "perusahaan",
    "masyarakat": "lsm",
    "pemuda": "karang-taruna",
    "akademisi": "perguruan-tinggi",
}


def member_of(forum: Forum, sector_code: str, *, role: str = ForumRole.MEMBER, person: Any = None) -> ForumMember:
    organisation = OrganisationFactory(kind=kind(SECTOR_KIND[sector_code]))
    return ForumMemberFactory(
        forum=forum,
        person=person or PersonFactory(),
        organisation=organisation,
        sector=sector(sector_code),
        role=role,
    )


@dataclass
class ForumSetup:
    forum: Forum
    secretariat: ForumMember
    members: dict[str, list[ForumMember]] = field(default_factory=dict)

    @property
    def all_members(self) -> list[ForumMember]:
        return [self.secretariat, *(m for group in self.members.values() for m in group)]

    def member(self, sector_code: str, index: int = 0) -> ForumMember:
        return self.members[sector_code][index]


def forum_with_members(
    *,
    sectors: tuple[str, ...] = ("pemerintah", "swasta", "masyarakat", "pemuda"),
    per_sector: int = 1,
    quorum_share: str = "0.50",
    quorum_sectors: tuple[str, ...] = (),
    notice_days: int = 3,
    status: str = ForumStatus.ACTIVE,
) -> ForumSetup:
    """An active forum with a charter, a secretariat (sector pemerintah) and members per sector."""
    forum = ForumFactory(status=status)
    charter = CharterFactory(forum=forum, quorum_member_share=Decimal(quorum_share), agenda_notice_days=notice_days)
    if quorum_sectors:
        charter.quorum_sectors.set([sector(code) for code in quorum_sectors])
    secretariat = member_of(forum, "pemerintah", role=ForumRole.SECRETARIAT)
    members = {code: [member_of(forum, code) for _ in range(per_sector)] for code in sectors}
    return ForumSetup(forum=forum, secretariat=secretariat, members=members)


def roll_call(meeting: Meeting, present: list[ForumMember], members: list[ForumMember]) -> None:
    """Attendance rows directly (set-up for tests of later steps)."""
    for member in members:
        Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "sector": member.sector,
                "status": AttendanceStatus.PRESENT if member in present else AttendanceStatus.ABSENT,
            },
        )

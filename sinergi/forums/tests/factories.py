"""Factories for forums. They write rows directly (test set-up), never through services,
so a test of a service starts from a known state without extra log entries."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sinergi.actors.tests.factories import OrganisationFactory, PersonFactory, kind
from sinergi.forums.models import Charter, Forum, ForumMember, ForumRole, SeatAllocation
from sinergi.forums.states import ForumMemberStatus, ForumStatus


class ForumFactory(DjangoModelFactory):
    class Meta:
        model = Forum

    name = factory.Sequence(lambda n: f"Forum Contoh {n}")
    slug = factory.Sequence(lambda n: f"forum-contoh-{n}")
    convener = factory.SubFactory(OrganisationFactory, kind=factory.LazyFunction(lambda: kind("opd")))
    status = ForumStatus.DRAFT


class CharterFactory(DjangoModelFactory):
    class Meta:
        model = Charter

    forum = factory.SubFactory(ForumFactory)
    purpose = "Membahas kebijakan bersama lintas sektor."
    legal_basis = "SK Wali Kota Blitar Nomor 188/001/HK/2026"
    meeting_rrule = "FREQ=MONTHLY;BYDAY=2TU"


class SeatAllocationFactory(DjangoModelFactory):
    class Meta:
        model = SeatAllocation

    charter = factory.SubFactory(CharterFactory)
    minimum = 1


class ForumMemberFactory(DjangoModelFactory):
    """An active member; the sector follows the organisation unless given."""

    class Meta:
        model = ForumMember

    forum = factory.SubFactory(ForumFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    sector = factory.LazyAttribute(lambda m: m.organisation.sector)
    role = ForumRole.MEMBER
    status = ForumMemberStatus.ACTIVE
    joined_at = factory.LazyFunction(timezone.now)


def forum_with_seats(
    *,
    convener: object | None = None,
    seats: dict[str, int] | None = None,
    status: str = ForumStatus.DRAFT,
    **charter_values: object,
) -> Forum:
    """A forum with a charter and seat minimums per sector code (default: swasta, masyarakat and
    pemuda at least one each). Needs reference data."""
    from sinergi.actors.tests.factories import sector

    forum = ForumFactory(status=status, **({"convener": convener} if convener is not None else {}))
    charter = CharterFactory(forum=forum, **charter_values)
    for code, minimum in (seats if seats is not None else {"swasta": 1, "masyarakat": 1, "pemuda": 1}).items():
        SeatAllocationFactory(charter=charter, sector=sector(code), minimum=minimum)
    return forum


def fill_seats(forum: Forum, *sector_kinds: str) -> list[ForumMember]:
    """Add one active member per organisation kind code (e.g. "perusahaan", "lsm", "karang-taruna")."""
    return [
        ForumMemberFactory(forum=forum, organisation=OrganisationFactory(kind=kind(kind_code)))
        for kind_code in sector_kinds
    ]

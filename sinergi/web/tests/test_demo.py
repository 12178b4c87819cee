import pytest
from django.core.management import call_command

from sinergi.forums.models import Forum
from sinergi.forums.states import ForumStatus
from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.selectors import ledger_verify_chain
from sinergi.meetings.models import Meeting, Minutes
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.web.demo import ACCOUNTS, FORUMS


@pytest.mark.django_db
def test_seed_demo_builds_a_year_through_the_services(client) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo", verbosity=0)
    forums = Forum.objects.filter(name__in=[f.name for f in FORUMS])
    assert forums.count() == 3
    assert set(forums.values_list("status", flat=True)) == {ForumStatus.ACTIVE}
    held = Meeting.objects.filter(status=MeetingStatus.CLOSED)
    assert held.count() >= 30
    assert held.filter(is_quorate=False).exists(), "the demo shows a meeting without quorum"
    assert Meeting.objects.filter(starts_at__gt=held.order_by("-starts_at").first().starts_at).exists()
    assert Minutes.objects.filter(status=MinutesStatus.APPROVED).count() >= 30
    # Every act is in the public log and the chain verifies. The forum year is replayed in time order;
    # each later part (aspirations, planning, consultations) replays its own recent weeks after it, so
    # time order holds within each part's story.
    times_by_part: dict[str, list[object]] = {}
    for event_type, recorded_at in LedgerEntry.objects.order_by("sequence").values_list("event_type", "recorded_at"):
        times_by_part.setdefault(event_type.split(".")[0], []).append(recorded_at)
    assert {"forum", "meeting", "aspiration", "pokir", "consultation"} <= set(times_by_part)
    for part, times in times_by_part.items():
        assert times == sorted(times), f"{part} entries out of time order"
    assert list(ledger_verify_chain()) == []
    # Re-running adds nothing but the record of the (no-op) region import run.
    head = LedgerEntry.objects.order_by("-sequence").first()
    call_command("seed_demo", verbosity=0)
    added = LedgerEntry.objects.filter(sequence__gt=head.sequence)
    assert set(added.values_list("event_type", flat=True)) <= {"region.imported"}
    assert set(Forum.objects.values_list("name", flat=True)) == {f.name for f in FORUMS}
    # Every README account can sign in.
    for account in ACCOUNTS:
        assert client.login(username=account.username, password="demo-Sakti-2026"), account.username

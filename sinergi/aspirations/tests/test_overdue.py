"""The overdue job: one mark and one escalation per case and stage, cleared when the stage is over."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from sinergi.aspirations.models import AspirationEvent
from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.services.overdue import (
    aspirations_mark_overdue,
    aspirations_mark_overdue_task,
    escalation_recipients,
)
from sinergi.aspirations.states import EventKind, OverdueStage
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk, received_case
from sinergi.aspirations.workdays import WIB
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 19, 15, 0, tzinfo=WIB)  # verify due 30 Mar, response 1 Apr, completion 15 Apr
LATE_FOR_VERIFY = dt.datetime(2026, 3, 31, 9, 0, tzinfo=WIB)


@pytest.fixture
def desk(reference_data):  # type: ignore[no-untyped-def]
    return build_desk()


def _overdue_log(case) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        LedgerEntry.objects.filter(
            subject_id=str(case.uid), event_type__in=["aspiration.overdue", "aspiration.escalated"]
        )
        .order_by("sequence")
        .values_list("event_type", flat=True)
    )


def test_marks_and_escalates_once_per_stage(desk) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(RECEIVED):
        case = received_case(RECEIVED, category=desk.category)
    with freeze_time(LATE_FOR_VERIFY):
        first = aspirations_mark_overdue()
        again = aspirations_mark_overdue()
    assert (first.marked, first.escalated) == (1, 1)
    assert (again.marked, again.escalated, again.cleared) == (0, 0, 0)
    assert _overdue_log(case) == ["aspiration.overdue", "aspiration.escalated"]
    overdue = case.events.get(kind=EventKind.OVERDUE)
    escalated = case.events.get(kind=EventKind.ESCALATED)
    assert overdue.is_public and not escalated.is_public
    case.refresh_from_db()
    assert case.overdue_stage == OverdueStage.VERIFY and case.escalated_at is not None

    # Verified and dispositioned late: the verify mark goes; the response stage gets its own mark later.
    with freeze_time(LATE_FOR_VERIFY):
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
        assert aspirations_mark_overdue().marked == 0
    case.refresh_from_db()
    assert case.overdue_stage == ""
    with freeze_time(dt.datetime(2026, 4, 2, 8, 0, tzinfo=WIB)):
        run = aspirations_mark_overdue()
    assert (run.marked, run.escalated) == (1, 1)
    case.refresh_from_db()
    assert case.overdue_stage == OverdueStage.FIRST_RESPONSE
    assert _overdue_log(case) == ["aspiration.overdue", "aspiration.escalated"] * 2


def test_escalation_reaches_the_opd_head_and_the_coordinator_desk(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(RECEIVED, category=desk.category)
    case.assigned_organisation = desk.opd
    recipients = set(escalation_recipients(case))
    assert recipients == {desk.opd_head, desk.coordinator}  # not the OPD's staff, not other OPDs


def test_needs_information_stops_the_clock_and_the_return_restarts_it(desk) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(RECEIVED):
        case = received_case(RECEIVED, category=desk.category)
        lifecycle.aspiration_request_information(aspiration=case, actor=desk.coordinator, question="RT berapa?")
    with freeze_time(LATE_FOR_VERIFY):
        assert aspirations_mark_overdue().marked == 0
        # The reporter's answer brings the case back to the desk (the reporter service's move).
        case.refresh_from_db()
        case.status = "received"
        case.save()
        AspirationEvent.objects.create(
            aspiration=case,
            kind=EventKind.INFORMATION_ADDED,
            from_status="needs_information",
            to_status="received",
            created_at=LATE_FOR_VERIFY,
        )
        run = aspirations_mark_overdue()
    assert run.deadlines_set == 1 and run.marked == 0
    case.refresh_from_db()
    # Day 0 = Tue 31 Mar; Good Friday 3 Apr: 1, 2, 6 Apr.
    assert case.verify_due_at == dt.datetime(2026, 4, 6, 16, 0, tzinfo=WIB)


def test_closing_clears_the_mark(desk, personas) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(RECEIVED):
        case = received_case(RECEIVED, category=desk.category)
    with freeze_time(LATE_FOR_VERIFY):
        aspirations_mark_overdue()
        lifecycle.aspiration_archive(aspiration=case, actor=desk.coordinator, reason="Laporan ganda.")
    case.refresh_from_db()
    assert case.overdue_stage == ""


def test_command_and_task(desk) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(RECEIVED):
        received_case(RECEIVED, category=desk.category)
    out = StringIO()
    with freeze_time(LATE_FOR_VERIFY):
        call_command("mark_overdue_aspirations", stdout=out)
        assert "marked=1" in out.getvalue()
        result = aspirations_mark_overdue_task.enqueue()
    assert result.return_value == {"marked": 0, "escalated": 0, "cleared": 0}


def test_a_reopened_case_gets_a_fresh_completion_period(desk) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(RECEIVED):
        case = received_case(RECEIVED, category=desk.category)
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
        lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Ditangani.")
        lifecycle.aspiration_resolve(aspiration=case, actor=desk.opd_staff, outcome="Selesai.")
    reopened_at = dt.datetime(2026, 4, 20, 10, 0, tzinfo=WIB)  # after the first completion due (15 Apr)
    case.refresh_from_db()
    case.status = "in_progress"  # the reporter's reopen (services/reporter.py) as it leaves the row
    case.save()
    AspirationEvent.objects.create(
        aspiration=case,
        kind=EventKind.REOPENED,
        from_status="resolved",
        to_status="in_progress",
        created_at=reopened_at,
    )
    with freeze_time(reopened_at + dt.timedelta(days=1)):
        run = aspirations_mark_overdue()
    case.refresh_from_db()
    assert run.marked == 0 and case.overdue_stage == ""
    # 14 working days from Mon 20 Apr 2026 (1 May, Hari Buruh, off): Mon 11 May.
    assert case.completion_due_at == dt.datetime(2026, 5, 11, 16, 0, tzinfo=WIB)

"""Due dates and overdue marks with frozen time, across real holidays (Nyepi, Idul Fitri with its cuti
bersama, Good Friday, Christmas with cuti bersama 24 Dec, New Year)."""

import datetime as dt

import pytest
from freezegun import freeze_time

from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.services.overdue import aspirations_mark_overdue
from sinergi.aspirations.states import AspirationKind, OverdueStage
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk, received_case
from sinergi.aspirations.workdays import WIB


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def close_of(year: int, month: int, day: int) -> dt.datetime:
    return wib(year, month, day, 16, 0)


def test_idul_fitri_2026_with_cuti_bersama() -> None:
    # Thu 19 Mar 2026 is Nyepi; 20, 23, 24 Mar cuti bersama Idul Fitri (21–22 Mar): day 0 = Wed 25 Mar.
    due = lifecycle.deadlines_for(AspirationKind.PENGADUAN, wib(2026, 3, 19, 15, 0))
    assert due["verify_due_at"] == close_of(2026, 3, 30)  # 26, 27, 30
    assert due["response_due_at"] == close_of(2026, 4, 1)  # 31, 1
    # Good Friday 3 Apr is skipped: 2, 6, 7, 8, 9, 10, 13, 14, 15 → the 14th working day is 15 Apr.
    assert due["completion_due_at"] == close_of(2026, 4, 15)


def test_investigation_and_kip_extension_tracks() -> None:
    received = wib(2026, 3, 19, 15, 0)
    investigation = lifecycle.deadlines_for(AspirationKind.PENGADUAN, received, investigation=True)
    assert investigation["completion_due_at"] == close_of(2026, 6, 29)
    information = lifecycle.deadlines_for(AspirationKind.PERMINTAAN_INFORMASI, received)
    assert information["completion_due_at"] == close_of(2026, 4, 9)  # UU KIP: 10 working days
    extended = lifecycle.deadlines_for(AspirationKind.PERMINTAAN_INFORMASI, received, extended=True)
    assert extended["completion_due_at"] == close_of(2026, 4, 20)  # + 7 working days


def test_christmas_2026_with_cuti_bersama_24_december() -> None:
    due = lifecycle.deadlines_for(AspirationKind.ASPIRASI, wib(2026, 12, 23, 10, 0))
    # 24 Dec cuti bersama, 25 Dec Christmas, weekend: 28, 29, 30.
    assert due["verify_due_at"] == close_of(2026, 12, 30)
    # 31 Dec, then New Year's Day (Fri) and the weekend: Mon 4 Jan 2027 is the 5th working day.
    assert due["response_due_at"] == close_of(2027, 1, 4)


def test_received_after_office_hours_counts_from_the_next_working_day() -> None:
    before = lifecycle.deadlines_for(AspirationKind.PENGADUAN, wib(2026, 12, 23, 15, 59))
    after = lifecycle.deadlines_for(AspirationKind.PENGADUAN, wib(2026, 12, 23, 16, 0))
    assert before["verify_due_at"] == close_of(2026, 12, 30)
    assert after["verify_due_at"] == close_of(2026, 12, 31)  # day 0 = Mon 28 Dec


def test_received_on_a_saturday_counts_from_monday() -> None:
    due = lifecycle.deadlines_for(AspirationKind.PENGADUAN, wib(2026, 12, 19, 9, 0))
    assert due["verify_due_at"] == close_of(2026, 12, 28)  # 22, 23, (24–27 off) 28
    assert due["response_due_at"] == close_of(2026, 12, 30)


def test_settings_override_of_the_policy_table(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SINERGI = {**settings.SINERGI, "ASPIRATION_DEADLINES": {"aspirasi": {"completion": 20}}}
    due = lifecycle.deadlines_for(AspirationKind.ASPIRASI, wib(2026, 3, 19, 15, 0))
    assert due["completion_due_at"] == close_of(2026, 4, 23)
    assert due["verify_due_at"] == close_of(2026, 3, 30)


@pytest.mark.django_db
def test_overdue_mark_flips_exactly_after_office_close_of_the_due_date(reference_data) -> None:  # type: ignore[no-untyped-def]
    desk = build_desk()
    with freeze_time(wib(2026, 3, 19, 15, 0)):
        case = received_case(wib(2026, 3, 19, 15, 0), category=desk.category)
    assert case.verify_due_at == close_of(2026, 3, 30)

    with freeze_time(close_of(2026, 3, 30)):
        assert aspirations_mark_overdue().marked == 0
    case.refresh_from_db()
    assert case.overdue_stage == ""

    with freeze_time(close_of(2026, 3, 30) + dt.timedelta(seconds=1)):
        run = aspirations_mark_overdue()
    assert (run.marked, run.escalated) == (1, 1)
    case.refresh_from_db()
    assert case.overdue_stage == OverdueStage.VERIFY
    assert case.overdue_since == close_of(2026, 3, 30)


@pytest.mark.django_db
def test_first_response_overdue_after_the_christmas_break(reference_data) -> None:  # type: ignore[no-untyped-def]
    desk = build_desk()
    with freeze_time(wib(2026, 12, 23, 10, 0)):
        case = received_case(wib(2026, 12, 23, 10, 0), category=desk.category)
        lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
        lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    with freeze_time(close_of(2027, 1, 4)):
        aspirations_mark_overdue()
    case.refresh_from_db()
    assert case.overdue_stage == ""
    with freeze_time(wib(2027, 1, 4, 16, 0, 1)):
        aspirations_mark_overdue()
    case.refresh_from_db()
    assert case.overdue_stage == OverdueStage.FIRST_RESPONSE
    # The response completes the stage: the next run clears the mark (completion is not yet due).
    with freeze_time(wib(2027, 1, 5, 9, 0)):
        lifecycle.aspiration_respond(aspiration=case, actor=desk.opd_staff, text="Sudah kami survei.")
        aspirations_mark_overdue()
    case.refresh_from_db()
    assert case.overdue_stage == ""

"""Working-day deadlines across real Indonesian holidays and cuti bersama.

Expected dates are worked out by hand from the SKB 3 Menteri calendars (not from the code): each test
lists the days it skips and why.
"""

import datetime as dt

import pytest
from freezegun import freeze_time

from sinergi.aspirations import workdays
from sinergi.aspirations.workdays import (
    WIB,
    AspirationKind,
    DeadlinePolicy,
    Stage,
    WorkingCalendar,
    add_working_days,
    deadline_policy,
    due_at,
    effective_receipt_date,
    is_overdue,
    is_working_day,
    stage_due_at,
    working_days_between,
)

D = dt.date


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def closing(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(16, 0), tzinfo=WIB)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2025, 3, 28), "cuti bersama Nyepi 2025"),
        (D(2025, 3, 31), "Idul Fitri 1446 H"),
        (D(2025, 4, 1), "Idul Fitri hari kedua"),
        (D(2025, 4, 2), "cuti bersama Idul Fitri"),
        (D(2025, 4, 3), "cuti bersama Idul Fitri"),
        (D(2025, 4, 4), "cuti bersama Idul Fitri"),
        (D(2025, 4, 7), "cuti bersama Idul Fitri"),
        (D(2025, 8, 18), "cuti bersama HUT RI added in 2025"),
        (D(2025, 12, 25), "Natal"),
        (D(2025, 12, 26), "cuti bersama Natal"),
        (D(2026, 1, 1), "Tahun Baru"),
        (D(2026, 3, 18), "cuti bersama Nyepi 2026"),
        (D(2026, 3, 19), "Nyepi"),
        (D(2026, 3, 20), "cuti bersama Idul Fitri 1447 H"),
        (D(2026, 3, 23), "cuti bersama Idul Fitri 1447 H"),
        (D(2026, 3, 24), "cuti bersama Idul Fitri 1447 H"),
        (D(2024, 4, 8), "cuti bersama Idul Fitri 2024"),
        (D(2024, 2, 14), "Pemilu 2024"),
        (D(2025, 3, 29), "Saturday"),
        (D(2025, 3, 30), "Sunday"),
    ],
)
def test_holidays_and_cuti_bersama_are_not_working_days(day: dt.date, why: str) -> None:
    assert not is_working_day(day), why


@pytest.mark.parametrize("day", [D(2025, 3, 27), D(2025, 4, 8), D(2025, 12, 24), D(2026, 3, 25), D(2026, 1, 2)])
def test_ordinary_weekdays_are_working_days(day: dt.date) -> None:
    assert is_working_day(day)


def test_idul_fitri_2025_deadlines_skip_the_whole_lebaran_break() -> None:
    # Thu 27 Mar 2025 at 10.00 is day 0. Then: 28 Mar cuti bersama Nyepi, 29–30 weekend, 31 Mar–1 Apr
    # Idul Fitri, 2–4 and 7 Apr cuti bersama, 5–6 weekend. Working days resume Tue 8 Apr (day 1).
    received = wib(2025, 3, 27, 10)
    assert due_at(received, 1) == closing(D(2025, 4, 8))
    assert due_at(received, 3) == closing(D(2025, 4, 10))  # verify
    assert due_at(received, 5) == closing(D(2025, 4, 14))  # first response: 8, 9, 10, 11, 14
    # completion 14: 8–11 (4), 14–17 (8; Good Friday 18 Apr is a holiday), 21–25 (13), 28 (14)
    assert due_at(received, 14) == closing(D(2025, 4, 28))


def test_submission_during_lebaran_counts_from_the_first_working_day_after() -> None:
    received = wib(2025, 4, 2, 8)  # cuti bersama: day 0 is Tue 8 Apr
    assert effective_receipt_date(received) == D(2025, 4, 8)
    assert due_at(received, 3) == closing(D(2025, 4, 11))


def test_idul_fitri_2026_with_nyepi_and_cuti_bersama() -> None:
    # Tue 17 Mar 2026 is day 0; 18 (cuti Nyepi), 19 (Nyepi), 20 (cuti), 21–22 (Idul Fitri, weekend),
    # 23–24 (cuti bersama) are skipped: day 1 is Wed 25 Mar.
    received = wib(2026, 3, 17, 9)
    assert due_at(received, 1) == closing(D(2026, 3, 25))
    assert due_at(received, 3) == closing(D(2026, 3, 27))
    assert due_at(received, 5) == closing(D(2026, 3, 31))
    # Good Friday 3 Apr 2026 is a holiday: 25, 26, 27, 30, 31, 1, 2, 6, 7, 8, 9, 10, 13, 14 → 14 Apr
    assert due_at(received, 14) == closing(D(2026, 4, 14))


def test_christmas_eve_after_closing_time_rolls_over_christmas_and_new_year() -> None:
    # Wed 24 Dec 2025 at 16.30: after close, 25 Natal, 26 cuti bersama, 27–28 weekend → day 0 Mon 29 Dec.
    received = wib(2025, 12, 24, 16, 30)
    assert effective_receipt_date(received) == D(2025, 12, 29)
    # 30, 31 Dec, (1 Jan Tahun Baru), 2 Jan → verify due Fri 2 Jan 2026
    assert due_at(received, 3) == closing(D(2026, 1, 2))
    assert due_at(received, 5) == closing(D(2026, 1, 6))


def test_same_eve_before_closing_time_counts_that_day() -> None:
    received = wib(2025, 12, 24, 15, 59)
    assert effective_receipt_date(received) == D(2025, 12, 24)
    assert due_at(received, 3) == closing(D(2025, 12, 31))  # 29, 30, 31


def test_saturday_night_submission_starts_on_monday() -> None:
    received = wib(2025, 11, 22, 21, 45)  # Saturday
    assert effective_receipt_date(received) == D(2025, 11, 24)
    assert due_at(received, 3) == closing(D(2025, 11, 27))


def test_receipt_time_is_read_in_wib_whatever_the_input_zone() -> None:
    # 09.30 UTC on Mon 24 Nov 2025 is 16.30 WIB: after closing, so day 0 is Tuesday.
    received_utc = dt.datetime(2025, 11, 24, 9, 30, tzinfo=dt.UTC)
    assert effective_receipt_date(received_utc) == D(2025, 11, 25)
    with pytest.raises(ValueError, match="aware"):
        effective_receipt_date(dt.datetime(2025, 11, 24, 9, 30))


def test_add_working_days_zero_is_day_zero_and_never_a_holiday() -> None:
    assert add_working_days(D(2025, 3, 27), 0) == D(2025, 3, 27)
    assert add_working_days(D(2025, 3, 29), 0) == D(2025, 4, 8)
    with pytest.raises(ValueError):
        add_working_days(D(2025, 3, 27), -1)


def test_working_days_between_inverts_add_working_days() -> None:
    start = D(2025, 3, 27)
    for n in range(0, 40):
        assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(D(2025, 4, 10), D(2025, 3, 27)) == -3
    assert working_days_between(D(2025, 3, 28), D(2025, 4, 7)) == 0  # the whole break


def test_overdue_marks_with_frozen_time() -> None:
    due = due_at(wib(2025, 3, 27, 10), 3)  # Thu 10 Apr 2025 16.00 WIB
    with freeze_time("2025-04-10 08:59:59"):  # 15.59.59 WIB
        assert not is_overdue(due)
    with freeze_time("2025-04-10 09:00:00"):  # exactly 16.00 WIB: still on time
        assert not is_overdue(due)
    with freeze_time("2025-04-10 09:00:01"):
        assert is_overdue(due)
    # Over Lebaran nothing falls due: a report received on Thu 27 Mar is not overdue on 7 Apr.
    with freeze_time("2025-04-07 10:00:00"):
        assert not is_overdue(due_at(wib(2025, 3, 27, 10), 1))


def test_overdue_requires_aware_datetimes() -> None:
    with pytest.raises(ValueError):
        is_overdue(dt.datetime(2025, 4, 10, 16))
    with pytest.raises(ValueError):
        is_overdue(closing(D(2025, 4, 10)), dt.datetime(2025, 4, 10, 17))


def test_extra_holidays_and_extra_working_days() -> None:
    # A regional holiday or a late SKB change, and an officially swapped working Saturday.
    calendar = WorkingCalendar("ID", extra_holidays=[D(2025, 11, 24)], extra_working_days=[D(2025, 11, 29)])
    assert not calendar.is_working_day(D(2025, 11, 24))
    assert calendar.is_working_day(D(2025, 11, 29))
    # Sat 22 Nov night: day 0 Tue 25 Nov; 26, 27, 28 → verify due Fri 28 Nov; 29 (worked Saturday) is day 4
    received = wib(2025, 11, 22, 21)
    assert calendar.due_at(received, 3) == closing(D(2025, 11, 28))
    assert calendar.due_at(received, 4) == closing(D(2025, 11, 29))
    assert workdays.default_calendar().is_working_day(D(2025, 11, 24))  # the default is untouched


def test_default_calendar_is_cached() -> None:
    assert workdays.default_calendar() is workdays.default_calendar()


def test_holiday_names_explain_the_skip() -> None:
    calendar = workdays.default_calendar()
    assert calendar.holiday_name(D(2025, 4, 2)) is not None
    assert calendar.holiday_name(D(2025, 4, 8)) is None


@pytest.mark.parametrize(
    ("kind", "verify", "first", "completion"),
    [("aspirasi", 3, 5, 14), ("pengaduan", 3, 5, 14), ("permintaan_informasi", 3, 5, 10)],
)
def test_deadline_policy_table(kind: str, verify: int, first: int, completion: int) -> None:
    policy = deadline_policy(kind)
    assert policy.working_days(Stage.VERIFY) == verify
    assert policy.working_days(Stage.FIRST_RESPONSE) == first
    assert policy.working_days(Stage.COMPLETION) == completion


def test_investigation_and_extension_tracks() -> None:
    assert deadline_policy(AspirationKind.PENGADUAN).working_days(Stage.COMPLETION, investigation=True) == 60
    assert deadline_policy("permintaan_informasi").working_days(Stage.COMPLETION, extended=True) == 17
    with pytest.raises(ValueError):
        deadline_policy("aspirasi").working_days(Stage.COMPLETION, investigation=True)
    with pytest.raises(ValueError):
        deadline_policy("keluhan")


def test_policy_rejects_stages_that_fall_due_out_of_order() -> None:
    with pytest.raises(ValueError):
        DeadlinePolicy(verify=5, first_response=3, completion=14)


def test_configured_policies_override_the_defaults() -> None:
    custom = {AspirationKind.PENGADUAN: DeadlinePolicy(verify=1, first_response=2, completion=7)}
    assert stage_due_at("pengaduan", "verify", wib(2025, 3, 27, 10), policies=custom) == closing(D(2025, 4, 8))


def test_stage_due_at_across_idul_fitri_2025() -> None:
    received = wib(2025, 3, 27, 10)
    assert stage_due_at("pengaduan", Stage.VERIFY, received) == closing(D(2025, 4, 10))
    assert stage_due_at("permintaan_informasi", Stage.COMPLETION, received) == closing(D(2025, 4, 22))
    # 60 working days from day 0 Thu 27 Mar 2025 (holidays on the way: 1 May, 12–13 May Waisak,
    # 29–30 May Kenaikan, 6 and 9 Jun Idul Adha, 27 Jun Tahun Baru Islam)
    assert stage_due_at("pengaduan", Stage.COMPLETION, received, investigation=True) == closing(D(2025, 7, 11))

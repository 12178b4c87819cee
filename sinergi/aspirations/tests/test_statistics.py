"""Response-time statistics: working days, median/p90, share within deadline, filters."""

import datetime as dt
from typing import Any

import pytest

from sinergi.actors.tests.factories import OrganisationFactory, kind
from sinergi.aspirations import statistics
from sinergi.aspirations.services.lifecycle import aspiration_set_deadlines
from sinergi.aspirations.states import AspirationKind, AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory
from sinergi.aspirations.workdays import WIB

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2026, 3, 19, 15, 0, tzinfo=WIB)  # day 0 = Wed 25 Mar 2026 (Nyepi, Idul Fitri)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=WIB)


def case(organisation, *, responded=None, resolved=None, **fields):  # type: ignore[no-untyped-def]
    status = AspirationStatus.RESOLVED if resolved else (AspirationStatus.IN_PROGRESS if responded else "dispositioned")
    aspiration: Any = AspirationFactory(
        received_at=RECEIVED,
        assigned_organisation=organisation,
        status=fields.pop("status", status),
        first_response_at=responded,
        resolved_at=resolved,
        **fields,
    )
    aspiration_set_deadlines(aspiration)
    aspiration.save()
    return aspiration


def test_working_days_skip_the_idul_fitri_break() -> None:
    assert statistics.working_days_taken(RECEIVED, at(3, 26)) == 1
    assert statistics.working_days_taken(RECEIVED, at(4, 6)) == 7  # Good Friday 3 Apr skipped


def test_working_day_tables_agree_with_the_calendar() -> None:
    from sinergi.aspirations.workdays import default_calendar

    calendar = default_calendar()
    start = dt.datetime(2025, 12, 20, 17, 0, tzinfo=WIB)
    for days in range(0, 420, 7):
        done = start + dt.timedelta(days=days)
        expected = max(0, calendar.working_days_between(calendar.effective_receipt_date(start), done.date()))
        assert statistics.working_days_taken(start, done) == expected


def test_percentile_nearest_rank() -> None:
    assert statistics.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) == 5
    assert statistics.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert statistics.percentile([], 0.5) is None


def test_per_organisation_times(reference_data) -> None:  # type: ignore[no-untyped-def]
    pupr = OrganisationFactory(slug="dinas-pupr", name="Dinas PUPR", kind=kind("opd"))
    dinkes = OrganisationFactory(slug="dinas-kesehatan", name="Dinas Kesehatan", kind=kind("opd"))
    # Response due 1 Apr 16:00, completion due 15 Apr 16:00.
    case(pupr, responded=at(3, 26), resolved=at(4, 6))  # 1 and 7 working days, in time
    case(pupr, responded=at(3, 31), resolved=at(4, 20))  # 4 and 17: completion late
    case(pupr, responded=at(4, 2))  # 6: response late
    case(pupr, privacy=Privacy.CONFIDENTIAL)  # counts, no response yet
    case(pupr, status=AspirationStatus.MERGED)  # left out
    case(dinkes, responded=at(3, 25))  # day 0 itself: 0 working days

    rows = {t.slug: t for t in statistics.response_times(statistics.StatsFilter())}
    p = rows["dinas-pupr"]
    assert (p.total, p.open, p.responded, p.resolved) == (4, 2, 3, 2)
    assert sorted(p.response_days) == [1, 4, 6]
    assert p.median_response == 4 and p.p90_response == 6
    assert p.response_within_deadline == pytest.approx(2 / 3)
    assert sorted(p.resolution_days) == [7, 17]
    assert p.resolution_within_deadline == 0.5
    assert rows["dinas-kesehatan"].median_response == 0


def test_filters(reference_data) -> None:  # type: ignore[no-untyped-def]
    pupr = OrganisationFactory(slug="dinas-pupr", name="Dinas PUPR", kind=kind("opd"))
    road = CategoryFactory(slug="jalan-rusak")
    case(pupr, kind=AspirationKind.PENGADUAN, category=road)
    case(pupr, kind=AspirationKind.ASPIRASI)
    only_complaints = statistics.StatsFilter.from_params({"jenis": "pengaduan", "kategori": "tidak-ada"})
    assert only_complaints == statistics.StatsFilter(kind="pengaduan")
    assert statistics.response_times(only_complaints)[0].total == 1
    by_category = statistics.StatsFilter.from_params({"kategori": "jalan-rusak", "periode": "30"})
    assert statistics.response_times(by_category, now=at(4, 1))[0].total == 1
    assert statistics.response_times(by_category, now=at(12, 1)) == []  # older than 30 days

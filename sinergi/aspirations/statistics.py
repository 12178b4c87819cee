"""Public statistics of aspirations: response times per OPD, counts, and a per-kelurahan map.

Times are in **working days** (``workdays``): from day 0 of the receipt (the effective receipt date)
to the local date of the first response / of the resolution. "Within deadline" compares the moment
with the case's own due moment (which already includes an investigation track or a UU KIP
extension). Merged duplicates are left out (their case carries on in another). Confidential cases
count in every total but nothing of their content is read here: only codes, dates and foreign keys.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.states import AspirationKind, AspirationStatus
from sinergi.aspirations.workdays import default_calendar

PERIODS = {"30": 30, "90": 90, "365": 365}
OPEN = (
    AspirationStatus.RECEIVED,
    AspirationStatus.NEEDS_INFORMATION,
    AspirationStatus.VERIFIED,
    AspirationStatus.DISPOSITIONED,
    AspirationStatus.IN_PROGRESS,
)


@dataclass(frozen=True)
class StatsFilter:
    """Validated filters: unknown values are dropped, not errors (a shared link keeps working)."""

    kind: str = ""
    category: str = ""
    period: str = ""

    @classmethod
    def from_params(cls, params: Any) -> StatsFilter:
        kind = str(params.get("jenis", "") or "")[:30]
        category = str(params.get("kategori", "") or "")[:60]
        period = str(params.get("periode", "") or "")[:4]
        return cls(
            kind=kind if kind in AspirationKind.values else "",
            category=category if category and Category.objects.filter(slug=category).exists() else "",
            period=period if period in PERIODS else "",
        )

    def as_query(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (("jenis", self.kind), ("kategori", self.category), ("periode", self.period))
            if value
        }


def filtered(stats_filter: StatsFilter, *, now: dt.datetime | None = None) -> QuerySet[Aspiration]:
    cases = Aspiration.objects.exclude(status=AspirationStatus.MERGED)
    if stats_filter.kind:
        cases = cases.filter(kind=stats_filter.kind)
    if stats_filter.category:
        cases = cases.filter(category__slug=stats_filter.category)
    if stats_filter.period:
        since = (now or timezone.now()) - dt.timedelta(days=PERIODS[stats_filter.period])
        cases = cases.filter(received_at__gte=since)
    return cases


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (``share`` in (0, 1]); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return float(ordered[rank - 1])


@cache
def _working_days_before_year(year: int) -> tuple[int, tuple[int, ...]]:
    """(working days of the years before since 2000, running count for each day of ``year``)."""
    calendar = default_calendar()
    offset = sum(_working_days_before_year(y)[1][-1] for y in range(2000, year)) if year > 2000 else 0
    running, count = [], 0
    day = dt.date(year, 1, 1)
    while day.year == year:
        count += calendar.is_working_day(day)
        running.append(count)
        day += dt.timedelta(days=1)
    return offset, tuple(running)


def _working_day_number(day: dt.date) -> int:
    """Working days from 1 Jan 2000 up to and including ``day`` (a table per year, built once)."""
    if day.year < 2000:
        raise ValueError("dates before 2000 are not counted")
    offset, running = _working_days_before_year(day.year)
    return offset + running[day.timetuple().tm_yday - 1]


def working_days_taken(received_at: dt.datetime, done_at: dt.datetime) -> int:
    """Working days ``d`` with day 0 < d <= the local date of ``done_at`` (as
    ``WorkingCalendar.working_days_between``), from per-year tables: O(1) per case."""
    calendar = default_calendar()
    day0 = calendar.effective_receipt_date(received_at)
    done = calendar.to_local(done_at).date()
    return max(0, _working_day_number(done) - _working_day_number(day0))


@dataclass
class OrganisationTimes:
    slug: str
    name: str
    total: int = 0
    open: int = 0
    overdue: int = 0
    responded: int = 0
    resolved: int = 0
    response_days: list[int] = field(default_factory=list)
    resolution_days: list[int] = field(default_factory=list)
    responded_in_time: int = 0
    resolved_in_time: int = 0

    @property
    def median_response(self) -> float | None:
        return percentile(self.response_days, 0.5)

    @property
    def p90_response(self) -> float | None:
        return percentile(self.response_days, 0.9)

    @property
    def median_resolution(self) -> float | None:
        return percentile(self.resolution_days, 0.5)

    @property
    def p90_resolution(self) -> float | None:
        return percentile(self.resolution_days, 0.9)

    @property
    def response_within_deadline(self) -> float | None:
        return self.responded_in_time / self.responded if self.responded else None

    @property
    def resolution_within_deadline(self) -> float | None:
        return self.resolved_in_time / self.resolved if self.resolved else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.slug,
            "name": self.name,
            "total": self.total,
            "open": self.open,
            "overdue": self.overdue,
            "responded": self.responded,
            "resolved": self.resolved,
            "median_response_days": self.median_response,
            "p90_response_days": self.p90_response,
            "median_resolution_days": self.median_resolution,
            "p90_resolution_days": self.p90_resolution,
            "response_within_deadline": self.response_within_deadline,
            "resolution_within_deadline": self.resolution_within_deadline,
        }


def response_times(stats_filter: StatsFilter, *, now: dt.datetime | None = None) -> list[OrganisationTimes]:
    """Per assigned organisation, busiest first. One query; the working-day counts run in Python."""
    rows = (
        filtered(stats_filter, now=now)
        .filter(assigned_organisation__isnull=False)
        .values_list(
            "assigned_organisation__slug",
            "assigned_organisation__name",
            "status",
            "overdue_stage",
            "received_at",
            "first_response_at",
            "response_due_at",
            "resolved_at",
            "completion_due_at",
        )
    )
    by_slug: dict[str, OrganisationTimes] = {}
    for slug, name, status, overdue, received, responded, response_due, resolved, completion_due in rows.iterator():
        times = by_slug.setdefault(slug, OrganisationTimes(slug=slug, name=name))
        times.total += 1
        times.open += status in OPEN
        times.overdue += bool(overdue) and status in OPEN
        if responded is not None:
            times.responded += 1
            times.response_days.append(working_days_taken(received, responded))
            times.responded_in_time += response_due is None or responded <= response_due
        if resolved is not None and status == AspirationStatus.RESOLVED:
            times.resolved += 1
            times.resolution_days.append(working_days_taken(received, resolved))
            times.resolved_in_time += completion_due is None or resolved <= completion_due
    return sorted(by_slug.values(), key=lambda t: (-t.total, t.name))


def status_counts(stats_filter: StatsFilter, *, now: dt.datetime | None = None) -> list[tuple[str, str, int]]:
    """(code, label, count) for every status, in lifecycle order."""
    counts = dict(
        filtered(stats_filter, now=now).values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return [
        (status.value, str(status.label), counts.get(status.value, 0))
        for status in AspirationStatus
        if status != AspirationStatus.MERGED
    ]


def kind_counts(stats_filter: StatsFilter, *, now: dt.datetime | None = None) -> list[tuple[str, str, int]]:
    counts = dict(filtered(stats_filter, now=now).values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return [(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in AspirationKind]


@dataclass
class RegionRate:
    code: str
    name: str
    count: int
    population: int | None

    @property
    def per_thousand(self) -> float | None:
        return self.count * 1000 / self.population if self.population else None


def region_rates(
    stats_filter: StatsFilter, regions: Sequence[Any], *, now: dt.datetime | None = None
) -> list[RegionRate]:
    """Aspirations per kelurahan (and per 1,000 residents where the population is known)."""
    counts: dict[str, int] = dict(
        filtered(stats_filter, now=now)
        .filter(region__isnull=False)
        .values_list("region")
        .annotate(n=Count("pk"))
        .values_list("region", "n")
    )
    return [RegionRate(r.code, r.name, counts.get(r.code, 0), r.population) for r in regions]

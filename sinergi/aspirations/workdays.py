"""Working days for Indonesian public-service deadlines (SP4N-LAPOR!, UU KIP).

A *working day* (hari kerja) is Monday–Friday that is neither a national holiday (hari libur nasional)
nor a joint leave day (cuti bersama) for civil servants. Both come from the ``holidays`` package:
``holidays.country_holidays("ID", categories=("public", "government"))`` — the ``public`` category holds
the national holidays (incl. election days set by Keppres), the ``government`` category holds the cuti
bersama of each year's SKB 3 Menteri (cross-checked for 2024–2027, see ``HOLIDAY_SOURCES`` below and
the tests). When an SKB is revised after the
package was released (e.g. 18 Aug 2025 was added in mid-2025), pass the change as ``extra_holidays``
(or ``extra_working_days`` for a removed day) instead of waiting for a package upgrade.

How a deadline is counted (the rule every function here follows):

* **Day 0** is the *effective receipt date*: the receipt date in WIB (Asia/Jakarta) if that date is a
  working day and the report arrived before the end of office hours (16.00 WIB by default); otherwise
  the next working day. This is LAPOR! practice: a report sent on Saturday night, on a holiday or on a
  working day after closing time is "received" on the next working day.
* A deadline of ``n`` working days falls on the ``n``-th working day *after* day 0
  (``add_working_days(day0, n)``); ``n == 0`` means day 0 itself.
* The deadline moment (``due_at``) is the end of office hours, WIB, on that date; a report is overdue
  (``is_overdue``) strictly after that moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

WIB = ZoneInfo("Asia/Jakarta")
# ASN office hours (Perpres 21/2023: 37.5 hours a week) end at 16.00 Monday–Thursday in most Pemda;
# one closing time for all days keeps the rule explainable to a citizen ("sebelum pukul 16.00 WIB").
DEFAULT_OFFICE_CLOSE = dt.time(16, 0)

# Where the calendar's facts come from, for the report and for anyone updating the tables.
HOLIDAY_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "package": "holidays (PyPI), Indonesia, categories public + government (cuti bersama)",
        "2024": "SKB 3 Menteri on libur nasional and cuti bersama 2024 with amendments; Keppres 7/2024 (ASN)",
        "2025": "SKB 3 Menteri for 2025 (setkab.go.id); 18 Aug 2025 added as cuti bersama in Aug 2025",
        "2026": "SKB 3 Menteri 1497/2025, 2/2025, 5/2025 (Idul Fitri 21–22 Mar, cuti bersama 20, 23, 24 Mar)",
        "2027": "SKB 3 Menteri for 2027 (setneg.go.id); the package marks Islamic dates as estimated",
    }
)


class WorkingCalendar:
    """Monday–Friday minus a country's public holidays and government joint-leave days.

    Invariants: a date in ``extra_working_days`` is always a working day (even on a weekend: an
    officially swapped working Saturday); otherwise a date in ``extra_holidays`` or in the package's
    holidays is never one. Holiday tables are built per year on first use and cached on the instance,
    so the object is cheap to query and safe to share (it is never mutated after construction).
    """

    def __init__(
        self,
        country: str = "ID",
        *,
        subdivision: str | None = None,
        extra_holidays: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        office_close: dt.time = DEFAULT_OFFICE_CLOSE,
        timezone: ZoneInfo = WIB,
    ) -> None:
        self.country = country
        self.subdivision = subdivision
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_working_days = frozenset(extra_working_days)
        self.office_close = office_close
        self.timezone = timezone
        self._holidays_by_year: dict[int, frozenset[dt.date]] = {}
        # Every case received on the same day asks for the same few counts (3, 5, 14 working days…).
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar(country={self.country!r}, subdivision={self.subdivision!r})"

    def _categories(self) -> tuple[str, ...]:
        supported = holidays.country_holidays(self.country).supported_categories
        return tuple(category for category in ("public", "government") if category in supported)

    def holidays_in(self, year: int) -> frozenset[dt.date]:
        """Non-working dates of ``year`` (holidays and cuti bersama, weekends excluded)."""
        cached = self._holidays_by_year.get(year)
        if cached is None:
            package_days = holidays.country_holidays(
                self.country, subdiv=self.subdivision, years=year, categories=self._categories()
            )
            cached = frozenset(package_days) | {day for day in self.extra_holidays if day.year == year}
            self._holidays_by_year[year] = cached
        return cached

    def holiday_name(self, day: dt.date) -> str | None:
        """The package's name for a holiday (for explanations in the UI), or None."""
        package_days = holidays.country_holidays(
            self.country, subdiv=self.subdivision, years=day.year, categories=self._categories()
        )
        if day in package_days:
            return str(package_days[day])
        return "Hari libur tambahan" if day in self.extra_holidays else None

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_working_days:
            return True
        if day.weekday() >= 5:  # Saturday, Sunday
            return False
        return day not in self.holidays_in(day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        candidate = day + dt.timedelta(days=1)
        while not self.is_working_day(candidate):
            candidate += dt.timedelta(days=1)
        return candidate

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after day 0 (``n >= 0``).

        Day 0 is ``start`` if it is a working day, else the next working day: a count never starts on a
        holiday. ``add_working_days(start, 0)`` is therefore day 0 itself.
        """
        if n < 0:
            raise ValueError("n must be >= 0; deadlines are never counted backwards")
        known = self._added.get((start, n))
        if known is not None:
            return known
        day = start if self.is_working_day(start) else self.next_working_day(start)
        for _ in range(n):
            day = self.next_working_day(day)
        if len(self._added) >= 4096:
            self._added.clear()
        self._added[(start, n)] = day
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days ``d`` with ``a < d <= b``; negative (the same count) when ``b < a``.

        Inverse of ``add_working_days`` for working days: if ``a`` is a working day,
        ``working_days_between(a, add_working_days(a, n)) == n``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a + dt.timedelta(days=1)
        while day <= b:
            if self.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
        return count

    def to_local(self, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            raise ValueError("an aware datetime is required (naive moments are ambiguous across WIB/WITA/WIT)")
        return moment.astimezone(self.timezone)

    def effective_receipt_date(self, received_at: dt.datetime) -> dt.date:
        """Day 0 of a report received at ``received_at``.

        The local date if it is a working day and the report came before office close; otherwise the
        next working day (weekend, holiday, cuti bersama, or at/after closing time).
        """
        local = self.to_local(received_at)
        day = local.date()
        if self.is_working_day(day) and local.time() < self.office_close:
            return day
        return self.next_working_day(day)

    def end_of_office_hours(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.office_close, tzinfo=self.timezone)

    def due_at(self, received_at: dt.datetime, n: int) -> dt.datetime:
        """Aware deadline: end of office hours on the ``n``-th working day after day 0 of ``received_at``."""
        return self.end_of_office_hours(self.add_working_days(self.effective_receipt_date(received_at), n))

    @staticmethod
    def is_overdue(due: dt.datetime, now: dt.datetime | None = None) -> bool:
        """True strictly after ``due``; ``now`` defaults to the current time (frozen in tests)."""
        if due.tzinfo is None:
            raise ValueError("due must be an aware datetime")
        current = now if now is not None else dt.datetime.now(dt.UTC)
        if current.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        return current > due


@cache
def default_calendar() -> WorkingCalendar:
    """The shared Indonesian calendar (national holidays + cuti bersama, 16.00 WIB close)."""
    return WorkingCalendar("ID")


# Module-level shortcuts on the default calendar: what most callers need.
def is_working_day(day: dt.date) -> bool:
    return default_calendar().is_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return default_calendar().add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> int:
    return default_calendar().working_days_between(a, b)


def effective_receipt_date(received_at: dt.datetime) -> dt.date:
    return default_calendar().effective_receipt_date(received_at)


def due_at(received_at: dt.datetime, n: int) -> dt.datetime:
    return default_calendar().due_at(received_at, n)


def is_overdue(due: dt.datetime, now: dt.datetime | None = None) -> bool:
    return WorkingCalendar.is_overdue(due, now)


# --- Deadline policy ---------------------------------------------------------------------------


class AspirationKind(StrEnum):
    ASPIRASI = "aspirasi"  # a proposal for the future (flows to Musrenbang / pokir)
    PENGADUAN = "pengaduan"  # a service failure
    PERMINTAAN_INFORMASI = "permintaan_informasi"  # a public-information request (PPID, UU 14/2008)


class Stage(StrEnum):
    VERIFY = "verify"  # admin verifies and dispositions (LAPOR!: 3 working days)
    FIRST_RESPONSE = "first_response"  # the agency posts its first follow-up (LAPOR!: 5 working days)
    COMPLETION = "completion"  # resolved / answered


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """Working-day limits for one kind of aspiration, each counted from day 0 (receipt).

    Invariants: every limit is >= 0 and verify <= first_response <= completion <= completion with
    investigation (resp. with extension): later stages never fall due earlier.
    """

    verify: int
    first_response: int
    completion: int
    completion_with_investigation: int | None = None  # pengaduan "berkadar pengawasan"
    extension: int = 0  # UU KIP Pasal 22(8): one written extension of 7 working days
    basis: str = ""

    def __post_init__(self) -> None:
        limits = [self.verify, self.first_response, self.completion]
        if self.completion_with_investigation is not None:
            limits.append(self.completion_with_investigation)
        if any(limit < 0 for limit in limits) or limits != sorted(limits) or self.extension < 0:
            raise ValueError(f"inconsistent deadline policy: {self}")

    def working_days(self, stage: Stage, *, investigation: bool = False, extended: bool = False) -> int:
        """Working days allowed for ``stage``; ``investigation``/``extended`` only change completion."""
        if stage is Stage.VERIFY:
            return self.verify
        if stage is Stage.FIRST_RESPONSE:
            return self.first_response
        days = self.completion
        if investigation:
            if self.completion_with_investigation is None:
                raise ValueError("this kind has no investigation track")
            days = self.completion_with_investigation
        if extended:
            days += self.extension
        return days


DEFAULT_DEADLINE_POLICIES: Mapping[AspirationKind, DeadlinePolicy] = MappingProxyType(
    {
        AspirationKind.ASPIRASI: DeadlinePolicy(
            verify=3,
            first_response=5,
            completion=14,
            basis="PermenPANRB 62/2018: verifikasi 3, tindak lanjut awal 5, selesai 14 hari kerja",
        ),
        AspirationKind.PENGADUAN: DeadlinePolicy(
            verify=3,
            first_response=5,
            completion=14,
            completion_with_investigation=60,
            basis="PermenPANRB 62/2018: 14 hari kerja (tidak berkadar pengawasan), 60 (berkadar pengawasan)",
        ),
        AspirationKind.PERMINTAAN_INFORMASI: DeadlinePolicy(
            verify=3,
            first_response=5,
            completion=10,
            extension=7,
            basis="UU 14/2008 Pasal 22(7)–(8): jawaban tertulis 10 hari kerja, perpanjangan sekali 7 hari kerja",
        ),
    }
)


def deadline_policy(
    kind: AspirationKind | str, policies: Mapping[AspirationKind, DeadlinePolicy] | None = None
) -> DeadlinePolicy:
    """The policy for ``kind`` (a configured table overrides the defaults, e.g. from settings)."""
    table = DEFAULT_DEADLINE_POLICIES if policies is None else policies
    return table[AspirationKind(kind)]


def stage_due_at(
    kind: AspirationKind | str,
    stage: Stage | str,
    received_at: dt.datetime,
    *,
    investigation: bool = False,
    extended: bool = False,
    calendar: WorkingCalendar | None = None,
    policies: Mapping[AspirationKind, DeadlinePolicy] | None = None,
) -> dt.datetime:
    """Deadline moment of one stage of one aspiration kind."""
    days = deadline_policy(kind, policies).working_days(Stage(stage), investigation=investigation, extended=extended)
    return (calendar or default_calendar()).due_at(received_at, days)

"""RFC 5545 recurrence rules for meeting series (parsed and expanded with dateutil).

Rules are expanded in WIB (Asia/Jakarta) so that "every second Tuesday at 09.00" means 09.00
local time; the generated starts are stored in UTC.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from dateutil.rrule import DAILY, rrule, rrulestr  # type: ignore[import-untyped]
from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.core.errors import RuleViolation

MAX_OCCURRENCES = 120
HORIZON_MONTHS = 12
LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Expansion:
    rule: str
    occurrences: list[dt.datetime]
    # Set when the rule goes on beyond the horizon: the start of the last generated occurrence.
    truncated_at: dt.datetime | None


def rrule_normalise(text: str) -> str:
    """Accept `RRULE:FREQ=...` or `FREQ=...`; upper-case, no spaces. Refuses DTSTART and multi-line input."""
    rule = (text or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    rule = rule.replace(" ", "").upper()
    if not rule or "\n" in rule or "\r" in rule or "DTSTART" in rule or ":" in rule or len(rule) > 255:
        raise RuleViolation(_("Aturan pengulangan (RRULE) tidak valid."), code="invalid_rrule")
    return rule


def rrule_parse(rule: str, *, dtstart: dt.datetime) -> rrule:
    local_start = dtstart.astimezone(LOCAL_TZ)
    try:
        parsed = rrulestr(rule, dtstart=local_start)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise RuleViolation(
            _("Aturan pengulangan (RRULE) tidak valid: %(error)s") % {"error": str(error)[:120]}, code="invalid_rrule"
        ) from error
    if not isinstance(parsed, rrule):
        raise RuleViolation(_("Aturan pengulangan (RRULE) tidak valid."), code="invalid_rrule")
    if parsed._freq > DAILY:  # type: ignore[attr-defined]  # dateutil keeps the frequency private
        raise RuleViolation(
            _("Rapat berulang paling sering sekali sehari (FREQ=DAILY, WEEKLY, MONTHLY atau YEARLY)."),
            code="invalid_rrule",
        )
    return parsed


def rrule_expand(text: str, *, dtstart: dt.datetime, horizon_months: int = HORIZON_MONTHS) -> Expansion:
    """Occurrences from `dtstart` up to the horizon; refuses rules yielding none or too many."""
    rule = rrule_normalise(text)
    parsed = rrule_parse(rule, dtstart=dtstart)
    horizon_end = dtstart.astimezone(LOCAL_TZ) + relativedelta(months=horizon_months)
    try:
        candidates = list(islice(parsed, MAX_OCCURRENCES + 1))
    except (ValueError, OverflowError) as error:
        raise RuleViolation(_("Aturan pengulangan (RRULE) tidak valid."), code="invalid_rrule") from error
    within = [moment for moment in candidates if moment <= horizon_end]
    if not within:
        raise RuleViolation(
            _("Aturan pengulangan tidak menghasilkan rapat dalam %(months)d bulan ke depan.")
            % {"months": horizon_months},
            code="invalid_rrule",
        )
    if len(within) > MAX_OCCURRENCES:
        raise RuleViolation(
            _("Aturan pengulangan menghasilkan lebih dari %(max)d rapat dalam %(months)d bulan.")
            % {"max": MAX_OCCURRENCES, "months": horizon_months},
            code="invalid_rrule",
        )
    goes_on = len(candidates) > len(within)
    occurrences = [moment.astimezone(dt.UTC) for moment in within]
    return Expansion(rule=rule, occurrences=occurrences, truncated_at=occurrences[-1] if goes_on else None)

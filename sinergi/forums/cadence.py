"""A forum's meeting cadence (an RFC 5545 RRULE) in words: "Setiap bulan pada Selasa kedua"."""

from __future__ import annotations

import datetime as dt

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _ordinal(position: int) -> str | None:
    return {
        1: _("pertama"),
        2: _("kedua"),
        3: _("ketiga"),
        4: _("keempat"),
        5: _("kelima"),
        -1: _("terakhir"),
    }.get(position)


def _listed(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s dan %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _every(freq: str, interval: int) -> str | None:
    if interval == 1:
        return {
            "DAILY": _("setiap hari"),
            "WEEKLY": _("setiap minggu"),
            "MONTHLY": _("setiap bulan"),
            "YEARLY": _("setiap tahun"),
        }.get(freq)
    phrase = {
        "DAILY": _("setiap %(n)d hari"),
        "WEEKLY": _("setiap %(n)d minggu"),
        "MONTHLY": _("setiap %(n)d bulan"),
        "YEARLY": _("setiap %(n)d tahun"),
    }.get(freq)
    return phrase % {"n": interval} if phrase else None


def _days(by_day: str) -> str | None:
    plain: list[str] = []
    positioned: list[str] = []
    for code in by_day.split(","):
        code = code.strip().upper()
        day, prefix = code[-2:], code[:-2]
        if day not in DAY_CODES:
            return None
        weekday = str(WEEKDAYS[DAY_CODES.index(day)])
        if not prefix:
            plain.append(weekday)
            continue
        try:
            ordinal = _ordinal(int(prefix))
        except ValueError:
            return None
        if ordinal is None:
            return None
        positioned.append(_("%(weekday)s %(ordinal)s") % {"weekday": weekday, "ordinal": ordinal})
    if plain and positioned:
        return None
    if plain:
        return _("pada hari %(days)s") % {"days": _listed(plain)}
    return _("pada %(days)s") % {"days": _listed(positioned)}


def describe_rrule(rule: str, *, format_date: object = None) -> str:
    """The rule in words, in the active language; "" when it says something this does not put in words
    (the page then shows the rule itself)."""
    parts: dict[str, str] = {}
    for piece in (rule or "").strip().removeprefix("RRULE:").split(";"):
        key, _sep, value = piece.partition("=")
        if key:
            parts[key.strip().upper()] = value.strip()
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
    if not parts or set(parts) - known:
        return ""
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return ""
    every = _every(parts.get("FREQ", ""), interval)
    if every is None or interval < 1:
        return ""
    words = [every]
    if "BYDAY" in parts:
        days = _days(parts["BYDAY"])
        if days is None:
            return ""
        words.append(days)
    if "BYMONTHDAY" in parts:
        try:
            month_days = [int(value) for value in parts["BYMONTHDAY"].split(",")]
        except ValueError:
            return ""
        if any(not 1 <= value <= 31 for value in month_days):
            return ""
        words.append(_("pada tanggal %(days)s") % {"days": _listed([str(value) for value in month_days])})
    if "COUNT" in parts:
        try:
            count = int(parts["COUNT"])
        except ValueError:
            return ""
        words.append(ngettext("(%(n)d kali)", "(%(n)d kali)", count) % {"n": count})
    if "UNTIL" in parts:
        try:
            until = dt.date.fromisoformat(parts["UNTIL"][:8])  # YYYYMMDD: the day is what is shown
        except ValueError:
            return ""
        shown = format_date(until) if callable(format_date) else until.isoformat()
        words.append(_("sampai %(date)s") % {"date": shown})
    text = " ".join(words)
    return text[:1].upper() + text[1:]

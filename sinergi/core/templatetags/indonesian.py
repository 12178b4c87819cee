"""Dates and numbers in the reader's language.

Bahasa Indonesia: "27 November 2026", "Jumat, 27 November 2026", "09.30 WIB", "Rp1.250.000", "1.234".
English: "27 November 2026", "Friday, 27 November 2026", "09:30 WIB", "Rp1,250,000", "1,234".

Month and day names come from Django's own catalogues and the separators from Django's locale
format modules, read once per language: going through `dateformat` for every value made list
pages' dates ten times slower. Only the patterns are ours: day first with the month spelled out,
where Django's defaults abbreviate ("27 Nov 2026", "Nov. 27, 2026").
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dates, formats, timezone, translation

from sinergi.core.reference_labels import reference_label

register = template.Library()

# Indonesian writes the clock as 09.30, English as 09:30.
TIME_SEPARATOR = {"id": ".", "en": ":"}
TIME_ZONE_LABEL = "WIB"  # Waktu Indonesia Barat: what clocks in Blitar say, in either language.


@dataclass(frozen=True)
class LanguageFormats:
    months: tuple[str, ...]
    weekdays: tuple[str, ...]  # Monday first, as date.weekday() counts
    time_separator: str
    separators: dict[int, str]  # str.translate table: Python's "," and "." to the language's

    @classmethod
    def read(cls, language: str) -> "LanguageFormats":
        with translation.override(language):
            return cls(
                months=tuple(str(dates.MONTHS[number]) for number in range(1, 13)),
                weekdays=tuple(str(dates.WEEKDAYS[number]) for number in range(7)),
                time_separator=TIME_SEPARATOR.get(language.split("-")[0], "."),
                separators=str.maketrans(
                    {
                        ",": str(formats.get_format("THOUSAND_SEPARATOR", language)),
                        ".": str(formats.get_format("DECIMAL_SEPARATOR", language)),
                    }
                ),
            )


_BY_LANGUAGE: dict[str, LanguageFormats] = {}


@receiver(setting_changed)
def _forget_formats(**kwargs: Any) -> None:
    if kwargs.get("setting") in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "FORMAT_MODULE_PATH"}:
        _BY_LANGUAGE.clear()


def _formats() -> LanguageFormats:
    # With translations switched off (some management commands), the site's own language holds.
    language = translation.get_language() or settings.LANGUAGE_CODE
    found = _BY_LANGUAGE.get(language)
    if found is None:
        found = _BY_LANGUAGE[language] = LanguageFormats.read(language)
    return found


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date(value: dt.date | dt.datetime, language: LanguageFormats) -> str:
    return f"{value.day} {language.months[value.month - 1]} {value.year}"


@register.filter
def tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return _date(_local(value), _formats())


@register.filter
def hari_tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    value = _local(value)
    language = _formats()
    return f"{language.weekdays[value.weekday()]}, {_date(value, language)}"


@register.filter
def jam(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, dt.datetime)
    return f"{local:%H}{_formats().time_separator}{local:%M} {TIME_ZONE_LABEL}"


@register.filter
def angka(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:,.2f}".translate(_formats().separators)
    return f"{int(value):,}".translate(_formats().separators)


@register.filter
def rupiah(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    return "Rp" + f"{int(value):,}".translate(_formats().separators)


@register.filter
def persen(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    return f"{float(value) * 100:.0f}%"


@register.filter
def rujukan(value: object) -> str:
    """A reference-data name (sector, organisation kind, role, category) in the reader's language."""
    if value is None:
        return ""
    return reference_label(str(value))


@register.filter
def jadwal(rule: str | None) -> str:
    """A meeting RRULE in words in the reader's language ("" when it cannot be put in words)."""
    from sinergi.forums.cadence import describe_rrule

    return describe_rrule(rule or "", format_date=tanggal)

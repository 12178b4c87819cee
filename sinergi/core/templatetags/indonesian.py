"""Dates and numbers the Indonesian way: "27 November 2026", "Rp1.250.000", "1.234"."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

register = template.Library()

MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_ID[value.month - 1]} {value.year}"


@register.filter
def hari_tanggal(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    value = _local(value)
    return f"{DAYS_ID[value.weekday()]}, {tanggal(value)}"


@register.filter
def jam(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = _local(value)
    assert isinstance(local, dt.datetime)
    return f"{local:%H.%M} WIB"


@register.filter
def angka(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and value != int(value):
        whole, frac = f"{value:,.2f}".split(".")
        return whole.replace(",", ".") + "," + frac
    return f"{int(value):,}".replace(",", ".")


@register.filter
def rupiah(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    return "Rp" + f"{int(value):,}".replace(",", ".")


@register.filter
def persen(value: float | Decimal | None) -> str:
    if value is None:
        return ""
    return f"{float(value) * 100:.0f}%"

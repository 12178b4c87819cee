"""The date and number filters follow the active language; Bahasa Indonesia stays exactly as it was."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sinergi.core.templatetags.indonesian import angka, hari_tanggal, jam, persen, rupiah, tanggal

FRIDAY = dt.date(2026, 11, 27)
LATE_EVENING_UTC = dt.datetime(2026, 8, 2, 20, 5, tzinfo=dt.UTC)  # Monday 03.05 in Blitar


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            ["27 November 2026", "Jumat, 27 November 2026", "Senin, 3 Agustus 2026", "03.05 WIB", "1 Januari 2027"],
        ),
        (
            "en",
            ["27 November 2026", "Friday, 27 November 2026", "Monday, 3 August 2026", "03:05 WIB", "1 January 2027"],
        ),
    ],
)
def test_dates_in_the_active_language(language: str, expected: list[str]) -> None:
    with translation.override(language):
        assert [
            tanggal(FRIDAY),
            hari_tanggal(FRIDAY),
            hari_tanggal(LATE_EVENING_UTC),  # converted to Asia/Jakarta before the day is named
            jam(LATE_EVENING_UTC),
            tanggal(dt.datetime(2027, 1, 1, 0, 0)),
        ] == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["1.234", "1.234,50", "2,67", "-1.234.567", "12", "0", "Rp1.250.000", "Rp0", "45%"]),
        ("en", ["1,234", "1,234.50", "2.67", "-1,234,567", "12", "0", "Rp1,250,000", "Rp0", "45%"]),
    ],
)
def test_numbers_in_the_active_language(language: str, expected: list[str]) -> None:
    with translation.override(language):
        assert [
            angka(1234),
            angka(Decimal("1234.5")),
            angka(2.675),  # a float rounds by its binary value, as Python's own formatting does
            angka(-1234567),
            angka(12.0),
            angka(0),
            rupiah(1250000),
            rupiah(Decimal("0.4")),
            persen(0.451),
        ] == expected


def test_without_an_active_language_the_site_language_holds() -> None:
    with translation.override(None):
        assert hari_tanggal(FRIDAY) == "Jumat, 27 November 2026"
        assert angka(Decimal("1234.5")) == "1.234,50"


def test_empty_values_render_nothing() -> None:
    for filter_ in (tanggal, hari_tanggal, jam, angka, rupiah, persen):
        assert filter_(None) == ""


def test_template_filters_follow_the_language() -> None:
    template = Template("{% load indonesian %}{{ d|hari_tanggal }} · {{ n|rupiah }}")
    context = {"d": FRIDAY, "n": 2500000}
    with translation.override("en"):
        assert template.render(Context(context)) == "Friday, 27 November 2026 · Rp2,500,000"
    assert template.render(Context(context)) == "Jumat, 27 November 2026 · Rp2.500.000"

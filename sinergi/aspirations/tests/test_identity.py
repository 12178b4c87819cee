"""NIK, phone and e-mail checks (indonesia-context §2.6–2.7): every branch refuses with a code."""

import pytest

from sinergi.aspirations.identity import (
    normalise_email,
    normalise_name,
    normalise_nik,
    normalise_phone,
    phone_masked,
)
from sinergi.core.errors import RuleViolation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3572011203900001", "3572011203900001"),  # man born 12-03-1990, Kota Blitar
        ("3572 0152 0390 0002", "3572015203900002"),  # woman: day 12 + 40
        ("3505-01-710195-0003", "3505017101950003"),  # woman born 31-01-1995, Kabupaten Blitar (people move)
        ("9601012902000004", "9601012902000004"),  # 29-02-2000, Papua Barat Daya
    ],
)
def test_valid_nik(raw: str, expected: str) -> None:
    assert normalise_nik(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "357201120390000",  # 15 digits
        "35720112039000011",  # 17 digits
        "35720112039O0001",  # a letter O
        "0000000000000000",  # all zeros
        "9972011203900001",  # province 99 does not exist
        "3500011203900001",  # kab/kota 00
        "3572001203900001",  # kecamatan 00
        "3572013203900001",  # day 32
        "3572017203900001",  # day 72 (women: 41–71)
        "3572011213900001",  # month 13
        "3572013002900001",  # 30 February
        "3572012902010001",  # 29 February 1901/2001 (neither a leap year)
        "3572011203900000",  # serial 0000
        "",
    ],
)
def test_invalid_nik(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalise_nik(raw)
    assert caught.value.code == "invalid_nik"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("(0342) 801234", "+62342801234"),  # Blitar landline
        ("0857 1234 5678", "+6285712345678"),
    ],
)
def test_valid_phone(raw: str, expected: str) -> None:
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["12345", "+1 202 555 0143", "0812", "phone", "0" * 40, "+62 800 1234 5678", "08123456789012345"]
)
def test_invalid_phone(raw: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        normalise_phone(raw)
    assert caught.value.code == "invalid_phone"


def test_email_lowercased_and_checked() -> None:
    assert normalise_email("  Warga@Example.ORG ") == "warga@example.org"
    for bad in ("bukan-email", "a@b", "x" * 250 + "@example.org"):
        with pytest.raises(RuleViolation) as caught:
            normalise_email(bad)
        assert caught.value.code == "invalid_email"


def test_name_collapsed_and_bounded() -> None:
    assert normalise_name("  Siti   Aminah ") == "Siti Aminah"
    with pytest.raises(RuleViolation) as caught:
        normalise_name("x" * 161)
    assert caught.value.code == "name_too_long"


def test_phone_masked_keeps_only_the_ends() -> None:
    assert phone_masked("+6281234567890") == "+62812****7890"

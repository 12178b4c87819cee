"""Checking and normalising what a reporter tells us about themselves: NIK, phone, e-mail.

Each function returns the normalised value (what is sealed and blind-indexed) or raises
`RuleViolation` with an Indonesian message and a machine code. They never log the value.
"""

from __future__ import annotations

import datetime as dt

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sinergi.core.errors import RuleViolation

NIK_LENGTH = 16
NAME_MAX = 160
EMAIL_MAX = 254
PHONE_INPUT_MAX = 32

# Kemendagri province codes (Permendagri 300.2.2-2138/2025), incl. the Papua provinces formed in 2022.
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

_SEPARATORS = str.maketrans("", "", " .-")


def normalise_nik(value: str) -> str:
    """A 16-digit NIK as issued (`PP KK CC DDMMYY SSSS`) or RuleViolation(code="invalid_nik").

    Checks what can be checked without Dukcapil (indonesia-context §2.6): digits only, a known
    province, kab/kota and kecamatan parts not 00, a real day and month of birth (day +40 for women),
    a serial that is not 0000. The region part is *not* required to be Kota Blitar: people move and
    keep their NIK, and kecamatan codes from before a split are still in use.
    """
    nik = (value or "").strip().translate(_SEPARATORS)
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        raise RuleViolation(_("NIK harus terdiri dari 16 angka."), code="invalid_nik")
    if set(nik) == {"0"}:
        raise RuleViolation(_("NIK tidak valid."), code="invalid_nik")
    province, kabupaten, kecamatan = nik[0:2], nik[2:4], nik[4:6]
    if province not in PROVINCE_CODES or kabupaten == "00" or kecamatan == "00":
        raise RuleViolation(
            _("Enam angka pertama NIK (kode wilayah) tidak dikenal. Periksa kembali NIK Anda."), code="invalid_nik"
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women: day of birth + 40
        day -= 40
    if not _is_real_date(day, month, year):
        raise RuleViolation(
            _("Bagian tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid."), code="invalid_nik"
        )
    if nik[12:] == "0000":
        raise RuleViolation(_("Empat angka terakhir NIK tidak boleh 0000."), code="invalid_nik")
    return nik


def _is_real_date(day: int, month: int, two_digit_year: int) -> bool:
    # The century is ambiguous; 29 February is accepted when either century makes it a leap year.
    for century in (1900, 2000):
        try:
            dt.date(century + two_digit_year, month, day)
        except ValueError:
            continue
        return True
    return False


def normalise_phone(value: str) -> str:
    """An Indonesian mobile or fixed-line number in E.164 (`+62812…`) or RuleViolation(code="invalid_phone").

    Accepts `0812-3456-7890`, `+62 812 3456 7890`, `6281234567890`, `(0342) 801234`.
    """
    raw = (value or "").strip()
    if not raw or len(raw) > PHONE_INPUT_MAX:
        raise RuleViolation(_("Nomor telepon tidak valid."), code="invalid_phone")
    digits = raw.translate(str.maketrans("", "", " -().")).lstrip()
    # "628…" without the plus is how many people copy a WhatsApp number.
    if digits.startswith("62") and not digits.startswith("+"):
        raw = "+" + digits
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise RuleViolation(_("Nomor telepon tidak valid."), code="invalid_phone") from exc
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        raise RuleViolation(
            _("Nomor telepon tidak valid. Tulis nomor Indonesia, misalnya 0812-3456-7890 atau (0342) 801234."),
            code="invalid_phone",
        )
    kind = phonenumbers.number_type(number)
    allowed = {
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    if kind not in allowed:
        raise RuleViolation(_("Gunakan nomor ponsel atau telepon rumah/kantor."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    """A lower-cased e-mail address or RuleViolation(code="invalid_email")."""
    email = (value or "").strip()
    if len(email) > EMAIL_MAX:
        raise RuleViolation(_("Alamat e-mail terlalu panjang."), code="invalid_email")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise RuleViolation(_("Alamat e-mail tidak valid."), code="invalid_email") from exc
    return email.lower()


def normalise_name(value: str) -> str:
    name = " ".join((value or "").split())
    if len(name) > NAME_MAX:
        raise RuleViolation(
            _("Nama terlalu panjang (paling banyak %(max)d karakter).") % {"max": NAME_MAX}, code="name_too_long"
        )
    return name


def phone_masked(e164: str) -> str:
    """`+6281234567890` → `+62812****7890`: enough for the reporter to recognise their own number."""
    if len(e164) < 8:
        return "****"
    return e164[:6] + "*" * (len(e164) - 10) + e164[-4:]

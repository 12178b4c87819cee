"""Dukung (support) for an open aspiration, and proving a phone number with a one-time code.

One support per person and case: a signed-in account, or a phone number proven by a code sent by
SMS/WhatsApp. The partial unique constraints on `Support` are what keep it one when the same person
presses twice at the same moment; the service turns the loser's IntegrityError into "already supported"
and returns the existing row, so a double press is never an error. `support_count` moves with an F()
update in the same transaction as the row, so the count is always the number of rows.

The public log gets `aspiration.supported` with the new count only — never who supported.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.aspirations.identity import normalise_phone
from sinergi.aspirations.models import Aspiration, PhoneVerification, ReporterIdentity, Support
from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus
from sinergi.core.crypto import blind_index
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

CODE_DIGITS = 6
CODE_VALID = dt.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Codes sent to one number: at most this many per window (SMS costs money and can be used to harass).
STARTS_PER_WINDOW = 3
STARTS_WINDOW = dt.timedelta(hours=1)
# How long a proven phone may be used to support (the web session and the API token carry it).
PROOF_VALID = dt.timedelta(minutes=30)
TOKEN_SALT = "sinergi.aspirations.phone-proof"  # noqa: S105  (a signing salt, not a secret)


@dataclass(frozen=True)
class SupportResult:
    support: Support
    created: bool
    support_count: int


def phone_index(phone_e164: str) -> str:
    return blind_index(phone_e164, purpose="phone")


def _code_hash(index: str, code: str) -> str:
    # Keyed, and bound to the number: a leaked table does not give the codes away by a 10⁶ search.
    return blind_index(f"{index}:{code}", purpose="one-time-code")


def _code_sender() -> Callable[[str, str], Any] | None:
    try:
        from sinergi.notifications import services as notification_services
    except ImportError:
        return None
    return getattr(notification_services, "send_one_time_code", None)


@transaction.atomic
def phone_verification_start(phone: str) -> PhoneVerification:
    """Send a 6-digit code to `phone` (any Indonesian spelling); returns the pending verification.

    RuleViolation: invalid_phone, otp_rate_limited, otp_unavailable (no SMS/WhatsApp gateway configured).
    """
    phone_e164 = normalise_phone(phone)
    index = phone_index(phone_e164)
    sender = _code_sender()
    if sender is None:
        raise RuleViolation(
            _("Pengiriman kode lewat SMS/WhatsApp belum tersedia. Silakan masuk dengan akun untuk mendukung."),
            code="otp_unavailable",
        )
    now = timezone.now()
    # Lock the number's recent rows so two simultaneous requests cannot both slip under the limit.
    recent = list(
        PhoneVerification.objects.select_for_update(of=("self",))
        .filter(phone_index=index, created_at__gte=now - STARTS_WINDOW)
        .values_list("pk", flat=True)
    )
    if len(recent) >= STARTS_PER_WINDOW:
        raise RuleViolation(
            _("Terlalu banyak permintaan kode untuk nomor ini. Coba lagi dalam satu jam."), code="otp_rate_limited"
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    verification = PhoneVerification.objects.create(
        phone_index=index, code_hash=_code_hash(index, code), expires_at=now + CODE_VALID
    )
    # The number and the code go to the gateway only; neither is logged nor stored in plain text.
    transaction.on_commit(lambda: sender(phone_e164, code))
    return verification


def phone_verification_check(phone: str, code: str) -> PhoneVerification:
    """Check the code last sent to `phone`. A wrong code counts an attempt (kept even though we refuse).

    RuleViolation: invalid_phone, otp_invalid, otp_missing (none pending or expired), otp_locked (5 wrong tries).
    """
    phone_e164 = normalise_phone(phone)
    index = phone_index(phone_e164)
    code = "".join((code or "").split())[:16]
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update(of=("self",))
            .filter(phone_index=index, verified_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at", "-pk")
            .first()
        )
        if verification is None:
            raise RuleViolation(
                _("Tidak ada kode yang masih berlaku untuk nomor ini. Minta kode baru."), code="otp_missing"
            )
        if verification.attempts >= CODE_MAX_ATTEMPTS:
            raise RuleViolation(_("Kode salah terlalu sering. Minta kode baru."), code="otp_locked")
        if not (code.isdigit() and len(code) == CODE_DIGITS) or not hmac.compare_digest(
            verification.code_hash, _code_hash(index, code)
        ):
            PhoneVerification.objects.filter(pk=verification.pk).update(attempts=F("attempts") + 1)
            wrong = True
        else:
            verification.verified_at = timezone.now()
            verification.save(update_fields=["verified_at"])
            wrong = False
    if wrong:  # raised after the commit, so the attempt stays counted
        raise RuleViolation(_("Kode tidak cocok."), code="otp_invalid")
    return verification


def phone_proof_token(verification: PhoneVerification) -> str:
    """A signed token naming a proven verification (for API clients; pages keep it in the session)."""
    return signing.dumps({"v": verification.pk}, salt=TOKEN_SALT)


def phone_from_proof(phone: str, token: str) -> str:
    """The E.164 phone if `token` proves it (issued within PROOF_VALID for this number), else RuleViolation."""
    phone_e164 = normalise_phone(phone)
    try:
        payload = signing.loads((token or "")[:500], salt=TOKEN_SALT, max_age=PROOF_VALID)
        verification_id = int(payload["v"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise NotPermitted(
            _("Bukti nomor telepon tidak berlaku. Verifikasi ulang."), code="phone_not_verified"
        ) from exc
    proven = PhoneVerification.objects.filter(
        pk=verification_id, phone_index=phone_index(phone_e164), verified_at__isnull=False
    ).exists()
    if not proven:
        raise NotPermitted(_("Bukti nomor telepon tidak berlaku. Verifikasi ulang."), code="phone_not_verified")
    return phone_e164


def _existing(aspiration: Aspiration, user: Any, index: str) -> Support | None:
    supports = Support.objects.filter(aspiration=aspiration)
    if user is not None:
        return supports.filter(user=user).first()
    return supports.filter(phone_index=index).first()


def _require_supportable(aspiration: Aspiration, user: Any, index: str) -> None:
    if aspiration.status == AspirationStatus.MERGED:
        raise RuleViolation(
            _("Aspirasi ini sudah digabung ke aspirasi lain; dukung aspirasi tujuannya."), code="support_merged"
        )
    if aspiration.status not in OPEN_STATUSES:
        raise RuleViolation(_("Aspirasi yang sudah ditutup tidak dapat didukung lagi."), code="support_closed")
    is_reporter = user is not None and aspiration.reporter_id is not None and aspiration.reporter_id == user.pk
    if not is_reporter and index:
        is_reporter = ReporterIdentity.objects.filter(aspiration=aspiration, phone_index=index).exists()
    if is_reporter:
        raise RuleViolation(_("Pelapor tidak dapat mendukung aspirasinya sendiri."), code="support_own_case")


@transaction.atomic
def aspiration_support(
    *, aspiration: Aspiration, user: Any = None, verified_phone: str | None = None, wants_updates: bool = True
) -> SupportResult:
    """Add one support by `user` (signed in) or by `verified_phone` (E.164, proven by a one-time code).

    Idempotent: the same person again gets their existing support back (created=False).
    """
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    index = ""
    if user is None:
        if not verified_phone:
            raise NotPermitted(
                _("Masuk dengan akun atau verifikasi nomor telepon untuk mendukung."), code="supporter_required"
            )
        index = phone_index(normalise_phone(verified_phone))
        window_start = timezone.now() - PROOF_VALID
        if not PhoneVerification.objects.filter(phone_index=index, verified_at__gte=window_start).exists():
            raise NotPermitted(_("Nomor telepon belum diverifikasi."), code="phone_not_verified")
    # The row lock orders supports against a merge or a status change of the same case.
    locked = Aspiration.objects.select_for_update(of=("self",)).get(pk=aspiration.pk)
    _require_supportable(locked, user, index)
    existing = _existing(locked, user, index)
    if existing is not None:
        return SupportResult(existing, created=False, support_count=locked.support_count)
    try:
        with transaction.atomic():  # savepoint: the constraint may refuse a concurrent twin
            support = Support.objects.create(
                aspiration=locked,
                user=user,
                phone=normalise_phone(verified_phone) if user is None and verified_phone else None,
                phone_index=index,
                wants_updates=wants_updates,
            )
    except IntegrityError:
        existing = _existing(locked, user, index)
        if existing is None:
            raise
        return SupportResult(existing, created=False, support_count=locked.support_count)
    Aspiration.objects.filter(pk=locked.pk).update(support_count=F("support_count") + 1)
    count = locked.support_count + 1  # the row is locked: nobody else moved it since we read it
    aspiration.support_count = count
    ledger_record(
        event=LedgerEvent.ASPIRATION_SUPPORTED,
        actor=None,  # who supported is nobody's business but theirs
        subject_type="aspiration",
        subject_id=str(locked.uid),
        data={"support_count": count},
    )
    return SupportResult(support, created=True, support_count=count)


def aspiration_supported_by(aspiration: Aspiration, *, user: Any = None, phone_e164: str = "") -> bool:
    """Whether this person already supports the case (for the page's button state)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return Support.objects.filter(aspiration=aspiration, user=user).exists()
    if phone_e164:
        return Support.objects.filter(aspiration=aspiration, phone_index=phone_index(phone_e164)).exists()
    return False

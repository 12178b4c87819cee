"""Dukung and phone verification (services): one per person, idempotent, refused where it must be,
the count kept in step, the public log without identity, codes hashed, limited and expiring."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from sinergi.aspirations.models import PhoneVerification, ReporterIdentity, Support
from sinergi.aspirations.services import support as support_services
from sinergi.aspirations.services.support import (
    aspiration_support,
    aspiration_supported_by,
    phone_from_proof,
    phone_index,
    phone_proof_token,
    phone_verification_check,
    phone_verification_start,
)
from sinergi.aspirations.states import AspirationStatus
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db
PHONE = "+6281234567001"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Codes the SMS gateway would send (sinergi.notifications.services.send_one_time_code)."""
    from sinergi.notifications import services as notification_services

    outbox: list[tuple[str, str]] = []
    monkeypatch.setattr(notification_services, "send_one_time_code", lambda phone, code: outbox.append((phone, code)))
    return outbox


def prove(phone: str, sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any) -> PhoneVerification:
    with django_capture_on_commit_callbacks(execute=True):
        phone_verification_start(phone)
    return phone_verification_check(phone, sent[-1][1])


@pytest.fixture
def case() -> Any:
    return AspirationFactory(status=AspirationStatus.VERIFIED)


def test_account_support_is_counted_once_and_logged_without_identity(personas: Any, case: Any) -> None:
    user = personas["citizen"].user
    first = aspiration_support(aspiration=case, user=user)
    again = aspiration_support(aspiration=case, user=user)
    assert first.created and not again.created
    assert again.support.pk == first.support.pk
    case.refresh_from_db()
    assert case.support_count == 1 == Support.objects.filter(aspiration=case).count()
    entries = LedgerEntry.objects.filter(event_type="aspiration.supported", subject_id=str(case.uid))
    assert entries.count() == 1  # the repeat writes nothing
    entry = entries.get()
    assert entry.payload == {"support_count": 1}
    assert entry.actor in ("", None) or "citizen" not in str(entry.actor)
    assert user.username not in str(entry.payload)
    assert aspiration_supported_by(case, user=user)


def test_two_people_count_two(personas: Any, case: Any) -> None:
    aspiration_support(aspiration=case, user=personas["citizen"].user)
    result = aspiration_support(aspiration=case, user=personas["masyarakat"].user)
    assert result.support_count == 2
    case.refresh_from_db()
    assert case.support_count == 2


def test_phone_support_after_proof_is_sealed(
    case: Any, sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    prove("0812-3456-7001", sent, django_capture_on_commit_callbacks)
    assert sent[-1][0] == PHONE
    result = aspiration_support(aspiration=case, verified_phone="0812 3456 7001")
    again = aspiration_support(aspiration=case, verified_phone=PHONE)
    assert result.created and not again.created
    row = Support.objects.get(aspiration=case)
    assert row.phone == PHONE and row.phone_index == phone_index(PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM aspirations_support WHERE id = %s", [row.pk])
        raw = bytes(cursor.fetchone()[0])
    assert PHONE.encode() not in raw and b"81234567001" not in raw  # sealed at rest
    assert aspiration_supported_by(case, phone_e164=PHONE)


def test_phone_without_proof_or_no_supporter_is_refused(case: Any) -> None:
    with pytest.raises(NotPermitted) as error:
        aspiration_support(aspiration=case, verified_phone=PHONE)
    assert error.value.code == "phone_not_verified"
    with pytest.raises(NotPermitted) as error:
        aspiration_support(aspiration=case)
    assert error.value.code == "supporter_required"


def test_proof_expires(case: Any, sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any) -> None:
    prove(PHONE, sent, django_capture_on_commit_callbacks)
    with freeze_time(timezone.now() + dt.timedelta(minutes=31)), pytest.raises(NotPermitted):
        aspiration_support(aspiration=case, verified_phone=PHONE)


@pytest.mark.parametrize(
    "status,code",
    [
        (AspirationStatus.RESOLVED, "support_closed"),
        (AspirationStatus.REJECTED, "support_closed"),
        (AspirationStatus.ARCHIVED, "support_closed"),
        (AspirationStatus.MERGED, "support_merged"),
    ],
)
def test_closed_and_merged_cases_are_refused(personas: Any, status: str, code: str) -> None:
    case = AspirationFactory(status=status)
    with pytest.raises(RuleViolation) as error:
        aspiration_support(aspiration=case, user=personas["citizen"].user)
    assert error.value.code == code
    assert not Support.objects.exists()


def test_reporter_may_not_support_own_case(
    personas: Any, sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    reporter = personas["citizen"].user
    own = AspirationFactory(reporter=reporter)
    with pytest.raises(RuleViolation) as error:
        aspiration_support(aspiration=own, user=reporter)
    assert error.value.code == "support_own_case"
    by_phone = AspirationFactory()
    ReporterIdentity.objects.create(
        aspiration=by_phone,
        phone=PHONE,
        phone_index=phone_index(PHONE),
        consent_version="1",
        consent_text_sha256="0" * 64,
        consented_at=timezone.now(),
    )
    prove(PHONE, sent, django_capture_on_commit_callbacks)
    with pytest.raises(RuleViolation) as error:
        aspiration_support(aspiration=by_phone, verified_phone=PHONE)
    assert error.value.code == "support_own_case"


def test_code_is_hashed_expires_and_locks_after_five_wrong(
    sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        verification = phone_verification_start(PHONE)
    code = sent[-1][1]
    assert len(code) == 6 and code.isdigit()
    assert code not in verification.code_hash and verification.phone_index == phone_index(PHONE)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _attempt in range(5):
        with pytest.raises(RuleViolation) as error:
            phone_verification_check(PHONE, wrong)
        assert error.value.code == "otp_invalid"
    verification.refresh_from_db()
    assert verification.attempts == 5  # counted although each check was refused
    with pytest.raises(RuleViolation) as error:
        phone_verification_check(PHONE, code)  # even the right code: locked
    assert error.value.code == "otp_locked"


def test_code_expires_after_ten_minutes(sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        phone_verification_start(PHONE)
    with freeze_time(timezone.now() + dt.timedelta(minutes=11)), pytest.raises(RuleViolation) as error:
        phone_verification_check(PHONE, sent[-1][1])
    assert error.value.code == "otp_missing"


def test_starts_are_rate_limited_per_number(
    sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _request in range(3):
            phone_verification_start(PHONE)
    with pytest.raises(RuleViolation) as error:
        phone_verification_start(PHONE)
    assert error.value.code == "otp_rate_limited"
    with django_capture_on_commit_callbacks(execute=True):
        phone_verification_start("+6281234567002")  # another number is not affected
    assert len(sent) == 4
    with freeze_time(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        phone_verification_start(PHONE)


@pytest.mark.parametrize("phone", ["", "12", "+1 202 555 0100", "0812" + "9" * 40, "<script>"])
def test_invalid_numbers_are_refused(phone: str, sent: list[tuple[str, str]]) -> None:
    with pytest.raises(RuleViolation) as error:
        phone_verification_start(phone)
    assert error.value.code == "invalid_phone"
    assert not PhoneVerification.objects.exists()


def test_without_a_gateway_the_start_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(support_services, "_code_sender", lambda: None)
    with pytest.raises(RuleViolation) as error:
        phone_verification_start(PHONE)
    assert error.value.code == "otp_unavailable"


def test_proof_token_binds_the_number(sent: list[tuple[str, str]], django_capture_on_commit_callbacks: Any) -> None:
    verification = prove(PHONE, sent, django_capture_on_commit_callbacks)
    token = phone_proof_token(verification)
    assert phone_from_proof("0812-3456-7001", token) == PHONE
    with pytest.raises(NotPermitted):
        phone_from_proof("+6281234567002", token)
    with pytest.raises(NotPermitted):
        phone_from_proof(PHONE, token + "x")

"""Intake: aspiration_submit validates everything before writing, and writes one consistent case."""

import pytest

from sinergi.aspirations.models import Aspiration, AspirationEvent, ReporterIdentity
from sinergi.aspirations.services.intake import (
    CONSENT_VERSION,
    AspirationSubmission,
    aspiration_submit,
    normalise_tracking_code,
)
from sinergi.aspirations.states import AspirationKind, AspirationStatus, Privacy
from sinergi.core.errors import RuleViolation
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

# Valid but recognisable personal data: must never show up in a public response or the log.
CANARY_NIK = "3572014508900007"
CANARY_PHONE = "081234567890"
CANARY_EMAIL = "canary.pelapor@example.org"


def submission(**overrides: object) -> AspirationSubmission:
    values: dict[str, object] = {
        "kind": AspirationKind.PENGADUAN,
        "title": "Jalan berlubang di Jl. Merdeka",
        "text": "Jalan di depan SDN Kepanjenlor 1 berlubang besar, sudah dua motor jatuh minggu ini.",
        "consent_version": CONSENT_VERSION,
    }
    values.update(overrides)
    return AspirationSubmission(**values)  # type: ignore[arg-type]


def test_submit_writes_case_identity_event_and_one_log_entry() -> None:
    before = LedgerEntry.objects.count()
    result = aspiration_submit(submission=submission(phone="0812-3456-7890"), actor=None)
    assert result.created
    case = result.aspiration
    assert case.status == AspirationStatus.RECEIVED
    assert len(result.tracking_code) == 12
    assert case.verify_due_at and case.response_due_at and case.completion_due_at
    assert case.verify_due_at < case.response_due_at < case.completion_due_at
    assert case.search_terms
    assert case.suggested_category is None or case.suggestion_score is not None
    identity = ReporterIdentity.objects.get(aspiration=case)
    assert identity.phone == "+6281234567890"
    assert identity.consent_version == CONSENT_VERSION
    assert AspirationEvent.objects.filter(aspiration=case).count() == 1
    assert LedgerEntry.objects.count() == before + 1


def test_same_idempotency_key_returns_the_first_case() -> None:
    first = aspiration_submit(submission=submission(), actor=None, idempotency_key="form-token-0001")
    again = aspiration_submit(submission=submission(), actor=None, idempotency_key="form-token-0001")
    assert not again.created
    assert again.aspiration.pk == first.aspiration.pk
    assert Aspiration.objects.count() == 1


def test_empty_text_is_refused_and_nothing_written() -> None:
    with pytest.raises(RuleViolation) as caught:
        aspiration_submit(submission=submission(text=" \n\t "), actor=None)
    assert caught.value.code == "text_required"
    assert Aspiration.objects.count() == 0


def test_tracking_code_normalised_like_crockford() -> None:
    assert normalise_tracking_code(" abcd-efgh-ijkl ") == "ABCDEFGH1JK1"
    assert Privacy.ANONYMOUS

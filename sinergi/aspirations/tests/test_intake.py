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


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kind": "curhat"}, "invalid_kind"),
        ({"privacy": "semi"}, "invalid_privacy"),
        ({"channel": "fax"}, "invalid_channel"),
        ({"title": "j" * 141}, "title_too_long"),
        ({"text": "x" * 5001}, "text_too_long"),
        ({"text": "\x00\x01  \n"}, "text_required"),
        ({"address": "a" * 256}, "address_too_long"),
        ({"consent_version": ""}, "consent_required"),
        ({"consent_version": "2020-01"}, "consent_required"),
        ({"category_slug": "tidak-ada"}, "invalid_category"),
        ({"nik": "123"}, "invalid_nik"),
        ({"phone": "0812"}, "invalid_phone"),
        ({"email": "x@"}, "invalid_email"),
        ({"reporter_name": "n" * 200}, "name_too_long"),
        ({"kind": AspirationKind.PERMINTAAN_INFORMASI}, "identity_required"),
        ({"kind": AspirationKind.PERMINTAAN_INFORMASI, "reporter_name": "Ani"}, "identity_required"),
        ({"kind": AspirationKind.PERMINTAAN_INFORMASI, "phone": "081234567890"}, "identity_required"),
        ({"latitude": -8.1}, "invalid_location"),
        ({"region_code": "35.05.01.2001"}, "invalid_region"),
    ],
)
def test_every_refusal_has_a_code_and_writes_nothing(overrides: dict[str, object], code: str) -> None:
    entries = LedgerEntry.objects.count()
    with pytest.raises(RuleViolation) as caught:
        aspiration_submit(submission=submission(**overrides), actor=None)
    assert caught.value.code == code
    assert caught.value.message
    assert Aspiration.objects.count() == 0
    assert ReporterIdentity.objects.count() == 0
    assert LedgerEntry.objects.count() == entries


@pytest.mark.parametrize("key", ["short", "x" * 81, "spasi di dalam kunci", "<script>alert</script>"])
def test_malformed_idempotency_key(key: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        aspiration_submit(submission=submission(), actor=None, idempotency_key=key)
    assert caught.value.code == "invalid_idempotency_key"


def test_received_at_in_the_future_is_refused() -> None:
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(RuleViolation) as caught:
        aspiration_submit(submission=submission(), actor=None, received_at=timezone.now() + timedelta(hours=1))
    assert caught.value.code == "invalid_received_at"


def test_title_derived_from_text_and_html_kept_as_plain_text() -> None:
    result = aspiration_submit(
        submission=submission(title="  ", text="<b>Pohon tumbang</b> di Jl. Kenari\nmenutup separuh jalan."),
        actor=None,
    )
    assert result.aspiration.title == "<b>Pohon tumbang</b> di Jl. Kenari"
    assert result.aspiration.text.startswith("<b>Pohon")


def test_tracking_code_is_crockford_and_unique() -> None:
    from sinergi.aspirations.services.intake import CROCKFORD_ALPHABET, generate_tracking_code

    codes = {generate_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 12 and set(code) <= set(CROCKFORD_ALPHABET) for code in codes)
    assert not set("ILOU") & set(CROCKFORD_ALPHABET)
    # Every character drawn, each about as often as the others (24,000 draws: ~750 each).
    from collections import Counter

    drawn = Counter("".join(codes))
    assert set(drawn) == set(CROCKFORD_ALPHABET)
    assert min(drawn.values()) > 550 and max(drawn.values()) < 950


def test_a_tracking_code_already_taken_is_drawn_again(monkeypatch) -> None:
    from sinergi.aspirations.services import intake

    first = aspiration_submit(submission=submission(), actor=None)
    draws = iter([first.tracking_code, "NEWC0DE00001"])
    monkeypatch.setattr(intake, "generate_tracking_code", lambda: next(draws))
    second = aspiration_submit(submission=submission(), actor=None)
    assert second.created and second.tracking_code == "NEWC0DE00001"
    assert Aspiration.objects.filter(tracking_code="NEWC0DE00001").count() == 1
    assert ReporterIdentity.objects.filter(aspiration=second.aspiration).exists()


def test_identity_sealed_and_ledger_free_of_it(personas) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    result = aspiration_submit(
        submission=submission(
            privacy=Privacy.ANONYMOUS, reporter_name="Siti", nik=CANARY_NIK, phone=CANARY_PHONE, email=CANARY_EMAIL
        ),
        actor=personas["citizen"].user,
    )
    identity = ReporterIdentity.objects.get(aspiration=result.aspiration)
    assert identity.nik == CANARY_NIK and identity.email == CANARY_EMAIL
    assert identity.consent_text_sha256 and identity.consented_at
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, phone, email FROM aspirations_reporteridentity")
        raw = b"".join(bytes(value) for value in cursor.fetchone())
    for canary in (CANARY_NIK, "+6281234567890", CANARY_EMAIL):
        assert canary.encode() not in raw
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None
    dumped = str(entry.__dict__)
    for canary in (CANARY_NIK, "6281234567890", CANARY_EMAIL, "Siti", personas["citizen"].user.public_handle):
        assert canary not in dumped
    assert result.aspiration.reporter == personas["citizen"].user


def test_confidential_case_keeps_its_words_out_of_the_log() -> None:
    result = aspiration_submit(submission=submission(privacy=Privacy.CONFIDENTIAL, title="Pungli di loket"), actor=None)
    entry = LedgerEntry.objects.get(subject_id=str(result.aspiration.uid))
    assert "Pungli" not in str(entry.__dict__)
    assert submission().text not in str(entry.__dict__)


def test_information_request_goes_to_the_ppid(reference_data) -> None:  # type: ignore[no-untyped-def]
    from sinergi.actors.tests.factories import OrganisationFactory, kind

    ppid = OrganisationFactory(slug="diskominfotik", name="Diskominfotik", kind=kind("opd"))
    result = aspiration_submit(
        submission=submission(kind=AspirationKind.PERMINTAAN_INFORMASI, reporter_name="Ani", email="ani@example.org"),
        actor=None,
    )
    case = result.aspiration
    assert case.assigned_organisation == ppid
    assert case.completion_due_at and case.response_due_at and case.completion_due_at > case.response_due_at


def test_reporter_category_kept_and_suggestion_stored() -> None:
    from sinergi.aspirations.categories import aspiration_categories_load

    aspiration_categories_load()
    result = aspiration_submit(
        submission=submission(
            category_slug="kesehatan", text="Jalan berlubang besar di depan sekolah, aspal rusak parah."
        ),
        actor=None,
    )
    case = result.aspiration
    assert case.category is not None and case.category.slug == "kesehatan"
    assert case.suggested_category is not None and case.suggested_category.slug == "jalan_jembatan"
    assert case.suggestion_score is not None and 0 < case.suggestion_score <= 1
    assert "lubang" in case.search_terms


def test_categories_loader_is_idempotent() -> None:
    from sinergi.aspirations.categories import aspiration_categories_load
    from sinergi.aspirations.models import Category

    first = aspiration_categories_load()
    entries = LedgerEntry.objects.count()
    assert first["created"] == Category.objects.count() >= 25
    assert aspiration_categories_load() == {"created": 0, "updated": 0}
    assert LedgerEntry.objects.count() == entries
    Category.objects.filter(slug="kesehatan").update(name="Nama lama")
    assert aspiration_categories_load()["updated"] == 1


def test_load_aspiration_categories_command(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("load_aspiration_categories")
    call_command("load_aspiration_categories")
    output = capsys.readouterr().out
    assert "25 created" in output and "0 created, 0 updated" in output


def test_inside_the_transaction_only_the_rows_are_written(monkeypatch) -> None:
    """On SQLite every other submission waits while this transaction holds the write lock: look-ups,
    routing and value conversion happen before it, and inside it runs nothing but the inserts and the
    public log's head (needed to chain the entry)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sinergi.aspirations.services import intake

    captured: list[str] = []
    write_rows = intake._write_rows

    def capturing(*args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = write_rows(*args, **kwargs)
        captured.extend(q["sql"] for q in queries.captured_queries)
        return result

    monkeypatch.setattr(intake, "_write_rows", capturing)
    aspiration_submit(submission=submission(), actor=None)
    # PostgreSQL serialises the log's writers with an advisory lock (SQLite's BEGIN IMMEDIATE already has).
    advisory = [sql for sql in captured if "pg_advisory_xact_lock" in sql]
    assert len(advisory) == (1 if connection.vendor == "postgresql" else 0)
    statements = [
        sql.split("(")[0].split(" WHERE")[0].strip()
        for sql in captured
        if "SAVEPOINT" not in sql and sql not in advisory
    ]
    tables = [s.replace('"', "").split()[2] if s.startswith("INSERT") else s for s in statements]
    assert tables[:2] == ["aspirations_aspiration", "aspirations_reporteridentity"]
    assert statements[2].startswith("SELECT") and "ledger_ledgerentry" in statements[2]
    assert tables[3:] == ["ledger_ledgerentry", "aspirations_aspirationevent"]

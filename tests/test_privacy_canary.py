"""Privacy canaries (UU 27/2022 PDP): a NIK, phone numbers and an e-mail address planted in real
submissions must never appear in plain text in the database, nor in any public page, API response,
Open311 response, export or public-log entry; the name of an anonymous reporter never reaches the
public or the OPD.

The cases go through the real services (intake, verification, disposition, response, support by a
verified phone, notifications), so every table those acts write is covered.
"""

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from conftest import client_for
from sinergi.actors.loaders import institutions_load, kota_blitar_institutions
from sinergi.actors.models import Organisation
from sinergi.actors.tests.factories import MembershipFactory, PersonFactory, role
from sinergi.aspirations.categories import aspiration_categories_load
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit
from sinergi.aspirations.services.lifecycle import aspiration_disposition, aspiration_respond, aspiration_verify
from sinergi.aspirations.services.support import aspiration_support, phone_verification_check, phone_verification_start
from sinergi.aspirations.states import AspirationKind, Privacy
from sinergi.regions.services import region_import_kota_blitar
from tests.crawl import crawl

CANARY_NIK = "3572014506900007"
CANARY_PHONE = "+6281234509876"
CANARY_SUPPORTER_PHONE = "+6285712340099"
CANARY_EMAIL = "kanari.rahasia@contoh.test"
ANONYMOUS_NAME = "Kanari Anonimwati"
CONFIDENTIAL_TEXT = "Kanaririsalah pungutan liar di loket"

# Every spelling a page or file might use for the planted values.
SECRET_SPELLINGS = [
    CANARY_NIK,
    "3572 0145 0690 0007",
    CANARY_PHONE,
    "081234509876",
    "81234509876",
    "0812-3450-9876",
    CANARY_SUPPORTER_PHONE,
    "085712340099",
    "85712340099",
    CANARY_EMAIL,
    "kanari.rahasia",
]
PUBLIC_FORBIDDEN = [*SECRET_SPELLINGS, ANONYMOUS_NAME, "Kanaririsalah"]
KELURAHAN_SENTUL = "35.72.01.1003"


def _officer(organisation_slug: str, name: str) -> Any:
    organisation = Organisation.objects.get(slug=organisation_slug)
    return MembershipFactory(
        person=PersonFactory(full_name=name), organisation=organisation, role=role("staf")
    ).person.user


@pytest.fixture
def planted(
    reference_data: None, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any, settings: Any
) -> dict[str, Any]:
    # A gateway address so SMS notices are really queued with their (sealed) numbers; nothing is sent
    # during the fixture because delivery tasks find the loopback port closed and keep the rows for retry.
    settings.SINERGI_MESSAGE_GATEWAY = {**settings.SINERGI_MESSAGE_GATEWAY, "URL": "http://127.0.0.1:9/", "TIMEOUT": 1}
    codes: list[str] = []
    monkeypatch.setattr(
        "sinergi.notifications.services.send_one_time_code", lambda phone, code: codes.append(code) or None
    )
    # Callbacks run when each block exits, as after a real commit.
    with django_capture_on_commit_callbacks(execute=True):
        planted = _plant()
        # A supporter without an account proves a phone with a one-time code.
        phone_verification_start(CANARY_SUPPORTER_PHONE)
    assert codes, "the one-time code was not sent"
    with django_capture_on_commit_callbacks(execute=True):
        phone_verification_check(CANARY_SUPPORTER_PHONE, codes[-1])
        aspiration_support(
            aspiration=planted["cases"][Privacy.PUBLIC].aspiration, verified_phone=CANARY_SUPPORTER_PHONE
        )
    return planted


def _plant() -> dict[str, Any]:
    region_import_kota_blitar()
    institutions_load(data=kota_blitar_institutions())
    aspiration_categories_load()
    cases = {}
    for privacy in (Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL):
        result = aspiration_submit(
            submission=AspirationSubmission(
                kind=AspirationKind.PENGADUAN,
                title=f"Lampu jalan mati ({privacy})"
                if privacy != Privacy.CONFIDENTIAL
                else "Laporan rahasia pelayanan",
                text=CONFIDENTIAL_TEXT
                if privacy == Privacy.CONFIDENTIAL
                else "Lampu penerangan jalan di gang dekat musala mati sejak dua minggu, gelap sekali.",
                privacy=privacy,
                region_code=KELURAHAN_SENTUL,
                reporter_name="Warga Terbuka" if privacy == Privacy.PUBLIC else ANONYMOUS_NAME,
                nik=CANARY_NIK,
                phone=CANARY_PHONE,
                email=CANARY_EMAIL,
                consent_version=CONSENT_VERSION,
            ),
            actor=None,
        )
        cases[privacy] = result
    coordinator = _officer("diskominfotik", "Koordinator Kanari")
    opd_staff = _officer("dinas-perkim", "Staf Perkim Kanari")
    perkim = Organisation.objects.get(slug="dinas-perkim")
    for result in cases.values():
        aspiration_verify(aspiration=result.aspiration, actor=coordinator)
        aspiration_disposition(aspiration=result.aspiration, actor=coordinator, organisation=perkim)
        aspiration_respond(
            aspiration=result.aspiration, actor=opd_staff, text="Petugas akan memeriksa lokasi minggu ini."
        )
    return {"cases": cases, "coordinator": coordinator, "opd_staff": opd_staff}


def _table_rows() -> Iterator[tuple[str, tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                yield table, row


def _as_text(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("latin-1")
    return str(value)


def check_database_holds_no_secret_in_plain_text() -> None:
    rows = 0
    for table, row in _table_rows():
        rows += 1
        for value in row:
            text = _as_text(value)
            for secret in SECRET_SPELLINGS:
                assert secret not in text, f"{secret!r} in plain text in table {table}"
    assert rows > 100  # the dump really read the data


def check_dumpdata_holds_no_secret() -> None:
    out = io.StringIO()
    call_command("dumpdata", "aspirations", "notifications", "ledger", stdout=out)
    dump = out.getvalue()
    assert "aspirations.reporteridentity" in dump
    for secret in SECRET_SPELLINGS:
        assert secret not in dump


def check_the_services_kept_what_they_sealed(planted: dict[str, Any]) -> None:
    """The negative tests above would pass if nothing were stored: the sealed values read back."""
    identity = planted["cases"][Privacy.ANONYMOUS].aspiration.identity
    identity.refresh_from_db()
    assert identity.nik == CANARY_NIK
    assert identity.phone == CANARY_PHONE
    assert identity.email == CANARY_EMAIL


def _fetcher(client: Client) -> Any:
    def fetch(url: str) -> tuple[int, str, bytes]:
        response = client.get(url)
        return response.status_code, response.get("Content-Type", ""), response.content

    return fetch


def _assert_clean(label: str, body: bytes, forbidden: list[str]) -> None:
    text = body.decode("utf-8", "replace")
    for secret in forbidden:
        assert secret not in text, f"{secret!r} appears in {label}"


def check_public_pages_api_open311_and_exports(planted: dict[str, Any]) -> None:
    client = Client()
    cases = planted["cases"]
    uids = [str(result.aspiration.uid) for result in cases.values()]
    starts = [
        "/",
        "/aspirasi/",
        *[f"/aspirasi/{uid}/" for uid in uids],
        "/aspirasi/statistik/",
        "/aspirasi/peta/",
        "/log/",
        "/perencanaan/",
        "/perencanaan/pokir/",
    ]
    pages = crawl(_fetcher(client), starts, max_pages=120, per_pattern=4)
    assert sum(page.is_html for page in pages) >= 8
    for page in pages:
        _assert_clean(page.url, page.body, PUBLIC_FORBIDDEN)

    machine_urls = [
        "/api/v1/aspirations/",
        *[f"/api/v1/aspirations/{uid}" for uid in uids],
        "/api/v1/aspirations/statistik",
        "/api/v1/aspirations/peta",
        "/api/v1/ledger/entries?limit=200",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        *[f"/open311/v2/requests/{uid}.json" for uid in uids],
        *[f"/open311/v2/requests/{uid}.xml" for uid in uids],
    ]
    for url in machine_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean(url, response.content, PUBLIC_FORBIDDEN)
    # The confidential case's text reaches no public output, though its existence does.
    listing = client.get("/api/v1/aspirations/").content.decode()
    assert str(cases[Privacy.CONFIDENTIAL].aspiration.uid) in listing


def check_the_tracker_shows_no_secret(planted: dict[str, Any]) -> None:
    """Whoever holds a tracking code (it may be shared or shoulder-surfed) sees the case, not the contact data."""
    client = Client()
    for result in planted["cases"].values():
        for url in (f"/aspirasi/lacak/{result.tracking_code}/", f"/api/v1/aspirations/track/{result.tracking_code}"):
            response = client.get(url)
            assert response.status_code == 200, url
            _assert_clean(url, response.content, SECRET_SPELLINGS)


@pytest.mark.django_db
def test_the_opd_never_sees_who_reported_an_anonymous_case(planted: dict[str, Any]) -> None:
    anonymous = planted["cases"][Privacy.ANONYMOUS].aspiration
    persona = type("P", (), {"user": planted["opd_staff"]})()
    client = client_for(persona)  # type: ignore[arg-type]
    page = client.get(f"/aspirasi/kelola/{anonymous.uid}/")
    assert page.status_code == 200
    _assert_clean("OPD case page", page.content, [*SECRET_SPELLINGS, ANONYMOUS_NAME])
    queue = client.get("/aspirasi/kelola/antrean/")
    assert queue.status_code == 200
    _assert_clean("OPD queue", queue.content, [*SECRET_SPELLINGS, ANONYMOUS_NAME])
    # The coordinator desk may see the identity (it verifies), which shows the test can see a leak.
    coordinator = client_for(type("P", (), {"user": planted["coordinator"]})())  # type: ignore[arg-type]
    assert ANONYMOUS_NAME in coordinator.get(f"/aspirasi/kelola/{anonymous.uid}/").content.decode()


def check_public_log_entries(planted: dict[str, Any]) -> None:
    from sinergi.ledger.models import LedgerEntry

    payloads = json.dumps([entry.payload for entry in LedgerEntry.objects.all()], ensure_ascii=False)
    labels = json.dumps([[entry.actor, entry.actor_label] for entry in LedgerEntry.objects.all()])
    for secret in PUBLIC_FORBIDDEN:
        assert secret not in payloads
        assert secret not in labels
    assert Aspiration.objects.count() == 3


def check_a_dump_loads_back_with_the_values_still_sealed(planted: dict[str, Any], tmp_path: Any) -> None:
    from sinergi.aspirations.models import ReporterIdentity

    dump = tmp_path / "identities.json"
    call_command("dumpdata", "aspirations.reporteridentity", output=str(dump))
    ReporterIdentity.objects.all().delete()
    call_command("loaddata", str(dump), verbosity=0)
    identity = ReporterIdentity.objects.get(aspiration=planted["cases"][Privacy.ANONYMOUS].aspiration)
    assert identity.nik == CANARY_NIK
    assert identity.phone == CANARY_PHONE


# One planting serves several checks (it costs seconds): grouped by what they protect.
@pytest.mark.django_db
def test_nothing_secret_is_stored_in_plain_text(planted: dict[str, Any], tmp_path: Any) -> None:
    check_the_services_kept_what_they_sealed(planted)
    check_database_holds_no_secret_in_plain_text()
    check_dumpdata_holds_no_secret()
    check_a_dump_loads_back_with_the_values_still_sealed(planted, tmp_path)


@pytest.mark.django_db
def test_no_public_output_shows_identity_or_confidential_text(planted: dict[str, Any]) -> None:
    check_public_pages_api_open311_and_exports(planted)
    check_the_tracker_shows_no_secret(planted)
    check_public_log_entries(planted)

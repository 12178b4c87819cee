import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import api_client_for
from sinergi.consultations.models import Consultation, Statement, Vote
from sinergi.consultations.results import recompute
from sinergi.consultations.states import ConsultationStatus, StatementStatus
from sinergi.consultations.tests.factories import (
    ConsultationFactory,
    StatementFactory,
    synthetic_votes,
    with_statements,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(reference_data):  # type: ignore[no-untyped-def]
    consultation = ConsultationFactory()
    with_statements(consultation, 3)
    StatementFactory(consultation=consultation, status=StatementStatus.PENDING, is_seed=False, text="Menunggu.")
    return consultation


def _url(consultation: Consultation, tail: str = "") -> str:
    return f"/api/v1/consultations/{consultation.slug}{tail}"


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, body, content_type="application/json")


def test_public_reads(consultation) -> None:
    ConsultationFactory(status=ConsultationStatus.DRAFT)
    client = Client()
    listing = client.get("/api/v1/consultations").json()
    assert [item["slug"] for item in listing["items"]] == [consultation.slug]
    detail = client.get(_url(consultation)).json()
    assert detail["host_kind"] == "organisation" and detail["status"] == "open"
    statements = client.get(_url(consultation, "/statements")).json()["items"]
    assert [s["text"] for s in statements] == list(
        consultation.statements.filter(status="accepted").values_list("text", flat=True)
    )
    empty = client.get(_url(consultation, "/results")).json()
    assert empty["summary"] == {} and empty["vote_count"] == 0


def test_results_summary(reference_data) -> None:
    consultation = ConsultationFactory()
    synthetic_votes(consultation, participants=150, statements=20)
    recompute(consultation)
    body = Client().get(_url(consultation, "/results")).json()
    assert body["group_count"] >= 2
    assert body["votes_digest"]
    assert body["summary"]["groups"][0]["representative"][0]["text"]
    assert body["summary"]["common_ground"][0]["blocs"]


def test_voting_needs_a_token(consultation) -> None:
    statement = consultation.statements.first()
    response = _post(Client(), _url(consultation, "/votes"), {"statement": statement.pk, "value": 1})
    assert response.status_code == 401
    assert not Vote.objects.exists()


def test_vote_latest_counts_and_next(consultation, personas) -> None:
    client = api_client_for(personas["citizen"])
    first = client.get(_url(consultation, "/next")).json()
    assert first["progress"] == {"voted": 0, "total": 3}
    statement_id = first["statement"]["id"]
    for value in (1, -1, 0):
        response = _post(client, _url(consultation, "/votes"), {"statement": statement_id, "value": value})
        assert response.status_code == 200
    assert response.json()["change_sequence"] == 3
    assert Vote.objects.filter(statement_id=statement_id).count() == 1
    assert Vote.objects.get(statement_id=statement_id).value == 0
    after = client.get(_url(consultation, "/next")).json()
    assert after["progress"]["voted"] == 1 and after["statement"]["id"] != statement_id


def test_bad_votes_are_clear_4xx(consultation, personas) -> None:
    client = api_client_for(personas["citizen"])
    other = StatementFactory()
    pending = Statement.objects.get(text="Menunggu.")
    accepted = consultation.statements.filter(status="accepted").first()
    cases = [
        ({"statement": other.pk, "value": 1}, 400, "unknown_statement"),
        ({"statement": 2**40, "value": 1}, 400, "unknown_statement"),
        ({"statement": pending.pk, "value": 1}, 400, "statement_unavailable"),
        ({"statement": accepted.pk, "value": 2}, 422, "invalid"),
        ({"statement": "satu", "value": 1}, 422, "invalid"),
    ]
    for body, status, code in cases:
        response = _post(client, _url(consultation, "/votes"), body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    Consultation.objects.filter(pk=consultation.pk).update(status=ConsultationStatus.CLOSED)
    response = _post(client, _url(consultation, "/votes"), {"statement": accepted.pk, "value": 1})
    assert response.status_code == 400 and response.json()["code"] == "consultation_not_open"
    assert not Vote.objects.exists()


def test_statements_and_moderation(consultation, personas) -> None:
    Consultation.objects.filter(pk=consultation.pk).update(organiser=personas["opd_officer"].organisation)
    citizen = api_client_for(personas["citizen"])
    assert _post(citizen, _url(consultation, "/statements"), {"text": "x" * 281}).status_code == 422
    assert _post(citizen, _url(consultation, "/statements"), {"text": ""}).status_code == 422
    duplicate = _post(citizen, _url(consultation, "/statements"), {"text": "menunggu."})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_statement"
    created = _post(citizen, _url(consultation, "/statements"), {"text": "Perlu air minum gratis."})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert (
        _post(
            citizen, _url(consultation, f"/statements/{created.json()['id']}/moderate"), {"decision": "accept"}
        ).status_code
        == 403
    )
    officer = api_client_for(personas["opd_officer"])
    queue = officer.get(_url(consultation, "/moderation")).json()["items"]
    assert {s["text"] for s in queue} == {"Menunggu.", "Perlu air minum gratis."}
    refused = _post(officer, _url(consultation, f"/statements/{created.json()['id']}/moderate"), {"decision": "reject"})
    assert refused.status_code == 400
    rejected = _post(
        officer,
        _url(consultation, f"/statements/{created.json()['id']}/moderate"),
        {"decision": "reject", "reason": "Sudah tercakup."},
    )
    assert rejected.json()["status"] == "rejected"
    texts = [s["text"] for s in Client().get(_url(consultation, "/statements")).json()["items"]]
    assert "Perlu air minum gratis." not in texts


def test_create_open_close(personas) -> None:
    officer = api_client_for(personas["opd_officer"])
    now = timezone.now()
    body = {
        "title": "Pasar rakyat",
        "question": "Bagaimana menata pasar rakyat?",
        "organiser": personas["opd_officer"].organisation.slug,
        "opens_at": (now + dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=7)).isoformat(),
        "seed_statements": ["Pasar perlu atap baru."],
    }
    created = _post(officer, "/api/v1/consultations", body)
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    wrong = _post(officer, "/api/v1/consultations", {**body, "closes_at": body["opens_at"]})
    assert wrong.status_code == 400
    patched = officer.patch(
        f"/api/v1/consultations/{slug}", {"title": "Pasar rakyat Blitar"}, content_type="application/json"
    )
    assert patched.json()["title"] == "Pasar rakyat Blitar"
    assert officer.post(f"/api/v1/consultations/{slug}/open").json()["status"] == "open"
    assert officer.post(f"/api/v1/consultations/{slug}/open").status_code == 409
    closed = _post(officer, f"/api/v1/consultations/{slug}/close", {"reason": "Selesai."})
    assert closed.json()["status"] == "closed"


def test_dates_without_a_zone_are_read_as_wib(personas) -> None:
    officer = api_client_for(personas["opd_officer"])
    body = {
        "title": "Tanpa zona waktu",
        "question": "Apakah tanggal tanpa zona terbaca?",
        "organiser": personas["opd_officer"].organisation.slug,
        "opens_at": "2030-01-01T08:00:00",
        "closes_at": "2030-01-15T08:00:00",
    }
    created = _post(officer, "/api/v1/consultations", body)
    assert created.status_code == 201, created.content
    consultation = Consultation.objects.get(slug=created.json()["slug"])
    assert consultation.opens_at.isoformat() == "2030-01-01T01:00:00+00:00"
    later = officer.patch(
        f"/api/v1/consultations/{consultation.slug}",
        {"closes_at": "2030-02-01T08:00:00"},
        content_type="application/json",
    )
    assert later.status_code == 200

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Persona, api_client_for
from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.models import AgendaItem, AgendaItemKind, Meeting, Minutes, MinutesReview
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.meetings.tests.factories import MeetingFactory, roll_call

pytestmark = pytest.mark.django_db


def _api(member) -> Client:  # type: ignore[no-untyped-def]
    return api_client_for(Persona("x", member.person.user))


def _iso(days: int, hour: int = 9) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00+07:00"


def test_public_reads(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.CLOSED)
    AgendaItem.objects.create(
        meeting=meeting, title="Laporan", proposed_by=setup.secretariat.person, proposer_sector=setup.secretariat.sector
    )
    roll_call(meeting, [setup.secretariat, setup.member("swasta")], setup.all_members)
    Minutes.objects.create(meeting=meeting, body="Isi notulen")
    client = Client()
    listing = client.get("/api/v1/meetings", {"when": "past"}).json()
    assert listing["count"] == 1 and listing["items"][0]["uid"] == str(meeting.uid)
    assert listing["items"][0]["forum"] == setup.forum.slug and listing["items"][0]["series"] is None
    detail = client.get(f"/api/v1/meetings/{meeting.uid}").json()
    assert detail["agenda"][0]["proposer_sector"] == "pemerintah"
    attendance = client.get(f"/api/v1/meetings/{meeting.uid}/attendance").json()
    assert len(attendance["members"]) == 5
    assert {row["sector_code"]: row["hadir"] for row in attendance["by_sector"]}["swasta"] == 1
    quorum = client.get(f"/api/v1/meetings/{meeting.uid}/quorum").json()
    assert quorum["is_quorate"] is False and quorum["members_present"] == 2
    assert quorum["reasons"]
    minutes = client.get(f"/api/v1/meetings/{meeting.uid}/minutes").json()
    assert minutes["status"] == "draft" and minutes["body"] == "Isi notulen"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/bukan-uuid",
        f"/api/v1/meetings/{uuid.UUID(int=0)}",
        f"/api/v1/meetings/{uuid.UUID(int=0)}/minutes",
    ],
)
def test_bad_or_unknown_ids_are_4xx_json(reference_data, path) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(path)
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


def test_minutes_missing_is_404(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    assert Client().get(f"/api/v1/meetings/{meeting.uid}/minutes").status_code == 404


def test_write_flow_through_the_api(  # type: ignore[no-untyped-def]
    setup, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    secretariat = _api(setup.secretariat)
    created = secretariat.post(
        f"/api/v1/meetings/forums/{setup.forum.slug}/meetings",
        {"title": "Rapat pleno", "starts_at": _iso(10), "ends_at": _iso(10, 11), "location": "Aula"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uid = created.json()["uid"]
    base = f"/api/v1/meetings/{uid}"
    item = _api(setup.member("pemuda")).post(
        f"{base}/agenda", {"title": "Ruang kreatif", "kind": "decision"}, content_type="application/json"
    )
    assert item.status_code == 201 and item.json()["proposer_sector"] == "pemuda"
    moved = secretariat.post(
        f"{base}/reschedule", {"starts_at": _iso(11), "ends_at": _iso(11, 11)}, content_type="application/json"
    )
    assert moved.json()["sequence"] == 1
    assert secretariat.post(f"{base}/agenda/publish").json()["status"] == "agenda_published"
    with django_capture_on_commit_callbacks(execute=True):
        assert secretariat.post(f"{base}/invitations").json() == {"invited": 5}
    assert len(mailoutbox) == 5
    answer = _api(setup.member("swasta")).post(
        f"{base}/invitation", {"response": "declined"}, content_type="application/json"
    )
    assert answer.json() == {"response": "declined"}
    assert secretariat.post(f"{base}/open").json()["status"] == "in_session"
    roll = [{"member_id": m.pk, "status": "hadir"} for m in setup.all_members]
    quorum = secretariat.put(f"{base}/attendance", {"attendance": roll}, content_type="application/json")
    assert quorum.status_code == 200 and quorum.json()["is_quorate"] is True
    item_id = item.json()["id"]
    outcome = secretariat.post(
        f"{base}/agenda/{item_id}/outcome", {"outcome": "Disetujui"}, content_type="application/json"
    )
    assert outcome.json()["outcome"] == "Disetujui"
    assert secretariat.post(f"{base}/close").json()["is_quorate"] is True
    assert secretariat.post(f"{base}/minutes", {"body": "Notulen"}, content_type="application/json").status_code == 201
    assert (
        secretariat.put(f"{base}/minutes", {"body": "Notulen v1"}, content_type="application/json").status_code == 200
    )
    assert secretariat.post(f"{base}/minutes/submit").json()["status"] == "in_review"
    for key in ("swasta", "masyarakat", "pemuda"):
        review = _api(setup.member(key)).post(
            f"{base}/minutes/review", {"verdict": "approve"}, content_type="application/json"
        )
        assert review.status_code == 200
    approved = secretariat.post(f"{base}/minutes/approve").json()
    assert approved["status"] == "approved" and len(approved["approved_hash"]) == 64
    assert MinutesReview.objects.count() == 3


def test_not_quorate_decision_is_refused_with_json(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.IN_SESSION)
    item = AgendaItem.objects.create(meeting=meeting, title="Penetapan", kind=AgendaItemKind.DECISION)
    roll_call(meeting, [setup.secretariat, setup.member("pemerintah")], setup.all_members)
    before = LedgerEntry.objects.count()
    response = _api(setup.secretariat).post(
        f"/api/v1/meetings/{meeting.uid}/agenda/{item.pk}/outcome",
        {"outcome": "Disetujui"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Rapat tidak kuorum; acara pengambilan keputusan tidak dapat diputuskan.",
        "code": "not_quorate",
    }
    assert LedgerEntry.objects.count() == before


def test_write_input_is_bounded(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.IN_SESSION)
    client = _api(setup.secretariat)
    huge = client.post(
        f"/api/v1/meetings/{meeting.uid}/agenda/{2**63}/outcome", {"outcome": "x"}, content_type="application/json"
    )
    assert huge.status_code == 422
    naive = client.post(
        f"/api/v1/meetings/forums/{setup.forum.slug}/meetings",
        {"title": "R", "starts_at": "2030-01-01T09:00:00", "ends_at": "2030-01-01T10:00:00"},
        content_type="application/json",
    )
    assert naive.status_code == 400 and "zona waktu" in naive.json()["detail"]
    long_title = client.post(
        f"/api/v1/meetings/forums/{setup.forum.slug}/meetings",
        {"title": "x" * 201, "starts_at": _iso(3), "ends_at": _iso(3, 10)},
        content_type="application/json",
    )
    assert long_title.status_code == 422
    duplicate = client.put(
        f"/api/v1/meetings/{meeting.uid}/attendance",
        {"attendance": [{"member_id": setup.secretariat.pk, "status": "hadir"}] * 2},
        content_type="application/json",
    )
    assert duplicate.status_code == 400
    series = client.post(
        f"/api/v1/meetings/forums/{setup.forum.slug}/series",
        {"title": "R", "rrule": "FREQ=WEEKLY;COUNT=3", "starts_at": _iso(3), "duration_minutes": 60},
        content_type="application/json",
    )
    assert series.status_code == 201 and len(series.json()["meetings"]) == 3
    assert Meeting.objects.filter(series__isnull=False).count() == 3


def test_outsiders_are_refused(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.CLOSED)
    Minutes.objects.create(meeting=meeting, body="Isi", status=MinutesStatus.IN_REVIEW)
    assert Client().post(f"/api/v1/meetings/{meeting.uid}/minutes/approve").status_code == 401
    member = _api(setup.member("swasta"))
    response = member.post(f"/api/v1/meetings/{meeting.uid}/minutes/approve")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    not_invited = member.post(
        f"/api/v1/meetings/{meeting.uid}/invitation", {"response": "accepted"}, content_type="application/json"
    )
    assert not_invited.status_code == 403

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesReview,
)
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.meetings.tests.factories import MeetingFactory, forum_with_members, roll_call

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _client(member) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(member.person.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _local_input(days: int, hour: int) -> str:
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_list_page_upcoming_first_with_filters_and_bounded_queries(  # type: ignore[no-untyped-def]
    setup, django_assert_max_num_queries
) -> None:
    for index in range(30):
        MeetingFactory(forum=setup.forum, starts_at=timezone.now() + dt.timedelta(days=index + 1))
    MeetingFactory(
        forum=setup.forum,
        title="Rapat lampau",
        starts_at=timezone.now() - dt.timedelta(days=5),
        ends_at=timezone.now() - dt.timedelta(days=5, hours=-2),
    )
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get("/rapat/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapat yang akan datang" in html
    assert "Rapat lampau" not in html
    assert "Halaman 1 dari 2" in html
    assert len(response.content) < 30_000
    past = client.get("/rapat/", {"waktu": "past", "forum": setup.forum.slug}).content.decode()
    assert "Rapat lampau" in past
    assert client.get("/rapat/", {"waktu": "<script>", "page": "999"}).status_code == 200


def test_list_query_count_does_not_grow_with_rows(setup, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    MeetingFactory(forum=setup.forum)
    client = Client()
    client.get("/rapat/")  # warm up (sessions, content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/rapat/")
    for _ in range(10):
        AgendaItem.objects.create(meeting=MeetingFactory(forum=forum_with_members(sectors=()).forum), title="A")
    with django_assert_num_queries(len(few)):
        client.get("/rapat/")


def test_detail_shows_time_agenda_proposer_quorum_and_attendance(setup) -> None:  # type: ignore[no-untyped-def]
    start = dt.datetime(2027, 3, 9, 9, 0, tzinfo=WIB)
    meeting = MeetingFactory(
        forum=setup.forum,
        title="Rapat pleno Maret",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        status=MeetingStatus.IN_SESSION,
    )
    youth = setup.member("pemuda")
    AgendaItem.objects.create(
        meeting=meeting,
        title="Ruang kreatif",
        kind=AgendaItemKind.DECISION,
        proposed_by=youth.person,
        proposer_sector=youth.sector,
    )
    roll_call(meeting, [setup.secretariat, setup.member("pemerintah")], setup.all_members)
    html = Client().get(f"/rapat/{meeting.uid}/").content.decode()
    assert "Selasa, 9 Maret 2027, 09.00 WIB – 11.00 WIB" in html
    assert "Ruang kreatif" in html and youth.person.full_name in html and "(Pemuda)" in html
    assert "Tidak kuorum" in html
    assert "Tidak ada anggota dari sektor nonpemerintah yang hadir." in html
    assert "Kehadiran per sektor" in html
    assert setup.member("swasta").person.full_name in html
    assert f"/rapat/{meeting.uid}.ics" in html
    assert "Catat daftar hadir" not in html  # anonymous sees no tools


def test_detail_stays_small_with_many_members(reference_data) -> None:  # type: ignore[no-untyped-def]
    setup = forum_with_members(sectors=("swasta", "masyarakat", "pemuda"), per_sector=15)
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.CLOSED)
    roll_call(meeting, setup.all_members[::2], setup.all_members)
    for index in range(15):
        AgendaItem.objects.create(meeting=meeting, title=f"Acara {index}", description="Uraian singkat.")
    response = Client().get(f"/rapat/{meeting.uid}/")
    assert response.status_code == 200
    assert len(response.content) < 30_000


def test_unknown_meeting_is_404(reference_data) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/rapat/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_secretariat_schedules_and_typed_values_survive_errors(setup) -> None:  # type: ignore[no-untyped-def]
    client = _client(setup.secretariat)
    url = f"/rapat/forum/{setup.forum.slug}/jadwalkan/"
    assert client.get(url).status_code == 200
    bad = client.post(
        url, {"title": "Rapat koordinasi", "starts_at": _local_input(5, 10), "ends_at": _local_input(5, 9)}
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Waktu selesai harus sesudah waktu mulai." in html
    assert 'value="Rapat koordinasi"' in html
    ok = client.post(
        url,
        {
            "title": "Rapat koordinasi",
            "starts_at": _local_input(5, 9),
            "ends_at": _local_input(5, 11),
            "location": "Aula",
        },
    )
    meeting = Meeting.objects.get(title="Rapat koordinasi")
    assert ok.status_code == 302 and ok["Location"] == f"/rapat/{meeting.uid}/"
    assert meeting.starts_at.astimezone(WIB).hour == 9


def test_series_page_creates_meetings(setup) -> None:  # type: ignore[no-untyped-def]
    client = _client(setup.secretariat)
    url = f"/rapat/forum/{setup.forum.slug}/berulang/"
    page = client.get(url).content.decode()
    assert "FREQ=MONTHLY;BYDAY=2TU" in page  # the charter's cadence is offered
    bad = client.post(
        url, {"title": "Bulanan", "rrule": "FREQ=SECONDLY", "starts_at": _local_input(3, 9), "duration_minutes": 120}
    )
    assert "sekali sehari" in bad.content.decode()
    response = client.post(
        url,
        {
            "title": "Bulanan",
            "rrule": "FREQ=MONTHLY;BYDAY=2TU",
            "starts_at": _local_input(3, 9),
            "duration_minutes": 120,
        },
    )
    assert response.status_code == 302
    assert MeetingSeries.objects.get().meetings.count() >= 12


def test_reschedule_and_cancel_pages(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    client = _client(setup.secretariat)
    assert client.get(f"/rapat/{meeting.uid}/jadwal-ulang/").status_code == 200
    response = client.post(
        f"/rapat/{meeting.uid}/jadwal-ulang/",
        {"starts_at": _local_input(20, 13), "ends_at": _local_input(20, 15), "location": "Aula baru"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.location, meeting.sequence) == ("Aula baru", 1)
    assert client.get(f"/rapat/{meeting.uid}/batalkan/").status_code == 200
    client.post(f"/rapat/{meeting.uid}/batalkan/", {"reason": "Bencana banjir"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Bencana banjir" in Client().get(f"/rapat/{meeting.uid}/").content.decode()


def test_member_of_any_sector_tables_an_item(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    member = setup.member("masyarakat")
    client = _client(member)
    assert "Usulkan acara" in client.get(f"/rapat/{meeting.uid}/").content.decode()
    assert client.get(f"/rapat/{meeting.uid}/acara/tambah/").status_code == 200
    response = client.post(f"/rapat/{meeting.uid}/acara/tambah/", {"title": "Sampah pasar", "kind": "decision"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert item.proposed_by == member.person and item.proposer_sector.code == "masyarakat"
    # ...but may not publish the agenda
    assert client.post(f"/rapat/{meeting.uid}/agenda/umumkan/").status_code == 403


def test_full_meeting_through_pages(  # type: ignore[no-untyped-def]
    setup, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    meeting = MeetingFactory(forum=setup.forum)
    AgendaItem.objects.create(meeting=meeting, title="Penetapan prioritas", kind=AgendaItemKind.DECISION)
    secretariat = _client(setup.secretariat)
    detail = f"/rapat/{meeting.uid}/"
    secretariat.post(f"{detail}agenda/umumkan/")
    with django_capture_on_commit_callbacks(execute=True):
        secretariat.post(f"{detail}undangan/kirim/")
    assert Invitation.objects.filter(meeting=meeting).count() == 5
    assert len(mailoutbox) == 5
    swasta = _client(setup.member("swasta"))
    assert "Undangan Anda" in swasta.get(detail).content.decode()
    swasta.post(f"{detail}undangan/jawab/", {"response": "accepted"})
    assert Invitation.objects.get(member=setup.member("swasta")).response == "accepted"
    secretariat.post(f"{detail}buka/")
    form = secretariat.get(f"{detail}daftar-hadir/").content.decode()
    assert form.count('<select name="member_') == 5
    statuses = {f"member_{m.pk}": "absen" for m in setup.all_members}
    statuses[f"member_{setup.secretariat.pk}"] = "hadir"
    statuses[f"member_{setup.member('pemerintah').pk}"] = "hadir"
    statuses[f"member_{setup.member('swasta').pk}"] = "izin"
    assert secretariat.post(f"{detail}daftar-hadir/", statuses).status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    refused = secretariat.post(f"{detail}acara/{item.pk}/hasil/", {"outcome": "Disetujui"})
    assert "Rapat tidak kuorum; acara pengambilan keputusan tidak dapat diputuskan." in refused.content.decode()
    assert "Disetujui" in refused.content.decode()  # what was typed is kept
    statuses[f"member_{setup.member('swasta').pk}"] = "hadir"
    statuses[f"member_{setup.member('masyarakat').pk}"] = "hadir"
    secretariat.post(f"{detail}daftar-hadir/", statuses)
    assert "Kuorum" in Client().get(detail).content.decode()
    assert secretariat.post(f"{detail}acara/{item.pk}/hasil/", {"outcome": "Disetujui"}).status_code == 302
    secretariat.post(f"{detail}tutup/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CLOSED and meeting.is_quorate is True
    # Minutes: draft, submit, review by present members, approve.
    assert secretariat.get(f"{detail}notulen/").status_code == 200
    secretariat.post(f"{detail}notulen/", {"body": "Rapat menetapkan prioritas."})
    secretariat.post(f"{detail}notulen/ajukan/")
    assert Minutes.objects.get().status == MinutesStatus.IN_REVIEW
    for key in ("swasta", "masyarakat"):
        reviewer = _client(setup.member(key))
        assert reviewer.get(f"{detail}notulen/tinjau/").status_code == 200
        assert reviewer.post(f"{detail}notulen/tinjau/", {"verdict": "approve"}).status_code == 302
    absent = _client(setup.member("pemuda"))
    assert absent.post(f"{detail}notulen/tinjau/", {"verdict": "approve"}).status_code == 403
    secretariat.post(f"{detail}notulen/sahkan/")
    minutes = Minutes.objects.get()
    assert minutes.status == MinutesStatus.APPROVED
    page = Client().get(detail).content.decode()
    assert "Disahkan" in page and minutes.approved_hash in page
    refused_edit = secretariat.post(f"{detail}notulen/", {"body": "Diubah"}, follow=True)
    assert "sudah disahkan" in refused_edit.content.decode()
    assert MinutesReview.objects.count() == 2


def test_refusal_of_a_button_action_is_shown_as_a_message(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    before = LedgerEntry.objects.count()
    response = _client(setup.secretariat).post(f"/rapat/{meeting.uid}/agenda/umumkan/", follow=True)
    assert "Agenda masih kosong" in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_minutes_return_to_draft_page(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum, status=MeetingStatus.CLOSED)
    Minutes.objects.create(meeting=meeting, body="Isi", status=MinutesStatus.IN_REVIEW)
    client = _client(setup.secretariat)
    assert "Kembalikan ke draf" in client.get(f"/rapat/{meeting.uid}/").content.decode()
    client.post(f"/rapat/{meeting.uid}/notulen/kembalikan/", {"reason": "Perlu perbaikan"})
    minutes = Minutes.objects.get()
    assert (minutes.status, minutes.version) == (MinutesStatus.DRAFT, 2)


def test_manage_pages_refuse_outsiders(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    outsider = forum_with_members(sectors=()).secretariat
    client = _client(outsider)
    assert client.get(f"/rapat/{meeting.uid}/daftar-hadir/").status_code == 403
    assert client.get(f"/rapat/forum/{setup.forum.slug}/jadwalkan/").status_code == 403
    anonymous = Client().get(f"/rapat/{meeting.uid}/daftar-hadir/")
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]
    assert Attendance.objects.count() == 0
    huge = _client(setup.secretariat).get(f"/rapat/{meeting.uid}/acara/{2**63}/hasil/")
    assert huge.status_code == 404


def test_list_filter_by_forum_offers_its_calendar_and_survives_odd_input(setup) -> None:  # type: ignore[no-untyped-def]
    MeetingFactory(forum=setup.forum, title="Rapat forum ini")
    html = Client().get("/rapat/", {"forum": setup.forum.slug}).content.decode()
    assert f"/rapat/forum/{setup.forum.slug}.ics" in html and "Rapat forum ini" in html
    for odd in (":", "\x00", "x" * 500):
        response = Client().get("/rapat/", {"forum": odd})
        assert response.status_code == 200
        assert "Belum ada rapat." in response.content.decode()

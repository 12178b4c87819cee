import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from sinergi.actors.tests.factories import PersonFactory, sector
from sinergi.forums.models import Forum, ForumRole
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.forums.tests.factories import ForumMemberFactory, fill_seats, forum_with_seats
from sinergi.forums.tests.fixtures import add_invitation
from sinergi.ledger.models import LedgerEntry
from sinergi.meetings.models import Meeting
from sinergi.policy.tests.factories import PolicyObjectFactory

pytestmark = pytest.mark.django_db

CONVENE_FORM = {
    "name": "Forum Pengelolaan Sampah",
    "purpose": "Merumuskan kebijakan sampah bersama.",
    "legal_basis": "SK Wali Kota Blitar Nomor 188/77/HK/2026",
    "membership_policy": "application",
    "quorum_member_share": "0,60",
    "quorum_sectors": [],
    "fallback_rule": "qualified_majority_each_sector",
    "fallback_threshold": "0,67",
    "fallback_after_rounds": "2",
    "meeting_rrule": "FREQ=MONTHLY;BYDAY=2TU",
    "meeting_duration_minutes": "120",
    "agenda_notice_days": "3",
    "seat_min_swasta": "1",
    "seat_max_swasta": "3",
    "seat_min_masyarakat": "2",
    "seat_min_pemuda": "1",
}


def officer_forum(personas: Any, **kwargs: Any) -> Forum:
    return forum_with_seats(convener=personas["opd_officer"].organisation, **kwargs)


def test_list_page_filters_and_shows_counts(personas: Any) -> None:
    active = officer_forum(personas, status=ForumStatus.ACTIVE)
    fill_seats(active, "perusahaan", "lsm")
    officer_forum(personas)
    response = client_for(personas["anonymous"]).get(reverse("forums:list"), {"status": "active"})
    assert response.status_code == 200
    text = response.content.decode()
    assert active.name in text
    assert "2 anggota aktif" in text
    assert "Bentuk forum baru" not in text
    assert client_for(personas["dprd_member"]).get(reverse("forums:list")).content.decode().count("Bentuk forum baru")


def test_list_page_with_bad_filter_still_renders(personas: Any) -> None:
    response = client_for(personas["anonymous"]).get(reverse("forums:list"), {"status": "nope", "page": "x"})
    assert response.status_code == 200


def test_detail_page_shows_checklist_seats_members_and_meetings(personas: Any) -> None:
    forum = officer_forum(personas)
    fill_seats(forum, "perusahaan")
    ForumMemberFactory(
        forum=forum,
        person=PersonFactory(full_name="Warga Rahasia", is_listed=False),
        organisation=None,
        sector=sector("masyarakat"),
    )
    forum.policy_objects.add(PolicyObjectFactory(title="Ranperda Persampahan"))
    starts_at = timezone.now() + dt.timedelta(days=5)
    meeting = Meeting.objects.create(
        forum=forum, title="Rapat perdana", starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2)
    )
    response = client_for(personas["anonymous"]).get(reverse("forums:detail", args=[forum.slug]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "C1 Diprakarsai lembaga publik" in text
    assert "Pemuda: 0 dari minimum 1 kursi" in text
    assert "✓" in text
    assert "✗" in text
    assert "Ranperda Persampahan" in text
    assert reverse("meetings:detail", args=[meeting.uid]) in text
    assert "Warga Rahasia" not in text
    assert "Warga (nama tidak ditampilkan)" in text
    assert "Aktifkan forum" not in text


def test_detail_page_stays_small_with_many_members(personas: Any) -> None:
    forum = officer_forum(personas)
    for _ in range(60):
        fill_seats(forum, "lsm")
    response = client_for(personas["opd_officer"]).get(reverse("forums:detail", args=[forum.slug]))
    assert len(response.content) < 30_000
    assert "lihat semua 60 anggota" in response.content.decode()
    member_page = client_for(personas["anonymous"]).get(reverse("forums:member_list", args=[forum.slug]))
    assert member_page.status_code == 200
    assert len(member_page.content) < 30_000


def test_unknown_forum_is_404(personas: Any) -> None:
    assert client_for(personas["anonymous"]).get(reverse("forums:detail", args=["tidak-ada"])).status_code == 404


@pytest.mark.parametrize("role_name", ["swasta", "masyarakat", "pemuda", "citizen"])
def test_convene_page_is_403_for_non_public_accounts(personas: Any, role_name: str) -> None:
    response = client_for(personas[role_name]).get(reverse("forums:convene"))
    assert response.status_code == 403
    assert "lembaga publik" in response.content.decode()


def test_convene_page_needs_login(personas: Any) -> None:
    response = client_for(personas["anonymous"]).get(reverse("forums:convene"))
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


def test_officer_convenes_through_the_page(personas: Any) -> None:
    officer = personas["opd_officer"]
    client = client_for(officer)
    form_page = client.get(reverse("forums:convene")).content.decode()
    assert officer.organisation.name in form_page
    assert personas["dprd_member"].organisation.name not in form_page
    response = client.post(reverse("forums:convene"), {**CONVENE_FORM, "convener": officer.organisation.pk})
    forum = Forum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:detail", args=[forum.slug])
    seats = {(s.sector.code, s.minimum, s.maximum) for s in forum.charter.seats.all()}
    assert seats == {("swasta", 1, 3), ("masyarakat", 2, None), ("pemuda", 1, None)}
    assert str(forum.charter.quorum_member_share) == "0.60"
    assert forum.members.get().role == ForumRole.SECRETARIAT


def test_convene_form_keeps_what_was_typed(personas: Any) -> None:
    officer = personas["opd_officer"]
    data = {**CONVENE_FORM, "convener": officer.organisation.pk, "meeting_rrule": "setiap selasa"}
    response = client_for(officer).post(reverse("forums:convene"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "RRULE" in text
    assert 'value="Forum Pengelolaan Sampah"' in text
    assert not Forum.objects.exists()


def test_convene_for_someone_elses_institution_is_refused(personas: Any) -> None:
    data = {**CONVENE_FORM, "convener": personas["dprd_member"].organisation.pk}
    response = client_for(personas["opd_officer"]).post(reverse("forums:convene"), data)
    assert response.status_code == 200
    assert not Forum.objects.exists()


def test_activate_refusal_is_explained(personas: Any) -> None:
    forum = officer_forum(personas)
    fill_seats(forum, "opd", "dprd")
    client = client_for(personas["opd_officer"])
    response = client.post(reverse("forums:activate", args=[forum.slug]), follow=True)
    text = response.content.decode()
    assert "Forum belum dapat diaktifkan" in text
    assert "Swasta (0 dari 1)" in text
    forum.refresh_from_db()
    assert forum.status == ForumStatus.DRAFT


def test_activate_and_close_through_the_page(personas: Any) -> None:
    forum = officer_forum(personas)
    fill_seats(forum, "perusahaan", "lsm", "karang-taruna")
    forum.policy_objects.add(PolicyObjectFactory())
    client = client_for(personas["opd_officer"])
    assert "Aktifkan forum" in client.get(reverse("forums:detail", args=[forum.slug])).content.decode()
    client.post(reverse("forums:activate", args=[forum.slug]))
    forum.refresh_from_db()
    assert forum.status == ForumStatus.ACTIVE
    client.post(reverse("forums:close", args=[forum.slug]), {"note": "Mandat selesai."})
    forum.refresh_from_db()
    assert (forum.status, forum.closing_note) == (ForumStatus.CLOSED, "Mandat selesai.")


def test_active_charter_locks_structure_but_saves_descriptive_changes(personas: Any) -> None:
    forum = officer_forum(personas, status=ForumStatus.ACTIVE)
    client = client_for(personas["opd_officer"])
    page = client.get(reverse("forums:charter_edit", args=[forum.slug])).content.decode()
    assert "Terkunci" in page
    data = {**CONVENE_FORM, "name": forum.name, "purpose": "Tujuan baru.", "seat_min_swasta": "9"}
    response = client.post(reverse("forums:charter_edit", args=[forum.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    forum.refresh_from_db()
    assert forum.charter.purpose == "Tujuan baru."
    assert forum.charter.seats.get(sector__code="swasta").minimum == 1
    changes = LedgerEntry.objects.order_by("-sequence").first().payload["changes"]
    assert "seats" not in changes
    assert changes["purpose"]["new"] == "Tujuan baru."


def test_policy_link_page(personas: Any) -> None:
    forum = officer_forum(personas)
    policy_object = PolicyObjectFactory()
    client = client_for(personas["opd_officer"])
    client.post(reverse("forums:policy_link", args=[forum.slug]), {"policy_object": policy_object.pk})
    assert list(forum.policy_objects.all()) == [policy_object]
    response = client.post(reverse("forums:policy_link", args=[forum.slug]), {"policy_object": "x"}, follow=True)
    assert "Pilih objek kebijakan" in response.content.decode()


def test_invite_page_validates_the_person_and_organisation(personas: Any) -> None:
    forum = officer_forum(personas)
    client = client_for(personas["opd_officer"])
    url = reverse("forums:invite", args=[forum.slug])
    assert "tidak ditemukan" in client.post(url, {"person": "siapa", "role": "member"}).content.decode()
    pemuda = personas["pemuda"]
    response = client.post(url, {"person": pemuda.person.slug, "organisation": "tidak-ada", "role": "member"})
    assert "Organisasi ini tidak ditemukan" in response.content.decode()
    response = client.post(url, {"person": pemuda.person.slug, "role": "member"})
    assert response.status_code == 302
    invitation = forum.members.get(person=pemuda.person)
    assert invitation.status == ForumMemberStatus.INVITED

    invitee = client_for(pemuda)
    assert "Anda diundang" in invitee.get(reverse("forums:detail", args=[forum.slug])).content.decode()
    invitee.post(reverse("forums:invitation_respond", args=[forum.slug, invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == ForumMemberStatus.ACTIVE


def test_decline_invitation_through_the_page(personas: Any) -> None:
    forum = officer_forum(personas)
    invitation = add_invitation(forum, personas["media"])
    client_for(personas["media"]).post(
        reverse("forums:invitation_respond", args=[forum.slug, invitation.pk]), {"answer": "decline"}
    )
    invitation.refresh_from_db()
    assert invitation.status == ForumMemberStatus.DECLINED


def test_apply_review_and_decide_through_pages(personas: Any) -> None:
    forum = officer_forum(personas)
    applicant = client_for(personas["swasta"])
    assert "Ajukan diri" in applicant.get(reverse("forums:detail", args=[forum.slug])).content.decode()
    page = applicant.get(reverse("forums:apply", args=[forum.slug])).content.decode()
    assert personas["swasta"].organisation.name in page
    applicant.post(
        reverse("forums:apply", args=[forum.slug]),
        {"organisation": personas["swasta"].organisation.pk, "motivation": "Kami pengelola bank sampah."},
    )
    application = forum.members.get(person=personas["swasta"].person)
    assert application.status == ForumMemberStatus.APPLIED

    steward = client_for(personas["opd_officer"])
    review = steward.get(reverse("forums:members_manage", args=[forum.slug])).content.decode()
    assert "Kami pengelola bank sampah." in review
    url = reverse("forums:member_decide", args=[forum.slug, application.pk])
    response = steward.post(url, {"decision": "reject", "reason": ""}, follow=True)
    assert "Alasan penolakan wajib diisi" in response.content.decode()
    steward.post(url, {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == ForumMemberStatus.ACTIVE

    steward.post(reverse("forums:member_set_role", args=[forum.slug, application.pk]), {"role": "chair"})
    application.refresh_from_db()
    assert application.role == ForumRole.CHAIR

    applicant.post(reverse("forums:leave", args=[forum.slug, application.pk]))
    application.refresh_from_db()
    assert application.status == ForumMemberStatus.LEFT


def test_apply_to_invitation_only_forum_shows_the_rule(personas: Any) -> None:
    forum = officer_forum(personas, membership_policy="invitation")
    response = client_for(personas["citizen"]).post(reverse("forums:apply", args=[forum.slug]), {"motivation": ""})
    assert "hanya menerima anggota melalui undangan" in response.content.decode()


def test_member_pages_404_for_unknown_or_huge_member_ids(personas: Any) -> None:
    forum = officer_forum(personas)
    client = client_for(personas["opd_officer"])
    for member_id in (999999, 2**63):
        url = f"/forum/{forum.slug}/keanggotaan/{member_id}/peran/"
        assert client.post(url, {"role": "chair"}).status_code == 404


@pytest.mark.parametrize("url_name", ["charter_edit", "invite", "members_manage"], ids=["charter", "invite", "members"])
def test_manage_pages_are_403_for_non_stewards(personas: Any, url_name: str) -> None:
    forum = officer_forum(personas)
    response = client_for(personas["dprd_member"]).get(reverse(f"forums:{url_name}", args=[forum.slug]))
    assert response.status_code == 403


def test_back_office_lists_forums_read_only(personas: Any) -> None:
    forum = officer_forum(personas)
    ForumMemberFactory(forum=forum)
    client = client_for(personas["administrator"])
    assert forum.name in client.get("/admin/forums/forum/").content.decode()
    assert client.get("/admin/forums/forummember/").status_code == 200
    assert client.get("/admin/forums/forum/add/").status_code == 403

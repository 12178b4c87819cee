import datetime as dt

import pytest
from django.urls import reverse

from conftest import client_for
from sinergi.actors.models import Membership, Organisation
from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from sinergi.forums.tests.factories import ForumFactory, ForumMemberFactory
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.usefixtures("reference_data")


def test_organisation_list_is_paginated_without_n_plus_one(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    pemkot = OrganisationFactory(name="Pemerintah Kota Contoh", kind=kind("pemkot"))
    for n in range(70):
        OrganisationFactory(name=f"Dinas {n:02d}", kind=kind("opd"), parent=pemkot)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("actors:organisation_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("/direktori/organisasi/") == 50
    assert 'rel="next"' in html
    assert len(response.content) <= 30 * 1024
    with django_assert_max_num_queries(8):
        second = client.get(reverse("actors:organisation_list"), {"page": 2})
    assert second.content.decode().count("/direktori/organisasi/") == 21


def test_organisation_list_filters(client) -> None:  # type: ignore[no-untyped-def]
    dinas = OrganisationFactory(name="Dinas Koperasi dan Usaha Mikro", kind=kind("opd"))
    dinas.aliases.create(name="Dinas Koperasi, UKM dan Tenaga Kerja")
    OrganisationFactory(name="Karang Taruna Sentul", kind=kind("karang-taruna"))
    OrganisationFactory(name="Fraksi Lama", kind=kind("fraksi"), valid_until=dt.date(2024, 9, 5))
    html = client.get(reverse("actors:organisation_list"), {"q": "tenaga kerja"}).content.decode()
    assert "Dinas Koperasi dan Usaha Mikro" in html and "Karang Taruna Sentul" not in html
    html = client.get(reverse("actors:organisation_list"), {"sektor": "pemuda"}).content.decode()
    assert "Karang Taruna Sentul" in html and "Dinas Koperasi" not in html
    assert "Fraksi Lama" not in client.get(reverse("actors:organisation_list")).content.decode()
    assert "Fraksi Lama" in client.get(reverse("actors:organisation_list"), {"semua": "1"}).content.decode()
    assert client.get(reverse("actors:organisation_list"), {"page": "x" * 50, "q": "y" * 500}).status_code == 200


def test_organisation_detail_shows_everything_public(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    dprd = OrganisationFactory(name="DPRD Kota Contoh", kind=kind("dprd"), seat_count=25)
    komisi = OrganisationFactory(name="Komisi I", kind=kind("komisi"), parent=dprd, valid_from=dt.date(2024, 9, 6))
    komisi.aliases.create(name="Komisi A")
    OrganisationFactory(name="Subkomisi", parent=komisi)
    MembershipFactory(
        organisation=komisi,
        person=PersonFactory(user=None, full_name="Ketua Komisi", slug="ketua-komisi"),
        role=role("ketua"),
        title="Ketua Komisi I",
    )
    MembershipFactory(organisation=komisi, person=PersonFactory(full_name="Warga Rahasia", is_listed=False))
    forum = ForumFactory(name="Forum Pendidikan", convener=komisi)
    ForumMemberFactory(forum=ForumFactory(name="Forum Kota"), organisation=komisi)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("actors:organisation_detail", args=[komisi.slug]))
    html = response.content.decode()
    for text in ("DPRD Kota Contoh", "Komisi A", "Ketua Komisi I", "Subkomisi", "Forum Pendidikan", "Forum Kota"):
        assert text in html, text
    assert "6 September 2024" in html
    assert "Warga Rahasia" not in html and "1 anggota yang tidak ditampilkan" in html
    assert reverse("forums:detail", args=[forum.slug]) in html
    assert reverse("actors:person_detail", args=["ketua-komisi"]) in html
    assert "Tambah anggota" not in html
    assert client.get(reverse("actors:organisation_detail", args=[dprd.slug])).content.decode().count("25") >= 1


def test_person_pages_only_for_listed_people(client) -> None:  # type: ignore[no-untyped-def]
    official = PersonFactory(user=None, full_name="Ketua DPRD", slug="ketua-dprd", public_title="Ketua")
    MembershipFactory(person=official, title="Ketua DPRD Kota Contoh", role=role("ketua"))
    response = client.get(reverse("actors:person_detail", args=["ketua-dprd"]))
    assert response.status_code == 200 and "Ketua DPRD Kota Contoh" in response.content.decode()
    citizen = PersonFactory(is_listed=False, slug="warga-privat")
    assert client.get(reverse("actors:person_detail", args=[citizen.slug])).status_code == 404


def test_sector_pages(client) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory(name="PT Contoh", kind=kind("perusahaan"))
    html = client.get(reverse("actors:sector_list")).content.decode()
    assert "Swasta" in html and "Media" in html
    detail = client.get(reverse("actors:sector_detail", args=["swasta"])).content.decode()
    assert "PT Contoh" in detail
    assert client.get(reverse("actors:sector_detail", args=["tidak-ada"])).status_code == 404


def test_admin_creates_and_edits_an_organisation(personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(personas["administrator"])
    opd = kind("opd")
    parent = OrganisationFactory(name="Pemerintah Kota Contoh", slug="pemkot-contoh", kind=kind("pemkot"))
    assert client.get(reverse("actors:organisation_create")).status_code == 200
    response = client.post(
        reverse("actors:organisation_create"),
        {
            "name": "Dinas Sosial",
            "short_name": "Dinsos",
            "sector": opd.default_sector_id,
            "kind": opd.pk,
            "parent": "pemkot-contoh",
            "valid_from": "2022-01-01",
        },
    )
    organisation = Organisation.objects.get(name="Dinas Sosial")
    assert response.status_code == 302 and organisation.parent == parent
    edit_url = reverse("actors:organisation_edit", args=[organisation.slug])
    assert "Nama lain" in client.get(edit_url).content.decode()
    client.post(edit_url, {"name": "Dinas Sosial P3A", "sector": opd.default_sector_id, "kind": opd.pk, "parent": ""})
    organisation.refresh_from_db()
    assert organisation.name == "Dinas Sosial P3A" and organisation.parent is None
    client.post(reverse("actors:organisation_alias_add", args=[organisation.slug]), {"alias-name": "Dinas Sosial"})
    assert organisation.aliases.filter(name="Dinas Sosial").exists()


def test_invalid_form_keeps_what_was_typed_and_writes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(personas["administrator"])
    opd = kind("opd")
    before = LedgerEntry.objects.count()
    response = client.post(
        reverse("actors:organisation_create"),
        {
            "name": "Dinas Yang Diketik",
            "sector": opd.default_sector_id,
            "kind": opd.pk,
            "parent": "tidak-ada",
            "valid_from": "2025-02-01",
            "valid_until": "2025-01-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Dinas Yang Diketik"' in html
    assert "tidak ditemukan" in html and "tidak boleh sebelum" in html
    assert LedgerEntry.objects.count() == before


def test_officer_manages_memberships_of_own_organisation(personas) -> None:  # type: ignore[no-untyped-def]
    officer = personas["opd_officer"]
    client = client_for(officer)
    detail = client.get(reverse("actors:organisation_detail", args=[officer.organisation.slug])).content.decode()
    assert "Tambah anggota" in detail
    newcomer = PersonFactory(user=None, full_name="Staf Baru", slug="staf-baru")
    response = client.post(
        reverse("actors:membership_add", args=[officer.organisation.slug]),
        {"person": "staf-baru", "role": role("staf").pk, "title": "Analis"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=newcomer)
    assert membership.title == "Analis"
    duplicate = client.post(
        reverse("actors:membership_add", args=[officer.organisation.slug]),
        {"person": "staf-baru", "role": role("staf").pk},
    )
    assert duplicate.status_code == 200 and "sudah memegang peran" in duplicate.content.decode()
    end_url = reverse("actors:membership_end", args=[membership.uid])
    assert client.get(end_url).status_code == 200
    assert client.post(end_url, {"reason": "Mutasi"}).status_code == 302
    membership.refresh_from_db()
    assert membership.valid_until is not None
    other = OrganisationFactory(name="Dinas Lain")
    assert client.get(reverse("actors:membership_add", args=[other.slug])).status_code == 403


def test_person_create_and_own_profile_edit(personas) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(personas["administrator"])
    response = admin.post(
        reverse("actors:person_create"), {"full_name": "Elim Contoh", "public_title": "Wakil", "is_listed": "on"}
    )
    assert response.status_code == 302
    citizen = personas["citizen"]
    own = client_for(citizen)
    url = reverse("actors:person_edit", args=[citizen.person.slug])
    assert own.get(url).status_code == 200
    assert own.post(url, {"full_name": "Nama Baru"}).status_code == 302
    citizen.person.refresh_from_db()
    assert citizen.person.full_name == "Nama Baru"
    # Someone else's unlisted profile does not exist for them.
    assert client_for(personas["swasta"]).get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "actors:organisation_create",
        "actors:person_create",
        "actors:sector_create",
    ],
)
def test_manage_pages_refuse_non_admins(personas, name: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(personas["dprd_member"]).get(reverse(name)).status_code == 403
    anonymous = client_for(personas["anonymous"]).get(reverse(name))
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]


def test_unknown_objects_are_404(personas) -> None:  # type: ignore[no-untyped-def]
    admin = client_for(personas["administrator"])
    assert admin.get(reverse("actors:organisation_edit", args=["tidak-ada"])).status_code == 404
    assert admin.get("/direktori/kelola/keanggotaan/00000000-0000-0000-0000-000000000000/akhiri/").status_code == 404
    assert admin.get("/direktori/kelola/keanggotaan/bukan-uuid/akhiri/").status_code == 404


def test_large_organisations_keep_their_page_small(client) -> None:  # type: ignore[no-untyped-def]
    pemkot = OrganisationFactory(name="Pemerintah Kota Besar", slug="pemkot-besar", kind=kind("pemkot"))
    for n in range(120):
        OrganisationFactory(name=f"Unit Kerja Dengan Nama Panjang Sekali Nomor {n:03d}", parent=pemkot)
        MembershipFactory(
            organisation=pemkot,
            person=PersonFactory(user=None, full_name=f"Pejabat Dengan Nama Yang Cukup Panjang {n:03d}"),
            title="Kepala Bidang Perencanaan dan Pengendalian",
        )
    response = client.get(reverse("actors:organisation_detail", args=["pemkot-besar"]))
    html = response.content.decode()
    assert len(response.content) <= 30 * 1024
    assert "Semua 120 unit di bawahnya" in html and "?induk=pemkot-besar" in html
    listing = client.get(reverse("actors:organisation_list"), {"induk": "pemkot-besar"}).content.decode()
    assert "120 organisasi" in listing and "Pemerintah Kota Besar</a>" not in listing


def test_nul_characters_in_filters_are_harmless(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("actors:organisation_list"), {"q": "a\x00b", "sektor": "\x00", "induk": "\x00"})
    assert response.status_code == 200


def test_out_of_range_dates_are_refused_on_the_form(personas) -> None:  # type: ignore[no-untyped-def]
    client = client_for(personas["administrator"])
    opd = kind("opd")
    response = client.post(
        reverse("actors:organisation_create"),
        {"name": "Dinas Kuno", "sector": opd.default_sector_id, "kind": opd.pk, "valid_from": "0001-01-01"},
    )
    assert response.status_code == 200 and "1900" in response.content.decode()
    assert not Organisation.objects.filter(name="Dinas Kuno").exists()

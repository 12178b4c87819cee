"""Correcting a pokir item after it is proposed: who may, until when, with which checks, and what the
public sees (the item's history, the public log, the timeline of each linked aspiration)."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from sinergi.aspirations.models import AspirationEvent
from sinergi.aspirations.states import EventKind
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.testing import run_on_file_database
from sinergi.ledger.models import LedgerEntry
from sinergi.planning import services
from sinergi.planning.models import PokirItem, PokirStatusChange
from sinergi.planning.states import PokirStatus
from sinergi.planning.tests.conftest import World, staff_of
from sinergi.planning.tests.test_api import API, token_client
from sinergi.planning.tests.test_services import _png, pokir_input
from sinergi.planning.tests.test_views import as_user

pytestmark = pytest.mark.django_db


def log_count() -> int:
    return LedgerEntry.objects.count()


def proposed(world: World, **overrides: Any) -> PokirItem:
    return services.pokir_propose(actor=world.member, data=pokir_input(world, **overrides))


def another_member(world: World) -> Any:
    return staff_of(world.dprd, "Anggota DPRD lain", "anggota-dprd")


def snapshot(item: PokirItem) -> dict[str, Any]:
    row = PokirItem.objects.filter(pk=item.pk).values().get()
    row.pop("updated_at")
    return row


def written() -> tuple[int, int, int]:
    return log_count(), PokirStatusChange.objects.count(), AspirationEvent.objects.count()


# --- the service ---------------------------------------------------------------------------------


def test_member_corrects_fields_one_log_entry_lists_old_and_new(world: World) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    before = log_count()
    item = services.pokir_edit(
        item=item,
        actor=world.member,
        data=pokir_input(world, volume=Decimal("120"), unit="m", kelurahan=None, location_text="Jl. Kalimantan 7"),
    )
    item.refresh_from_db()
    assert (item.volume, item.unit, item.kelurahan, item.location_text) == (
        Decimal("120.00"),
        "m",
        None,
        "Jl. Kalimantan 7",
    )
    assert item.status == PokirStatus.PROPOSED
    assert log_count() == before + 1
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.event_type == "pokir.item_updated" and entry.subject_id == str(item.uid)
    assert entry.payload["changes"] == {
        "volume": {"from": "150.00", "to": "120.00"},
        "unit": {"from": "meter", "to": "m"},
        "kelurahan": {"from": world.kelurahan.code, "to": None},
        "location_text": {"from": "Jl. Kalimantan RT 02 RW 03", "to": "Jl. Kalimantan 7"},
    }
    change = item.history.order_by("-pk").first()
    assert change is not None and change.is_edit and change.actor_label == "Anggota DPRD"
    assert "Volume: 150 → 120" in change.note and "Satuan: meter → m" in change.note
    assert f"Kelurahan: {world.kelurahan.name} → —" in change.note
    event = AspirationEvent.objects.filter(aspiration=aspiration, kind=EventKind.PLANNING).order_by("-pk").first()
    assert event is not None and event.ledger_entry == entry and event.is_public
    assert "diubah" in event.public_text and "Volume: 150 → 120" in event.public_text


def test_an_edit_that_changes_nothing_writes_nothing(world: World) -> None:
    item = proposed(world)
    before = written()
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world))
    assert written() == before


def test_long_text_named_on_the_timeline_and_kept_whole_in_the_log(world: World) -> None:
    item = proposed(world)
    new_text = "Uraian baru yang panjang. " * 100
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, description=new_text))
    change = item.history.order_by("-pk").first()
    assert change is not None and change.note == "Uraian permasalahan dan usulan diperbarui."
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.payload["changes"]["description"]["to"] == new_text.strip()


def test_setwan_corrects_while_verifying_and_is_named_as_setwan(world: World) -> None:
    item = proposed(world)
    services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world, target_group="Warga RW 03 dan 04"))
    change = item.history.order_by("-pk").first()
    assert change is not None and change.actor_label == "Sekretariat DPRD"
    item.refresh_from_db()
    assert item.target_group == "Warga RW 03 dan 04"


@pytest.mark.parametrize("who", ["bappeda", "bpkad", "opd_officer", "stranger", "kelurahan_officer", "other_member"])
def test_others_may_not_edit(world: World, who: str) -> None:
    item = proposed(world)
    actor = another_member(world) if who == "other_member" else getattr(world, who)
    state, before = snapshot(item), written()
    with pytest.raises(NotPermitted):
        services.pokir_edit(item=item, actor=actor, data=pokir_input(world, title="Diganti orang lain"))
    assert snapshot(item) == state and written() == before


@pytest.mark.parametrize("status", [PokirStatus.VERIFIED, PokirStatus.VALIDATED, PokirStatus.REALISED])
@pytest.mark.parametrize("who", ["member", "setwan", "admin"])
def test_nobody_edits_once_setwan_verified(world: World, status: str, who: str) -> None:
    item = proposed(world)
    PokirItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    state, before = snapshot(item), written()
    with pytest.raises(services.PokirEditConflict) as refused:
        services.pokir_edit(item=item, actor=getattr(world, who), data=pokir_input(world, title="Terlambat"))
    assert refused.value.code == "pokir_not_editable" and refused.value.status_code == 409
    assert snapshot(item) == state and written() == before


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("program_code", "1.3.2", "invalid_program_code"),
        ("activity_code", "1.03.03.2.01", "invalid_activity_code"),
        ("sub_activity_code", "1.03.02.2.02.0012", "invalid_sub_activity_code"),
        ("volume", Decimal("-1"), "invalid_number"),
        ("budget_estimate", Decimal("1e20"), "invalid_number"),
        ("fiscal_year", 1999, "invalid_year"),
        ("title", "", "required"),
        ("title", "x" * 201, "too_long"),
        ("location_text", "a\x00b", "invalid_text"),
    ],
)
def test_edit_checks_what_proposing_checks(world: World, field: str, value: Any, code: str) -> None:
    with pytest.raises(RuleViolation) as at_proposal:
        proposed(world, **{field: value})
    item = proposed(world)
    state, before = snapshot(item), written()
    with pytest.raises(RuleViolation) as at_edit:
        services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, **{field: value}))
    assert at_edit.value.code == at_proposal.value.code == code
    assert snapshot(item) == state and written() == before


def test_edit_refuses_a_dprd_body_as_opd_and_a_non_komisi(world: World) -> None:
    item = proposed(world)
    for bad in ({"opd": world.dprd}, {"komisi": world.opd}):
        with pytest.raises(RuleViolation):
            services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, **bad))


def test_photo_replaced_through_the_edit_is_logged(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = proposed(world)
    item = services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world), photo=("lokasi.png", _png()))
    assert item.photo.name.endswith(".jpg")
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.payload["changes"] == {"photo": {"from": None, "to": item.photo.name}}
    with pytest.raises(RuleViolation):
        services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world), photo=("x.png", b"not a png"))


# --- the linked aspirations ----------------------------------------------------------------------


def planning_texts(aspiration: Any) -> list[str]:
    events = AspirationEvent.objects.filter(aspiration=aspiration, kind=EventKind.PLANNING).order_by("pk")
    return [event.public_text for event in events]


def linked(item: PokirItem) -> set[int]:
    return set(PokirItem.objects.get(pk=item.pk).aspirations.values_list("pk", flat=True))


def test_links_added_and_removed_in_one_log_entry_with_each_timeline_told(world: World) -> None:
    kept, dropped, new = AspirationFactory(), AspirationFactory(), AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[kept, dropped])
    before_log, before_history = log_count(), item.history.count()
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, unit="m"), aspirations=[kept, new, new])
    assert linked(item) == {kept.pk, new.pk}
    assert log_count() == before_log + 1 and item.history.count() == before_history + 1
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.event_type == "pokir.item_updated"
    assert entry.payload["changes"] == {
        "unit": {"from": "meter", "to": "m"},
        "aspirations": {"added": [str(new.uid)], "removed": [str(dropped.uid)]},
    }
    dumped = json.dumps(entry.payload)
    for aspiration in (kept, dropped, new):
        assert aspiration.tracking_code not in dumped and aspiration.title not in dumped
    change = item.history.order_by("-pk").first()
    assert change is not None and change.is_edit
    assert change.note == "Satuan: meter → m; Aspirasi warga yang ditautkan: 1 ditambahkan, 1 dilepas."
    assert planning_texts(new) == [
        "Dimasukkan ke pokok-pokok pikiran DPRD: “Normalisasi saluran Jl. Kalimantan” (tahun 2028)."
    ]
    assert planning_texts(dropped)[-1] == (
        "Dikeluarkan dari pokok-pokok pikiran DPRD “Normalisasi saluran Jl. Kalimantan” (tahun 2028)."
    )
    assert planning_texts(kept)[-1] == (
        "Pokir “Normalisasi saluran Jl. Kalimantan” diubah: Satuan: meter → m; "
        "Aspirasi warga yang ditautkan: 1 ditambahkan, 1 dilepas."
    )
    assert len(planning_texts(dropped)) == len(planning_texts(kept)) == 2
    events = AspirationEvent.objects.filter(ledger_entry=entry)
    assert events.count() == 3 and all(e.is_public and e.actor_label == "Anggota DPRD" for e in events)
    assert events.get(aspiration=new).organisation == world.komisi


def test_links_alone_changed_and_all_removed(world: World) -> None:
    first, second = AspirationFactory(), AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[first])
    services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world), aspirations=[first, second])
    assert linked(item) == {first.pk, second.pk}
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.payload["changes"] == {
        "aspirations": {"added": [str(second.uid)], "removed": []}
    }
    assert planning_texts(first)[-1].endswith("diubah: Aspirasi warga yang ditautkan: 1 ditambahkan.")
    before = log_count()
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world), aspirations=[])
    assert linked(item) == set() and log_count() == before + 1
    assert planning_texts(first)[-1].startswith("Dikeluarkan dari pokok-pokok pikiran DPRD")
    assert planning_texts(second)[-1].startswith("Dikeluarkan dari pokok-pokok pikiran DPRD")


def test_same_links_or_none_given_write_nothing(world: World) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    before = written()
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world), aspirations=None)
    assert written() == before and linked(item) == {aspiration.pk}


@pytest.mark.parametrize("who", ["member", "setwan", "admin"])
def test_links_frozen_once_setwan_verified(world: World, who: str) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    before = written()
    with pytest.raises(services.PokirEditConflict) as refused:
        services.pokir_edit(item=item, actor=getattr(world, who), data=pokir_input(world), aspirations=[])
    assert refused.value.code == "pokir_not_editable"
    assert linked(item) == {aspiration.pk} and written() == before


@pytest.mark.parametrize("who", ["bappeda", "opd_officer", "stranger", "other_member"])
def test_links_not_changed_by_others(world: World, who: str) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    actor = another_member(world) if who == "other_member" else getattr(world, who)
    before = written()
    with pytest.raises(NotPermitted):
        services.pokir_edit(item=item, actor=actor, data=pokir_input(world), aspirations=[AspirationFactory()])
    assert linked(item) == {aspiration.pk} and written() == before


def test_links_refused_like_at_proposal_write_nothing(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "MAX_LINKED_ASPIRATIONS", 2)
    too_many = [AspirationFactory() for _ in range(3)]
    with pytest.raises(RuleViolation) as at_proposal:
        services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=too_many)
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    state, before = snapshot(item), written()
    with pytest.raises(RuleViolation) as at_edit:
        services.pokir_edit(
            item=item, actor=world.member, data=pokir_input(world, unit="m"), aspirations=[aspiration, *too_many]
        )
    assert at_edit.value.code == at_proposal.value.code == "too_many_aspirations"
    assert snapshot(item) == state and written() == before and linked(item) == {aspiration.pk}


def test_links_from_a_stale_form_are_refused(world: World) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    loaded_at = item.updated_at
    services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world, unit="m"), loaded_at=loaded_at)
    state, before = snapshot(item), written()
    with pytest.raises(services.PokirEditConflict) as refused:
        services.pokir_edit(
            item=item, actor=world.member, data=pokir_input(world, unit="m"), aspirations=[], loaded_at=loaded_at
        )
    assert refused.value.code == "stale_pokir"
    assert snapshot(item) == state and written() == before and linked(item) == {aspiration.pk}


# --- concurrency: an edit and a step (or two edits) never lose one another ------------------------


def test_edit_from_a_stale_copy_after_verification_is_refused_and_keeps_the_step(world: World) -> None:
    stale = proposed(world)
    services.pokir_transition(
        item=PokirItem.objects.get(pk=stale.pk), actor=world.setwan, to_status="verified_by_secretariat"
    )
    assert stale.status == PokirStatus.PROPOSED  # the editor's copy still says so
    with pytest.raises(services.PokirEditConflict):
        services.pokir_edit(item=stale, actor=world.member, data=pokir_input(world, volume=Decimal("1")))
    fresh = PokirItem.objects.get(pk=stale.pk)
    assert fresh.status == PokirStatus.VERIFIED and fresh.volume == Decimal("150.00")


def test_step_from_a_stale_copy_after_an_edit_keeps_the_edit(world: World) -> None:
    stale = proposed(world)
    services.pokir_edit(item=PokirItem.objects.get(pk=stale.pk), actor=world.member, data=pokir_input(world, unit="m"))
    assert stale.unit == "meter"
    services.pokir_transition(item=stale, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    fresh = PokirItem.objects.get(pk=stale.pk)
    assert fresh.status == PokirStatus.VERIFIED and fresh.unit == "m"


def test_an_edit_based_on_an_older_load_is_refused(world: World) -> None:
    item = proposed(world)
    loaded_at = item.updated_at
    services.pokir_edit(item=item, actor=world.setwan, data=pokir_input(world, unit="m"), loaded_at=loaded_at)
    state, before = snapshot(item), written()
    with pytest.raises(services.PokirEditConflict) as refused:
        services.pokir_edit(
            item=item, actor=world.member, data=pokir_input(world, volume=Decimal(9)), loaded_at=loaded_at
        )
    assert refused.value.code == "stale_pokir"
    assert snapshot(item) == state and written() == before
    item.refresh_from_db()
    services.pokir_edit(
        item=item, actor=world.member, data=pokir_input(world, unit="m", volume=Decimal(9)), loaded_at=item.updated_at
    )


# --- pages ---------------------------------------------------------------------------------------


def form_data(world: World, item: PokirItem, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": item.title,
        "description": item.description,
        "location_text": item.location_text,
        "kelurahan": item.kelurahan_id or "",
        "volume": str(item.volume),
        "unit": item.unit,
        "target_group": item.target_group,
        "opd": item.opd.slug,
        "komisi": item.komisi.slug if item.komisi else "",
        "program_code": item.program_code,
        "program_name": item.program_name,
        "activity_code": item.activity_code,
        "activity_name": item.activity_name,
        "sub_activity_code": item.sub_activity_code,
        "sub_activity_name": item.sub_activity_name,
        "budget_estimate": str(item.budget_estimate),
        "fiscal_year": str(item.fiscal_year),
        "loaded_at": item.updated_at.isoformat(),
        "aspirations": "\n".join(str(uid) for uid in item.aspirations.values_list("uid", flat=True)),
    }
    data.update(overrides)
    return data


def test_edit_page_prefilled_light_and_saves(world: World) -> None:
    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    member = as_user(world.member)
    detail = member.get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert reverse("planning:pokir_edit", args=[item.uid]) in detail
    page = member.get(reverse("planning:pokir_edit", args=[item.uid]))
    html = page.content.decode()
    assert page.status_code == 200 and len(page.content) < 30_000
    assert 'value="Jl. Kalimantan RT 02 RW 03"' in html and 'name="loaded_at"' in html
    assert 'name="aspirations"' in html and str(aspiration.uid) in html  # the current links, preselected
    assert f'href="{reverse("planning:pokir_detail", args=[item.uid])}"' in html
    assert '<label for="id_volume">' in html and 'enctype="multipart/form-data"' in html
    response = member.post(reverse("planning:pokir_edit", args=[item.uid]), form_data(world, item, volume="175"))
    assert response.status_code == 302 and response["Location"] == reverse("planning:pokir_detail", args=[item.uid])
    item.refresh_from_db()
    assert item.volume == Decimal("175.00")
    detail = member.get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert "Diubah" in detail and "Volume: 150 → 175" in detail
    tracker = as_user(world.stranger).get(reverse("aspirations:track", args=[aspiration.tracking_code]))
    assert "Volume: 150 → 175" in tracker.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sub_activity_code": "1.03.02.2.02.0012"}, "Kode sub kegiatan harus berbentuk"),
        ({"title": ""}, "Bidang ini tidak boleh kosong"),
        ({"volume": "-3"}, "Pastikan nilai ini lebih besar dari atau sama dengan 0"),
        ({"volume": "banyak"}, "Masukkan sebuah bilangan"),
        ({"opd": "tidak-ada"}, "Masukkan pilihan yang valid"),
        ({"loaded_at": "kemarin"}, "Muat ulang halaman"),
    ],
)
def test_edit_page_bad_input_shows_indonesian_errors_and_changes_nothing(
    world: World, overrides: dict[str, str], message: str
) -> None:
    item = proposed(world)
    state, before = snapshot(item), written()
    response = as_user(world.member).post(
        reverse("planning:pokir_edit", args=[item.uid]), form_data(world, item, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(item) == state and written() == before


def test_edit_page_from_an_older_load_says_reload(world: World) -> None:
    item = proposed(world)
    old_form = form_data(world, item, unit="m")
    as_user(world.setwan).post(reverse("planning:pokir_edit", args=[item.uid]), form_data(world, item, volume="9"))
    response = as_user(world.member).post(reverse("planning:pokir_edit", args=[item.uid]), old_form)
    assert response.status_code == 200 and "baru saja diubah orang lain" in response.content.decode()
    item.refresh_from_db()
    assert (item.volume, item.unit) == (Decimal("9.00"), "meter")


def test_edit_page_after_verification_sends_back_with_the_reason(world: World) -> None:
    item = proposed(world)
    form = form_data(world, item, unit="m")
    services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    member = as_user(world.member)
    detail = member.get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert reverse("planning:pokir_edit", args=[item.uid]) not in detail
    response = member.post(reverse("planning:pokir_edit", args=[item.uid]), form, follow=True)
    assert "tidak dapat diubah lagi" in response.content.decode()
    item.refresh_from_db()
    assert item.unit == "meter"


def test_edit_page_refused_to_others(world: World, client: Any) -> None:
    item = proposed(world)
    url = reverse("planning:pokir_edit", args=[item.uid])
    assert client.get(url).status_code == 302  # to the login page
    assert as_user(world.opd_officer).get(url).status_code == 403
    assert as_user(another_member(world)).post(url, form_data(world, item, unit="m")).status_code == 403
    assert url not in as_user(world.stranger).get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert as_user(world.setwan).get(url).status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_api_patch_changes_only_what_is_sent(world: World, client: Any) -> None:
    item = proposed(world)
    member = token_client(world.member)
    response = member.patch(
        f"{API}/pokir/{item.uid}", {"volume": "99.5", "komisi": ""}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["volume"] == "99.50" and body["komisi"] is None and body["unit"] == "meter"
    history = client.get(f"{API}/pokir/{item.uid}").json()["history"]
    assert [h["kind"] for h in history] == ["status", "edit"]
    assert "Volume: 150 → 99,50" in history[-1]["note"]


def test_api_patch_refusals_are_json_4xx(world: World) -> None:
    item = proposed(world)
    url = f"{API}/pokir/{item.uid}"
    member = token_client(world.member)

    def patch(client: Any, body: dict[str, Any]) -> Any:
        return client.patch(url, json.dumps(body), content_type="application/json")

    cases = [
        (member, {"sub_activity_code": "1.03.02.2.02.0012"}, 400, "invalid_sub_activity_code"),
        (member, {"title": ""}, 400, "required"),
        (member, {"title": None}, 400, "required"),
        (member, {"opd": "tidak-ada"}, 400, "invalid_organisation"),
        (member, {"kelurahan": "99.99"}, 400, "invalid_region"),
        (member, {"volume": "-1"}, 422, None),
        (member, {"title": "x" * 201}, 422, None),
        (member, {"loaded_at": "2020-01-01T00:00:00Z", "unit": "m"}, 409, "stale_pokir"),
        (token_client(world.opd_officer), {"unit": "m"}, 403, "forbidden"),
    ]
    state = snapshot(item)
    for client, body, status, code in cases:
        response = patch(client, body)
        assert response.status_code == status, (body, response.content)
        assert response["Content-Type"].startswith("application/json") and "detail" in response.json()
        if code:
            assert response.json()["code"] == code, body
    assert snapshot(item) == state
    ok = patch(member, {"unit": "m", "loaded_at": item.updated_at.isoformat()})
    assert ok.status_code == 200
    services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    late = patch(member, {"unit": "meter"})
    assert late.status_code == 409 and late.json()["code"] == "pokir_not_editable"
    assert patch(token_client(world.admin), {"unit": "meter"}).status_code == 409


def test_edit_page_changes_the_links(world: World) -> None:
    kept, dropped, new = AspirationFactory(), AspirationFactory(), AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[kept, dropped])
    url = reverse("planning:pokir_edit", args=[item.uid])
    member = as_user(world.member)
    html = member.get(url).content.decode()
    assert str(kept.uid) in html and str(dropped.uid) in html and '<label for="id_aspirations">' in html
    response = member.post(url, form_data(world, item, aspirations=f"{kept.uid}\n{new.uid}"))
    assert response.status_code == 302
    assert linked(item) == {kept.pk, new.pk}
    tracker = as_user(world.stranger).get(reverse("aspirations:track", args=[dropped.tracking_code]))
    assert "Dikeluarkan dari pokok-pokok pikiran DPRD" in tracker.content.decode()
    detail = member.get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert "Aspirasi warga yang ditautkan: 1 ditambahkan, 1 dilepas" in detail
    before = written()
    bad = member.post(url, form_data(world, PokirItem.objects.get(pk=item.pk), aspirations="bukan-id"))
    assert bad.status_code == 200 and "bukan ID aspirasi" in bad.content.decode()
    assert written() == before and linked(item) == {kept.pk, new.pk}


def test_api_patch_changes_the_links(world: World, client: Any) -> None:
    kept, dropped, new = AspirationFactory(), AspirationFactory(), AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[kept, dropped])
    url = f"{API}/pokir/{item.uid}"
    member = token_client(world.member)

    def patch(who: Any, body: dict[str, Any]) -> Any:
        return who.patch(url, json.dumps(body), content_type="application/json")

    refusals = [
        (member, {"aspirations": [str(uuid.uuid4())]}, 400, "unknown_aspiration"),
        (member, {"aspirations": ["bukan-id"]}, 422, None),
        (member, {"aspirations": [str(kept.uid)], "loaded_at": "2020-01-01T00:00:00Z"}, 409, "stale_pokir"),
        (token_client(world.opd_officer), {"aspirations": []}, 403, "forbidden"),
    ]
    before = written()
    for who, body, status, code in refusals:
        response = patch(who, body)
        assert response.status_code == status, (body, response.content)
        assert response["Content-Type"].startswith("application/json") and "detail" in response.json()
        if code:
            assert response.json()["code"] == code, body
    assert written() == before and linked(item) == {kept.pk, dropped.pk}
    assert patch(member, {"unit": "m", "aspirations": None}).status_code == 200
    assert linked(item) == {kept.pk, dropped.pk}
    ok = patch(member, {"aspirations": [str(kept.uid), str(new.uid)]})
    assert ok.status_code == 200, ok.content
    assert set(client.get(url).json()["aspirations"]) == {str(kept.uid), str(new.uid)}
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.payload["changes"] == {
        "aspirations": {"added": [str(new.uid)], "removed": [str(dropped.uid)]}
    }
    services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    late = patch(member, {"aspirations": []})
    assert late.status_code == 409 and late.json()["code"] == "pokir_not_editable"
    assert linked(item) == {kept.pk, new.pk}


def test_the_log_entry_holds_only_the_items_public_fields(world: World) -> None:
    aspiration = AspirationFactory(title="Banjir di gang")
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, unit="m"))
    entry = LedgerEntry.objects.order_by("-sequence").first()
    assert entry is not None and set(entry.payload) == {"title", "opd", "fiscal_year", "changes"}
    assert entry.payload["changes"] == {"unit": {"from": "meter", "to": "m"}}
    first, last = item.history.order_by("created_at", "pk")
    assert last.is_edit and not first.is_edit and last.created_at >= first.created_at


def test_edit_racing_verification_loses_neither() -> None:
    """The member's correction and Setwan's verification start at once, from copies loaded before. Either
    the edit lands first (then the verification, on the corrected item) or it is refused with the reason;
    the verification always lands, and what the log says matches the row. Runs in a child process on a
    file database with the production connection settings (the in-memory test database has one writer)."""
    outcome = run_on_file_database("sinergi.planning.tests.concurrent_edit", name="edit")
    assert outcome["errors"] == []
    for result in outcome["rounds"]:
        assert result["status"] == PokirStatus.VERIFIED, result
        if result["edit"] == "saved":
            assert result["unit"] == "m" and result["logged_edits"] == 1, result
            assert result["history"] == ["proposed", "edit", "verified_by_secretariat"], result
        else:
            assert result["edit"] == "pokir_not_editable", result
            assert result["unit"] == "meter" and result["logged_edits"] == 0, result
            assert result["history"] == ["proposed", "verified_by_secretariat"], result


def test_the_trail_dates_the_status_not_the_correction(world: World) -> None:
    from sinergi.planning.selectors import planning_trail

    aspiration = AspirationFactory()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=[aspiration])
    proposed_at = item.history.get().created_at
    PokirStatusChange.objects.filter(item=item).update(created_at=proposed_at - dt.timedelta(days=3))
    services.pokir_edit(item=item, actor=world.member, data=pokir_input(world, unit="m"))
    (step,) = planning_trail(aspiration)
    assert step.status == PokirStatus.PROPOSED and step.date == proposed_at - dt.timedelta(days=3)


@pytest.mark.parametrize("who", ["member", "setwan"])
def test_edit_form_survives_random_input(world: World, who: str) -> None:
    from tests.test_form_fuzz import _crawl_forms, _fuzz

    item = proposed(world)
    forms = _crawl_forms(as_user(getattr(world, who)), [reverse("planning:pokir_edit", args=[item.uid])])
    edit_forms = [(t, f) for t, f in forms.values() if t == reverse("planning:pokir_edit", args=[item.uid])]
    assert edit_forms
    for target, form in edit_forms:
        _fuzz(as_user(getattr(world, who)), target, form)
    item.refresh_from_db()
    assert item.status == PokirStatus.PROPOSED

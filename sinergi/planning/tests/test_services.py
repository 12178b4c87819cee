import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest

from sinergi.aspirations.models import Aspiration, AspirationEvent
from sinergi.aspirations.states import Channel, EventKind
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.ledger.models import LedgerEntry
from sinergi.planning import services
from sinergi.planning.importer import BatchRow
from sinergi.planning.models import PokirStatusChange
from sinergi.planning.states import MusrenbangLevel, MusrenbangStatus, PokirStatus, ProposalStatus, ResesStatus
from sinergi.planning.tests.conftest import World
from sinergi.regions.models import Region

pytestmark = pytest.mark.django_db


def log_count() -> int:
    return LedgerEntry.objects.count()


def open_reses(world: World) -> Any:
    return services.reses_open(
        actor=world.member,
        organisation=world.dprd,
        data=services.ResesInput(
            dapil="Dapil 1 Kepanjenkidul",
            kecamatan=world.kecamatan,
            masa_sidang="Masa Sidang I 2027",
            held_on=dt.date(2027, 1, 15),
            place="Balai Kelurahan Kepanjenkidul",
        ),
    )


def row(n: int = 0, **overrides: str) -> BatchRow:
    values = {
        "kelurahan": "Kepanjenkidul",
        "title": f"Saluran air mampet {n}",
        "text": f"Saluran di gang {n} mampet dan meluap tiap hujan deras.",
        "category": "drainase",
        "phone": "",
    }
    values.update(overrides)
    return BatchRow(**values)


def pokir_input(world: World, **overrides: Any) -> services.PokirInput:
    values: dict[str, Any] = {
        "title": "Normalisasi saluran Jl. Kalimantan",
        "description": "Saluran tersumbat, warga RW 03 kebanjiran tiap musim hujan.",
        "location_text": "Jl. Kalimantan RT 02 RW 03",
        "kelurahan": world.kelurahan,
        "volume": Decimal("150"),
        "unit": "meter",
        "target_group": "Warga RW 03",
        "opd": world.opd,
        "komisi": world.komisi,
        "program_code": "1.03.02",
        "program_name": "Program Pengelolaan Sumber Daya Air",
        "activity_code": "1.03.02.2.01",
        "activity_name": "Pengelolaan SDA",
        "sub_activity_code": "1.03.02.2.01.0012",
        "sub_activity_name": "Normalisasi/Restorasi Sungai",
        "budget_estimate": Decimal("250000000"),
        "fiscal_year": 2028,
    }
    values.update(overrides)
    return services.PokirInput(**values)


# --- reses ---------------------------------------------------------------------------------------


def test_reses_lifecycle_writes_one_entry_per_step(world: World) -> None:
    before = log_count()
    reses = open_reses(world)
    assert reses.member == world.member.person and reses.status == ResesStatus.PLANNED
    reses = services.reses_mark_held(reses=reses, actor=world.member, attendee_count=85, notes="Ramai")
    reses = services.reses_mark_reported(reses=reses, actor=world.member)
    assert reses.status == ResesStatus.REPORTED and reses.attendee_count == 85
    assert list(LedgerEntry.objects.order_by("sequence").values_list("event_type", flat=True))[before:] == [
        "reses.opened",
        "reses.held",
        "reses.reported",
    ]
    with pytest.raises(InvalidTransition):
        services.reses_mark_held(reses=reses, actor=world.member, attendee_count=1)


def test_reses_refusals_write_nothing(world: World) -> None:
    before = log_count()
    with pytest.raises(NotPermitted):
        services.reses_open(
            actor=world.stranger,
            organisation=world.dprd,
            data=services.ResesInput(dapil="x", masa_sidang="y", held_on=dt.date(2027, 1, 1), place="z"),
        )
    with pytest.raises(RuleViolation):  # a kelurahan is not a dapil kecamatan
        services.reses_open(
            actor=world.member,
            organisation=world.dprd,
            data=services.ResesInput(
                dapil="x", masa_sidang="y", held_on=dt.date(2027, 1, 1), place="z", kecamatan=world.kelurahan
            ),
        )
    with pytest.raises(RuleViolation):
        services.reses_open(
            actor=world.member,
            organisation=world.opd,  # not a DPRD body
            data=services.ResesInput(dapil="x", masa_sidang="y", held_on=dt.date(2027, 1, 1), place="z"),
        )
    reses = open_reses(world)
    with pytest.raises(NotPermitted):
        services.reses_mark_held(reses=reses, actor=world.opd_officer, attendee_count=3)
    with pytest.raises(RuleViolation):
        services.reses_mark_held(reses=reses, actor=world.member, attendee_count=-1)
    assert log_count() == before + 1


def test_batch_goes_through_intake_and_links_every_row(world: World) -> None:
    reses = open_reses(world)
    before = log_count()
    rows = [row(i) for i in range(3)] + [row(3, kelurahan="35.72.01.1002", phone="081234567890", name="Bu Sri")]
    result = services.reses_batch_submit(reses=reses, rows=rows, actor=world.member, batch_key="a" * 32)
    assert result.created == 4
    assert reses.aspirations.count() == 4
    assert set(Aspiration.objects.values_list("channel", flat=True)) == {Channel.RESES}
    assert Aspiration.objects.filter(region__code="35.72.01.1002").count() == 1
    # 4 intake entries + one for the reses
    assert log_count() == before + 5
    # The same batch again (a double submit) adds nothing.
    again = services.reses_batch_submit(reses=reses, rows=rows, actor=world.member, batch_key="a" * 32)
    assert again.created == 0 and Aspiration.objects.count() == 4 and log_count() == before + 5


def test_batch_with_one_bad_row_writes_nothing_and_names_the_rows(world: World) -> None:
    reses = open_reses(world)
    before = (log_count(), Aspiration.objects.count())
    rows = [row(0), row(1, kelurahan="Atlantis"), row(2), row(3, text=""), row(4, category="tidak-ada")]
    with pytest.raises(services.BatchRejected) as caught:
        services.reses_batch_submit(reses=reses, rows=rows, actor=world.member, batch_key="b" * 32)
    assert sorted(caught.value.row_errors) == [1, 3, 4]
    assert (log_count(), Aspiration.objects.count()) == before
    assert reses.aspirations.count() == 0


def test_batch_refused_after_report_and_for_others(world: World) -> None:
    reses = open_reses(world)
    with pytest.raises(NotPermitted):
        services.reses_batch_submit(reses=reses, rows=[row()], actor=world.opd_officer, batch_key="c" * 32)
    with pytest.raises(RuleViolation):
        services.reses_batch_submit(reses=reses, rows=[], actor=world.member, batch_key="c" * 32)
    with pytest.raises(RuleViolation):
        services.reses_batch_submit(reses=reses, rows=[row()], actor=world.member, batch_key="NOT HEX")
    services.reses_mark_held(reses=reses, actor=world.member, attendee_count=10)
    services.reses_mark_reported(reses=reses, actor=world.member)
    with pytest.raises(RuleViolation):
        services.reses_batch_submit(reses=reses, rows=[row()], actor=world.member, batch_key="c" * 32)
    assert Aspiration.objects.count() == 0


# --- pokir ---------------------------------------------------------------------------------------


def test_pokir_full_lifecycle_with_history_log_and_trail_events(world: World) -> None:
    linked = [AspirationFactory(), AspirationFactory()]
    before = log_count()
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), aspirations=linked)
    assert item.member == world.member.person and item.status == PokirStatus.PROPOSED
    steps = [
        (world.setwan, PokirStatus.VERIFIED),
        (world.bappeda, PokirStatus.VALIDATED),
        (world.bappeda, PokirStatus.IN_RKPD),
        (world.bpkad, PokirStatus.BUDGETED),
        (world.opd_officer, PokirStatus.REALISED),
    ]
    for actor, status in steps:
        item = services.pokir_transition(item=item, actor=actor, to_status=status, note="ok")
        assert item.status == status
    assert list(PokirStatusChange.objects.filter(item=item).values_list("to_status", flat=True)) == [
        PokirStatus.PROPOSED,
        *[s for _, s in steps],
    ]
    assert log_count() == before + 6
    for aspiration in linked:
        events = AspirationEvent.objects.filter(aspiration=aspiration, kind=EventKind.PLANNING)
        assert events.count() == 6
        assert events.last().ledger_entry.event_type == "pokir.item_status_changed"  # type: ignore[union-attr]
    history = PokirStatusChange.objects.filter(item=item).last()
    assert history is not None and history.actor_label == world.opd.name


@pytest.mark.parametrize(
    ("status", "wrong_actor"),
    [
        (PokirStatus.VERIFIED, "bappeda"),
        (PokirStatus.VERIFIED, "member"),
        (PokirStatus.VERIFIED, "opd_officer"),
    ],
)
def test_pokir_step_by_the_wrong_institution_is_refused(world: World, status: str, wrong_actor: str) -> None:
    item = services.pokir_propose(actor=world.member, data=pokir_input(world))
    before = log_count()
    with pytest.raises(NotPermitted):
        services.pokir_transition(item=item, actor=getattr(world, wrong_actor), to_status=status)
    assert log_count() == before


def test_pokir_cannot_skip_steps_and_reject_needs_reason(world: World) -> None:
    item = services.pokir_propose(actor=world.member, data=pokir_input(world))
    with pytest.raises(InvalidTransition):
        services.pokir_transition(item=item, actor=world.admin, to_status=PokirStatus.IN_RKPD)
    with pytest.raises(RuleViolation):
        services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.REJECTED, note="")
    item = services.pokir_transition(
        item=item, actor=world.setwan, to_status=PokirStatus.REJECTED, note="Lokasi tidak lengkap"
    )
    assert item.status == PokirStatus.REJECTED and item.rejection_reason == "Lokasi tidak lengkap"
    with pytest.raises(InvalidTransition):  # rejected is final
        services.pokir_transition(item=item, actor=world.admin, to_status=PokirStatus.VERIFIED)


def test_only_the_next_steps_institution_may_reject(world: World) -> None:
    item = services.pokir_propose(actor=world.member, data=pokir_input(world))
    item = services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    with pytest.raises(NotPermitted):  # Setwan's step is done; Bappeda decides now
        services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.REJECTED, note="x")
    services.pokir_transition(item=item, actor=world.bappeda, to_status=PokirStatus.REJECTED, note="Bukan prioritas")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("program_code", "1.3.2"),
        ("activity_code", "1.03.03.2.01"),  # not under programme 1.03.02
        ("sub_activity_code", "1.03.02.2.01.12345"),
        ("sub_activity_code", "1.03.02.2.02.0012"),
        ("volume", Decimal("-1")),
        ("budget_estimate", Decimal("1e20")),
        ("fiscal_year", 1999),
        ("title", ""),
        ("title", "x" * 201),
        ("location_text", "a\x00b"),
    ],
)
def test_pokir_bad_fields_are_refused(world: World, field: str, value: Any) -> None:
    before = log_count()
    with pytest.raises(RuleViolation):
        services.pokir_propose(actor=world.member, data=pokir_input(world, **{field: value}))
    assert log_count() == before


def test_pokir_accepts_two_digit_sub_activity_and_cross_cutting_programmes(world: World) -> None:
    services.check_budget_codes("X.XX.01", "X.XX.01.2.02", "X.XX.01.2.02.01")
    services.pokir_propose(
        actor=world.member,
        data=pokir_input(
            world, program_code="1.03.02", activity_code="1.03.02.2.01", sub_activity_code="1.03.02.2.01.12"
        ),
    )


def test_pokir_propose_refused_for_others(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.pokir_propose(actor=world.opd_officer, data=pokir_input(world))
    with pytest.raises(RuleViolation):
        services.pokir_propose(actor=world.member, data=pokir_input(world, opd=world.dprd))
    with pytest.raises(RuleViolation):
        services.pokir_propose(actor=world.member, data=pokir_input(world, komisi=world.opd))


def _png(size: tuple[int, int] = (8, 8)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_pokir_photo_is_checked_and_reencoded(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = services.pokir_propose(actor=world.member, data=pokir_input(world), photo=("lokasi.png", _png()))
    assert item.photo.name.endswith(".jpg")
    with pytest.raises(RuleViolation):
        services.pokir_propose(actor=world.member, data=pokir_input(world), photo=("x.jpg", b"<html>not an image"))
    with pytest.raises(RuleViolation):
        services.pokir_propose(actor=world.member, data=pokir_input(world), photo=("x.png", _png()[:40]))


# --- Musrenbang ----------------------------------------------------------------------------------


def _chain(world: World) -> tuple[Any, Any, Any]:
    kel = services.musrenbang_open(
        actor=world.kelurahan_officer,
        organiser=world.kelurahan_office,
        data=services.MusrenbangInput(
            level=MusrenbangLevel.KELURAHAN,
            fiscal_year=2028,
            region=world.kelurahan,
            title="Musrenbang Kelurahan Kepanjenkidul",
            place="Aula kelurahan",
            held_on=dt.date(2027, 1, 20),
        ),
    )
    kec = services.musrenbang_open(
        actor=world.kecamatan_officer,
        organiser=world.kecamatan_office,
        data=services.MusrenbangInput(
            level=MusrenbangLevel.KECAMATAN,
            fiscal_year=2028,
            region=world.kecamatan,
            title="Musrenbang Kecamatan Kepanjenkidul",
            place="Pendopo kecamatan",
            held_on=dt.date(2027, 2, 10),
        ),
    )
    kota = services.musrenbang_open(
        actor=world.bappeda,
        organiser=world.bappeda.person.memberships.first().organisation,
        data=services.MusrenbangInput(
            level=MusrenbangLevel.KOTA,
            fiscal_year=2028,
            region=None,
            title="Musrenbang RKPD Kota Blitar 2028",
            place="Kantor Bappeda",
            held_on=dt.date(2027, 3, 10),
        ),
    )
    return kel, kec, kota


def test_musrenbang_chain_forwards_to_rkpd_with_trail(world: World) -> None:
    from sinergi.planning.selectors import planning_trail

    aspiration = AspirationFactory(region=world.kelurahan)
    kel, kec, kota = _chain(world)
    proposal = services.musrenbang_proposal_add(
        musrenbang=kel,
        actor=world.kelurahan_officer,
        data=services.ProposalInput(title="Paving gang Melati", priority=1, kelurahan=world.kelurahan, opd=world.opd),
        aspirations=[aspiration],
    )
    services.musrenbang_delegate_add(
        musrenbang=kel, actor=world.kelurahan_officer, name="Pak RW", origin="RW 03", elected_to_next_level=True
    )
    services.musrenbang_proposal_decide(
        proposal=proposal, actor=world.kelurahan_officer, to_status=ProposalStatus.AGREED
    )
    at_kec = services.musrenbang_proposal_forward(proposal=proposal, actor=world.kelurahan_officer)
    assert at_kec.musrenbang == kec and at_kec.parent == proposal and list(at_kec.aspirations.all()) == [aspiration]
    services.musrenbang_proposal_decide(proposal=at_kec, actor=world.kecamatan_officer, to_status=ProposalStatus.AGREED)
    at_kota = services.musrenbang_proposal_forward(proposal=at_kec, actor=world.kecamatan_officer)
    services.musrenbang_proposal_decide(proposal=at_kota, actor=world.bappeda, to_status=ProposalStatus.AGREED)
    closed = services.musrenbang_close(musrenbang=kota, actor=world.bappeda, berita_acara="Disepakati 1 usulan.")
    assert closed.status == MusrenbangStatus.CLOSED
    assert closed.berita_acara_sha256 == hashlib.sha256(b"Disepakati 1 usulan.").hexdigest()
    services.musrenbang_proposal_decide(proposal=at_kota, actor=world.bappeda, to_status=ProposalStatus.IN_RKPD)

    steps = planning_trail(aspiration)
    assert [(s.level, s.status) for s in steps] == [
        ("kelurahan", "forwarded"),
        ("kecamatan", "forwarded"),
        ("kota", "in_rkpd"),
    ]
    assert steps[-1].final
    texts = list(
        AspirationEvent.objects.filter(aspiration=aspiration, kind=EventKind.PLANNING).values_list(
            "public_text", flat=True
        )
    )
    assert len(texts) == 7  # added, agreed, forwarded ×2 (agreed at kec), agreed at kota, in RKPD
    assert "Masuk RKPD" in texts[-1]


def test_musrenbang_refusals(world: World) -> None:
    kel, kec, _kota = _chain(world)
    with pytest.raises(RuleViolation):  # one per level, region and year
        services.musrenbang_open(
            actor=world.kelurahan_officer,
            organiser=world.kelurahan_office,
            data=services.MusrenbangInput(
                level=MusrenbangLevel.KELURAHAN,
                fiscal_year=2028,
                region=world.kelurahan,
                title="x",
                place="y",
                held_on=dt.date(2027, 1, 1),
            ),
        )
    with pytest.raises(RuleViolation):  # a kecamatan is not a kelurahan
        services.musrenbang_open(
            actor=world.admin,
            organiser=world.kelurahan_office,
            data=services.MusrenbangInput(
                level=MusrenbangLevel.KELURAHAN,
                fiscal_year=2029,
                region=world.kecamatan,
                title="x",
                place="y",
                held_on=dt.date(2027, 1, 1),
            ),
        )
    with pytest.raises(NotPermitted):
        services.musrenbang_open(
            actor=world.member,
            organiser=world.kelurahan_office,
            data=services.MusrenbangInput(
                level=MusrenbangLevel.KELURAHAN,
                fiscal_year=2029,
                region=world.kelurahan,
                title="x",
                place="y",
                held_on=dt.date(2027, 1, 1),
            ),
        )
    proposal = services.musrenbang_proposal_add(
        musrenbang=kel, actor=world.kelurahan_officer, data=services.ProposalInput(title="Lampu jalan", priority=1)
    )
    with pytest.raises(NotPermitted):  # only the organiser (or Bappeda) runs the forum
        services.musrenbang_proposal_add(
            musrenbang=kel, actor=world.opd_officer, data=services.ProposalInput(title="x", priority=2)
        )
    with pytest.raises(InvalidTransition):  # must be agreed before forwarding
        services.musrenbang_proposal_forward(proposal=proposal, actor=world.kelurahan_officer)
    with pytest.raises(RuleViolation):  # in RKPD only at kota level
        services.musrenbang_proposal_decide(
            proposal=proposal, actor=world.kelurahan_officer, to_status=ProposalStatus.AGREED
        )
        services.musrenbang_proposal_decide(
            proposal=proposal, actor=world.kelurahan_officer, to_status=ProposalStatus.IN_RKPD
        )
    with pytest.raises(RuleViolation):  # reason required
        services.musrenbang_proposal_decide(
            proposal=proposal, actor=world.kelurahan_officer, to_status=ProposalStatus.REJECTED
        )
    services.musrenbang_close(musrenbang=kec, actor=world.kecamatan_officer, berita_acara="Tidak ada usulan.")
    with pytest.raises(RuleViolation):  # the next level is closed
        services.musrenbang_proposal_forward(proposal=proposal, actor=world.kelurahan_officer)
    with pytest.raises(RuleViolation):
        services.musrenbang_delegate_add(musrenbang=kec, actor=world.kecamatan_officer, name="x", origin="y")


def test_close_refused_with_undecided_proposals(world: World) -> None:
    kel, _kec, _kota = _chain(world)
    services.musrenbang_proposal_add(
        musrenbang=kel, actor=world.kelurahan_officer, data=services.ProposalInput(title="Lampu jalan", priority=1)
    )
    before = log_count()
    with pytest.raises(RuleViolation):
        services.musrenbang_close(musrenbang=kel, actor=world.kelurahan_officer, berita_acara="Selesai.")
    assert log_count() == before


def test_pokir_photo_replaced_by_the_proposer_only_while_proposed(world: World, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    item = services.pokir_propose(actor=world.member, data=pokir_input(world))
    before = log_count()
    item = services.pokir_set_photo(item=item, actor=world.member, photo=("a.png", _png()))
    assert item.photo.name.endswith(".jpg") and log_count() == before + 1
    with pytest.raises(NotPermitted):
        services.pokir_set_photo(item=item, actor=world.setwan, photo=("a.png", _png()))
    item = services.pokir_transition(item=item, actor=world.setwan, to_status=PokirStatus.VERIFIED)
    with pytest.raises(RuleViolation):
        services.pokir_set_photo(item=item, actor=world.member, photo=("a.png", _png()))


def test_reses_is_the_members_own_but_setwan_may_enter_for_them(world: World) -> None:
    from sinergi.actors.tests.factories import MembershipFactory, PersonFactory, role

    reses = open_reses(world)
    colleague = MembershipFactory(
        person=PersonFactory(full_name="Anggota lain"), organisation=world.dprd, role=role("anggota-dprd")
    ).person.user
    with pytest.raises(NotPermitted):
        services.reses_mark_held(reses=reses, actor=colleague, attendee_count=5)
    services.reses_batch_submit(reses=reses, rows=[row()], actor=world.setwan, batch_key="9" * 32)
    assert reses.aspirations.count() == 1


def test_musrenbang_organiser_must_fit_the_level_and_region(world: World) -> None:
    other_kelurahan = Region.objects.get(code="35.72.01.1002")
    for organiser, level, region in (
        (world.kelurahan_office, MusrenbangLevel.KOTA, None),
        (world.kelurahan_office, MusrenbangLevel.KECAMATAN, world.kecamatan),
        (world.kelurahan_office, MusrenbangLevel.KELURAHAN, other_kelurahan),
        (world.opd, MusrenbangLevel.KELURAHAN, world.kelurahan),
    ):
        with pytest.raises(RuleViolation):
            services.musrenbang_open(
                actor=world.admin,
                organiser=organiser,
                data=services.MusrenbangInput(
                    level=level, fiscal_year=2030, region=region, title="x", place="y", held_on=dt.date(2029, 1, 1)
                ),
            )

import pytest
from django.core.management import call_command

from sinergi.actors.loaders import kota_blitar_institutions
from sinergi.actors.models import Membership, Organisation, Person
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.selectors import ledger_verify_chain
from sinergi.regions.models import Region

pytestmark = pytest.mark.django_db


def test_load_kota_blitar_builds_the_real_institutions(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_kota_blitar")

    assert Region.objects.filter(parent_id="35.72", level=3).count() == 3
    assert Region.objects.filter(parent__parent_id="35.72", level=4).count() == 21

    pemkot = Organisation.objects.get(slug="pemerintah-kota-blitar")
    assert pemkot.region_id == "35.72" and pemkot.kind.code == "pemkot"
    kecamatan = Organisation.objects.filter(kind__code="kecamatan")
    assert kecamatan.count() == 3 and all(k.parent == pemkot and k.region.level == 3 for k in kecamatan)
    kelurahan = Organisation.objects.filter(kind__code="kelurahan").select_related("parent", "region")
    assert kelurahan.count() == 21
    for office in kelurahan:
        assert office.region.level == 4
        assert office.parent.region_id == office.region.parent_id  # its own kecamatan's office
    bendogerit = Organisation.objects.get(slug="kelurahan-bendogerit")
    assert bendogerit.parent.slug == "kecamatan-sananwetan" and bendogerit.region_id == "35.72.03.1007"

    for slug in ("sekretariat-daerah", "sekretariat-dprd", "inspektorat-daerah", "bappeda", "bpkad", "bkd"):
        assert Organisation.objects.get(slug=slug).parent == pemkot
    assert Organisation.objects.get(slug="bagian-umum").parent.slug == "sekretariat-daerah"
    assert Organisation.objects.filter(kind__code="opd", parent=pemkot, name__startswith="Dinas ").count() == 17
    assert Organisation.objects.get(slug="rsud-mardi-waluyo").parent.slug == "dinas-kesehatan"
    assert Organisation.objects.get(short_name="Satpol PP").parent == pemkot
    renamed = Organisation.objects.get(slug="dinas-pariwisata-dan-kebudayaan")
    assert renamed.aliases.filter(name="Dinas Kebudayaan dan Pariwisata").exists()

    dprd = Organisation.objects.get(slug="dprd-kota-blitar")
    assert dprd.seat_count == 25 and dprd.sector.code == "legislatif" and dprd.region_id == "35.72"
    komisi = Organisation.objects.filter(kind__code="komisi", parent=dprd)
    assert sorted(k.short_name for k in komisi) == ["Komisi I", "Komisi II", "Komisi III"]
    fraksi = Organisation.objects.filter(kind__code="fraksi", parent=dprd)
    assert fraksi.count() == 5
    assert sum(f.seat_count for f in fraksi) == 25
    assert {f.valid_from.isoformat() for f in fraksi} == {"2024-09-06"}
    assert Organisation.objects.get(slug="fraksi-pdip-gerindra").seat_count == 10

    ketua = Person.objects.get(slug="syahrul-alim")
    assert ketua.is_listed and ketua.user is None
    assert Membership.objects.filter(person=ketua, organisation=dprd, role__code="ketua").exists()
    assert Membership.objects.filter(organisation=dprd, role__code="wakil-ketua").count() == 2

    # Everything went through the services: one log entry per organisation, the chain intact.
    assert (
        LedgerEntry.objects.filter(event_type=LedgerEvent.ORGANISATION_CREATED).count() == Organisation.objects.count()
    )
    assert LedgerEntry.objects.filter(event_type=LedgerEvent.MEMBERSHIP_STARTED).count() == Membership.objects.count()
    assert list(ledger_verify_chain()) == []
    assert "organisasi baru" in capsys.readouterr().out


def test_load_kota_blitar_is_idempotent() -> None:
    call_command("load_kota_blitar")
    counts = (Organisation.objects.count(), Person.objects.count(), Membership.objects.count())
    entries = LedgerEntry.objects.count()
    call_command("load_kota_blitar")
    assert (Organisation.objects.count(), Person.objects.count(), Membership.objects.count()) == counts
    # A re-run records only its region import run.
    new = LedgerEntry.objects.filter(sequence__gt=entries)
    assert [entry.event_type for entry in new] == [LedgerEvent.REGION_IMPORTED]


def test_shipped_institution_data_is_consistent() -> None:
    data = kota_blitar_institutions()
    slugs = [entry["slug"] for entry in data["organisations"]]
    assert len(slugs) == len(set(slugs))
    seen: set[str] = set()
    for entry in data["organisations"]:
        assert entry.get("parent") is None or entry["parent"] in seen, entry["slug"]
        seen.add(entry["slug"])
    people = {person["slug"] for person in data["people"]}
    assert all(m["person"] in people and m["organisation"] in seen for m in data["memberships"])

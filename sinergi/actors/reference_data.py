"""The platform's reference data: sectors, organisation kinds and membership roles.

These are data an administrator may edit afterwards; this module only seeds the defaults
that DESIGN.md §4.1 names. Loading is idempotent.
"""

from django.db import transaction

from sinergi.actors.models import MembershipRole, OrganisationKind, Sector
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

# code, name, is_state, description
SECTORS = [
    ("pemerintah", "Pemerintah", True, "Pemerintah kota, OPD, kecamatan, dan kelurahan"),
    ("legislatif", "Legislatif", True, "DPRD, komisi, dan fraksi"),
    ("swasta", "Swasta", False, "Perusahaan, asosiasi usaha, dan UMKM"),
    ("masyarakat", "Masyarakat", False, "LSM, RT/RW, LPMK, PKK, komunitas, dan warga"),
    ("pemuda", "Pemuda", False, "Karang Taruna, KNPI, organisasi mahasiswa dan kepemudaan"),
    ("akademisi", "Akademisi", False, "Perguruan tinggi dan lembaga penelitian"),
    ("media", "Media", False, "Media massa dan jurnalis"),
]

# code, name, default sector, is_public_institution
ORGANISATION_KINDS = [
    ("pemkot", "Pemerintah kota", "pemerintah", True),
    ("opd", "Perangkat daerah (OPD)", "pemerintah", True),
    ("bagian", "Bagian/unit kerja", "pemerintah", True),
    ("kecamatan", "Kecamatan", "pemerintah", True),
    ("kelurahan", "Kelurahan", "pemerintah", True),
    ("dprd", "DPRD", "legislatif", True),
    ("komisi", "Komisi DPRD", "legislatif", True),
    ("fraksi", "Fraksi DPRD", "legislatif", False),
    ("alat-kelengkapan", "Alat kelengkapan DPRD", "legislatif", True),
    ("instansi-vertikal", "Instansi vertikal", "pemerintah", False),
    ("perusahaan", "Perusahaan", "swasta", False),
    ("asosiasi-usaha", "Asosiasi usaha", "swasta", False),
    ("umkm", "UMKM", "swasta", False),
    ("lsm", "LSM/organisasi masyarakat sipil", "masyarakat", False),
    ("rt-rw", "RT/RW", "masyarakat", False),
    ("lpmk", "LPMK", "masyarakat", False),
    ("pkk", "PKK", "masyarakat", False),
    ("komunitas", "Komunitas", "masyarakat", False),
    ("karang-taruna", "Karang Taruna", "pemuda", False),
    ("organisasi-pemuda", "Organisasi kepemudaan", "pemuda", False),
    ("organisasi-mahasiswa", "Organisasi mahasiswa", "pemuda", False),
    ("perguruan-tinggi", "Perguruan tinggi", "akademisi", False),
    ("lembaga-penelitian", "Lembaga penelitian", "akademisi", False),
    ("media", "Media massa", "media", False),
]

# code, name, acts_for_organisation, is_leadership
MEMBERSHIP_ROLES = [
    ("kepala", "Kepala/pimpinan", True, True),
    ("ketua", "Ketua", True, True),
    ("wakil-ketua", "Wakil ketua", True, True),
    ("sekretaris", "Sekretaris", True, False),
    ("staf", "Staf/petugas", True, False),
    ("anggota-dprd", "Anggota DPRD", True, False),
    ("perwakilan", "Perwakilan resmi", True, False),
    ("anggota", "Anggota", False, False),
]


@transaction.atomic
def reference_data_load(*, actor: object = None) -> dict[str, int]:
    """Create any missing default sectors, kinds and roles; one log entry if anything was added."""
    created = {"sectors": 0, "organisation_kinds": 0, "membership_roles": 0}
    sectors = {}
    for order, (code, name, is_state, description) in enumerate(SECTORS):
        sector, made = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "is_state": is_state, "description": description, "order": order}
        )
        sectors[code] = sector
        created["sectors"] += made
    for order, (code, name, sector_code, is_public) in enumerate(ORGANISATION_KINDS):
        _, made = OrganisationKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_sector": sectors[sector_code],
                "is_public_institution": is_public,
                "order": order,
            },
        )
        created["organisation_kinds"] += made
    for order, (code, name, acts_for, leadership) in enumerate(MEMBERSHIP_ROLES):
        _, made = MembershipRole.objects.get_or_create(
            code=code,
            defaults={"name": name, "acts_for_organisation": acts_for, "is_leadership": leadership, "order": order},
        )
        created["membership_roles"] += made
    if any(created.values()):
        ledger_record(
            event=LedgerEvent.REFERENCE_DATA_LOADED,
            actor=actor,
            subject_type="platform",
            subject_id="reference-data",
            data=created,
        )
    return created

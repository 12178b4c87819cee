"""Planning in the demo: one reses per dapil (aspirations through the batch service), pokir items
along SIPD's flow, and a kelurahan → kecamatan → kota Musrenbang chain. Everything goes through the
services. Needs the demo people (`dprd`, `bappeda`) and the real Kota Blitar institutions; the
officers it adds for Setwan, BPKAD, Dinas PUPR and the Kepanjenkidul offices are fictional "(demo)"."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from sinergi.accounts.models import User
from sinergi.actors.models import MembershipRole, Organisation
from sinergi.actors.services import membership_start, person_create
from sinergi.aspirations.models import Aspiration
from sinergi.planning import services
from sinergi.planning.importer import BatchRow
from sinergi.planning.models import Musrenbang, PokirItem, Reses
from sinergi.planning.predicates import dprd_bodies
from sinergi.planning.states import MusrenbangLevel, PokirStatus, ProposalStatus
from sinergi.regions.models import Region

DEMO_PASSWORD = "demo-Sakti-2026"  # noqa: S105  (the published demo password)

# username, full name, organisation slug, title
OFFICERS = [
    ("setwan", "Rina Kartika (demo)", "sekretariat-dprd", "Analis Persidangan"),
    ("bpkad", "Hendra Wijaya (demo)", "bpkad", "Analis Anggaran"),
    ("pupr", "Teguh Prasetyo (demo)", "dinas-pupr", "Perencana Teknis"),
    ("kel-kepanjenkidul", "Lilis Suryani (demo)", "kelurahan-kepanjenkidul", "Sekretaris Kelurahan"),
    ("kec-kepanjenkidul", "Bambang Irawan (demo)", "kecamatan-kepanjenkidul", "Kasi Pemerintahan"),
]

# Per dapil (kecamatan code): what residents raised, as (kelurahan, category slug or "", title, text).
RESES_ROWS: dict[str, list[tuple[str, str, str]]] = {
    "35.72.01": [
        (
            "Kepanjenkidul",
            "Saluran air di gang Melati mampet",
            "Saluran di gang Melati RT 02 RW 03 mampet, tiap hujan air masuk rumah.",
        ),
        (
            "Ngadirejo",
            "Lampu jalan mati di Jl. Cokroaminoto",
            "Tiga lampu PJU mati sejak bulan lalu, rawan kecelakaan malam hari.",
        ),
        ("Sentul", "Paving gang rusak", "Paving gang di RW 05 banyak yang lepas, anak-anak sering jatuh."),
        (
            "Kauman",
            "Posyandu butuh timbangan baru",
            "Timbangan bayi di posyandu RW 02 rusak, kader meminjam dari RW lain.",
        ),
    ],
    "35.72.02": [
        (
            "Sukorejo",
            "Jalan berlubang di Jl. Sudanco Supriyadi",
            "Lubang besar dekat pertigaan, sudah ada pengendara motor jatuh.",
        ),
        ("Karangsari", "Pelatihan UMKM untuk ibu-ibu", "Ibu-ibu PKK ingin pelatihan pengemasan dan pemasaran daring."),
        ("Tanjungsari", "Drainase meluap saat hujan", "Air dari saluran meluap ke jalan dan masuk halaman warga."),
    ],
    "35.72.03": [
        ("Bendogerit", "Taman bermain anak rusak", "Ayunan dan perosotan di taman RW 04 berkarat dan patah."),
        ("Sananwetan", "Sampah menumpuk di TPS", "Pengangkutan sampah di TPS dekat pasar hanya dua kali seminggu."),
        ("Rembang", "Penerangan jalan di jalur sekolah", "Jalan menuju SD gelap saat subuh, anak-anak berangkat pagi."),
    ],
}


@dataclass
class SeededPlanning:
    reses: list[Reses] = field(default_factory=list)
    pokir: list[PokirItem] = field(default_factory=list)
    musrenbang: list[Musrenbang] = field(default_factory=list)


def _officer(username: str, full_name: str, slug: str, title: str, today: dt.date) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    organisation = Organisation.objects.get(slug=slug)
    user = User(username=username, email=f"{username}@demo.sinergi.test")
    user.set_password(DEMO_PASSWORD)
    user.save()
    person = person_create(actor=None, full_name=full_name, user=user, is_listed=True, public_title=title)
    membership_start(
        actor=None,
        person=person,
        organisation=organisation,
        role=MembershipRole.objects.get(code="staf"),
        title=title,
        valid_from=today - dt.timedelta(days=500),
    )
    return user


def _pokir(
    member: User, opd: str, title: str, aspirations: list[Aspiration], kelurahan: Region | None, year: int, n: int
) -> PokirItem:
    return services.pokir_propose(
        actor=member,
        data=services.PokirInput(
            title=title,
            description=f"Disarikan dari aspirasi warga pada reses: {title.lower()}.",
            location_text=f"{kelurahan.name if kelurahan else 'Kota Blitar'}, RW 0{n + 1}",
            kelurahan=kelurahan,
            volume=Decimal(100 + 50 * n),
            unit="meter" if n != 1 else "titik",
            target_group="Warga kelurahan setempat",
            opd=Organisation.objects.get(slug=opd),
            komisi=Organisation.objects.filter(slug="komisi-iii").first(),
            program_code="1.03.02",
            program_name="Program Pengelolaan Sumber Daya Air",
            activity_code="1.03.02.2.01",
            activity_name="Pengelolaan SDA dan Bangunan Pengaman Pantai pada Wilayah Sungai",
            sub_activity_code="1.03.02.2.01.0012",
            sub_activity_name="Pembangunan/Rehabilitasi Saluran Drainase",
            budget_estimate=Decimal(150_000_000 + 25_000_000 * n),
            fiscal_year=year,
        ),
        aspirations=aspirations,
    )


@transaction.atomic
def seed_planning(now: dt.datetime) -> SeededPlanning:
    """Idempotent: does nothing when a reses of the demo member already exists."""
    seeded = SeededPlanning()
    member = User.objects.filter(username="dprd").first()
    bappeda = User.objects.filter(username="bappeda").first()
    if member is None or bappeda is None:
        raise RuntimeError("seed_planning needs the demo accounts `dprd` and `bappeda` (run after the demo people)")
    if Reses.objects.filter(member__user=member).exists():
        return seeded
    today = now.date()
    officers = {username: _officer(username, name, slug, title, today) for username, name, slug, title in OFFICERS}
    body = dprd_bodies(member).order_by("kind__order").first()
    if body is None:
        raise RuntimeError("the demo member `dprd` acts for no DPRD body")
    year = today.year + 1

    # Reses: one per dapil (= kecamatan), aspirations through the batch service.
    by_kecamatan: dict[str, list[Aspiration]] = {}
    for number, (code, rows) in enumerate(RESES_ROWS.items(), start=1):
        kecamatan = Region.objects.get(code=code)
        reses = services.reses_open(
            actor=member,
            organisation=body,
            data=services.ResesInput(
                dapil=f"Dapil {number} {kecamatan.name}",
                kecamatan=kecamatan,
                masa_sidang=f"Masa Sidang I {today.year}",
                held_on=today - dt.timedelta(days=40 - number),
                place=f"Pendopo Kecamatan {kecamatan.name}",
                attendee_count=0,
            ),
        )
        services.reses_mark_held(reses=reses, actor=member, attendee_count=60 + 15 * number)
        batch = [BatchRow(kelurahan=k, title=t, text=x, privacy="public") for k, t, x in rows]
        key = hashlib.sha256(f"demo-reses-{code}".encode()).hexdigest()[:32]
        result = services.reses_batch_submit(reses=reses, rows=batch, actor=member, batch_key=key)
        by_kecamatan[code] = result.aspirations
        if number < 3:
            services.reses_mark_reported(reses=reses, actor=member)
        seeded.reses.append(reses)

    # Pokir: one realised, one in RKPD, one rejected by Setwan.
    first, second, third = by_kecamatan["35.72.01"], by_kecamatan["35.72.02"], by_kecamatan["35.72.03"]
    realised = _pokir(member, "dinas-pupr", "Normalisasi saluran gang Melati", first[:1], first[0].region, year, 0)
    for actor, status in (
        (officers["setwan"], PokirStatus.VERIFIED),
        (bappeda, PokirStatus.VALIDATED),
        (bappeda, PokirStatus.IN_RKPD),
        (officers["bpkad"], PokirStatus.BUDGETED),
        (officers["pupr"], PokirStatus.REALISED),
    ):
        realised = services.pokir_transition(item=realised, actor=actor, to_status=status, note="")
    in_rkpd = _pokir(
        member,
        "dinas-pupr",
        "Rehabilitasi drainase Jl. Sudanco Supriyadi",
        [second[0], second[2]],
        second[0].region,
        year,
        1,
    )
    for actor, status in (
        (officers["setwan"], PokirStatus.VERIFIED),
        (bappeda, PokirStatus.VALIDATED),
        (bappeda, PokirStatus.IN_RKPD),
    ):
        in_rkpd = services.pokir_transition(item=in_rkpd, actor=actor, to_status=status, note="")
    rejected = _pokir(member, "dinas-pupr", "Penerangan jalur sekolah Rembang", third[2:3], third[2].region, year, 2)
    rejected = services.pokir_transition(
        item=rejected,
        actor=officers["setwan"],
        to_status=PokirStatus.REJECTED,
        note="Foto dan titik koordinat lokasi belum dilampirkan; diusulkan ulang tahun depan.",
    )
    seeded.pokir = [realised, in_rkpd, rejected]

    # Musrenbang: kelurahan → kecamatan → kota.
    kelurahan = Region.objects.get(code="35.72.01.1001")
    lurah, camat = officers["kel-kepanjenkidul"], officers["kec-kepanjenkidul"]
    chain = [
        (lurah, "kelurahan-kepanjenkidul", MusrenbangLevel.KELURAHAN, kelurahan, "Musrenbang Kelurahan Kepanjenkidul"),
        (
            camat,
            "kecamatan-kepanjenkidul",
            MusrenbangLevel.KECAMATAN,
            kelurahan.parent,
            "Musrenbang Kecamatan Kepanjenkidul",
        ),
        (bappeda, "bappeda", MusrenbangLevel.KOTA, None, "Musrenbang RKPD Kota Blitar"),
    ]
    forums = []
    for offset, (actor, slug, level, region, title) in enumerate(chain):
        forums.append(
            services.musrenbang_open(
                actor=actor,
                organiser=Organisation.objects.get(slug=slug),
                data=services.MusrenbangInput(
                    level=level,
                    fiscal_year=year,
                    region=region,
                    title=f"{title} {year}",
                    place=f"Aula {Organisation.objects.get(slug=slug).name}",
                    held_on=today - dt.timedelta(days=30 - 10 * offset),
                ),
            )
        )
    kel, kec, kota = forums
    paving = services.musrenbang_proposal_add(
        musrenbang=kel,
        actor=lurah,
        data=services.ProposalInput(
            title="Perbaikan paving gang RW 05",
            priority=1,
            kelurahan=kelurahan,
            opd=Organisation.objects.get(slug="dinas-perkim"),
            volume=Decimal(120),
            unit="meter persegi",
        ),
        aspirations=first[2:3],
    )
    scales = services.musrenbang_proposal_add(
        musrenbang=kel,
        actor=lurah,
        data=services.ProposalInput(title="Timbangan posyandu RW 02", priority=2, kelurahan=kelurahan),
        aspirations=first[3:4],
    )
    services.musrenbang_delegate_add(
        musrenbang=kel, actor=lurah, name="Sutrisno (demo)", origin="LPMK", elected_to_next_level=True
    )
    services.musrenbang_delegate_add(
        musrenbang=kel, actor=lurah, name="Endang (demo)", origin="PKK", elected_to_next_level=True
    )
    services.musrenbang_proposal_decide(proposal=paving, actor=lurah, to_status=ProposalStatus.AGREED)
    services.musrenbang_proposal_decide(
        proposal=scales,
        actor=lurah,
        to_status=ProposalStatus.REJECTED,
        reason="Dibiayai Dana Kelurahan tahun berjalan, tidak perlu diusulkan ke kota.",
    )
    at_kec = services.musrenbang_proposal_forward(proposal=paving, actor=lurah)
    services.musrenbang_close(
        musrenbang=kel,
        actor=lurah,
        berita_acara="Musrenbang Kelurahan Kepanjenkidul menyepakati 1 usulan prioritas dan memilih 2 delegasi.",
    )
    services.musrenbang_proposal_decide(proposal=at_kec, actor=camat, to_status=ProposalStatus.AGREED)
    at_kota = services.musrenbang_proposal_forward(proposal=at_kec, actor=camat)
    services.musrenbang_close(
        musrenbang=kec, actor=camat, berita_acara="Musrenbang Kecamatan Kepanjenkidul meneruskan 1 usulan ke kota."
    )
    services.musrenbang_proposal_decide(proposal=at_kota, actor=bappeda, to_status=ProposalStatus.AGREED)
    services.musrenbang_close(
        musrenbang=kota, actor=bappeda, berita_acara=f"Musrenbang RKPD Kota Blitar {year} menyepakati usulan prioritas."
    )
    services.musrenbang_proposal_decide(proposal=at_kota, actor=bappeda, to_status=ProposalStatus.IN_RKPD)
    seeded.musrenbang = forums
    return seeded

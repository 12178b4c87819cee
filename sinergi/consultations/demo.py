"""Demo consultations: one open Kota Blitar consultation voted on by synthetic participants, and one closed
consultation imported from a real Polis conversation (CC BY 4.0, see `data/README.md`).

The open consultation is built through the real services (create, open, join, vote, submit, moderate), replayed
with the clock set to each act's moment. Its ~300 participants are fictional and anonymous (random browser keys):
they sit in three latent opinion groups — "pedestrians first", "street vendors' livelihoods", "heritage and
greenery" — with sectors and kelurahan skewed by group, and vote by each statement's stance per group, in the
spirit of `sinergi.opinion.engine.synthetic`. Some statements are common ground across all three groups.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts.models import User
from sinergi.actors.models import Organisation, Sector
from sinergi.consultations.models import Consultation, Participant, Statement, Vote
from sinergi.consultations.polis_io import consultation_import_polis, read_polis_export

KOTA_SLUG_TITLE = "Penataan Alun-Alun dan Kawasan Makam Bung Karno"
POLIS_DEMO_DIR = "scoop-hivemind.ubi"
SEED = 20261127
# freezegun scans every loaded module when it starts; these never read the clock, and scanning scipy's lazy
# submodules imports them all (seconds).
UNFROZEN_MODULES = ["scipy", "numpy", "sklearn", "threadpoolctl", "joblib"]

# Stance of each latent group (A pedestrians first, B street vendors' livelihoods, C heritage and greenery):
# +1 tends to agree, −1 tends to disagree, 0 divided.
SEED_STATEMENTS: list[tuple[str, tuple[int, int, int]]] = [
    ("Trotoar di sekeliling alun-alun harus bebas dari lapak dan parkir.", (1, -1, 1)),
    ("PKL alun-alun cukup ditata di tempat, tidak perlu dipindah.", (-1, 1, -1)),
    ("PKL dipindah ke satu sentra kuliner dekat alun-alun dengan sewa murah.", (1, -1, -1)),
    ("Jalan di sisi utara alun-alun ditutup untuk kendaraan pada akhir pekan.", (1, -1, 1)),
    ("Parkir wisatawan Makam Bung Karno dipusatkan di kantong parkir, lalu jalan kaki atau naik shuttle.", (1, -1, 1)),
    ("Pedagang suvenir di jalur Makam Bung Karno perlu kios seragam, bukan dilarang.", (-1, 1, 1)),
    ("Pohon peneduh tua di sekitar alun-alun tidak boleh ditebang untuk pelebaran jalan.", (-1, 0, 1)),
    ("Trotoar harus ramah difabel: rata, ada jalur pemandu, dan tanpa tangga curam.", (1, 1, 1)),
    ("Penerangan jalan di kawasan alun-alun dan makam perlu ditambah agar aman malam hari.", (1, 1, 1)),
    ("Toilet umum yang bersih dan gratis perlu ada di alun-alun dan dekat makam.", (1, 1, 1)),
    ("PKL boleh berjualan di alun-alun hanya mulai sore hari.", (1, -1, -1)),
    ("Retribusi PKL dinaikkan untuk membiayai kebersihan kawasan.", (1, -1, -1)),
    ("Becak dan dokar wisata diberi jalur dan pangkalan resmi.", (-1, 1, 1)),
    ("Bangunan cagar budaya di sekitar alun-alun dilindungi dari papan reklame besar.", (-1, -1, 1)),
    ("Penataan jangan sampai mengurangi pendapatan pedagang kecil.", (-1, 1, 0)),
    ("Perlu penyeberangan pejalan kaki yang aman antara alun-alun dan Jalan Merdeka.", (1, 1, 1)),
    ("Kendaraan bermotor dilarang melintas di Jalan Slamet Riyadi menuju makam.", (1, -1, 1)),
    ("Lapak PKL sebaiknya dibuat bongkar-pasang dengan desain yang serasi dengan kawasan.", (-1, 1, 1)),
    ("Ruang hijau alun-alun lebih penting daripada tempat berjualan.", (-1, -1, 1)),
    ("Pemkot menyediakan pelatihan dan modal bagi PKL yang mau pindah ke sentra.", (1, -1, 0)),
    ("Penataan dibahas bersama paguyuban PKL sebelum diputuskan.", (-1, 1, 1)),
    ("Kawasan makam cukup dijaga kebersihannya; tidak perlu ada perubahan besar.", (-1, 0, -1)),
    ("Tempat sampah terpilah ditambah di sepanjang jalur pejalan kaki.", (1, 1, 1)),
    ("Pedagang yang sudah lama berjualan mendapat prioritas tempat di sentra baru.", (-1, 1, 0)),
    ("Jalur sepeda menghubungkan alun-alun dengan Makam Bung Karno.", (1, -1, 1)),
]
SUBMITTED = [
    ("Ada jam bebas kendaraan setiap Minggu pagi di sekeliling alun-alun.", True, ""),
    ("Semua PKL harus diusir dari kota.", False, "Tidak sopan dan tidak membangun; silakan usulkan penataan."),
]
# The browser test rejects a statement of its own; this one stays pending for the moderation queue.
PENDING = "Ada papan informasi sejarah Bung Karno di jalur pejalan kaki."

# Sector and kelurahan leanings of the latent groups (weights).
GROUP_SHARES = (0.4, 0.35, 0.25)
GROUP_SECTORS = (
    {"masyarakat": 4, "pemerintah": 2, "pemuda": 2, "akademisi": 1, "swasta": 1},
    {"swasta": 5, "masyarakat": 3, "pemuda": 1, "legislatif": 1},
    {"pemuda": 3, "akademisi": 3, "masyarakat": 2, "media": 1, "pemerintah": 1},
)
NEAR_CENTRE = ("Kepanjenlor", "Kepanjenkidul", "Bendogerit", "Sentul", "Kauman", "Pakunden")
AGREE_BY_STANCE = {1: (0.8, 0.07), 0: (0.33, 0.33), -1: (0.07, 0.8)}  # (agree, disagree); the rest passes


@dataclass(frozen=True)
class SeededConsultations:
    open_slug: str
    imported_slug: str
    participants: int
    votes: int


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    names = list(weights)
    return rng.choices(names, weights=[weights[name] for name in names])[0]


def _vote_value(rng: random.Random, stance: int) -> int:
    agree, disagree = AGREE_BY_STANCE[stance]
    draw = rng.random()
    return 1 if draw < agree else -1 if draw < agree + disagree else 0


def _cast_votes(participant: Participant, choices: list[tuple[Statement, int]]) -> None:
    """One participant's votes, four seconds apart, stored as `vote_cast` stores them (one row per statement,
    the next numbers of the consultation's change counter). Inserted together: 5,000 single-vote transactions
    would make the demo seed take minutes, and a fresh participant voting once on accepted statements of an
    open consultation needs none of the per-vote checks."""
    count = len(choices)
    Consultation.objects.filter(pk=participant.consultation_id).update(vote_sequence=F("vote_sequence") + count)
    last = Consultation.objects.filter(pk=participant.consultation_id).values_list("vote_sequence", flat=True).get()
    start = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            consultation_id=participant.consultation_id,
            participant=participant,
            statement=statement,
            value=value,
            voted_at=start + dt.timedelta(seconds=4 * offset),
            change_sequence=last - count + 1 + offset,
        )
        for offset, (statement, value) in enumerate(choices)
    )


def _official() -> Any:
    official = User.objects.filter(username="bappeda").first() or User.objects.filter(is_superuser=True).first()
    if official is None:
        raise RuntimeError("seed_consultations needs the demo accounts (run after the people of the demo)")
    return official


def seed_open_consultation(now: dt.datetime, *, participants: int = 300, official: Any = None) -> Consultation:
    """The open Kota Blitar consultation, voted on for twelve days up to `now`."""
    from sinergi.consultations.results import recompute
    from sinergi.consultations.services import (
        consultation_create,
        consultation_open,
        kelurahan_choices,
        participant_join,
        statement_moderate,
        statement_submit,
    )

    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not secrets
    official = official or _official()
    organiser = Organisation.objects.get(slug="bappeda")
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    kelurahan = list(kelurahan_choices())
    near = [region for region in kelurahan if region.name.title() in NEAR_CENTRE] or kelurahan
    started = now - dt.timedelta(days=12)
    with (
        freeze_time(started - dt.timedelta(days=2), tick=False, ignore=UNFROZEN_MODULES) as clock,
        transaction.atomic(),
    ):
        consultation = consultation_create(
            actor=official,
            title=KOTA_SLUG_TITLE,
            question=("Bagaimana sebaiknya alun-alun dan kawasan Makam Bung Karno ditata untuk pejalan kaki dan PKL?"),
            description=(
                "Pemerintah Kota Blitar menyiapkan penataan kawasan alun-alun dan jalur wisata Makam Bung Karno. "
                "Pilih setuju, tidak setuju, atau lewati untuk setiap pernyataan, dan tambahkan pendapat Anda. "
                "Hasilnya menunjukkan kelompok pendapat dan titik temu lintas sektor. (Data demo, fiktif.)"
            ),
            opens_at=started,
            closes_at=now + dt.timedelta(days=18),
            organiser=organiser,
            seed_statements=[text for text, _ in SEED_STATEMENTS],
        )
        clock.move_to(started)
        consultation = consultation_open(actor=official, consultation=consultation)
        statements = {s.text: s for s in Statement.objects.filter(consultation=consultation)}
        stances = {statements[text]: stance for text, stance in SEED_STATEMENTS}
        seconds = int((now - started).total_seconds()) - 3600
        arrivals = sorted(rng.randrange(60, seconds) for _ in range(participants))
        submitted_by: list[tuple[Any, str, bool, str]] = []
        for index, offset in enumerate(arrivals):
            clock.move_to(started + dt.timedelta(seconds=offset))
            group = rng.choices(range(3), weights=GROUP_SHARES)[0]
            region = rng.choice(near if rng.random() < 0.6 else kelurahan) if kelurahan else None
            participant = participant_join(
                consultation=consultation,
                anonymous_key=secrets.token_hex(16),
                sector=sectors.get(_weighted(rng, GROUP_SECTORS[group])) if rng.random() < 0.9 else None,
                region=region if rng.random() < 0.85 else None,
            )
            pool = list(stances)
            rng.shuffle(pool)
            choices = [(s, _vote_value(rng, stances[s][group])) for s in pool[: rng.randint(8, len(pool))]]
            _cast_votes(participant, choices)
            if index < len(SUBMITTED):
                text, accept, reason = SUBMITTED[index]
                submitted_by.append((statement_submit(participant=participant, text=text), text, accept, reason))
            elif index == len(SUBMITTED):
                statement_submit(participant=participant, text=PENDING)
        clock.move_to(now - dt.timedelta(minutes=30))
        for statement, _text, accept, reason in submitted_by:
            statement_moderate(actor=official, statement=statement, accept=accept, reason=reason)
        clock.move_to(now - dt.timedelta(minutes=5))
        recompute(Consultation.objects.get(pk=consultation.pk))
    return consultation


def seed_imported_consultation(*, data_dir: Any = None) -> Consultation | None:
    """The closed consultation imported from the shipped Polis conversation (None if it is not shipped)."""
    from pathlib import Path

    from sinergi.consultations.results import recompute

    folder = Path(data_dir) if data_dir else Path(__file__).resolve().parent / "data" / POLIS_DEMO_DIR
    if not (folder / "comments.csv").exists():
        return None
    export = read_polis_export([folder])
    outcome = consultation_import_polis(
        export=export,
        actor=None,
        source_label=f"Polis: {folder.name} ({export.summary.get('url', '')}), CC BY 4.0",
        create={
            "organiser": Organisation.objects.get(slug="bappeda"),
            "title": "Contoh impor Polis: pendapatan dasar universal di Selandia Baru (2017)",
            "slug": "contoh-impor-polis-ubi-selandia-baru",
            "question": export.summary.get("topic", ""),
            "description": (
                "Contoh percakapan Polis sungguhan yang diimpor dengan perintah import_polis: HiveMind Scoop "
                "tentang Universal Basic Income di Aotearoa Selandia Baru (2017), 234 peserta, pernyataan dalam "
                "bahasa Inggris. Data dikumpulkan dengan perangkat lunak Polis (compdemocracy.org/polis), "
                "sub-lisensi CC BY 4.0, atribusi kepada The Computational Democracy Project; sumber: "
                "https://compdemocracy.org/case-studies/2017-scoop-hivemind-ubi"
            ),
        },
    )
    recompute(outcome.consultation)
    return outcome.consultation


def seed_consultations(now: dt.datetime, *, participants: int = 300) -> SeededConsultations:
    """Both demo consultations; idempotent (does nothing when the open one exists)."""
    existing = Consultation.objects.filter(title=KOTA_SLUG_TITLE).first()
    imported = Consultation.objects.filter(slug="contoh-impor-polis-ubi-selandia-baru").first()
    if existing is None:
        existing = seed_open_consultation(now, participants=participants)
    if imported is None:
        imported = seed_imported_consultation()
    return SeededConsultations(
        open_slug=existing.slug,
        imported_slug=imported.slug if imported else "",
        participants=existing.participants.count(),
        votes=Vote.objects.filter(consultation=existing).count(),
    )

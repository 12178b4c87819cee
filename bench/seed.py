"""Bulk seeding of a large, realistic data set, for the benchmark and the page-weight test.

Rows are written with `bulk_create` (set-up of a measurement, not domain acts), which is two
orders of magnitude faster than going through the services. The public log is written with the
real `ledger_record` for a share of the acts, so pages that show the log read a real chain.
"""

import datetime as dt
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationKind, Person, Sector
from sinergi.actors.reference_data import reference_data_load
from sinergi.forums.models import Charter, Forum, ForumMember, ForumRole, SeatAllocation
from sinergi.forums.states import ForumMemberStatus, ForumStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.meetings.models import AgendaItem, AgendaItemKind, Attendance, AttendanceStatus, Meeting, Minutes
from sinergi.meetings.states import MeetingStatus, MinutesStatus
from sinergi.policy.models import PolicyObject, PolicyObjectKind

GIVEN_NAMES = [
    "Agus", "Budi", "Dewi", "Eka", "Fitri", "Hendra", "Indah", "Joko", "Kartika", "Lestari",
    "Made", "Nur", "Putri", "Rahmat", "Sri", "Tri", "Wahyu", "Yuli", "Bayu", "Rina",
]  # fmt: skip
FAMILY_NAMES = [
    "Santoso", "Wibowo", "Setiawan", "Rahayu", "Hidayat", "Kusuma", "Pratama", "Saputra",
    "Utami", "Nugroho", "Susanto", "Wulandari", "Firmansyah", "Handayani", "Purnomo",
]  # fmt: skip
KELURAHAN = [
    "Sananwetan", "Rembang", "Klampok", "Plosokerep", "Karangtengah", "Gedog", "Bendogerit",
    "Kepanjenkidul", "Kepanjenlor", "Kauman", "Bendo", "Sentul", "Tanggung", "Ngadirejo",
    "Sukorejo", "Pakunden", "Tanjungsari", "Karangsari", "Blitar", "Turi", "Tlumpu",
]  # fmt: skip
ORG_PATTERNS = {
    "swasta": ["PT {k} Makmur Sejahtera", "CV {k} Jaya Abadi", "UMKM Kerajinan {k}", "Koperasi Usaha {k}"],
    "masyarakat": ["LPMK Kelurahan {k}", "PKK Kelurahan {k}", "Komunitas Peduli {k}", "Forum RW {n} {k}"],
    "pemuda": ["Karang Taruna {k}", "Komunitas Pemuda Kreatif {k}", "Himpunan Mahasiswa {k}"],
    "akademisi": ["Pusat Kajian Kebijakan {k}", "Lembaga Penelitian Universitas {k}"],
    "media": ["Radio Komunitas {k}", "Portal Berita {k}"],
    "pemerintah": ["Kantor Kelurahan {k}", "UPT Puskesmas {k}"],
}
FORUM_TOPICS = [
    "Penataan Pedagang Kaki Lima", "Ruang Terbuka Hijau", "Pengelolaan Sampah Terpadu", "Perlindungan Anak",
    "Pariwisata Makam Bung Karno", "Ketahanan Pangan", "Pencegahan Stunting", "Transportasi Kota",
    "Penanggulangan Banjir", "Ekonomi Kreatif", "Pendidikan Inklusif", "Air Bersih dan Sanitasi",
]  # fmt: skip
AGENDA = [
    ("Pembukaan dan pengesahan agenda", AgendaItemKind.INFORMATION),
    ("Laporan tindak lanjut keputusan rapat sebelumnya", AgendaItemKind.INFORMATION),
    ("Pembahasan usulan program dan anggaran", AgendaItemKind.DISCUSSION),
    ("Pengambilan keputusan rekomendasi", AgendaItemKind.DECISION),
]
MINUTES_BODY = (
    "Rapat dibuka oleh ketua forum. Sekretariat membacakan agenda dan ringkasan keputusan rapat "
    "sebelumnya. Perwakilan sektor swasta, masyarakat dan pemuda menyampaikan tanggapan atas usulan "
    "program. Forum bermusyawarah dan mencapai mufakat untuk merekomendasikan usulan kepada Wali Kota "
    "dengan catatan perbaikan rincian anggaran. Rapat ditutup dengan doa.\n"
) * 3


@dataclass
class SeedSummary:
    organisations: int = 0
    persons: int = 0
    forums: int = 0
    forum_members: int = 0
    meetings: int = 0
    agenda_items: int = 0
    attendance: int = 0
    ledger_entries: int = 0


def _person_name(index: int) -> str:
    given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
    family = FAMILY_NAMES[(index // len(GIVEN_NAMES)) % len(FAMILY_NAMES)]
    return f"{given} {family} {index // (len(GIVEN_NAMES) * len(FAMILY_NAMES)) + 1}".removesuffix(" 1")


@transaction.atomic
def seed_bulk(
    *,
    organisations: int,
    forums: int,
    meetings_per_forum: int,
    members_per_forum: int = 14,
    ledger_share: float = 1.0,
    prefix: str = "bench",
    seed: int = 7239,
) -> SeedSummary:
    """Create `organisations` organisations across the sectors, `forums` forums (most active)
    with charters, seats and members, `meetings_per_forum` meetings each (past ones closed with
    roll call and approved minutes, future ones scheduled with an agenda), and log entries for a
    `ledger_share` of those acts through the real `ledger_record`."""
    rng = random.Random(seed)
    summary = SeedSummary()
    reference_data_load()
    sectors = {s.code: s for s in Sector.objects.all()}
    kinds_by_sector: dict[str, list[OrganisationKind]] = {}
    for kind in OrganisationKind.objects.select_related("default_sector"):
        kinds_by_sector.setdefault(kind.default_sector.code, []).append(kind)
    now = timezone.now()

    # Organisations: the conveners (OPD) first, then every sector in turn.
    opd_kind = OrganisationKind.objects.get(code="opd")
    org_rows: list[Organisation] = []
    opd_count = max(5, forums // 4)
    for index in range(opd_count):
        name = f"Dinas {FORUM_TOPICS[index % len(FORUM_TOPICS)]} {index + 1}"
        org_rows.append(
            Organisation(
                slug=f"{prefix}-{slugify(name)}",
                name=name,
                sector=sectors["pemerintah"],
                kind=opd_kind,
                description="Perangkat daerah Pemerintah Kota Blitar.",
                address="Jl. Merdeka No. 105, Kota Blitar",
            )
        )
    sector_cycle = itertools.cycle(["swasta", "masyarakat", "pemuda", "akademisi", "media", "pemerintah", "masyarakat"])
    while len(org_rows) < organisations:
        index = len(org_rows)
        sector_code = next(sector_cycle)
        pattern = rng.choice(ORG_PATTERNS[sector_code])
        name = pattern.format(k=KELURAHAN[index % len(KELURAHAN)], n=index % 12 + 1) + f" {index}"
        org_rows.append(
            Organisation(
                slug=f"{prefix}-{slugify(name)}",
                name=name,
                sector=sectors[sector_code],
                kind=rng.choice(kinds_by_sector[sector_code]),
                description=f"Organisasi sektor {sectors[sector_code].name.lower()} di Kota Blitar.",
                address=f"Kelurahan {KELURAHAN[index % len(KELURAHAN)]}, Kota Blitar",
            )
        )
    created_orgs = Organisation.objects.bulk_create(org_rows, batch_size=500)
    summary.organisations = len(created_orgs)
    orgs = list(Organisation.objects.filter(slug__startswith=f"{prefix}-").select_related("sector"))
    conveners = [o for o in orgs if o.kind_id == opd_kind.pk]
    non_state = [o for o in orgs if not o.sector.is_state]

    # One person per seat, each the official representative of an organisation.
    role = MembershipRole.objects.get(code="perwakilan")
    person_count = forums * members_per_forum
    persons = Person.objects.bulk_create(
        [
            Person(slug=f"{prefix}-orang-{i}", full_name=_person_name(i), public_title="Perwakilan resmi")
            for i in range(person_count)
        ],
        batch_size=500,
    )
    persons = list(Person.objects.filter(slug__startswith=f"{prefix}-orang-").order_by("pk"))
    summary.persons = len(persons)
    person_org: list[Organisation] = []
    for i in range(person_count):
        # Every forum seats two members of its convener and one of each other sector at least.
        person_org.append(conveners[i % len(conveners)] if i % members_per_forum < 2 else non_state[i % len(non_state)])
    Membership.objects.bulk_create(
        [Membership(person=p, organisation=o, role=role) for p, o in zip(persons, person_org, strict=True)],
        batch_size=500,
    )

    policy_objects = PolicyObject.objects.bulk_create(
        [
            PolicyObject(
                kind=PolicyObjectKind.PROGRAM,
                code=f"1.0{i % 9 + 1}.02.2.01.{i:04d}",
                title=f"Program {FORUM_TOPICS[i % len(FORUM_TOPICS)]}",
                responsible_organisation=conveners[i % len(conveners)],
            )
            for i in range(forums)
        ]
    )

    forum_rows = []
    for i in range(forums):
        topic = FORUM_TOPICS[i % len(FORUM_TOPICS)]
        status = ForumStatus.DRAFT if i % 10 == 9 else ForumStatus.ACTIVE
        forum_rows.append(
            Forum(
                slug=f"{prefix}-forum-{slugify(topic)}-{i + 1}",
                name=f"Forum {topic} {i + 1}",
                status=status,
                convener=conveners[i % len(conveners)],
                activated_at=now - dt.timedelta(days=400) if status == ForumStatus.ACTIVE else None,
            )
        )
    Forum.objects.bulk_create(forum_rows)
    forum_list = list(Forum.objects.filter(slug__startswith=f"{prefix}-forum-").order_by("pk"))
    summary.forums = len(forum_list)
    Forum.policy_objects.through.objects.bulk_create(
        [
            Forum.policy_objects.through(forum_id=f.pk, policyobject_id=p.pk)
            for f, p in zip(forum_list, policy_objects, strict=True)
        ]
    )
    charters = Charter.objects.bulk_create(
        [
            Charter(
                forum=forum,
                purpose=f"Merumuskan rekomendasi kebijakan bersama tentang {forum.name.lower()} lintas sektor.",
                legal_basis=f"SK Wali Kota Blitar Nomor 188/{index + 100}/HK/2026",
                terms_of_reference="Forum bertemu setiap bulan, membahas usulan, dan memutuskan secara mufakat.",
                quorum_member_share=Decimal("0.50"),
                meeting_rrule="FREQ=MONTHLY;BYDAY=2TU",
                default_location="Ruang Rapat Bappeda Kota Blitar",
            )
            for index, forum in enumerate(forum_list)
        ]
    )
    seat_sectors = [s for s in sectors.values() if s.code != "legislatif"]
    SeatAllocation.objects.bulk_create(
        [SeatAllocation(charter=c, sector=s, minimum=1) for c in charters for s in seat_sectors]
    )
    member_rows = []
    for f_index, forum in enumerate(forum_list):
        for slot in range(members_per_forum):
            p_index = f_index * members_per_forum + slot
            organisation = person_org[p_index]
            member_rows.append(
                ForumMember(
                    forum=forum,
                    person=persons[p_index],
                    organisation=organisation,
                    sector_id=organisation.sector_id,
                    role=ForumRole.CHAIR if slot == 0 else ForumRole.SECRETARIAT if slot == 1 else ForumRole.MEMBER,
                    status=ForumMemberStatus.ACTIVE,
                    joined_at=now - dt.timedelta(days=390),
                )
            )
    ForumMember.objects.bulk_create(member_rows, batch_size=500)
    summary.forum_members = len(member_rows)
    members_by_forum: dict[int, list[ForumMember]] = {}
    for member in ForumMember.objects.filter(forum__in=forum_list).order_by("pk"):
        members_by_forum.setdefault(member.forum_id, []).append(member)

    # Meetings: weekly-ish around today, two thirds in the past.
    meeting_rows = []
    for forum in forum_list:
        first = now - dt.timedelta(days=7 * (meetings_per_forum * 2 // 3))
        for m in range(meetings_per_forum):
            starts_at = (first + dt.timedelta(days=7 * m)).replace(hour=2, minute=0, second=0, microsecond=0)
            if starts_at < now:
                status = MeetingStatus.CANCELLED if m % 17 == 5 else MeetingStatus.CLOSED
            else:
                status = MeetingStatus.AGENDA_PUBLISHED if m % 2 else MeetingStatus.SCHEDULED
            meeting_rows.append(
                Meeting(
                    forum=forum,
                    title=f"Rapat {forum.name} ke-{m + 1}",
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    location="Ruang Rapat Bappeda Kota Blitar",
                    status=status,
                    agenda_published_at=starts_at - dt.timedelta(days=4) if status != MeetingStatus.SCHEDULED else None,
                    opened_at=starts_at if status == MeetingStatus.CLOSED else None,
                    closed_at=starts_at + dt.timedelta(hours=2) if status == MeetingStatus.CLOSED else None,
                    is_quorate=True if status == MeetingStatus.CLOSED else None,
                    cancellation_reason="Bertepatan dengan hari libur nasional."
                    if status == MeetingStatus.CANCELLED
                    else "",
                )
            )
    Meeting.objects.bulk_create(meeting_rows, batch_size=500)
    meetings = list(Meeting.objects.filter(forum__in=forum_list).order_by("pk"))
    summary.meetings = len(meetings)
    agenda_rows = [
        AgendaItem(meeting=meeting, position=position, title=title, kind=kind)
        for meeting in meetings
        for position, (title, kind) in enumerate(AGENDA)
    ]
    AgendaItem.objects.bulk_create(agenda_rows, batch_size=1000)
    summary.agenda_items = len(agenda_rows)
    attendance_rows = []
    minutes_rows = []
    statuses = [AttendanceStatus.PRESENT] * 6 + [AttendanceStatus.EXCUSED, AttendanceStatus.ABSENT]
    for meeting in meetings:
        if meeting.status != MeetingStatus.CLOSED:
            continue
        for member in members_by_forum[meeting.forum_id]:
            attendance_rows.append(
                Attendance(meeting=meeting, member=member, sector_id=member.sector_id, status=rng.choice(statuses))
            )
        minutes_rows.append(
            Minutes(
                meeting=meeting,
                status=MinutesStatus.APPROVED,
                body=MINUTES_BODY,
                approved_at=meeting.closed_at,
                approved_hash="0" * 64,
            )
        )
    Attendance.objects.bulk_create(attendance_rows, batch_size=1000)
    Minutes.objects.bulk_create(minutes_rows, batch_size=500)
    summary.attendance = len(attendance_rows)

    # The public log: the real writer, so the hash chain is valid and verifiable.
    acts: list[tuple[LedgerEvent, str, str, dict[str, Any]]] = []
    acts += [(LedgerEvent.ORGANISATION_CREATED, "organisation", o.slug, {"name": o.name}) for o in orgs]
    for forum in forum_list:
        acts.append((LedgerEvent.FORUM_CONVENED, "forum", forum.slug, {"name": forum.name}))
        if forum.status == ForumStatus.ACTIVE:
            acts.append((LedgerEvent.FORUM_ACTIVATED, "forum", forum.slug, {"status": "active"}))
    acts += [
        (LedgerEvent.MEETING_SCHEDULED, "meeting", str(m.uid), {"forum": m.forum_id, "title": m.title})
        for m in meetings
    ]
    keep = int(len(acts) * ledger_share)
    for event, subject_type, subject_id, data in acts[:keep]:
        ledger_record(event=event, actor=None, subject_type=subject_type, subject_id=subject_id, data=data)
    summary.ledger_entries = keep
    return summary

"""The fictional demo: people for every role and three forums with a year of meetings.

Everything goes through the real services, replayed in time order with the clock set to each
act's moment, so the public log reads like a year of real use (and verifies). Every demo person
and non-governmental organisation is fictional and marked "(demo)"; the government institutions
are the real Kota Blitar ones loaded by `load_kota_blitar`.
"""

import datetime as dt
import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from sinergi.accounts.models import User
from sinergi.actors.models import MembershipRole, Organisation, OrganisationKind, Person, Sector
from sinergi.actors.services import membership_start, organisation_create, person_create
from sinergi.forums.models import Forum, ForumMember, ForumRole
from sinergi.forums.services import (
    SeatSpec,
    forum_activate,
    forum_convene,
    forum_member_accept,
    forum_member_apply,
    forum_member_approve,
    forum_member_invite,
    forum_member_set_role,
)
from sinergi.ledger.selectors import ledger_head_sequence
from sinergi.meetings.models import AgendaItemKind, AttendanceStatus, Meeting, MinutesReviewVerdict
from sinergi.meetings.selectors import meeting_quorum
from sinergi.meetings.services import (
    agenda_item_add,
    agenda_item_record_outcome,
    agenda_publish,
    attendance_record,
    meeting_close,
    meeting_invitations_send,
    meeting_open,
    meeting_series_create,
    minutes_approve,
    minutes_draft,
    minutes_review,
    minutes_submit_for_review,
)
from sinergi.meetings.states import MeetingStatus
from sinergi.policy.models import PolicyObjectKind
from sinergi.policy.services import policy_object_create

DEMO_PASSWORD = "demo-Sakti-2026"  # noqa: S105  (published in README for the fictional demo)
WIB = dt.timezone(dt.timedelta(hours=7))
Script = Iterator[tuple[dt.datetime, Callable[[], Any]]]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role_label: str
    organisation: str  # slug of an existing organisation or a key of DEMO_ORGANISATIONS
    membership_role: str
    title: str = ""
    superuser: bool = False


# key -> (name, kind code)
DEMO_ORGANISATIONS = {
    "pt-blitar-makmur": ("PT Blitar Makmur Sejahtera (demo)", "perusahaan"),
    "asosiasi-umkm": ("Asosiasi UMKM Bumi Bung Karno (demo)", "asosiasi-usaha"),
    "komunitas-sungai": ("Komunitas Peduli Sungai Lahar (demo)", "lsm"),
    "lpmk-sentul": ("LPMK Kelurahan Sentul (demo)", "lpmk"),
    "karang-taruna-bendogerit": ("Karang Taruna Kelurahan Bendogerit (demo)", "karang-taruna"),
    "bem-kampus": ("BEM Universitas Contoh Blitar (demo)", "organisasi-mahasiswa"),
    "universitas-contoh": ("Universitas Contoh Blitar (demo)", "perguruan-tinggi"),
    "radio-komunitas": ("Radio Komunitas Suara Blitar (demo)", "media"),
}

# The named accounts listed in README.md, one per role.
ACCOUNTS = [
    DemoAccount("admin", "Admin Platform (demo)", "administrator platform", "", "", superuser=True),
    DemoAccount("warga", "Sari Wulandari (demo)", "warga", "", ""),
    DemoAccount(
        "opd",
        "Rina Perencana (demo)",
        "petugas OPD (Dinas Lingkungan Hidup)",
        "dinas-lingkungan-hidup",
        "staf",
        "Analis Kebijakan",
    ),
    DemoAccount(
        "koordinator",
        "Nanda Koordinator (demo)",
        "koordinator pengaduan (Diskominfotik, admin SP4N-LAPOR!)",
        "diskominfotik",
        "staf",
        "Pengelola Pengaduan",
    ),
    DemoAccount("bappeda", "Agus Santosa (demo)", "petugas OPD (Bappeda)", "bappeda", "staf", "Perencana Ahli Muda"),
    DemoAccount(
        "dprd", "Bima Wicaksono (demo)", "anggota DPRD (Komisi I)", "dprd-kota-blitar", "anggota-dprd", "Anggota DPRD"
    ),
    DemoAccount("sekretariat", "Dewi Fasilitator (demo)", "sekretariat forum", "komunitas-sungai", "anggota"),
    DemoAccount(
        "swasta", "Hendra Gunawan (demo)", "perwakilan swasta", "pt-blitar-makmur", "perwakilan", "Manajer CSR"
    ),
    DemoAccount(
        "masyarakat", "Lestari Handayani (demo)", "perwakilan masyarakat", "komunitas-sungai", "ketua", "Ketua"
    ),
    DemoAccount("pemuda", "Fajar Nugroho (demo)", "perwakilan pemuda", "karang-taruna-bendogerit", "ketua", "Ketua"),
    DemoAccount(
        "akademisi", "Dr. Ayu Pratiwi (demo)", "akademisi", "universitas-contoh", "perwakilan", "Dosen Kebijakan Publik"
    ),
    DemoAccount("media", "Yoga Pratama (demo)", "jurnalis", "radio-komunitas", "perwakilan", "Jurnalis"),
]

# Further fictional members so that forums have realistic numbers: (name, organisation key, role).
EXTRA_MEMBERS = [
    ("Wahyu Hidayat (demo)", "asosiasi-umkm", "perwakilan"),
    ("Siti Rahayu (demo)", "lpmk-sentul", "ketua"),
    ("Nur Aini (demo)", "lpmk-sentul", "perwakilan"),
    ("Rizky Ramadhan (demo)", "bem-kampus", "ketua"),
    ("Putri Maharani (demo)", "karang-taruna-bendogerit", "perwakilan"),
    ("Bambang Sutrisno (demo)", "universitas-contoh", "perwakilan"),
    ("Endang Susilowati (demo)", "komunitas-sungai", "perwakilan"),
    ("Teguh Prasetyo (demo)", "pt-blitar-makmur", "perwakilan"),
]


@dataclass(frozen=True)
class DemoForum:
    slug_hint: str
    name: str
    convener_account: str
    purpose: str
    legal_basis: str
    rrule: str
    start_hour: int
    location: str
    policy: tuple[str, str, str]  # kind, code, title
    members: tuple[str, ...]  # account usernames or extra member names
    seats: dict[str, int] = field(default_factory=dict)
    topics: tuple[str, ...] = ()


FORUMS = [
    DemoForum(
        "sampah",
        "Forum Kota Blitar Bersih dan Bebas Sampah (demo)",
        "opd",
        "Merumuskan bersama langkah pengurangan dan penanganan sampah kota, dari bank sampah RT sampai TPA.",
        "SK Wali Kota Blitar Nomor 188/45/HK/2025 (fiktif, demo)",
        "FREQ=MONTHLY;BYDAY=2TU",
        9,
        "Ruang Rapat Dinas Lingkungan Hidup, Jl. Contoh No. 1 (demo)",
        (PolicyObjectKind.PROGRAM, "2.11.03", "Program Pengelolaan Persampahan"),
        (
            "masyarakat",
            "swasta",
            "pemuda",
            "akademisi",
            "media",
            "Endang Susilowati (demo)",
            "Siti Rahayu (demo)",
            "Teguh Prasetyo (demo)",
            "Putri Maharani (demo)",
        ),
        {"swasta": 1, "masyarakat": 2, "pemuda": 1, "akademisi": 1},
        (
            "Bank sampah di setiap kelurahan",
            "Jadwal pengangkutan sampah pasar",
            "Kampanye pilah sampah sekolah",
            "Pengurangan plastik sekali pakai",
            "Kemitraan CSR untuk TPS3R",
            "Evaluasi retribusi sampah",
        ),
    ),
    DemoForum(
        "umkm",
        "Forum Ekonomi Kreatif dan UMKM Kota Blitar (demo)",
        "bappeda",
        "Menyelaraskan program pemberdayaan UMKM dan ekonomi kreatif dengan kebutuhan pelaku usaha dan pemuda.",
        "SK Wali Kota Blitar Nomor 188/77/HK/2025 (fiktif, demo)",
        "FREQ=MONTHLY;BYDAY=3TH",
        13,
        "Aula Bappeda Kota Blitar (demo)",
        (PolicyObjectKind.PROGRAM, "3.17.04", "Program Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro"),
        (
            "swasta",
            "pemuda",
            "akademisi",
            "masyarakat",
            "Wahyu Hidayat (demo)",
            "Rizky Ramadhan (demo)",
            "Bambang Sutrisno (demo)",
            "Nur Aini (demo)",
        ),
        {"swasta": 2, "pemuda": 1, "akademisi": 1, "masyarakat": 1},
        (
            "Kurasi produk untuk galeri UMKM",
            "Pelatihan pemasaran digital",
            "Akses permodalan koperasi",
            "Festival ekonomi kreatif",
            "Perizinan usaha lewat OSS",
            "Data pelaku UMKM per kelurahan",
        ),
    ),
    DemoForum(
        "ranperda-pemuda",
        "Forum Konsultasi Ranperda Kepemudaan (demo)",
        "dprd",
        "Membahas rancangan Perda tentang penyelenggaraan kepemudaan bersama organisasi pemuda dan masyarakat.",
        "Keputusan Pimpinan DPRD Kota Blitar (fiktif, demo)",
        "FREQ=MONTHLY;BYDAY=1WE",
        10,
        "Ruang Rapat Komisi, Gedung DPRD Kota Blitar (demo)",
        (PolicyObjectKind.REGULATION, "RANPERDA-KEPEMUDAAN", "Rancangan Perda tentang Penyelenggaraan Kepemudaan"),
        (
            "pemuda",
            "masyarakat",
            "akademisi",
            "media",
            "swasta",
            "Rizky Ramadhan (demo)",
            "Putri Maharani (demo)",
            "Siti Rahayu (demo)",
        ),
        {"pemuda": 2, "masyarakat": 1, "akademisi": 1},
        (
            "Definisi dan batas usia pemuda",
            "Dana kepemudaan di APBD",
            "Ruang kreatif pemuda di kelurahan",
            "Peran Karang Taruna",
            "Kewirausahaan pemuda",
            "Partisipasi pemuda dalam Musrenbang",
        ),
    ),
]


class DemoBuilder:
    def __init__(self, *, today: dt.date, seed: int = 35_72) -> None:
        self.today = today
        # Captured before the clock is frozen: acts later than this are not replayed.
        self.now = timezone.now()
        self.random = random.Random(seed)  # noqa: S311  (reproducible demo data, not security)
        self.users: dict[str, User] = {}
        self.people: dict[str, Person] = {}
        self.organisations: dict[str, Organisation] = {}

    # ------------------------------------------------------------------ people and organisations
    def organisation(self, key: str) -> Organisation:
        if key in self.organisations:
            return self.organisations[key]
        if key not in DEMO_ORGANISATIONS:
            found = Organisation.objects.filter(slug=key).first()
        else:
            name, kind_code = DEMO_ORGANISATIONS[key]
            found = Organisation.objects.filter(name=name).first()
            if found is None:
                kind = OrganisationKind.objects.get(code=kind_code)
                found = organisation_create(
                    actor=None,
                    name=name,
                    sector=kind.default_sector,
                    kind=kind,
                    description="Organisasi fiktif untuk demo.",
                )
        if found is None:
            raise LookupError(f"organisation {key} not found; run load_kota_blitar first")
        self.organisations[key] = found
        return found

    def account(self, spec: DemoAccount) -> User:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username,
                email=f"{spec.username}@demo.sinergi.test",
                is_superuser=spec.superuser,
                is_staff=spec.superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            person = person_create(
                actor=None,
                full_name=spec.full_name,
                user=user,
                is_listed=spec.username != "warga",
                public_title=spec.title,
            )
            if spec.organisation:
                membership_start(
                    actor=None,
                    person=person,
                    organisation=self.organisation(spec.organisation),
                    role=MembershipRole.objects.get(code=spec.membership_role),
                    title=spec.title,
                    valid_from=self.today - dt.timedelta(days=500),
                )
        self.users[spec.username] = user
        self.people[spec.username] = user.person  # type: ignore[attr-defined]
        return user

    def extra_member(self, name: str, org_key: str, role_code: str) -> Person:
        person = Person.objects.filter(full_name=name).first()
        if person is None:
            username = name.split(" (")[0].lower().replace(" ", ".").replace(",", "")
            user = User(username=username, email=f"{username}@demo.sinergi.test")
            user.set_password(DEMO_PASSWORD)
            user.save()
            person = person_create(actor=None, full_name=name, user=user, is_listed=True)
            membership_start(
                actor=None,
                person=person,
                organisation=self.organisation(org_key),
                role=MembershipRole.objects.get(code=role_code),
                valid_from=self.today - dt.timedelta(days=500),
            )
        self.people[name] = person
        self.users[name] = person.user  # type: ignore[assignment]
        return person

    # ------------------------------------------------------------------------------- forums
    # Each forum's year is a script: a generator of (moment, act) in time order. The scripts of
    # all forums are merged by moment, so the public log reads in the order things happened.
    # A script resumes only after its previous act ran, so it can read what that act created.

    def forum_script(self, spec: DemoForum, *, convened_on: dt.date, series_from: dt.date) -> Script:
        convener_user = self.users[spec.convener_account]
        convener_org = next(
            m.organisation
            for m in convener_user.person.memberships.select_related("organisation__kind")  # type: ignore[attr-defined]
            if m.organisation.kind.is_public_institution
        )
        sectors = {s.code: s for s in Sector.objects.all()}
        moment = dt.datetime.combine(convened_on, dt.time(10, 0), tzinfo=WIB)
        state: dict[str, Any] = {}

        if spec.convener_account == "dprd":
            # A forum on a draft regulation is convened by the komisi that handles it.
            komisi = Organisation.objects.filter(slug="komisi-i").first()
            if komisi is not None:
                yield (
                    moment - dt.timedelta(days=1),
                    lambda: membership_start(
                        actor=None,
                        person=convener_user.person,
                        organisation=komisi,  # type: ignore[attr-defined]
                        role=MembershipRole.objects.get(code="anggota-dprd"),
                        title="Anggota Komisi",
                        valid_from=self.today - dt.timedelta(days=500),
                    ),
                )
                convener_org = komisi

        def convene() -> None:
            kind, code, title = spec.policy
            policy = policy_object_create(
                actor=convener_user, kind=kind, code=code, title=title, responsible_organisation=convener_org
            )
            state["forum"] = forum_convene(
                actor=convener_user,
                convener=convener_org,
                name=spec.name,
                purpose=spec.purpose,
                legal_basis=spec.legal_basis,
                seats=[SeatSpec(sector=sectors[code], minimum=n) for code, n in spec.seats.items()],
                policy_objects=[policy],
                meeting_rrule=spec.rrule,
                default_location=spec.location,
                quorum_sectors=[sectors[code] for code in list(spec.seats)[:2]],
            )

        yield moment, convene
        # Some join by invitation, some by application (C3: both paths are real).
        for index, key in enumerate(spec.members):
            yield (
                moment + dt.timedelta(days=1 + index // 2, hours=index % 2 * 3),
                self.join_act(state, key, index, convener_user),
            )
        if spec.convener_account == "opd":
            yield (
                moment + dt.timedelta(days=10),
                self.join_act(state, "sekretariat", 0, convener_user, role=ForumRole.SECRETARIAT),
            )

        def activate() -> None:
            forum = forum_activate(actor=convener_user, forum=state["forum"])
            chair = forum.members.filter(sector__is_state=False, status="active").order_by("id").first()
            if chair is not None:
                forum_member_set_role(actor=convener_user, member=chair, role=ForumRole.CHAIR)
            state["forum"] = forum

        yield moment + dt.timedelta(days=12), activate
        start = dt.datetime.combine(series_from, dt.time(spec.start_hour, 0), tzinfo=WIB)
        yield (
            start - dt.timedelta(days=20),
            lambda: meeting_series_create(
                forum=state["forum"],
                title=f"Rapat rutin {spec.name.removesuffix(' (demo)')}",
                rrule=spec.rrule,
                starts_at=start,
                duration_minutes=120,
                location=spec.location,
                horizon_months=14,
                actor=convener_user,
            ),
        )
        meetings = list(Meeting.objects.filter(forum=state["forum"]).order_by("starts_at"))
        for number, meeting in enumerate(meetings):
            yield from self.meeting_script(state["forum"], spec, meeting, number, convener_user)

    def join_act(
        self, state: dict[str, Any], key: str, index: int, steward: User, role: str = ForumRole.MEMBER
    ) -> Callable[[], None]:
        def act() -> None:
            user = self.users[key]
            if index % 3 == 2:
                member = forum_member_apply(
                    actor=user, forum=state["forum"], motivation="Ingin ikut merumuskan kebijakan bersama."
                )
                forum_member_approve(actor=steward, member=member, reason="Memenuhi kursi sektor.")
            else:
                member = forum_member_invite(actor=steward, forum=state["forum"], person=self.people[key], role=role)
                forum_member_accept(actor=user, member=member)

        return act

    def meeting_script(self, forum: Forum, spec: DemoForum, meeting: Meeting, number: int, steward: User) -> Script:
        now = self.now
        tabled_at = meeting.starts_at - dt.timedelta(days=12)
        if tabled_at > now:
            return
        topic = spec.topics[number % len(spec.topics)]
        members = self.members(forum)
        # C3: a non-state member tables the discussion item.
        proposer = [m for m in members if not m.sector.is_state][number % 5]
        yield (
            tabled_at,
            lambda: agenda_item_add(
                meeting=meeting,
                title="Pembukaan dan pengesahan notulen rapat lalu",
                kind=AgendaItemKind.INFORMATION,
                actor=steward,
            ),
        )
        yield (
            tabled_at + dt.timedelta(hours=2),
            lambda: agenda_item_add(
                meeting=meeting,
                title=f"Pembahasan: {topic}",
                description="Usulan dibahas bersama lintas sektor.",
                kind=AgendaItemKind.DISCUSSION,
                actor=proposer.person.user,
            ),
        )
        yield (
            tabled_at + dt.timedelta(hours=4),
            lambda: agenda_item_add(
                meeting=meeting,
                title=f"Kesepakatan tindak lanjut: {topic}",
                kind=AgendaItemKind.DECISION,
                actor=steward,
            ),
        )
        publish_at = meeting.starts_at - dt.timedelta(days=forum.charter.agenda_notice_days + 2)
        if publish_at > now:
            return

        def publish() -> None:
            agenda_publish(meeting=meeting, actor=steward)
            meeting_invitations_send(meeting=meeting, actor=steward)

        yield publish_at, publish
        if meeting.ends_at + dt.timedelta(days=1) > now:
            return
        # One meeting of the year is attended by government members only: not quorate.
        thin = number == 4
        statuses: dict[int, str] = {}
        for member in members:
            if thin:
                status = AttendanceStatus.PRESENT if member.sector.is_state else AttendanceStatus.EXCUSED
            else:
                roll = self.random.random()
                status = (
                    AttendanceStatus.PRESENT
                    if roll < 0.8
                    else AttendanceStatus.EXCUSED
                    if roll < 0.93
                    else AttendanceStatus.ABSENT
                )
            statuses[member.pk] = status

        def hold() -> None:
            opened = meeting_open(meeting=meeting, actor=steward)
            attendance_record(meeting=opened, statuses=statuses, actor=steward)

        def decide() -> None:
            quorate = meeting_quorum(Meeting.objects.get(pk=meeting.pk)).is_quorate
            for item in meeting.agenda_items.order_by("position"):
                if item.kind == AgendaItemKind.DECISION and not quorate:
                    continue  # not quorate: the decision item stays undecided
                outcome = (
                    "Disepakati secara mufakat; OPD terkait menindaklanjuti dalam 30 hari."
                    if item.kind == AgendaItemKind.DECISION
                    else "Dibahas; masukan dicatat dalam notulen."
                )
                agenda_item_record_outcome(item=item, outcome=outcome, actor=steward)

        yield meeting.starts_at + dt.timedelta(minutes=5), hold
        yield meeting.ends_at - dt.timedelta(minutes=10), decide
        yield meeting.ends_at, lambda: meeting_close(meeting=Meeting.objects.get(pk=meeting.pk), actor=steward)
        present = [m for m in members if statuses[m.pk] == AttendanceStatus.PRESENT]

        def draft() -> None:
            closed = Meeting.objects.get(pk=meeting.pk)
            body = self.minutes_text(closed, present, not closed.is_quorate)
            minutes = minutes_draft(meeting=closed, body=body, actor=steward)
            minutes_submit_for_review(minutes=minutes, actor=steward)

        yield meeting.ends_at + dt.timedelta(days=1), draft
        if meeting.ends_at + dt.timedelta(days=5) > now:
            return  # the latest minutes are still in review

        def review() -> None:
            for member in present:
                minutes_review(minutes=meeting.minutes, verdict=MinutesReviewVerdict.APPROVE, actor=member.person.user)

        yield meeting.ends_at + dt.timedelta(days=3), review
        yield (
            meeting.ends_at + dt.timedelta(days=5),
            lambda: minutes_approve(minutes=Meeting.objects.get(pk=meeting.pk).minutes, actor=steward),
        )

    def members(self, forum: Forum) -> list[ForumMember]:
        return list(forum.members.filter(status="active").select_related("person__user", "sector").order_by("id"))

    @staticmethod
    def minutes_text(meeting: Meeting, present: list[ForumMember], thin: bool) -> str:
        local = timezone.localtime(meeting.starts_at)
        lines = [
            f"Notulen {meeting.title}",
            f"Waktu: {local:%d-%m-%Y %H.%M} WIB. Tempat: {meeting.location}.",
            f"Hadir {len(present)} anggota: " + ", ".join(m.person.full_name for m in present) + ".",
            "",
        ]
        lines.extend(
            f"{item.position}. {item.title}: {item.outcome or 'tidak diputuskan (rapat tidak kuorum).'}"
            for item in meeting.agenda_items.order_by("position")
        )
        if thin:
            lines.append("")
            lines.append(
                "Rapat tidak kuorum karena sektor non-pemerintah yang wajib tidak hadir; "
                "acara pengambilan keputusan ditunda ke rapat berikutnya."
            )
        return "\n".join(lines)


def recent_activity(now: dt.datetime) -> dict[str, Any]:
    """Aspirations, planning (reses, pokir, Musrenbang) and consultations of the last weeks, each through
    its app's own demo module and services. Imported here so the forum demo stays readable alone."""
    from sinergi.aspirations.demo_lifecycle import seed_aspirations
    from sinergi.consultations.demo import seed_consultations
    from sinergi.planning.demo import seed_planning

    return {
        "aspirations": seed_aspirations(now),
        "planning": seed_planning(now),
        "consultations": seed_consultations(now),
    }


def demo_exists() -> bool:
    return Forum.objects.filter(name=FORUMS[0].name).exists()


def build_demo(*, today: dt.date | None = None, prepare: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Build the whole demo; callers check `demo_exists()` first (it is not re-entrant).
    `prepare` (loading the real Kota Blitar data) runs first, at the start of the demo year."""
    today = today or timezone.localdate()
    builder = DemoBuilder(today=today)
    year_ago = today - dt.timedelta(days=365)
    # One frozen clock moved from act to act (starting freezegun per act would cost seconds).
    with (
        transaction.atomic(),
        freeze_time(dt.datetime.combine(year_ago - dt.timedelta(days=60), dt.time(8), tzinfo=WIB), tick=False) as clock,
    ):
        if prepare is not None:
            prepare()
        clock.tick(dt.timedelta(hours=1))
        for spec in ACCOUNTS:
            builder.account(spec)
        for name, org_key, role_code in EXTRA_MEMBERS:
            builder.extra_member(name, org_key, role_code)
        scripts = [
            builder.forum_script(
                spec,
                convened_on=year_ago - dt.timedelta(days=45 - index * 3),
                series_from=year_ago + dt.timedelta(days=index),
            )
            for index, spec in enumerate(FORUMS)
        ]
        acts = 0
        for moment, act in heapq.merge(*scripts, key=lambda step: step[0]):
            clock.move_to(moment)
            act()
            acts += 1
        forum_year_log_head = ledger_head_sequence()
        # The later parts of the product each replay their own recent weeks up to now, one after the
        # other, so their log entries follow the forum year's (see `recent_activity`).
        clock.move_to(builder.now)
        recent = recent_activity(builder.now)
    return {
        "forum_year_log_head": forum_year_log_head,
        "recent": recent,
        "forums": [f.name for f in FORUMS],
        "acts": acts,
        "meetings_closed": Meeting.objects.filter(status=MeetingStatus.CLOSED).count(),
        "accounts": [(a.username, a.role_label) for a in ACCOUNTS],
    }


__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "MeetingStatus", "build_demo", "demo_exists"]

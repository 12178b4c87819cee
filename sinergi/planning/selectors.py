"""Reads for planning: public lists and pages, the reses report, SIPD export rows and the trail an
aspiration took through reses, pokir and Musrenbang."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.states import Privacy
from sinergi.planning.models import Musrenbang, MusrenbangProposal, PokirItem, PokirStatusChange, Reses
from sinergi.planning.states import MusrenbangLevel, PokirStatus, ProposalStatus

MAX_TRAIL_DEPTH = 4  # kelurahan → kecamatan → kota, and one spare


def reses_list(*, member: str = "", status: str = "") -> QuerySet[Reses]:
    reses = Reses.objects.select_related("member", "organisation", "kecamatan").annotate(
        aspiration_count=Count("aspirations", distinct=True)
    )
    if member:
        reses = reses.filter(member__slug=member)
    if status:
        reses = reses.filter(status=status)
    return reses.order_by("-held_on", "-pk")


def reses_get(uid: Any) -> Reses:
    return Reses.objects.select_related("member", "organisation", "kecamatan").get(uid=uid)


def reses_aspirations(reses: Reses) -> QuerySet[Aspiration]:
    return reses.aspirations.select_related("category", "region", "assigned_organisation").order_by("received_at", "pk")


def public_title(aspiration: Aspiration) -> str:
    """A confidential case's content is hidden from the public (its category still counts)."""
    if aspiration.privacy == Privacy.CONFIDENTIAL:
        return _("(aspirasi rahasia)")
    return aspiration.title


@dataclass(frozen=True)
class ResesReport:
    reses: Reses
    aspirations: list[Aspiration]
    by_category: list[tuple[str, int]]
    by_kelurahan: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    outcomes: dict[int, str]  # aspiration pk → where it went (last planning step or its status)


def reses_report(reses: Reses) -> ResesReport:
    aspirations = list(reses_aspirations(reses))
    by_category = Counter(a.category.name if a.category else _("(belum dikategorikan)") for a in aspirations)
    by_kelurahan = Counter(a.region.name if a.region else _("(tanpa kelurahan)") for a in aspirations)
    by_status = Counter(a.get_status_display() for a in aspirations)
    ids = [a.pk for a in aspirations]
    outcomes: dict[int, str] = {}
    for item in PokirItem.objects.filter(aspirations__in=ids).values("aspirations", "title", "status"):
        outcomes[item["aspirations"]] = _("Pokir “%(t)s”: %(s)s") % {
            "t": item["title"],
            "s": PokirStatus(item["status"]).label,
        }
    for proposal in MusrenbangProposal.objects.filter(aspirations__in=ids).values(
        "aspirations", "title", "status", "musrenbang__level"
    ):
        outcomes.setdefault(
            proposal["aspirations"],
            _("%(l)s: %(s)s")
            % {
                "l": MusrenbangLevel(proposal["musrenbang__level"]).label,
                "s": ProposalStatus(proposal["status"]).label,
            },
        )
    for aspiration in aspirations:
        outcomes.setdefault(aspiration.pk, aspiration.get_status_display())
        aspiration.planning_outcome = outcomes[aspiration.pk]  # type: ignore[attr-defined]
    return ResesReport(
        reses=reses,
        aspirations=aspirations,
        by_category=by_category.most_common(),
        by_kelurahan=by_kelurahan.most_common(),
        by_status=by_status.most_common(),
        outcomes=outcomes,
    )


def pokir_list(
    *, komisi: str = "", member: str = "", opd: str = "", status: str = "", year: int | None = None
) -> QuerySet[PokirItem]:
    items = PokirItem.objects.select_related("member", "komisi", "opd", "kelurahan").annotate(
        aspiration_count=Count("aspirations", distinct=True)
    )
    if komisi:
        items = items.filter(komisi__slug=komisi)
    if member:
        items = items.filter(member__slug=member)
    if opd:
        items = items.filter(opd__slug=opd)
    if status:
        items = items.filter(status=status)
    if year:
        items = items.filter(fiscal_year=year)
    return items.order_by("-fiscal_year", "-created_at", "-pk")


def pokir_get(uid: Any) -> PokirItem:
    return PokirItem.objects.select_related("member", "komisi", "opd", "kelurahan__parent").get(uid=uid)


def pokir_history(item: PokirItem) -> QuerySet[PokirStatusChange]:
    return item.history.order_by("created_at", "pk")


def pokir_aspirations(item: PokirItem) -> QuerySet[Aspiration]:
    return item.aspirations.select_related("category", "region").order_by("received_at")


# Columns of the export, in the order the SIPD-RI pokir entry form asks for them (docs/glossary.md).
SIPD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("tahun", "Tahun"),
    ("id", "ID Usulan (Sinergi)"),
    ("anggota", "Anggota DPRD Pengusul"),
    ("komisi", "Komisi"),
    ("judul", "Permasalahan / Judul Usulan"),
    ("usulan", "Uraian Usulan"),
    ("lokasi", "Alamat Lokasi"),
    ("kelurahan", "Kelurahan"),
    ("kecamatan", "Kecamatan"),
    ("volume", "Volume"),
    ("satuan", "Satuan"),
    ("sasaran", "Sasaran/Penerima Manfaat"),
    ("opd", "Perangkat Daerah Tujuan"),
    ("kode_program", "Kode Program"),
    ("program", "Nama Program"),
    ("kode_kegiatan", "Kode Kegiatan"),
    ("kegiatan", "Nama Kegiatan"),
    ("kode_sub_kegiatan", "Kode Sub Kegiatan"),
    ("sub_kegiatan", "Nama Sub Kegiatan"),
    ("pagu", "Perkiraan Anggaran (Rp)"),
    ("foto", "Foto"),
    ("status", "Status"),
    ("jumlah_aspirasi", "Jumlah Aspirasi Warga"),
)


def pokir_sipd_rows(items: QuerySet[PokirItem], *, site_url: str = "") -> list[list[Any]]:
    rows = []
    for item in items:
        kelurahan = item.kelurahan
        rows.append(
            [
                item.fiscal_year,
                str(item.uid),
                item.member.full_name if item.member else "",
                item.komisi.name if item.komisi else "",
                item.title,
                item.description,
                item.location_text,
                kelurahan.name if kelurahan else "",
                kelurahan.parent.name if kelurahan and kelurahan.parent else "",
                item.volume,
                item.unit,
                item.target_group,
                item.opd.name,
                item.program_code,
                item.program_name,
                item.activity_code,
                item.activity_name,
                item.sub_activity_code,
                item.sub_activity_name,
                item.budget_estimate,
                (site_url + item.photo.url) if item.photo else "",
                item.get_status_display(),
                getattr(item, "aspiration_count", 0),
            ]
        )
    return rows


def musrenbang_list(*, level: str = "", year: int | None = None) -> QuerySet[Musrenbang]:
    items = Musrenbang.objects.select_related("region", "organiser").annotate(
        proposal_count=Count("proposals", distinct=True)
    )
    if level:
        items = items.filter(level=level)
    if year:
        items = items.filter(fiscal_year=year)
    return items.order_by("-fiscal_year", "level", "region_id")


def musrenbang_get(uid: Any) -> Musrenbang:
    return Musrenbang.objects.select_related("region__parent", "organiser").get(uid=uid)


def musrenbang_proposals(musrenbang: Musrenbang) -> QuerySet[MusrenbangProposal]:
    return (
        musrenbang.proposals.select_related("kelurahan", "opd", "parent__musrenbang", "forwarded_as__musrenbang")
        .annotate(aspiration_count=Count("aspirations", distinct=True))
        .order_by("priority", "pk")
    )


def proposal_get(uid: Any) -> MusrenbangProposal:
    return MusrenbangProposal.objects.select_related("musrenbang__organiser", "musrenbang__region").get(uid=uid)


# --- the trail ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrailStep:
    level: str  # "reses", "pokir", "kelurahan", "kecamatan", "kota"
    kind: str  # "reses", "pokir", "musrenbang"
    title: str
    status: str
    status_label: str
    date: Any
    url: str
    final: bool = False


def _proposal_step(proposal: MusrenbangProposal) -> TrailStep:
    musrenbang = proposal.musrenbang
    return TrailStep(
        level=musrenbang.level,
        kind="musrenbang",
        title=f"{musrenbang.title}: {proposal.title}",
        status=proposal.status,
        status_label=str(ProposalStatus(proposal.status).label),
        date=proposal.decided_at or proposal.created_at,
        url=reverse("planning:musrenbang_detail", args=[musrenbang.uid]) + f"#usulan-{proposal.uid}",
        final=proposal.status in (ProposalStatus.IN_RKPD, ProposalStatus.REJECTED),
    )


def planning_trail(aspiration: Aspiration) -> list[TrailStep]:
    """Where the aspiration went in planning, to the end: the reses that heard it, the pokir items
    that carry it with their current status, and each Musrenbang level its proposal reached."""
    steps: list[TrailStep] = [
        TrailStep(
            level="reses",
            kind="reses",
            title=_("Reses %(member)s — %(dapil)s") % {"member": reses.member.full_name, "dapil": reses.dapil},
            status=reses.status,
            status_label=reses.get_status_display(),
            date=reses.held_on,
            url=reverse("planning:reses_detail", args=[reses.uid]),
        )
        for reses in aspiration.reses_set.select_related("member").order_by("held_on")
    ]
    for item in aspiration.pokir_items.prefetch_related(
        Prefetch("history", queryset=PokirStatusChange.objects.order_by("-created_at", "-pk"))
    ).order_by("created_at"):
        # The date of the current status: a later correction of the fields does not move it.
        history = [change for change in item.history.all() if not change.is_edit]
        steps.append(
            TrailStep(
                level="pokir",
                kind="pokir",
                title=_("Pokir DPRD %(year)s: %(title)s") % {"year": item.fiscal_year, "title": item.title},
                status=item.status,
                status_label=item.get_status_display(),
                date=history[0].created_at if history else item.created_at,
                url=reverse("planning:pokir_detail", args=[item.uid]),
                final=item.status in (PokirStatus.REALISED, PokirStatus.REJECTED),
            )
        )
    proposals = aspiration.musrenbang_proposals.filter(parent__isnull=True).select_related("musrenbang")
    for proposal in proposals.order_by("created_at"):
        node: MusrenbangProposal | None = proposal
        depth = 0
        while node is not None and depth < MAX_TRAIL_DEPTH:
            steps.append(_proposal_step(node))
            node = (
                MusrenbangProposal.objects.select_related("musrenbang").filter(parent=node).first()
                if node.status == ProposalStatus.FORWARDED
                else None
            )
            depth += 1
    return steps

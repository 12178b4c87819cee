"""Public planning pages: reses (with report), pokir (with status history and SIPD export) and
Musrenbang per level (proposals, delegates, berita acara). Anyone may read them."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sinergi.planning.export import csv_response, xlsx_response
from sinergi.planning.forms import PokirFilterForm, ProposalDecisionForm
from sinergi.planning.importer import COLUMNS
from sinergi.planning.selectors import (
    SIPD_COLUMNS,
    musrenbang_get,
    musrenbang_list,
    musrenbang_proposals,
    pokir_aspirations,
    pokir_get,
    pokir_history,
    pokir_list,
    pokir_sipd_rows,
    public_title,
    reses_get,
    reses_list,
    reses_report,
)
from sinergi.planning.states import MusrenbangLevel, MusrenbangStatus, PokirStatus, ResesStatus

PER_PAGE = 20
MAX_EXPORT_ROWS = 5000


def get_or_404(getter: Any, uid: uuid.UUID) -> Any:
    try:
        return getter(uid)
    except ObjectDoesNotExist as error:
        raise Http404 from error


def _format(request: HttpRequest) -> str:
    value = request.GET.get("format", "")
    return value if value in ("csv", "xlsx") else ""


def planning_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "planning/public/home.html",
        {
            "reses": reses_list()[:5],
            "pokir": pokir_list()[:5],
            "musrenbang": musrenbang_list()[:6],
        },
    )


def reses_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ResesStatus.values else ""
    page = Paginator(reses_list(status=status), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/public/reses_list.html",
        {"page": page, "items": page.object_list, "statuses": ResesStatus.choices, "status": status},
    )


def reses_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    reses = get_or_404(reses_get, uid)
    report = reses_report(reses)
    return render(request, "planning/public/reses_detail.html", {"reses": reses, "report": report})


REPORT_HEADER = ("ID aspirasi", "Diterima", "Kelurahan", "Kategori", "Judul", "Status", "Tindak lanjut")


def reses_report_view(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    reses = get_or_404(reses_get, uid)
    report = reses_report(reses)
    kind = _format(request)
    if kind:
        rows = [
            [
                str(a.uid),
                a.received_at.date().isoformat(),
                a.region.name if a.region else "",
                a.category.name if a.category else "",
                public_title(a),
                a.get_status_display(),
                report.outcomes.get(a.pk, ""),
            ]
            for a in report.aspirations
        ]
        name = f"laporan-reses-{reses.held_on:%Y%m%d}-{str(reses.uid)[:8]}"
        if kind == "csv":
            return csv_response(name, REPORT_HEADER, rows)
        summary = [
            ["Anggota DPRD", reses.member.full_name],
            ["Dapil", reses.dapil],
            ["Masa sidang", reses.masa_sidang],
            ["Tanggal", reses.held_on.isoformat()],
            ["Tempat", reses.place],
            ["Jumlah peserta", reses.attendee_count],
            ["Jumlah aspirasi", len(report.aspirations)],
        ]
        return xlsx_response(
            name,
            [
                ("Ringkasan", ("Butir", "Nilai"), summary),
                ("Aspirasi", REPORT_HEADER, rows),
                ("Per kategori", ("Kategori", "Jumlah"), report.by_category),
                ("Per kelurahan", ("Kelurahan", "Jumlah"), report.by_kelurahan),
            ],
        )
    return render(request, "planning/public/reses_report.html", {"reses": reses, "report": report})


def batch_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The import template: the header row only (an example row would be imported as data)."""
    if kind == "xlsx":
        guide = [
            ["kelurahan", _("wajib: kode (35.72.01.1001) atau nama kelurahan")],
            ["kategori", _("opsional: slug atau nama kategori; kosong = saran otomatis")],
            ["judul", _("wajib: judul singkat")],
            ["isi", _("wajib: isi aspirasi")],
            ["nama", _("opsional: nama warga")],
            ["telepon", _("opsional: nomor telepon warga (untuk kabar perkembangan)")],
            ["privasi", _("opsional: publik, anonim (bawaan) atau rahasia")],
        ]
        return xlsx_response(
            "templat-aspirasi-reses", [("Aspirasi", COLUMNS, []), ("Petunjuk", ("kolom", "isi"), guide)]
        )
    return csv_response("templat-aspirasi-reses", COLUMNS, [])


def pokir_list_view(request: HttpRequest) -> HttpResponse:
    form = PokirFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "komisi": data["komisi"].slug if data["komisi"] else "",
            "opd": data["opd"].slug if data["opd"] else "",
            "member": data["member"].slug if data["member"] else "",
            "status": data["status"],
            "year": data["year"],
        }
    items = pokir_list(**filters)
    kind = _format(request)
    if kind:
        site = str(settings.SINERGI.get("SITE_URL", "")).rstrip("/")
        rows = pokir_sipd_rows(items[:MAX_EXPORT_ROWS], site_url=site)
        header = [label for _, label in SIPD_COLUMNS]
        if kind == "csv":
            return csv_response("pokir-sipd", header, rows)
        return xlsx_response("pokir-sipd", [("Pokir", header, rows)])
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/public/pokir_list.html",
        {"page": page, "items": page.object_list, "filter_form": form, "query": request.GET.urlencode()},
    )


def pokir_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    from sinergi.planning.forms import PokirStepForm
    from sinergi.planning.permissions import POKIR_STEP_PERMISSION
    from sinergi.planning.states import POKIR_TRANSITIONS

    item = get_or_404(pokir_get, uid)
    steps = []
    if request.user.is_authenticated:
        steps = [
            (status, PokirStatus(status).label)
            for status in sorted(POKIR_TRANSITIONS[item.status])
            if request.user.has_perm(POKIR_STEP_PERMISSION[PokirStatus(status)], item)
        ]
    return render(
        request,
        "planning/public/pokir_detail.html",
        {
            "item": item,
            "history": pokir_history(item),
            "aspirations": pokir_aspirations(item)[:100],
            "steps": steps,
            "step_form": PokirStepForm() if steps else None,
            "can_edit": request.user.is_authenticated and request.user.has_perm("planning.edit_pokir", item),
        },
    )


def musrenbang_list_view(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    level = level if level in MusrenbangLevel.values else ""
    page = Paginator(musrenbang_list(level=level), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "planning/public/musrenbang_list.html",
        {"page": page, "items": page.object_list, "levels": MusrenbangLevel.choices, "level": level},
    )


def musrenbang_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    from sinergi.planning.forms import CloseForm, DelegateForm, ProposalForm

    musrenbang = get_or_404(musrenbang_get, uid)
    can_manage = request.user.is_authenticated and request.user.has_perm("planning.manage_musrenbang", musrenbang)
    is_open = musrenbang.status == MusrenbangStatus.OPEN
    return render(
        request,
        "planning/public/musrenbang_detail.html",
        {
            "musrenbang": musrenbang,
            "proposals": musrenbang_proposals(musrenbang),
            "delegates": musrenbang.delegates.all(),
            "can_manage": can_manage,
            "is_open": is_open,
            "delegate_form": DelegateForm() if can_manage and is_open else None,
            "proposal_form": ProposalForm() if can_manage and is_open else None,
            "close_form": CloseForm() if can_manage and is_open else None,
            "decision_form": ProposalDecisionForm() if can_manage else None,
        },
    )

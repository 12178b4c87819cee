"""Officer pages under /aspirasi/kelola/: the coordinator's verification desk, an OPD's queue, the
overdue dashboard, the officer's case page and one form page per lifecycle action.

Every action checks its rules permission, calls one service (``services.lifecycle``) and shows the
service's refusal (in Indonesian) next to what was typed. The reporter's identity follows the rules
``view_reporter_identity`` (never the OPD for an anonymous case) and ``view_reporter_contact``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.actors.models import Organisation
from sinergi.aspirations import officer_selectors as selectors
from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.services.lifecycle import REASON_MAX, REFERRED_TO_MAX, RESPONSE_MAX
from sinergi.aspirations.states import CLOSED_STATUSES, AspirationKind, AspirationStatus
from sinergi.core.errors import NotPermitted, RuleViolation

S = AspirationStatus
PAGE_SIZE = 25
DENIED = gettext_lazy("Anda tidak berwenang melakukan tindakan ini untuk aspirasi ini.")


def _require(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(str(DENIED))


# --- Forms -------------------------------------------------------------------------------------


def _text_field(label: Any, limit: int, *, required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=limit, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


def _category_field(required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=gettext_lazy("Kategori"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="slug",
        required=required,
        empty_label=gettext_lazy("(tetap)") if not required else "---------",
    )


class NoteForm(forms.Form):
    category = _category_field()
    note = _text_field(gettext_lazy("Catatan internal"), REASON_MAX, required=False, rows=2)


class ConfirmForm(forms.Form):
    """One click: verify and disposition as the router suggested."""


class QuestionForm(forms.Form):
    question = _text_field(gettext_lazy("Pertanyaan kepada pelapor (tampil di pelacak)"), REASON_MAX)


class ReasonForm(forms.Form):
    reason = _text_field(gettext_lazy("Alasan"), REASON_MAX)


class OutOfScopeForm(forms.Form):
    reason = _text_field(gettext_lazy("Alasan"), REASON_MAX)
    referred_to = forms.CharField(
        label=gettext_lazy("Instansi yang berwenang"),
        max_length=REFERRED_TO_MAX,
        help_text=gettext_lazy("Misalnya: Pemerintah Provinsi Jawa Timur (jalan provinsi)."),
    )


class DispositionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Didisposisikan kepada"), queryset=Organisation.objects.none(), to_field_name="slug"
    )
    category = _category_field()
    note = _text_field(gettext_lazy("Catatan internal"), REASON_MAX, required=False, rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Counted today, not at import: an organisation's validity period can end.
        self.fields["organisation"].queryset = selectors.disposition_destinations()  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    text = _text_field(gettext_lazy("Tanggapan (tampil di lini masa)"), RESPONSE_MAX, rows=5)
    internal_note = _text_field(gettext_lazy("Catatan internal"), REASON_MAX, required=False, rows=2)


class OutcomeForm(forms.Form):
    outcome = _text_field(gettext_lazy("Hasil tindak lanjut"), RESPONSE_MAX, rows=5)


class CategoryForm(forms.Form):
    category = _category_field(required=True)
    note = _text_field(gettext_lazy("Catatan internal"), REASON_MAX, required=False, rows=2)


# --- Actions -----------------------------------------------------------------------------------


def _confirm(case: Aspiration, actor: Any, data: dict[str, Any]) -> Any:
    destination = case.suggested_organisation
    if destination is None:
        raise RuleViolation(_("Tidak ada saran tujuan; pilih tujuan disposisi."), code="no_suggestion")
    with transaction.atomic():
        slug = case.suggested_category.slug if case.suggested_category else ""
        if case.status == S.RECEIVED:
            case = lifecycle.aspiration_verify(aspiration=case, actor=actor, category_slug=slug)
            slug = ""
        return lifecycle.aspiration_disposition(
            aspiration=case, actor=actor, organisation=destination, category_slug=slug
        )


def _disposition(case: Aspiration, actor: Any, data: dict[str, Any]) -> Any:
    slug = data["category"].slug if data.get("category") else ""
    with transaction.atomic():
        if case.status == S.RECEIVED:
            case = lifecycle.aspiration_verify(aspiration=case, actor=actor, category_slug=slug)
            slug = ""
        return lifecycle.aspiration_disposition(
            aspiration=case, actor=actor, organisation=data["organisation"], category_slug=slug, note=data["note"]
        )


def _is_open(case: Aspiration) -> bool:
    return case.status not in CLOSED_STATUSES


@dataclass(frozen=True)
class CaseAction:
    slug: str
    title: Promise
    perm: str
    form: type[forms.Form]
    run: Callable[[Aspiration, Any, dict[str, Any]], Any]
    available: Callable[[Aspiration], bool]
    done: Promise


ACTIONS: dict[str, CaseAction] = {
    action.slug: action
    for action in [
        CaseAction(
            "verifikasi",
            gettext_lazy("Verifikasi"),
            "aspirations.verify_aspiration",
            NoteForm,
            lambda c, a, d: lifecycle.aspiration_verify(
                aspiration=c, actor=a, category_slug=d["category"].slug if d.get("category") else "", note=d["note"]
            ),
            lambda c: c.status == S.RECEIVED,
            gettext_lazy("Aspirasi diverifikasi."),
        ),
        CaseAction(
            "konfirmasi",
            gettext_lazy("Setujui saran dan disposisikan"),
            "aspirations.disposition_aspiration",
            ConfirmForm,
            _confirm,
            lambda c: c.status in (S.RECEIVED, S.VERIFIED) and c.suggested_organisation_id is not None,
            gettext_lazy("Aspirasi diverifikasi dan didisposisikan sesuai saran."),
        ),
        CaseAction(
            "disposisi",
            gettext_lazy("Disposisikan / koreksi tujuan"),
            "aspirations.disposition_aspiration",
            DispositionForm,
            _disposition,
            lambda c: c.status in (S.RECEIVED, S.VERIFIED, S.DISPOSITIONED) and c.first_response_at is None,
            gettext_lazy("Aspirasi didisposisikan."),
        ),
        CaseAction(
            "minta-informasi",
            gettext_lazy("Minta informasi kepada pelapor"),
            "aspirations.verify_aspiration",
            QuestionForm,
            lambda c, a, d: lifecycle.aspiration_request_information(aspiration=c, actor=a, question=d["question"]),
            lambda c: c.status == S.RECEIVED,
            gettext_lazy("Permintaan informasi dikirim kepada pelapor."),
        ),
        CaseAction(
            "bukan-kewenangan",
            gettext_lazy("Bukan kewenangan"),
            "aspirations.verify_aspiration",
            OutOfScopeForm,
            lambda c, a, d: lifecycle.aspiration_mark_out_of_scope(
                aspiration=c, actor=a, reason=d["reason"], referred_to=d["referred_to"]
            ),
            lambda c: c.status == S.RECEIVED,
            gettext_lazy("Aspirasi ditandai bukan kewenangan."),
        ),
        CaseAction(
            "arsipkan",
            gettext_lazy("Arsipkan"),
            "aspirations.verify_aspiration",
            ReasonForm,
            lambda c, a, d: lifecycle.aspiration_archive(aspiration=c, actor=a, reason=d["reason"]),
            lambda c: c.status in (S.RECEIVED, S.NEEDS_INFORMATION),
            gettext_lazy("Aspirasi diarsipkan."),
        ),
        CaseAction(
            "kategori",
            gettext_lazy("Ubah kategori"),
            "aspirations.verify_aspiration",
            CategoryForm,
            lambda c, a, d: lifecycle.aspiration_change_category(
                aspiration=c, actor=a, category_slug=d["category"].slug, note=d["note"]
            ),
            _is_open,
            gettext_lazy("Kategori diubah."),
        ),
        CaseAction(
            "kembalikan",
            gettext_lazy("Kembalikan ke koordinator (bukan tugas kami)"),
            "aspirations.respond_aspiration",
            ReasonForm,
            lambda c, a, d: lifecycle.aspiration_return_to_coordinator(aspiration=c, actor=a, reason=d["reason"]),
            lambda c: (
                c.status == S.DISPOSITIONED and c.first_response_at is None and c.assigned_organisation_id is not None
            ),
            gettext_lazy("Aspirasi dikembalikan ke koordinator."),
        ),
        CaseAction(
            "tanggapi",
            gettext_lazy("Tanggapi"),
            "aspirations.respond_aspiration",
            RespondForm,
            lambda c, a, d: lifecycle.aspiration_respond(
                aspiration=c, actor=a, text=d["text"], internal_note=d["internal_note"]
            ),
            lambda c: c.status in (S.DISPOSITIONED, S.IN_PROGRESS) and c.assigned_organisation_id is not None,
            gettext_lazy("Tanggapan dikirim."),
        ),
        CaseAction(
            "selesaikan",
            gettext_lazy("Selesaikan"),
            "aspirations.respond_aspiration",
            OutcomeForm,
            lambda c, a, d: lifecycle.aspiration_resolve(aspiration=c, actor=a, outcome=d["outcome"]),
            lambda c: c.status == S.IN_PROGRESS,
            gettext_lazy("Aspirasi diselesaikan."),
        ),
        CaseAction(
            "tolak",
            gettext_lazy("Tolak"),
            "aspirations.respond_aspiration",
            ReasonForm,
            lambda c, a, d: lifecycle.aspiration_reject(aspiration=c, actor=a, reason=d["reason"]),
            lambda c: c.status in (S.DISPOSITIONED, S.IN_PROGRESS),
            gettext_lazy("Aspirasi ditolak."),
        ),
        CaseAction(
            "pengawasan",
            gettext_lazy("Tandai berkadar pengawasan (60 hari kerja)"),
            "aspirations.mark_aspiration_investigation",
            ReasonForm,
            lambda c, a, d: lifecycle.aspiration_mark_investigation(aspiration=c, actor=a, reason=d["reason"]),
            lambda c: (
                c.kind == AspirationKind.PENGADUAN
                and not c.needs_investigation
                and _is_open(c)
                and c.status != S.NEEDS_INFORMATION
            ),
            gettext_lazy("Batas penyelesaian dihitung ulang: 60 hari kerja."),
        ),
        CaseAction(
            "perpanjang",
            gettext_lazy("Perpanjang waktu jawaban (UU KIP, 7 hari kerja)"),
            "aspirations.extend_aspiration_deadline",
            ReasonForm,
            lambda c, a, d: lifecycle.aspiration_extend_deadline(aspiration=c, actor=a, reason=d["reason"]),
            lambda c: (
                c.kind == AspirationKind.PERMINTAAN_INFORMASI
                and not c.deadline_extended
                and _is_open(c)
                and c.status != S.NEEDS_INFORMATION
            ),
            gettext_lazy("Waktu jawaban diperpanjang 7 hari kerja."),
        ),
    ]
}


def available_actions(request: HttpRequest, case: Aspiration) -> list[CaseAction]:
    return [a for a in ACTIONS.values() if a.available(case) and request.user.has_perm(a.perm, case)]


# --- Pages -------------------------------------------------------------------------------------


@login_required
def manage_home(request: HttpRequest) -> HttpResponse:
    _require(request, "aspirations.view_opd_queue")
    return render(
        request,
        "aspirations/manage/home.html",
        {"is_coordinator": request.user.has_perm("aspirations.view_verification_desk")},
    )


@login_required
def verification_desk(request: HttpRequest) -> HttpResponse:
    _require(request, "aspirations.view_verification_desk")
    page = Paginator(selectors.verification_desk(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "aspirations/manage/desk.html", {"cases": page, "page": page})


def _sees_everything(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("aspirations.view_verification_desk"))


@login_required
def opd_queue(request: HttpRequest) -> HttpResponse:
    _require(request, "aspirations.view_opd_queue")
    everything = _sees_everything(request)
    page = Paginator(selectors.opd_queue(request.user, everything=everything), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "aspirations/manage/queue.html",
        {
            "cases": page,
            "page": page,
            "organisations": [] if everything else selectors.organisations_handled_by(request.user),
            "everything": everything,
        },
    )


@login_required
def overdue_dashboard(request: HttpRequest) -> HttpResponse:
    _require(request, "aspirations.view_opd_queue")
    ids = None if _sees_everything(request) else [o.pk for o in selectors.organisations_handled_by(request.user)]
    page = Paginator(selectors.overdue_cases(ids), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aspirations/manage/overdue.html",
        {"rows": selectors.overdue_by_organisation(ids), "cases": page, "page": page},
    )


@login_required
def case_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    case = selectors.officer_case(uid)
    _require(request, "aspirations.view_officer_case", case)
    identity = None
    if request.user.has_perm("aspirations.view_reporter_identity", case):
        identity = selectors.reporter_identity(case)
    return render(
        request,
        "aspirations/manage/case.html",
        {
            "case": case,
            "events": list(case.events.all()),
            "photos": list(case.photos.all()),
            "identity": identity,
            "show_contact": identity is not None and request.user.has_perm("aspirations.view_reporter_contact", case),
            "actions": available_actions(request, case),
            "stage_due": lifecycle.stage_due(case),
        },
    )


@login_required
def case_action(request: HttpRequest, uid: Any, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = selectors.officer_case(uid)
    _require(request, spec.perm, case)
    initial: dict[str, Any] = {}
    if spec.form is DispositionForm:
        category = case.category or case.suggested_category
        initial = {
            "organisation": case.suggested_organisation.slug if case.suggested_organisation else None,
            "category": category.slug if category else None,
        }
    form = spec.form(request.POST, initial=initial) if request.method == "POST" else spec.form(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            spec.run(case, request.user, form.cleaned_data)
        except NotPermitted as error:
            raise PermissionDenied(error.message) from error
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, str(spec.done))
            return redirect("aspirations:manage_case", uid=case.uid)
    return render(
        request,
        "aspirations/manage/action.html",
        {"case": case, "form": form, "action": spec, "available": spec.available(case)},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("kelola/", manage_home, name="manage_home"),
    path("kelola/verifikasi/", verification_desk, name="manage_desk"),
    path("kelola/antrean/", opd_queue, name="manage_queue"),
    path("kelola/terlambat/", overdue_dashboard, name="manage_overdue"),
    path("kelola/<uuid:uid>/", case_detail, name="manage_case"),
    path("kelola/<uuid:uid>/<slug:action>/", case_action, name="manage_action"),
]

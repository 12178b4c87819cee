"""Pages of the support part: dukung (account or phone → code), similar open cases, merging duplicates.

Without JavaScript: dukung with a phone is three plain forms (number → code → done). The number waits
between steps sealed in the session (`core.crypto.seal`), never in plain text, never in a URL.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.aspirations.identity import PHONE_INPUT_MAX
from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.services.merge import REASON_MAX, aspiration_merge, short_reference
from sinergi.aspirations.services.support import (
    PROOF_VALID,
    aspiration_support,
    aspiration_supported_by,
    phone_verification_check,
    phone_verification_start,
)
from sinergi.aspirations.similar import QUERY_MAX_CHARS, find_similar
from sinergi.aspirations.states import OPEN_STATUSES, Privacy
from sinergi.core.crypto import UnreadableCiphertext, seal, unseal
from sinergi.core.errors import RuleViolation
from sinergi.regions.models import Region, RegionLevel

SESSION_PHONE = "aspirations_support_phone"  # {"sealed": base64, "verified_at": iso or ""}


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Nomor ponsel (SMS/WhatsApp)"),
        max_length=PHONE_INPUT_MAX,
        help_text=gettext_lazy("Kami kirim kode 6 angka. Nomor disimpan terenkripsi dan tidak pernah ditampilkan."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kode verifikasi"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SimilarForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Uraian masalah"), max_length=QUERY_MAX_CHARS)
    kelurahan = forms.ChoiceField(label=gettext_lazy("Kelurahan"), required=False)
    kategori = forms.ChoiceField(label=gettext_lazy("Kategori"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kelurahan = Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith="35.72.")
        self.fields["kelurahan"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua kelurahan")),
            *((region.code, region.name) for region in kelurahan.order_by("name")),
        ]
        categories = Category.objects.filter(is_active=True).order_by("order", "name")
        self.fields["kategori"].choices = [  # type: ignore[attr-defined]
            ("", _("Semua kategori")),
            *((category.slug, category.name) for category in categories),
        ]


class MergeForm(forms.Form):
    into = forms.UUIDField(
        label=gettext_lazy("Gabungkan ke aspirasi (ID)"),
        help_text=gettext_lazy("Pilih dari daftar serupa di atas, atau tempel ID aspirasi tujuan."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan penggabungan"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


def _case_or_404(uid: Any) -> Aspiration:
    case = Aspiration.objects.select_related("region", "category", "merged_into").filter(uid=uid).first()
    if case is None:
        raise Http404
    return case


def _public_title(case: Aspiration) -> str:
    return _("(isi dirahasiakan)") if case.privacy == Privacy.CONFIDENTIAL else case.title


def _session_phone(request: HttpRequest, *, verified: bool) -> str:
    """The phone waiting in the session ('' if none, unreadable, or not proven recently enough)."""
    stored = request.session.get(SESSION_PHONE) or {}
    try:
        phone = unseal(base64.b64decode(stored.get("sealed", "")), purpose="phone")
    except (UnreadableCiphertext, ValueError, TypeError):
        return ""
    if verified:
        verified_at = stored.get("verified_at") or ""
        try:
            moment = dt.datetime.fromisoformat(verified_at)
        except ValueError:
            return ""
        if timezone.now() - moment > PROOF_VALID:
            return ""
    return phone


def _remember_phone(request: HttpRequest, phone: str, *, verified: bool) -> None:
    request.session[SESSION_PHONE] = {
        "sealed": base64.b64encode(seal(phone, purpose="phone")).decode(),
        "verified_at": timezone.now().isoformat() if verified else "",
    }


def _masked(phone: str) -> str:
    return f"{phone[:5]}•••{phone[-2:]}" if len(phone) > 7 else "•••"


def _done(request: HttpRequest, case: Aspiration, created: bool) -> HttpResponse:
    if created:
        messages.success(request, _("Terima kasih, dukungan Anda tercatat."))
    else:
        messages.info(request, _("Anda sudah mendukung aspirasi ini sebelumnya."))
    return redirect("aspirations:detail", case.uid)


@require_http_methods(["GET", "POST"])
def support_page(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """GET: the choice (one click when signed in or with a proven phone; else the phone form).
    POST: one-click support by the signed-in account or the phone proven in this session."""
    case = _case_or_404(uid)
    proven_phone = "" if request.user.is_authenticated else _session_phone(request, verified=True)
    if request.method == "POST":
        if not request.user.is_authenticated and not proven_phone:
            return redirect_to_login(request.get_full_path())
        try:
            if request.user.is_authenticated:
                result = aspiration_support(aspiration=case, user=request.user)
            else:
                result = aspiration_support(aspiration=case, verified_phone=proven_phone)
        except RuleViolation as error:
            messages.error(request, error.message)
            return redirect("aspirations:support", case.uid)
        return _done(request, case, result.created)
    already = aspiration_supported_by(case, user=request.user, phone_e164=proven_phone)
    return render(
        request,
        "aspirations/support/support.html",
        {
            "case": case,
            "title": _public_title(case),
            "is_open": case.status in OPEN_STATUSES,
            "already": already,
            "proven_phone": _masked(proven_phone) if proven_phone else "",
            "phone_form": PhoneForm(),
            "merged_into_ref": short_reference(case.merged_into) if case.merged_into else "",
        },
    )


@require_POST
def support_phone(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Step 1 without an account: send a code to the number."""
    case = _case_or_404(uid)
    form = PhoneForm(request.POST)
    if form.is_valid():
        try:
            phone_verification_start(form.cleaned_data["phone"])
        except RuleViolation as error:
            form.add_error("phone", error.message)
        else:
            from sinergi.aspirations.identity import normalise_phone

            _remember_phone(request, normalise_phone(form.cleaned_data["phone"]), verified=False)
            messages.info(request, _("Kode verifikasi sudah dikirim. Berlaku 10 menit."))
            return redirect("aspirations:support_code", case.uid)
    return render(
        request,
        "aspirations/support/support.html",
        {
            "case": case,
            "title": _public_title(case),
            "is_open": case.status in OPEN_STATUSES,
            "already": False,
            "proven_phone": "",
            "phone_form": form,
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def support_code(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Step 2: the code. When it matches, the support is recorded at once (the person asked for it)."""
    case = _case_or_404(uid)
    phone = _session_phone(request, verified=False)
    if not phone:
        messages.info(request, _("Masukkan nomor telepon dulu."))
        return redirect("aspirations:support", case.uid)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_verification_check(phone, form.cleaned_data["code"])
            _remember_phone(request, phone, verified=True)
            result = aspiration_support(aspiration=case, verified_phone=phone)
        except RuleViolation as error:
            form.add_error("code", error.message)
        else:
            return _done(request, case, result.created)
    return render(
        request,
        "aspirations/support/code.html",
        {"case": case, "title": _public_title(case), "form": form, "masked_phone": _masked(phone)},
        status=400 if request.method == "POST" else 200,
    )


def similar_page(request: HttpRequest) -> HttpResponse:
    """Similar open cases for a description (and a kelurahan, a category): also the intake form's preview."""
    form = SimilarForm(request.GET or None)
    results = None
    if form.is_valid():
        category_id = None
        if form.cleaned_data["kategori"]:
            category_id = (
                Category.objects.filter(slug=form.cleaned_data["kategori"]).values_list("pk", flat=True).first()
            )
        results = find_similar(
            text=form.cleaned_data["q"],
            category_id=category_id,
            region_code=form.cleaned_data["kelurahan"],
            limit=10,
        )
    return render(request, "aspirations/support/similar.html", {"form": form, "results": results})


@login_required
@require_http_methods(["GET", "POST"])
def merge_page(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Officers: merge this case (the duplicate) into another; candidates come from the similar look-up."""
    duplicate = _case_or_404(uid)
    if not request.user.has_perm("aspirations.merge_aspiration", duplicate):
        raise PermissionDenied(_("Anda tidak berwenang menggabungkan aspirasi ini."))
    form = MergeForm(request.POST or None, initial={"into": request.GET.get("ke", "")[:40]})
    if request.method == "POST" and form.is_valid():
        into = Aspiration.objects.filter(uid=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("Aspirasi tujuan tidak ditemukan."))
        else:
            try:
                aspiration_merge(duplicate=duplicate, into=into, actor=request.user, reason=form.cleaned_data["reason"])
            except RuleViolation as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Aspirasi digabung. Pelapor dan pendukung kedua aspirasi diberi kabar."))
                return redirect(reverse("aspirations:detail", args=[into.uid]))
    candidates = find_similar(
        text=f"{duplicate.title} {duplicate.text}",
        category_id=duplicate.category_id,
        region_code=duplicate.region_id or "",
        latitude=duplicate.latitude,
        longitude=duplicate.longitude,
        limit=10,
        exclude_uid=duplicate.uid,
    )
    return render(
        request,
        "aspirations/support/merge.html",
        {"case": duplicate, "candidates": candidates, "form": form, "is_open": duplicate.status in OPEN_STATUSES},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("serupa/", similar_page, name="similar"),
    path("kelola/gabung/<uuid:uid>/", merge_page, name="merge"),
    path("<uuid:uid>/dukung/", support_page, name="support"),
    path("<uuid:uid>/dukung/telepon/", support_phone, name="support_phone"),
    path("<uuid:uid>/dukung/kode/", support_code, name="support_code"),
]

"""Pages for the acts: open and run a reses (batch entry, import), propose and move pokir items,
run a Musrenbang. Each view checks the permission, then calls one service."""

import secrets
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.actors.models import Organisation
from sinergi.actors.selectors import user_acting_organisations
from sinergi.aspirations.models import Category
from sinergi.core.errors import RuleViolation
from sinergi.planning import services
from sinergi.planning.forms import (
    MAX_LINKED,
    BatchFormSet,
    BatchTokenForm,
    CloseForm,
    DelegateForm,
    ImportForm,
    MusrenbangOpenForm,
    PokirForm,
    PokirStepForm,
    ProposalDecisionForm,
    ProposalForm,
    ResesHeldForm,
    ResesOpenForm,
    kelurahan_choices,
)
from sinergi.planning.importer import BatchRow
from sinergi.planning.models import Reses
from sinergi.planning.predicates import DPRD_KINDS, MUSRENBANG_ORGANISER_KINDS, dprd_bodies, role_slugs
from sinergi.planning.selectors import musrenbang_get, pokir_get, proposal_get, reses_get
from sinergi.planning.views.public import get_or_404


def require_perm(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def _dprd_organisations(user: Any) -> Any:
    if user.is_superuser:
        return Organisation.objects.filter(kind__code__in=DPRD_KINDS).order_by("name")
    return dprd_bodies(user).order_by("name")


# --- reses ---------------------------------------------------------------------------------------


@login_required
def reses_open(request: HttpRequest) -> HttpResponse:
    require_perm(request, "planning.open_reses", None)
    form = ResesOpenForm(request.POST or None, organisations=_dprd_organisations(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reses = services.reses_open(
                actor=request.user,
                organisation=data["organisation"],
                data=services.ResesInput(
                    dapil=data["dapil"],
                    kecamatan=data["kecamatan"],
                    masa_sidang=data["masa_sidang"],
                    held_on=data["held_on"],
                    place=data["place"],
                    attendee_count=data["attendee_count"] or 0,
                    notes=data["notes"],
                ),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Reses dibuka."))
            return redirect("planning:reses_detail", uid=reses.uid)
    return render(request, "planning/manage/form.html", {"form": form, "title": _("Buka reses"), "multipart": False})


@login_required
@require_POST
def reses_status(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    reses = get_or_404(reses_get, uid)
    require_perm(request, "planning.manage_reses", reses)
    try:
        if request.POST.get("step") == "reported":
            services.reses_mark_reported(reses=reses, actor=request.user)
            messages.success(request, _("Laporan reses diterbitkan."))
        else:
            form = ResesHeldForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Jumlah peserta harus angka 0–100.000."))
                return redirect("planning:reses_detail", uid=reses.uid)
            services.reses_mark_held(
                reses=reses,
                actor=request.user,
                attendee_count=form.cleaned_data["attendee_count"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("Reses dicatat sudah dilaksanakan."))
    except RuleViolation as error:
        messages.error(request, error.message)
    return redirect("planning:reses_detail", uid=reses.uid)


@login_required
def reses_batch(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Ten rows per screen; all rows are saved together or none (errors shown beside their row)."""
    reses = get_or_404(reses_get, uid)
    require_perm(request, "planning.manage_reses", reses)
    formset = BatchFormSet(request.POST or None, prefix="baris")
    token = BatchTokenForm(request.POST or None, initial={"batch_key": secrets.token_hex(16)})
    if request.method == "POST" and formset.is_valid() and token.is_valid():
        filled = [(i, f) for i, f in enumerate(formset.forms) if not f.is_blank()]
        rows = [
            BatchRow(
                kelurahan=f.cleaned_data["kelurahan"],
                category=f.cleaned_data["category"],
                title=f.cleaned_data["title"],
                text=f.cleaned_data["text"],
                name=f.cleaned_data["name"],
                phone=f.cleaned_data["phone"],
                privacy=f.cleaned_data["privacy"],
            )
            for _i, f in filled
        ]
        try:
            result = services.reses_batch_submit(
                reses=reses, rows=rows, actor=request.user, batch_key=token.cleaned_data["batch_key"]
            )
        except services.BatchRejected as error:
            for row_index, row_errors in error.row_errors.items():
                form = filled[row_index][1]
                for message in row_errors:
                    form.add_error(None, message)
            messages.error(request, error.message)
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s aspirasi dicatat untuk reses ini.") % {"n": len(result.aspirations)})
            return redirect("planning:reses_detail", uid=reses.uid)
    return render(
        request,
        "planning/manage/reses_batch.html",
        {
            "reses": reses,
            "formset": formset,
            "token": token,
            "kelurahan_names": kelurahan_choices().values_list("name", flat=True),
            "category_names": Category.objects.filter(is_active=True).values_list("name", flat=True),
        },
    )


@login_required
def reses_import(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    reses = get_or_404(reses_get, uid)
    require_perm(request, "planning.manage_reses", reses)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors: list[tuple[int, list[str]]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.reses_import(reses=reses, filename=upload.name, content=upload.read(), actor=request.user)
        except services.BatchRejected as error:
            # Row numbers as the spreadsheet shows them: the header is row 1.
            row_errors = sorted((index + 2, messages_) for index, messages_ in error.row_errors.items())[:100]
            form.add_error(None, error.message)
        except RuleViolation as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("%(n)s aspirasi diimpor untuk reses ini.") % {"n": len(result.aspirations)})
            return redirect("planning:reses_detail", uid=reses.uid)
    return render(
        request, "planning/manage/reses_import.html", {"reses": reses, "form": form, "row_errors": row_errors}
    )


# --- pokir ---------------------------------------------------------------------------------------


@login_required
def pokir_propose(request: HttpRequest) -> HttpResponse:
    require_perm(request, "planning.propose_pokir", None)
    initial = {}
    from_reses = request.GET.get("reses", "")
    if request.method == "GET" and from_reses:
        # "Usulkan pokir dari reses ini": the reses's aspirations prefilled, for the member to trim.
        try:
            reses = reses_get(uuid.UUID(from_reses))
        except (ValueError, Reses.DoesNotExist):
            reses = None
        if reses is not None:
            uids = reses.aspirations.order_by("received_at").values_list("uid", flat=True)[:MAX_LINKED]
            initial["aspirations"] = "\n".join(str(uid) for uid in uids)
    form = PokirForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photo = data["photo"]
        try:
            item = services.pokir_propose(
                actor=request.user,
                data=services.PokirInput(
                    title=data["title"],
                    description=data["description"],
                    location_text=data["location_text"],
                    kelurahan=data["kelurahan"],
                    volume=data["volume"],
                    unit=data["unit"],
                    target_group=data["target_group"],
                    opd=data["opd"],
                    komisi=data["komisi"],
                    program_code=data["program_code"],
                    program_name=data["program_name"],
                    activity_code=data["activity_code"],
                    activity_name=data["activity_name"],
                    sub_activity_code=data["sub_activity_code"],
                    sub_activity_name=data["sub_activity_name"],
                    budget_estimate=data["budget_estimate"],
                    fiscal_year=data["fiscal_year"],
                ),
                aspirations=data["aspirations"],
                photo=(photo.name, photo.read()) if photo else None,
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Pokir diusulkan."))
            return redirect("planning:pokir_detail", uid=item.uid)
    return render(request, "planning/manage/form.html", {"form": form, "title": _("Usulkan pokir"), "multipart": True})


@login_required
@require_POST
def pokir_step(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    from sinergi.planning.permissions import POKIR_STEP_PERMISSION
    from sinergi.planning.states import PokirStatus

    item = get_or_404(pokir_get, uid)
    form = PokirStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih langkah yang sah."))
        return redirect("planning:pokir_detail", uid=item.uid)
    require_perm(request, POKIR_STEP_PERMISSION[PokirStatus(form.cleaned_data["to_status"])], item)
    try:
        services.pokir_transition(
            item=item, actor=request.user, to_status=form.cleaned_data["to_status"], note=form.cleaned_data["note"]
        )
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Status pokir diperbarui."))
    return redirect("planning:pokir_detail", uid=item.uid)


# --- Musrenbang ----------------------------------------------------------------------------------


def _organisers(user: Any) -> Any:
    if user.is_superuser:
        return Organisation.objects.filter(kind__code__in=(*MUSRENBANG_ORGANISER_KINDS, "opd")).order_by("name")
    acting = user_acting_organisations(user)
    return acting.filter(kind__code__in=MUSRENBANG_ORGANISER_KINDS) | acting.filter(slug__in=role_slugs("bappeda"))


@login_required
def musrenbang_open(request: HttpRequest) -> HttpResponse:
    require_perm(request, "planning.open_musrenbang", None)
    form = MusrenbangOpenForm(request.POST or None, organisers=_organisers(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            musrenbang = services.musrenbang_open(
                actor=request.user,
                organiser=data["organiser"],
                data=services.MusrenbangInput(
                    level=data["level"],
                    fiscal_year=data["fiscal_year"],
                    region=data["region"],
                    title=data["title"],
                    place=data["place"],
                    held_on=data["held_on"],
                ),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Musrenbang dibuka."))
            return redirect("planning:musrenbang_detail", uid=musrenbang.uid)
    return render(
        request, "planning/manage/form.html", {"form": form, "title": _("Buka Musrenbang"), "multipart": False}
    )


def _musrenbang_form_error(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@login_required
@require_POST
def delegate_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = get_or_404(musrenbang_get, uid)
    require_perm(request, "planning.manage_musrenbang", musrenbang)
    form = DelegateForm(request.POST)
    if form.is_valid():
        try:
            services.musrenbang_delegate_add(musrenbang=musrenbang, actor=request.user, **form.cleaned_data)
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Delegasi dicatat."))
    else:
        _musrenbang_form_error(request, form)
    return redirect("planning:musrenbang_detail", uid=musrenbang.uid)


@login_required
@require_POST
def proposal_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = get_or_404(musrenbang_get, uid)
    require_perm(request, "planning.manage_musrenbang", musrenbang)
    form = ProposalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.musrenbang_proposal_add(
                musrenbang=musrenbang,
                actor=request.user,
                data=services.ProposalInput(
                    title=data["title"],
                    priority=data["priority"],
                    description=data["description"],
                    location_text=data["location_text"],
                    kelurahan=data["kelurahan"],
                    opd=data["opd"],
                    volume=data["volume"],
                    unit=data["unit"],
                ),
                aspirations=data["aspirations"],
            )
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Usulan ditambahkan."))
    else:
        _musrenbang_form_error(request, form)
    return redirect("planning:musrenbang_detail", uid=musrenbang.uid)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    proposal = get_or_404(proposal_get, uid)
    require_perm(request, "planning.manage_musrenbang", proposal.musrenbang)
    form = ProposalDecisionForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "forward":
                services.musrenbang_proposal_forward(proposal=proposal, actor=request.user)
            else:
                services.musrenbang_proposal_decide(
                    proposal=proposal, actor=request.user, to_status=decision, reason=form.cleaned_data["reason"]
                )
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Keputusan atas usulan dicatat."))
    else:
        _musrenbang_form_error(request, form)
    return redirect("planning:musrenbang_detail", uid=proposal.musrenbang.uid)


@login_required
@require_POST
def musrenbang_close(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = get_or_404(musrenbang_get, uid)
    require_perm(request, "planning.manage_musrenbang", musrenbang)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.musrenbang_close(
                musrenbang=musrenbang, actor=request.user, berita_acara=form.cleaned_data["berita_acara"]
            )
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Berita acara ditetapkan; Musrenbang ditutup."))
    else:
        _musrenbang_form_error(request, form)
    return redirect("planning:musrenbang_detail", uid=musrenbang.uid)

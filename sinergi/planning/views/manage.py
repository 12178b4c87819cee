"""Pages for the acts: open and run a reses (batch entry, import), propose, correct and move pokir
items, run a Musrenbang. Each view checks the permission, then calls one service through one of the
two shapes below: a page with one form (`_form_page`) or a form posted from a detail page
(`_post_back`)."""

import dataclasses
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
    PokirEditForm,
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


def _get_permitted(
    request: HttpRequest,
    getter: Callable[[Any], Any],
    uid: uuid.UUID,
    perm: str,
    *,
    of: Callable[[Any], Any] | None = None,
) -> Any:
    """The object (404 if unknown), once the user may act on it (or on `of(object)`)."""
    obj = get_or_404(getter, uid)
    require_perm(request, perm, of(obj) if of else obj)
    return obj


def _service_input(input_class: Any, data: dict[str, Any], **overrides: Any) -> Any:
    """A service's input dataclass from a form's cleaned data (the forms name their fields alike)."""
    values = {field.name: data[field.name] for field in dataclasses.fields(input_class)}
    return input_class(**{**values, **overrides})


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    save: Callable[[dict[str, Any]], Any],
    success: str,
    detail: str,
    title: str,
    multipart: bool = False,
    back_url: str = "",
) -> HttpResponse:
    """A page with one form. A valid post goes to `save` (one service call); a refusal shows as a form
    error, success sends the user to the saved object's `detail` page."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(detail, uid=saved.uid)
    return render(
        request,
        "planning/manage/form.html",
        {"form": form, "title": title, "multipart": multipart, "back_url": back_url},
    )


def _attempt(request: HttpRequest, act: Callable[[], Any], success: str) -> None:
    """One service call whose outcome is told as a message: the success text, or the refusal."""
    try:
        act()
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def _post_back(
    request: HttpRequest,
    form: Any,
    *,
    act: Callable[[dict[str, Any]], Any],
    success: str,
    back: str,
    invalid: str = "",
) -> HttpResponse:
    """A form posted from a detail page: the outcome, bad input (`invalid`, or each field's error)
    and refusals come back as messages on that page."""
    if form.is_valid():
        _attempt(request, lambda: act(form.cleaned_data), success)
    elif invalid:
        messages.error(request, invalid)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(back)


def _dprd_organisations(user: Any) -> Any:
    if user.is_superuser:
        return Organisation.objects.filter(kind__code__in=DPRD_KINDS).order_by("name")
    return dprd_bodies(user).order_by("name")


# --- reses ---------------------------------------------------------------------------------------


@login_required
def reses_open(request: HttpRequest) -> HttpResponse:
    require_perm(request, "planning.open_reses", None)
    form = ResesOpenForm(request.POST or None, organisations=_dprd_organisations(request.user))

    def save(data: dict[str, Any]) -> Any:
        return services.reses_open(
            actor=request.user,
            organisation=data["organisation"],
            data=_service_input(services.ResesInput, data, attendee_count=data["attendee_count"] or 0),
        )

    return _form_page(
        request, form, save=save, success=_("Reses dibuka."), detail="planning:reses_detail", title=_("Buka reses")
    )


@login_required
@require_POST
def reses_status(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    reses = _get_permitted(request, reses_get, uid, "planning.manage_reses")
    back = reverse("planning:reses_detail", kwargs={"uid": reses.uid})
    if request.POST.get("step") == "reported":
        _attempt(
            request,
            lambda: services.reses_mark_reported(reses=reses, actor=request.user),
            _("Laporan reses diterbitkan."),
        )
        return redirect(back)
    return _post_back(
        request,
        ResesHeldForm(request.POST),
        act=lambda data: services.reses_mark_held(reses=reses, actor=request.user, **data),
        success=_("Reses dicatat sudah dilaksanakan."),
        back=back,
        invalid=_("Jumlah peserta harus angka 0–100.000."),
    )


@login_required
def reses_batch(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Ten rows per screen; all rows are saved together or none (errors shown beside their row)."""
    reses = _get_permitted(request, reses_get, uid, "planning.manage_reses")
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
    reses = _get_permitted(request, reses_get, uid, "planning.manage_reses")
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

    def save(data: dict[str, Any]) -> Any:
        return services.pokir_propose(
            actor=request.user,
            data=_service_input(services.PokirInput, data),
            aspirations=data["aspirations"],
            photo=_photo(data),
        )

    return _form_page(
        request,
        form,
        save=save,
        success=_("Pokir diusulkan."),
        detail="planning:pokir_detail",
        title=_("Usulkan pokir"),
        multipart=True,
    )


def _photo(data: dict[str, Any]) -> tuple[str, bytes] | None:
    photo = data["photo"]
    return (photo.name, photo.read()) if photo else None


@login_required
def pokir_edit(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Correct a proposed item (its member, or Setwan while verifying); refused once it moved on."""
    item = get_or_404(pokir_get, uid)
    try:
        services.check_pokir_editable(item)
    except services.PokirEditConflict as error:
        # Said before the permission check: its member should learn why, not just "not allowed".
        messages.error(request, error.message)
        return redirect("planning:pokir_detail", uid=item.uid)
    require_perm(request, "planning.edit_pokir", item)
    form = PokirEditForm(request.POST or None, request.FILES or None, item=item)

    def save(data: dict[str, Any]) -> Any:
        return services.pokir_edit(
            item=item,
            actor=request.user,
            data=_service_input(services.PokirInput, data),
            photo=_photo(data),
            loaded_at=data["loaded_at"],
            # A form posted without the field (not this page's) leaves the links alone.
            aspirations=data["aspirations"] if "aspirations" in request.POST else None,
        )

    return _form_page(
        request,
        form,
        save=save,
        success=_("Perubahan pokir disimpan."),
        detail="planning:pokir_detail",
        title=_("Ubah pokir “%(title)s”") % {"title": item.title},
        multipart=True,
        back_url=reverse("planning:pokir_detail", kwargs={"uid": item.uid}),
    )


@login_required
@require_POST
def pokir_step(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    from sinergi.planning.permissions import POKIR_STEP_PERMISSION
    from sinergi.planning.states import PokirStatus

    item = get_or_404(pokir_get, uid)

    def step(data: dict[str, Any]) -> Any:
        require_perm(request, POKIR_STEP_PERMISSION[PokirStatus(data["to_status"])], item)
        return services.pokir_transition(item=item, actor=request.user, **data)

    return _post_back(
        request,
        PokirStepForm(request.POST),
        act=step,
        success=_("Status pokir diperbarui."),
        back=reverse("planning:pokir_detail", kwargs={"uid": item.uid}),
        invalid=_("Pilih langkah yang sah."),
    )


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

    def save(data: dict[str, Any]) -> Any:
        return services.musrenbang_open(
            actor=request.user, organiser=data["organiser"], data=_service_input(services.MusrenbangInput, data)
        )

    return _form_page(
        request,
        form,
        save=save,
        success=_("Musrenbang dibuka."),
        detail="planning:musrenbang_detail",
        title=_("Buka Musrenbang"),
    )


def _musrenbang_page(musrenbang: Any) -> str:
    return reverse("planning:musrenbang_detail", kwargs={"uid": musrenbang.uid})


@login_required
@require_POST
def delegate_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = _get_permitted(request, musrenbang_get, uid, "planning.manage_musrenbang")
    return _post_back(
        request,
        DelegateForm(request.POST),
        act=lambda data: services.musrenbang_delegate_add(musrenbang=musrenbang, actor=request.user, **data),
        success=_("Delegasi dicatat."),
        back=_musrenbang_page(musrenbang),
    )


@login_required
@require_POST
def proposal_add(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = _get_permitted(request, musrenbang_get, uid, "planning.manage_musrenbang")
    return _post_back(
        request,
        ProposalForm(request.POST),
        act=lambda data: services.musrenbang_proposal_add(
            musrenbang=musrenbang,
            actor=request.user,
            data=_service_input(services.ProposalInput, data),
            aspirations=data["aspirations"],
        ),
        success=_("Usulan ditambahkan."),
        back=_musrenbang_page(musrenbang),
    )


@login_required
@require_POST
def proposal_decide(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    proposal = _get_permitted(
        request, proposal_get, uid, "planning.manage_musrenbang", of=lambda proposal: proposal.musrenbang
    )

    def decide(data: dict[str, Any]) -> Any:
        if data["decision"] == "forward":
            return services.musrenbang_proposal_forward(proposal=proposal, actor=request.user)
        return services.musrenbang_proposal_decide(
            proposal=proposal, actor=request.user, to_status=data["decision"], reason=data["reason"]
        )

    return _post_back(
        request,
        ProposalDecisionForm(request.POST),
        act=decide,
        success=_("Keputusan atas usulan dicatat."),
        back=_musrenbang_page(proposal.musrenbang),
    )


@login_required
@require_POST
def musrenbang_close(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    musrenbang = _get_permitted(request, musrenbang_get, uid, "planning.manage_musrenbang")
    return _post_back(
        request,
        CloseForm(request.POST),
        act=lambda data: services.musrenbang_close(musrenbang=musrenbang, actor=request.user, **data),
        success=_("Berita acara ditetapkan; Musrenbang ditutup."),
        back=_musrenbang_page(musrenbang),
    )

"""Public pages: the intake form, the tracker, the public list and the public case page."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.aspirations.forms import AddInformationForm, PublicFilterForm, RateForm, ReopenForm, SubmitForm, TrackForm
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.photos import MAX_PHOTOS, PENDING_TOKEN, pending_folder, prepare_photo, sweep_pending_photos
from sinergi.aspirations.selectors import (
    aspiration_by_tracking_code,
    aspiration_public_get,
    aspiration_public_list,
    list_row,
    public_view,
)
from sinergi.aspirations.services import reporter
from sinergi.aspirations.services.intake import AspirationSubmission, aspiration_submit, normalise_tracking_code
from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus, Channel
from sinergi.core.errors import RuleViolation

PAGE_SIZE = 20
SIMILAR_LIMIT = 5
FORM_SLOTS = {AddInformationForm: "information_form", RateForm: "rate_form", ReopenForm: "reopen_form"}


def _private(response: HttpResponse) -> HttpResponse:
    """Pages that carry a tracking code: never cached, never sent to another site as a referrer.

    "same-origin", not "no-referrer": under no-referrer browsers send `Origin: null` with the page's own
    forms, and Django's CSRF check refuses them (the reporter could not confirm or rate)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


# --- list and detail ----------------------------------------------------------------------------


def aspiration_list(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        filters = {name: form.cleaned_data[name] or "" for name in form.fields}
    page = Paginator(aspiration_public_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aspirations/public/list.html",
        {"page": page, "rows": [list_row(a) for a in page.object_list], "filter_form": form},
    )


def aspiration_detail(request: HttpRequest, uid: Any) -> HttpResponse:
    aspiration = aspiration_public_get(uid)
    if aspiration is None:
        raise Http404
    return render(
        request,
        "aspirations/public/detail.html",
        {
            "case": public_view(aspiration),
            "aspiration": aspiration,
            "planning": _planning(aspiration),
            # Closed and merged cases take no more support (the support page refuses them too).
            "can_support": aspiration.status in OPEN_STATUSES,
        },
    )


def _planning(aspiration: Any) -> bool:
    """Whether to include the planning trail (reses → pokir → RKPD): only when the planning part is
    installed. Its template (`planning/_trail.html`) reads the trail itself."""
    try:
        from sinergi.planning.selectors import planning_trail  # noqa: F401
    except ImportError:
        return False
    try:
        get_template("planning/_trail.html")
    except TemplateDoesNotExist:
        return False
    return True


# --- intake -------------------------------------------------------------------------------------


def _pending_names(token: str) -> list[str]:
    folder = pending_folder(token)
    try:
        _dirs, files = default_storage.listdir(folder)
    # No folder yet (FileNotFoundError is an OSError): no photo was kept. A storage without listdir
    # (NotImplementedError) cannot keep them between preview and confirmation: `_photos_expired` says so.
    except (NotImplementedError, OSError):
        return []
    return sorted(f"{folder}/{name}" for name in files)[:MAX_PHOTOS]


def _pending_photos(token: str) -> tuple[tuple[str, bytes], ...]:
    photos = []
    for name in _pending_names(token):
        try:
            with default_storage.open(name, "rb") as handle:
                photos.append((name.rsplit("/", 1)[-1], handle.read()))
        except FileNotFoundError:
            continue  # purged meanwhile: the caller compares the count with what the visitor expects
    return tuple(photos)


def _discard_pending(token: str, *, folder_too: bool = False) -> None:
    for name in _pending_names(token):
        with contextlib.suppress(OSError):
            default_storage.delete(name)
    if folder_too:
        with contextlib.suppress(OSError, NotImplementedError):
            default_storage.delete(pending_folder(token))  # an empty folder only; a full one is refused


def _keep_pending(token: str, uploads: list[Any]) -> int:
    """Between the preview and the confirmation the photos wait, already re-encoded, under the form token."""
    sweep_pending_photos()  # abandoned folders of other visitors go, at most once every few minutes
    _discard_pending(token)
    for index, upload in enumerate(uploads):
        prepared = prepare_photo(upload.name, upload.read())
        name, content = f"{pending_folder(token)}/{index}.{prepared.extension}", ContentFile(prepared.content)
        try:
            default_storage.save(name, content)
        except FileNotFoundError:  # the purge removed the (stale, empty) folder just as it was reused
            default_storage.save(name, content)
    return len(uploads)


def _expected_pending(request: HttpRequest) -> int:
    """How many waiting photos the preview page told the visitor about (its hidden field)."""
    try:
        return min(max(int(request.POST.get("pending_photos", "0")), 0), MAX_PHOTOS)
    except ValueError:
        return 0


def _find_similar(data: dict[str, Any]) -> list[Any]:
    try:
        from sinergi.aspirations.similar import find_similar
    except ImportError:
        return []
    from sinergi.aspirations.models import Category

    category_id = Category.objects.filter(slug=data["category"]).values_list("pk", flat=True).first()
    return list(
        find_similar(
            text=f"{data['title']} {data['text']}",
            category_id=category_id if data["category"] else None,
            region_code=data.get("region") or "",
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            limit=SIMILAR_LIMIT,
        )
    )


def _photos_expired(request: HttpRequest, form: SubmitForm, context: dict[str, Any]) -> HttpResponse:
    """The preview promised photos that the purge has since removed: say so rather than submit without them."""
    form.add_error(
        None, _("Foto yang Anda unggah sudah dihapus karena terlalu lama menunggu. Pilih fotonya lagi lalu kirim.")
    )
    return render(request, "aspirations/public/submit.html", context, status=400)


@require_http_methods(["GET", "POST"])
def aspiration_submit_view(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "aspirations/public/submit.html", {"form": SubmitForm()})
    form = SubmitForm(request.POST, request.FILES)
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "aspirations/public/submit.html", context, status=400)
    data = form.cleaned_data
    token = data["token"] if PENDING_TOKEN.fullmatch(data["token"]) else ""
    if not token:
        form.add_error(None, _("Formulir kedaluwarsa; muat ulang halaman dan kirim kembali."))
        return render(request, "aspirations/public/submit.html", context, status=400)
    try:
        already_sent = Aspiration.objects.filter(idempotency_key=token).exists()  # a double click or a resend
        if data["photos"]:
            expected = context["pending_photos"] = _keep_pending(token, data["photos"])
        else:
            context["pending_photos"] = len(_pending_names(token))
            expected = 0 if already_sent else _expected_pending(request)
        if context["pending_photos"] < expected:
            return _photos_expired(request, form, context)
        if request.POST.get("step") != "confirm" and not already_sent:
            similar = _find_similar(data)
            if similar:
                context["similar"] = similar
                return render(request, "aspirations/public/submit.html", context)
        submission = AspirationSubmission(
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            category_slug=data["category"] or "",
            privacy=data["privacy"],
            channel=Channel.WEB,
            region_code=data["region"] or "",
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            reporter_name=data["reporter_name"],
            nik=data["nik"],
            phone=data["phone"],
            email=data["email"],
            wants_updates=data["wants_updates"],
            consent_version=data["consent_version"],
            photos=_pending_photos(token),
        )
        if len(submission.photos) < context["pending_photos"]:  # purged between the two looks
            context["pending_photos"] = len(submission.photos)
            return _photos_expired(request, form, context)
        actor = request.user if request.user.is_authenticated else None
        result = aspiration_submit(submission=submission, actor=actor, idempotency_key=token)
    except RuleViolation as error:
        form.add_error(None, error.message)
        return render(request, "aspirations/public/submit.html", context, status=400)
    _discard_pending(token, folder_too=True)
    response = render(
        request,
        "aspirations/public/submitted.html",
        {"case": result.aspiration, "tracking_code": result.tracking_code, "created": result.created},
        status=201 if result.created else 200,
    )
    return _private(response)


# --- tracker ------------------------------------------------------------------------------------


def track_start(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalise_tracking_code(form.cleaned_data["code"])
        if aspiration_by_tracking_code(code) is not None:
            return redirect("aspirations:track", code=code)
        form.add_error("code", _("Kode lacak tidak ditemukan. Periksa kembali 12 huruf/angkanya."))
    return _private(render(request, "aspirations/public/track_start.html", {"form": form}))


def _tracker_context(aspiration: Any, code: str) -> dict[str, Any]:
    status = aspiration.status
    return {
        "case": public_view(aspiration, with_name=False),
        "code": code,
        "aspiration": aspiration,
        "planning": _planning(aspiration),
        "can_add_information": status
        in {
            AspirationStatus.RECEIVED,
            AspirationStatus.NEEDS_INFORMATION,
            AspirationStatus.VERIFIED,
            AspirationStatus.DISPOSITIONED,
            AspirationStatus.IN_PROGRESS,
        },
        "can_confirm": status == AspirationStatus.RESOLVED and aspiration.confirmed_at is None,
        "can_rate": status == AspirationStatus.RESOLVED and aspiration.rating is None,
        "can_reopen": status == AspirationStatus.RESOLVED
        and aspiration.confirmed_at is None
        and aspiration.rating is None
        and aspiration.reopen_until is not None,
        "reopen_until": aspiration.reopen_until,
        "information_form": AddInformationForm(),
        "rate_form": RateForm(),
        "reopen_form": ReopenForm(),
    }


def tracker(request: HttpRequest, code: str) -> HttpResponse:
    normalised = normalise_tracking_code(code)
    aspiration = aspiration_by_tracking_code(normalised)
    if aspiration is None:
        raise Http404
    return _private(render(request, "aspirations/public/tracker.html", _tracker_context(aspiration, normalised)))


def _tracker_action(request: HttpRequest, code: str, act: Any, form_class: Any = None) -> HttpResponse:
    normalised = normalise_tracking_code(code)
    aspiration = aspiration_by_tracking_code(normalised)
    if aspiration is None:
        raise Http404
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        context = _tracker_context(aspiration, normalised)
        context[
            {AddInformationForm: "information_form", RateForm: "rate_form", ReopenForm: "reopen_form"}[form_class]
        ] = form
        return _private(render(request, "aspirations/public/tracker.html", context, status=400))
    try:
        act(normalised, form.cleaned_data if form else {})
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Terima kasih, sudah kami catat."))
    return _private(HttpResponseRedirect(reverse("aspirations:track", kwargs={"code": normalised})))


@require_POST
def tracker_add_information(request: HttpRequest, code: str) -> HttpResponse:
    def act(tracking_code: str, data: dict[str, Any]) -> None:
        photos = tuple((upload.name, upload.read()) for upload in data["photos"])
        reporter.reporter_add_information(text=data["text"], tracking_code=tracking_code, photos=photos)

    return _tracker_action(request, code, act, AddInformationForm)


@require_POST
def tracker_confirm(request: HttpRequest, code: str) -> HttpResponse:
    return _tracker_action(
        request, code, lambda tracking_code, _data: reporter.reporter_confirm(tracking_code=tracking_code)
    )


@require_POST
def tracker_rate(request: HttpRequest, code: str) -> HttpResponse:
    def act(tracking_code: str, data: dict[str, Any]) -> None:
        reporter.reporter_rate(rating=data["rating"], comment=data["comment"], tracking_code=tracking_code)

    return _tracker_action(request, code, act, RateForm)


@require_POST
def tracker_reopen(request: HttpRequest, code: str) -> HttpResponse:
    def act(tracking_code: str, data: dict[str, Any]) -> None:
        reporter.reporter_reopen(reason=data["reason"], tracking_code=tracking_code)

    return _tracker_action(request, code, act, ReopenForm)


urlpatterns: list[URLPattern] = [
    path("", aspiration_list, name="list"),
    path("kirim/", aspiration_submit_view, name="submit"),
    path("lacak/", track_start, name="track_start"),
    path("lacak/<str:code>/", tracker, name="track"),
    path("lacak/<str:code>/informasi/", tracker_add_information, name="track_add_information"),
    path("lacak/<str:code>/konfirmasi/", tracker_confirm, name="track_confirm"),
    path("lacak/<str:code>/nilai/", tracker_rate, name="track_rate"),
    path("lacak/<str:code>/buka-kembali/", tracker_reopen, name="track_reopen"),
    path("<uuid:uid>/", aspiration_detail, name="detail"),
]

"""Public consultation pages: the list, taking part (join, vote, write a statement) and the results."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.consultations.charts import agreement_bars_svg, count_bars_svg, map_points, opinion_map_svg
from sinergi.consultations.forms import JoinForm, StatementForm, VoteForm
from sinergi.consultations.models import Consultation, Participant, Statement
from sinergi.consultations.selectors import (
    consultation_get,
    consultation_list_managed,
    consultation_list_public,
    consultation_result,
    next_statement,
    participant_progress,
    results_view,
)
from sinergi.consultations.services import participant_find, participant_join, statement_submit, vote_cast
from sinergi.consultations.states import ConsultationStatus
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.reference_labels import reference_label

ANONYMOUS_COOKIE = "sinergi_peserta"
ANONYMOUS_COOKIE_AGE = 180 * 24 * 3600
COMMON_GROUND_ON_PAGE = 5


def get_consultation_or_404(request: HttpRequest, slug: str) -> Consultation:
    try:
        consultation = consultation_get(slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return consultation


def consultation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(consultation_list_public(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/public/list.html",
        {"page": page, "consultations": page.object_list, "drafts": consultation_list_managed(request.user)},
    )


def _anonymous_key(request: HttpRequest) -> str:
    key = request.COOKIES.get(ANONYMOUS_COOKIE, "")
    return key if 16 <= len(key) <= 128 else ""


def current_participant(request: HttpRequest, consultation: Consultation) -> Participant | None:
    return participant_find(consultation, user=request.user, anonymous_key=_anonymous_key(request))


def _require_take_part(request: HttpRequest, consultation: Consultation) -> HttpResponse | None:
    if request.user.has_perm("consultations.take_part", consultation):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(_("Anda tidak termasuk peserta yang boleh ikut konsultasi ini."))


def _join(request: HttpRequest, consultation: Consultation, form: JoinForm | None = None) -> tuple[Participant, str]:
    """The caller's participant, joining first if needed; returns the anonymous key to store (or "")."""
    key = ""
    if not request.user.is_authenticated:
        key = _anonymous_key(request) or secrets.token_urlsafe(24)
    data = form.cleaned_data if form is not None and form.is_valid() else {}
    participant = participant_join(
        consultation=consultation,
        user=request.user,
        anonymous_key=key,
        sector=data.get("sector"),
        region=data.get("kelurahan"),
    )
    return participant, key


def _remember(response: HttpResponse, key: str) -> HttpResponse:
    if key:
        response.set_cookie(
            ANONYMOUS_COOKIE,
            key,
            max_age=ANONYMOUS_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _detail_context(request: HttpRequest, consultation: Consultation, **extra: Any) -> dict[str, Any]:
    participant = current_participant(request, consultation)
    is_open = consultation.status == ConsultationStatus.OPEN
    can_take_part = request.user.has_perm("consultations.take_part", consultation)
    statement = next_statement(participant, consultation) if is_open and can_take_part else None
    context = {
        "consultation": consultation,
        "participant": participant,
        "progress": participant_progress(participant, consultation),
        "statement": statement,
        "is_open": is_open,
        "can_take_part": can_take_part,
        # The declaration is optional and may come after the first votes (voting joins silently).
        "needs_join": is_open
        and can_take_part
        and (participant is None or not (participant.sector_id or participant.region_id)),
        "join_form": JoinForm(),
        "statement_form": StatementForm(),
        "result": consultation_result(consultation),
        "pending_own": participant.statements.filter(status="pending").count() if participant else 0,
    }
    context.update(extra)
    return context


def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, slug)
    response = render(request, "consultations/public/detail.html", _detail_context(request, consultation))
    patch_cache_control(response, private=True)  # progress is the visitor's own
    return response


@require_POST
def consultation_join(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, slug)
    refused = _require_take_part(request, consultation)
    if refused:
        return refused
    form = JoinForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, consultation, join_form=form)
        return render(request, "consultations/public/detail.html", context, status=400)
    try:
        _, key = _join(request, consultation, form)
    except RuleViolation as error:
        if isinstance(error, NotPermitted):
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
        return redirect("consultations:detail", slug=consultation.slug)
    return _remember(redirect("consultations:detail", slug=consultation.slug), key)


@require_POST
def consultation_vote(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, slug)
    refused = _require_take_part(request, consultation)
    if refused:
        return refused
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilihan suara tidak dikenal."))
        return redirect("consultations:detail", slug=consultation.slug)
    statement = Statement.objects.filter(pk=form.cleaned_data["statement"]).first()
    if statement is None or statement.consultation_id != consultation.pk:
        messages.error(request, _("Pernyataan ini bukan bagian dari konsultasi ini."))
        return redirect("consultations:detail", slug=consultation.slug)
    key = ""
    try:
        participant = current_participant(request, consultation)
        if participant is None:
            participant, key = _join(request, consultation)
        vote_cast(participant=participant, statement=statement, value=form.cleaned_data["value"])
    except RuleViolation as error:
        if isinstance(error, NotPermitted):
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    return _remember(redirect("consultations:detail", slug=consultation.slug), key)


@require_POST
def consultation_statement(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, slug)
    if not request.user.has_perm("consultations.submit_statement", consultation):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(_("Anda tidak termasuk peserta yang boleh ikut konsultasi ini."))
    form = StatementForm(request.POST)
    key = ""
    if form.is_valid():
        try:
            participant = current_participant(request, consultation)
            if participant is None:
                participant, key = _join(request, consultation)
            statement_submit(participant=participant, text=form.cleaned_data["text"])
        except RuleViolation as error:
            if isinstance(error, NotPermitted):
                raise PermissionDenied(error.message) from error
            form.add_error("text", error.message)
        else:
            messages.success(request, _("Terima kasih. Pernyataan Anda menunggu moderasi."))
            return _remember(redirect("consultations:detail", slug=consultation.slug), key)
    context = _detail_context(request, consultation, statement_form=form)
    return _remember(render(request, "consultations/public/detail.html", context, status=400), key)


def _group_aware_item(item: dict[str, Any]) -> dict[str, Any]:
    """A group-aware consensus statement with its bars (hidden from screen readers: the section's table carries
    the same figures) and the group that agrees least surely. A summary stored before the groups' shares were
    kept (version 1) has none: the statement is listed without bars until the next recompute."""
    groups = item.get("groups") or []
    weakest = min(groups, key=lambda group: group["lower"]) if groups else None
    return {
        **item,
        "groups": groups,
        "chart": agreement_bars_svg(groups, None) if groups else "",
        "weakest_label": _("Kelompok %(label)s") % {"label": weakest["label"]} if weakest else "",
    }


def consultation_results(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = get_consultation_or_404(request, slug)
    if not request.user.has_perm("consultations.view_results", consultation):
        raise Http404
    result = consultation_result(consultation)
    view = results_view(consultation, result)
    points = map_points(view) if view else []
    common_ground = []
    for item in (view.get("common_ground") or [])[:COMMON_GROUND_ON_PAGE]:
        caption = _("Persetujuan per sektor dan kelompok: %(text)s") % {"text": item["text"][:80]}
        weakest = item.get("weakest") or {}
        weakest_label = weakest.get("label", "") if isinstance(weakest, dict) else str(weakest)
        if isinstance(weakest, dict) and weakest.get("kind") == "group":
            weakest_label = _("Kelompok %(label)s") % {"label": weakest_label}
        elif isinstance(weakest, dict) and weakest.get("kind") == "sector":
            weakest_label = reference_label(weakest_label)
        # The stored summary carries sector names as they were written (Indonesian).
        blocs = [
            {**bloc, "label": reference_label(bloc["label"])} if bloc.get("kind") == "sector" else bloc
            for bloc in item["blocs"]
        ]
        common_ground.append({**item, "weakest_label": weakest_label, "chart": agreement_bars_svg(blocs, caption)})
    group_aware = [_group_aware_item(item) for item in view.get("group_aware") or []]
    participation = view.get("participation") or {}
    by_sector = [{**row, "name": reference_label(row["name"])} for row in participation.get("by_sector", [])]
    return render(
        request,
        "consultations/public/results.html",
        {
            "consultation": consultation,
            "result": result,
            "view": view,
            "map": opinion_map_svg(view, points) if view else "",
            "points_drawn": len(points),
            "common_ground": common_ground,
            "group_aware": group_aware,
            "by_sector": by_sector,
            "by_kelurahan": participation.get("by_kelurahan", []),
            "sector_chart": count_bars_svg(by_sector),
            "kelurahan_chart": count_bars_svg(participation.get("by_kelurahan", [])),
        },
    )

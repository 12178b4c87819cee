"""Organiser pages: create and edit, open and close, the moderation queue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergi.actors.models import Organisation
from sinergi.actors.selectors import user_acting_organisations, user_person, user_public_institutions
from sinergi.consultations.forms import CloseForm, ConsultationForm, ModerateForm, host_value
from sinergi.consultations.models import Consultation, Statement
from sinergi.consultations.selectors import consultation_get, pending_statements
from sinergi.consultations.services import (
    consultation_close,
    consultation_create,
    consultation_open,
    consultation_update,
    statement_moderate,
)
from sinergi.consultations.states import ConsultationStatus
from sinergi.core.errors import RuleViolation
from sinergi.forums.models import Forum
from sinergi.forums.predicates import STEWARD_ROLES
from sinergi.forums.states import ForumMemberStatus, ForumStatus

MAX_ID = 2**62


def require_perm(request: HttpRequest, perm: str, obj: Any) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(_("Anda tidak berwenang mengelola konsultasi ini."))


def managed_consultation(request: HttpRequest, slug: str, perm: str) -> Consultation:
    """404 when there is no such consultation, 403 when the user may not manage it (drafts included)."""
    try:
        consultation = consultation_get(slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    require_perm(request, perm, consultation)
    return consultation


def _hosts(user: Any) -> list[tuple[str, str]]:
    """Public institutions the user acts for and forums they steward, as (value, label) choices."""
    if user.is_superuser:
        organisations: Any = Organisation.objects.filter(kind__is_public_institution=True).order_by("name")[:200]
        forums: Any = Forum.objects.exclude(status=ForumStatus.CLOSED).order_by("name")[:200]
    else:
        organisations = user_public_institutions(user).order_by("name")
        person = user_person(user)
        seated = (
            Forum.objects.filter(
                members__person=person, members__status=ForumMemberStatus.ACTIVE, members__role__in=STEWARD_ROLES
            )
            if person
            else Forum.objects.none()
        )
        candidates = Forum.objects.exclude(status=ForumStatus.CLOSED).select_related("convener")
        forums = list(
            candidates.filter(Q(pk__in=seated.values("pk")) | Q(convener__in=user_acting_organisations(user)))
            .distinct()
            .order_by("name")[:200]
        )
    return [(host_value(o), o.name) for o in organisations] + [
        (host_value(f), _("Forum: %(name)s") % {"name": f.name}) for f in forums
    ]


def _resolve_host(value: str) -> tuple[Organisation | None, Forum | None]:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit() or int(pk) > MAX_ID:
        return None, None
    if kind == "org":
        return Organisation.objects.select_related("kind").filter(pk=int(pk)).first(), None
    if kind == "forum":
        return None, Forum.objects.filter(pk=int(pk)).first()
    return None, None


@login_required
def consultation_create_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, "consultations.add_consultation", None)
    hosts = _hosts(request.user)
    form = ConsultationForm(request.POST or None, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        organiser, forum = _resolve_host(form.cleaned_data["host"])
        try:
            consultation = consultation_create(
                actor=request.user,
                organiser=organiser,
                forum=forum,
                title=form.cleaned_data["title"],
                question=form.cleaned_data["question"],
                description=form.cleaned_data["description"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                audience=form.cleaned_data["audience"],
                accepts_statements=form.cleaned_data["accepts_statements"],
                seed_statements=form.seed_lines(),
            )
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Konsultasi disimpan sebagai draf. Periksa lalu buka untuk umum."))
            return redirect("consultations:detail", slug=consultation.slug)
    return render(request, "consultations/manage/form.html", {"form": form, "consultation": None})


@login_required
def consultation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = managed_consultation(request, slug, "consultations.change_consultation")
    host = consultation.forum or consultation.organiser
    assert host is not None
    hosts = [(host_value(host), str(host))]
    seeds = "\n".join(
        consultation.statements.filter(is_seed=True).order_by("column_index").values_list("text", flat=True)
    )
    initial = {
        "host": host_value(host),
        "title": consultation.title,
        "question": consultation.question,
        "description": consultation.description,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "audience": consultation.audience,
        "accepts_statements": consultation.accepts_statements,
        "seed_statements": seeds,
    }
    form = ConsultationForm(request.POST or None, initial=initial, hosts=hosts, fixed_host=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if consultation.status == ConsultationStatus.DRAFT:
                consultation_update(
                    actor=request.user,
                    consultation=consultation,
                    seed_statements=form.seed_lines(),
                    **{
                        name: data[name]
                        for name in (
                            "title",
                            "question",
                            "description",
                            "opens_at",
                            "closes_at",
                            "audience",
                            "accepts_statements",
                        )
                    },
                )
            else:
                consultation_update(actor=request.user, consultation=consultation, closes_at=data["closes_at"])
        except RuleViolation as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("consultations:detail", slug=consultation.slug)
    return render(request, "consultations/manage/form.html", {"form": form, "consultation": consultation})


@login_required
@require_POST
def consultation_open_view(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = managed_consultation(request, slug, "consultations.open_consultation")
    try:
        consultation_open(actor=request.user, consultation=consultation)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Konsultasi dibuka."))
    return redirect("consultations:detail", slug=consultation.slug)


@login_required
@require_POST
def consultation_close_view(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = managed_consultation(request, slug, "consultations.close_consultation")
    form = CloseForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        if not form.is_valid():
            raise RuleViolation(_("Alasan penutupan terlalu panjang."))
        consultation_close(actor=request.user, consultation=consultation, reason=reason)
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Konsultasi ditutup. Hasil akhir sedang dihitung."))
    return redirect("consultations:detail", slug=consultation.slug)


@login_required
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = managed_consultation(request, slug, "consultations.moderate_statement")
    pending = list(pending_statements(consultation)[:50])
    return render(
        request,
        "consultations/manage/moderation.html",
        {"consultation": consultation, "pending": pending, "form": ModerateForm()},
    )


def _statement_or_404(consultation: Consultation, statement_id: int) -> Statement:
    if not 0 < statement_id <= MAX_ID:
        raise Http404
    statement = consultation.statements.filter(pk=statement_id).first()
    if statement is None:
        raise Http404
    return statement


@login_required
@require_POST
def statement_moderate_view(request: HttpRequest, slug: str, statement_id: int) -> HttpResponse:
    consultation = managed_consultation(request, slug, "consultations.moderate_statement")
    statement = _statement_or_404(consultation, statement_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih terima atau tolak (alasan paling banyak 255 karakter)."))
    else:
        try:
            statement_moderate(
                actor=request.user,
                statement=statement,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except RuleViolation as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Keputusan moderasi disimpan."))
    return redirect("consultations:moderation", slug=consultation.slug)

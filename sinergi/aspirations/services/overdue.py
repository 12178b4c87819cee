"""Overdue marking and escalation (run by cron: ``manage.py mark_overdue_aspirations``, or the
``aspirations_mark_overdue_task`` django-tasks task).

For each open case the stage it is in (``lifecycle.current_stage``) decides which due moment counts.
A case is overdue strictly after that moment (end of office hours, WIB, of the due date). The first run
that finds it late:

* sets ``overdue_stage``/``overdue_since``, writes one OVERDUE timeline event (public: a citizen sees
  that the deadline passed) and one ``aspiration.overdue`` log entry;
* escalates it once per stage: an internal ESCALATED event (+ ``aspiration.escalated``) whose
  notifications go to the heads of the assigned organisation (members with a leadership role) and
  the coordinator desk (``escalation_recipients``).

Running again changes nothing (idempotent: one mark and one escalation per case and stage, even
across re-runs and concurrent runs — each case is re-read under a row lock). A mark whose stage is
over (the case moved on, was closed, or its deadline was extended past now) is cleared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sinergi.actors.selectors import today
from sinergi.aspirations.models import Aspiration, AspirationEvent
from sinergi.aspirations.predicates import coordinator_slugs
from sinergi.aspirations.services.lifecycle import (
    _record,
    aspiration_set_deadlines,
    clock_start_of,
    current_stage,
    reopened_completion_due,
    stage_due,
)
from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus, EventKind, OverdueStage
from sinergi.ledger.events import LedgerEvent

STAGE_MARKER = "[tahap:{stage}]"


@dataclass
class OverdueRun:
    marked: int = 0
    escalated: int = 0
    cleared: int = 0
    deadlines_set: int = 0


def stage_marker(stage: str) -> str:
    return STAGE_MARKER.format(stage=stage)


def escalation_recipients(aspiration: Aspiration) -> QuerySet[Any]:
    """Users who hear about an escalation: the heads (leadership roles) of the assigned
    organisation and everyone acting for a coordinator-desk organisation."""
    day = today()
    membership_filter = Q(person__memberships__role__acts_for_organisation=True) & Q(
        person__memberships__organisation__slug__in=coordinator_slugs()
    )
    if aspiration.assigned_organisation_id is not None:
        membership_filter |= Q(person__memberships__organisation_id=aspiration.assigned_organisation_id) & Q(
            person__memberships__role__is_leadership=True
        )
    valid = (Q(person__memberships__valid_from__isnull=True) | Q(person__memberships__valid_from__lte=day)) & (
        Q(person__memberships__valid_until__isnull=True) | Q(person__memberships__valid_until__gte=day)
    )
    return get_user_model().objects.filter(membership_filter & valid, is_active=True).distinct()


def _candidates(now: dt.datetime) -> QuerySet[Aspiration]:
    """Open cases that may need a change: late at some stage, already marked, or missing due dates."""
    return Aspiration.objects.filter(
        Q(status__in=OPEN_STATUSES)
        & (
            Q(verify_due_at__lt=now)
            | Q(response_due_at__lt=now)
            | Q(completion_due_at__lt=now)
            | ~Q(overdue_stage="")
            | (Q(verify_due_at__isnull=True) & ~Q(status=AspirationStatus.NEEDS_INFORMATION))
        )
    ) | Aspiration.objects.filter(~Q(status__in=OPEN_STATUSES) & ~Q(overdue_stage=""))


def _already(aspiration: Aspiration, kind: str, stage: str) -> bool:
    return AspirationEvent.objects.filter(
        aspiration=aspiration, kind=kind, internal_note__startswith=stage_marker(stage)
    ).exists()


@transaction.atomic
def _check_one(pk: int, now: dt.datetime, run: OverdueRun) -> None:
    aspiration = Aspiration.objects.select_for_update(of=("self",)).select_related("assigned_organisation").get(pk=pk)
    if aspiration.verify_due_at is None and aspiration.status in OPEN_STATUSES - {AspirationStatus.NEEDS_INFORMATION}:
        # Back from needs_information (the clock restarts) or written without deadlines.
        fields = aspiration_set_deadlines(aspiration, clock_start_of(aspiration))
        aspiration.save(update_fields=[*fields, "updated_at"])
        run.deadlines_set += 1
    reopened_due = reopened_completion_due(aspiration)
    if reopened_due is not None and aspiration.completion_due_at != reopened_due:
        aspiration.completion_due_at = reopened_due
        aspiration.save(update_fields=["completion_due_at", "updated_at"])
        run.deadlines_set += 1
    stage = current_stage(aspiration)
    due = stage_due(aspiration, stage) if stage else None
    late = due is not None and now > due
    if aspiration.overdue_stage and (aspiration.overdue_stage != stage or not late):
        aspiration.overdue_stage, aspiration.overdue_since = OverdueStage.NONE, None
        aspiration.save(update_fields=["overdue_stage", "overdue_since", "updated_at"])
        run.cleared += 1
    if not late or aspiration.overdue_stage == stage:
        return
    assert due is not None  # late implies a due moment
    aspiration.overdue_stage, aspiration.overdue_since = stage, due
    aspiration.save(update_fields=["overdue_stage", "overdue_since", "updated_at"])
    label = OverdueStage(stage).label
    organisation = aspiration.assigned_organisation
    data = {"stage": stage, "due_at": due.isoformat(), "organisation": organisation.slug if organisation else None}
    if not _already(aspiration, EventKind.OVERDUE, stage):
        _record(
            aspiration,
            event=LedgerEvent.ASPIRATION_OVERDUE,
            kind=EventKind.OVERDUE,
            actor=None,
            public_text=_("%(stage)s: batas waktu %(due)s terlewati.")
            % {"stage": label, "due": timezone.localtime(due).strftime("%d-%m-%Y %H.%M")},
            internal_note=stage_marker(stage),
            data=data,
            notify=False,
        )
        run.marked += 1
    if not _already(aspiration, EventKind.ESCALATED, stage):
        recipients = escalation_recipients(aspiration).count()
        _record(
            aspiration,
            event=LedgerEvent.ASPIRATION_ESCALATED,
            kind=EventKind.ESCALATED,
            actor=None,
            internal_note=f"{stage_marker(stage)} "
            + _("Dieskalasi kepada pimpinan %(organisation)s dan meja koordinator.")
            % {"organisation": organisation.name if organisation else _("(belum ada OPD)")},
            is_public=False,
            data={**data, "recipients": recipients},
        )
        aspiration.escalated_at = timezone.now()
        aspiration.save(update_fields=["escalated_at", "updated_at"])
        run.escalated += 1


def aspirations_mark_overdue(now: dt.datetime | None = None) -> OverdueRun:
    """Mark newly overdue cases, escalate them once per stage, clear marks of finished stages."""
    now = now or timezone.now()
    run = OverdueRun()
    for pk in _candidates(now).values_list("pk", flat=True).order_by("pk"):
        _check_one(pk, now, run)
    return run


@task()
def aspirations_mark_overdue_task() -> dict[str, int]:
    """The scheduled job (django-tasks): enqueue it from cron or a worker's scheduler."""
    run = aspirations_mark_overdue()
    return {"marked": run.marked, "escalated": run.escalated, "cleared": run.cleared}

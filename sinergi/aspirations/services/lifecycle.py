"""Officers' side of the aspiration lifecycle (SP4N-LAPOR!): verify, ask for information, out of scope,
archive, disposition (and re-disposition), respond, resolve, reject, investigation track, UU KIP
extension, category change.

Every service checks the actor's rules permission, moves the case through ``ASPIRATION_TRANSITIONS``
(``check_transition``), writes one ``AspirationEvent`` (``public_text`` for the timeline,
``internal_note`` for officers only) and one public-log entry in the same transaction, and asks for the
event's notifications after commit. Log payloads carry codes and slugs only: never identity, never the
title or text of a case.

Clock rules (see docs/architecture.md, "Aspiration deadlines"):

* All three deadlines (verification, first response, completion) are counted in working days from
  the *clock start*: the receipt moment, or — when the coordinator asked the reporter for more
  information — the moment the case came back to the desk with that information.
* ``needs_information`` stops the clock: the case is with the reporter, so no stage can be overdue
  and the due dates are cleared; they are recounted when the case returns to ``received``.
* The stage a case is in decides which deadline counts: ``received``/``verified`` → verification
  (which includes the disposition); ``dispositioned`` without a response → first response;
  ``dispositioned`` after a response, and ``in_progress`` → completion. Closed cases are in no stage.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.actors.models import Organisation
from sinergi.aspirations.models import Aspiration, AspirationEvent, Category, RoutingCorrection
from sinergi.aspirations.states import (
    ASPIRATION_TRANSITIONS,
    CLOSED_STATUSES,
    REOPEN_WORKING_DAYS,
    AspirationKind,
    AspirationStatus,
    EventKind,
    OverdueStage,
)
from sinergi.aspirations.tasks import notify_after_commit
from sinergi.aspirations.workdays import (
    DEFAULT_DEADLINE_POLICIES,
    DeadlinePolicy,
    Stage,
    default_calendar,
    stage_due_at,
)
from sinergi.aspirations.workdays import AspirationKind as PolicyKind
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

S = AspirationStatus
REASON_MAX = 2000
RESPONSE_MAX = 5000
REFERRED_TO_MAX = 255

# Statuses in which each stage's clock runs (needs_information pauses every clock).
VERIFY_STATUSES = frozenset({S.RECEIVED, S.VERIFIED})


# --- Deadlines ---------------------------------------------------------------------------------


def deadline_policies() -> Mapping[PolicyKind, DeadlinePolicy]:
    """The per-kind policy table: the defaults, overridden field by field by
    ``settings.SINERGI["ASPIRATION_DEADLINES"]`` (e.g. ``{"aspirasi": {"completion": 20}}``)."""
    overrides: dict[str, dict[str, Any]] = settings.SINERGI.get("ASPIRATION_DEADLINES") or {}  # type: ignore[assignment]
    if not overrides:
        return DEFAULT_DEADLINE_POLICIES
    table = dict(DEFAULT_DEADLINE_POLICIES)
    for kind, fields in overrides.items():
        table[PolicyKind(kind)] = dataclasses.replace(table[PolicyKind(kind)], **fields)
    return table


def reopen_working_days() -> int:
    configured: Any = settings.SINERGI.get("ASPIRATION_REOPEN_WORKING_DAYS", REOPEN_WORKING_DAYS)
    return int(configured)


def deadlines_for(
    kind: str, clock_start: dt.datetime, *, investigation: bool = False, extended: bool = False
) -> dict[str, dt.datetime]:
    """The three due moments of a case whose clock started at ``clock_start``."""
    policies = deadline_policies()
    return {
        "verify_due_at": stage_due_at(kind, Stage.VERIFY, clock_start, policies=policies),
        "response_due_at": stage_due_at(kind, Stage.FIRST_RESPONSE, clock_start, policies=policies),
        "completion_due_at": stage_due_at(
            kind,
            Stage.COMPLETION,
            clock_start,
            investigation=investigation,
            extended=extended,
            policies=policies,
        ),
    }


def aspiration_set_deadlines(aspiration: Aspiration, clock_start: dt.datetime | None = None) -> list[str]:
    """Write the due dates on the instance (not saved); returns the changed field names.
    Intake calls it with the receipt moment; the reporter's added information restarts the clock."""
    due = deadlines_for(
        aspiration.kind,
        clock_start or aspiration.received_at,
        investigation=aspiration.needs_investigation,
        extended=aspiration.deadline_extended,
    )
    for field, value in due.items():
        setattr(aspiration, field, value)
    return list(due)


def clock_start_of(aspiration: Aspiration) -> dt.datetime:
    """When the case's clock started: receipt, or the last return from ``needs_information``."""
    last_return = (
        aspiration.events.filter(from_status=S.NEEDS_INFORMATION, to_status=S.RECEIVED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last_return or aspiration.received_at


def reopened_completion_due(aspiration: Aspiration) -> dt.datetime | None:
    """A case its reporter reopened gets a fresh completion period counted from the reopening (the
    first response was given already); None when the case was never reopened."""
    if aspiration.status != S.IN_PROGRESS or aspiration.resolved_at is None:
        return None
    reopened_at = (
        aspiration.events.filter(kind=EventKind.REOPENED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if reopened_at is None:
        return None
    return deadlines_for(
        aspiration.kind,
        reopened_at,
        investigation=aspiration.needs_investigation,
        extended=aspiration.deadline_extended,
    )["completion_due_at"]


def current_stage(aspiration: Aspiration) -> str:
    """The deadline stage the case is in now ("" when no clock runs)."""
    if aspiration.status in VERIFY_STATUSES:
        return OverdueStage.VERIFY
    if aspiration.status == S.DISPOSITIONED and aspiration.first_response_at is None:
        return OverdueStage.FIRST_RESPONSE
    if aspiration.status in (S.DISPOSITIONED, S.IN_PROGRESS):
        return OverdueStage.COMPLETION
    return OverdueStage.NONE


def stage_due(aspiration: Aspiration, stage: str | None = None) -> dt.datetime | None:
    stage = current_stage(aspiration) if stage is None else stage
    due_by_stage: dict[str, dt.datetime | None] = {
        OverdueStage.VERIFY.value: aspiration.verify_due_at,
        OverdueStage.FIRST_RESPONSE.value: aspiration.response_due_at,
        OverdueStage.COMPLETION.value: aspiration.completion_due_at,
    }
    return due_by_stage.get(str(stage))


# --- Shared steps ------------------------------------------------------------------------------


def _require(actor: Any, perm: str, aspiration: Aspiration) -> None:
    if actor is None or not actor.has_perm(perm, aspiration):
        raise NotPermitted(_("Anda tidak berwenang melakukan tindakan ini untuk aspirasi ini."))


def _locked(aspiration: Aspiration) -> Aspiration:
    """Re-read under a row lock: two officers acting at once cannot both pass a check."""
    return (
        Aspiration.objects.select_for_update(of=("self",))
        .select_related("category", "assigned_organisation", "suggested_category", "suggested_organisation")
        .get(pk=aspiration.pk)
    )


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise RuleViolation(_("%(field)s wajib diisi.") % {"field": field}, code="text_required")
    if len(value) > limit:
        raise RuleViolation(
            _("%(field)s terlalu panjang (paling banyak %(limit)s karakter).") % {"field": field, "limit": limit},
            code="text_too_long",
        )
    return value


def acting_label(actor: Any, aspiration: Aspiration | None = None) -> tuple[str, Organisation | None]:
    """What the public timeline shows instead of an officer's name: the organisation that acted."""
    from sinergi.actors.selectors import user_acting_organisations
    from sinergi.aspirations.predicates import coordinator_slugs

    if actor is None:
        return _("Sistem"), None
    organisations = list(user_acting_organisations(actor))
    assigned = aspiration.assigned_organisation if aspiration is not None else None
    for organisation in organisations:
        if assigned is not None and organisation.pk == assigned.pk:
            return organisation.name, organisation
    for organisation in organisations:
        if organisation.slug in coordinator_slugs():
            return organisation.name, organisation
    if organisations:
        return organisations[0].name, organisations[0]
    if getattr(actor, "is_superuser", False):
        return _("Administrator Sinergi Sakti"), None
    return _("Petugas"), None


def _record(
    aspiration: Aspiration,
    *,
    event: LedgerEvent,
    kind: str,
    actor: Any,
    from_status: str = "",
    public_text: str = "",
    internal_note: str = "",
    is_public: bool = True,
    data: dict[str, Any] | None = None,
    notify: bool = True,
) -> AspirationEvent:
    label, organisation = acting_label(actor, aspiration)
    entry = ledger_record(
        event=event,
        actor=actor,
        subject_type="aspiration",
        subject_id=str(aspiration.uid),
        data={"kind": aspiration.kind, "status": aspiration.status, **(data or {})},
    )
    timeline_event = AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=kind,
        from_status=from_status,
        to_status=aspiration.status if from_status else "",
        actor=actor,
        actor_label=label,
        organisation=organisation,
        public_text=public_text,
        internal_note=internal_note,
        is_public=is_public,
        ledger_entry=entry,
        created_at=timezone.now(),
    )
    if notify:
        notify_after_commit(timeline_event.pk)
    return timeline_event


def _move(aspiration: Aspiration, target: str) -> str:
    previous = aspiration.status
    check_transition(ASPIRATION_TRANSITIONS, previous, target, label=_("aspirasi"))
    aspiration.status = target
    return previous


def _clear_overdue_if_stage_left(aspiration: Aspiration) -> list[str]:
    """A completed stage takes its overdue mark with it (the job marks the next stage if late)."""
    if aspiration.overdue_stage and aspiration.overdue_stage != current_stage(aspiration):
        aspiration.overdue_stage = OverdueStage.NONE
        aspiration.overdue_since = None
        return ["overdue_stage", "overdue_since"]
    return []


def _category(slug: str) -> Category:
    category = Category.objects.filter(slug=slug, is_active=True).first()
    if category is None:
        raise RuleViolation(_("Kategori tidak dikenal."), code="unknown_category")
    return category


def _save(aspiration: Aspiration, fields: list[str]) -> None:
    aspiration.save(update_fields=sorted({*fields, "updated_at"} & _model_fields()))


def _model_fields() -> set[str]:
    return {field.name for field in Aspiration._meta.concrete_fields}


# --- Coordinator desk --------------------------------------------------------------------------


@transaction.atomic
def aspiration_verify(*, aspiration: Aspiration, actor: Any, category_slug: str = "", note: str = "") -> Aspiration:
    """The coordinator checks the report is complete and within the city's remit (received → verified);
    may set or confirm the category on the way."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.verify_aspiration", aspiration)
    note = _text(note, field=_("Catatan"), limit=REASON_MAX, required=False)
    previous = _move(aspiration, S.VERIFIED)
    fields = ["status", "verified_at"]
    if category_slug:
        aspiration.category = _category(category_slug)
        fields.append("category")
    if aspiration.category is None:
        raise RuleViolation(_("Pilih kategori sebelum memverifikasi."), code="category_required")
    aspiration.verified_at = timezone.now()
    if aspiration.verify_due_at is None:
        fields += aspiration_set_deadlines(aspiration, clock_start_of(aspiration))
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_VERIFIED,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=_("Aspirasi diverifikasi dan akan diteruskan ke instansi yang berwenang."),
        internal_note=note,
        data={"category": aspiration.category.slug},
    )
    return aspiration


@transaction.atomic
def aspiration_request_information(*, aspiration: Aspiration, actor: Any, question: str) -> Aspiration:
    """Ask the reporter to complete the report (received → needs_information). The question is shown
    on the tracker; the clocks stop until the reporter answers."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.verify_aspiration", aspiration)
    question = _text(question, field=_("Pertanyaan kepada pelapor"), limit=REASON_MAX)
    previous = _move(aspiration, S.NEEDS_INFORMATION)
    aspiration.verify_due_at = aspiration.response_due_at = aspiration.completion_due_at = None
    fields = ["status", "verify_due_at", "response_due_at", "completion_due_at"]
    fields += _clear_overdue_if_stage_left(aspiration)
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_INFORMATION_REQUESTED,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=question,
    )
    return aspiration


@transaction.atomic
def aspiration_mark_out_of_scope(*, aspiration: Aspiration, actor: Any, reason: str, referred_to: str) -> Aspiration:
    """Not the city's remit (e.g. a provincial road → Pemerintah Provinsi Jawa Timur). Terminal."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.verify_aspiration", aspiration)
    reason = _text(reason, field=_("Alasan"), limit=REASON_MAX)
    referred_to = _text(referred_to, field=_("Instansi yang berwenang"), limit=REFERRED_TO_MAX)
    previous = _move(aspiration, S.OUT_OF_SCOPE)
    aspiration.outcome_text = reason
    aspiration.referred_to = referred_to
    aspiration.closed_at = timezone.now()
    fields = ["status", "outcome_text", "referred_to", "closed_at", *_clear_overdue_if_stage_left(aspiration)]
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_OUT_OF_SCOPE,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=_("Bukan kewenangan Pemerintah Kota Blitar. Instansi yang berwenang: %(to)s. %(reason)s")
        % {"to": referred_to, "reason": reason},
    )
    return aspiration


def _close_with_reason(
    aspiration: Aspiration,
    *,
    actor: Any,
    perm: str,
    reason: str,
    label: str,
    target: str,
    event: LedgerEvent,
    public_text: str,
) -> Aspiration:
    """A terminal move that needs a written reason (archive, reject): the reason becomes the outcome."""
    aspiration = _locked(aspiration)
    _require(actor, perm, aspiration)
    reason = _text(reason, field=label, limit=REASON_MAX)
    previous = _move(aspiration, target)
    aspiration.outcome_text = reason
    aspiration.closed_at = timezone.now()
    _save(aspiration, ["status", "outcome_text", "closed_at", *_clear_overdue_if_stage_left(aspiration)])
    _record(
        aspiration,
        event=event,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=public_text % {"reason": reason},
    )
    return aspiration


@transaction.atomic
def aspiration_archive(*, aspiration: Aspiration, actor: Any, reason: str) -> Aspiration:
    """Close without action (spam, no answer to a request for information, not a report). Terminal."""
    return _close_with_reason(
        aspiration,
        actor=actor,
        perm="aspirations.verify_aspiration",
        reason=reason,
        label=_("Alasan"),
        target=S.ARCHIVED,
        event=LedgerEvent.ASPIRATION_ARCHIVED,
        public_text=_("Diarsipkan: %(reason)s"),
    )


def _check_destination(organisation: Organisation) -> None:
    if not organisation.kind.is_public_institution or not organisation.is_valid_on(timezone.localdate()):
        raise RuleViolation(
            _("Disposisi hanya kepada OPD, komisi DPRD atau PPID yang aktif."), code="invalid_destination"
        )


@transaction.atomic
def aspiration_disposition(
    *,
    aspiration: Aspiration,
    actor: Any,
    organisation: Organisation,
    category_slug: str = "",
    note: str = "",
) -> Aspiration:
    """Send the case to an OPD, a DPRD komisi or the PPID (verified → dispositioned), or move it to
    another one (dispositioned → dispositioned, e.g. after the OPD returned it as not theirs). Records
    whether the officer confirmed the router's suggestion (training data for ``retrain_routing``)."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.disposition_aspiration", aspiration)
    note = _text(note, field=_("Catatan"), limit=REASON_MAX, required=False)
    _check_destination(organisation)
    if aspiration.status == S.DISPOSITIONED and aspiration.assigned_organisation_id == organisation.pk:
        raise RuleViolation(_("Aspirasi sudah didisposisikan ke instansi ini."), code="same_destination")
    previous_organisation = aspiration.assigned_organisation
    previous = _move(aspiration, S.DISPOSITIONED)
    fields = ["status", "assigned_organisation", "dispositioned_at"]
    if category_slug:
        aspiration.category = _category(category_slug)
        fields.append("category")
    if aspiration.category is None:
        raise RuleViolation(_("Pilih kategori sebelum mendisposisikan."), code="category_required")
    aspiration.assigned_organisation = organisation
    aspiration.dispositioned_at = timezone.now()
    fields += _clear_overdue_if_stage_left(aspiration)
    _save(aspiration, fields)
    was_suggested = (
        aspiration.suggested_category_id == aspiration.category_id
        and aspiration.suggested_organisation_id == organisation.pk
    )
    RoutingCorrection.objects.create(
        aspiration=aspiration,
        category=aspiration.category,
        organisation=organisation,
        was_suggested=was_suggested,
        corrected_by=actor,
    )
    is_redisposition = previous == S.DISPOSITIONED
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_DISPOSITIONED,
        kind=EventKind.ROUTING_CORRECTED if is_redisposition else EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=_("Didisposisikan kepada %(organisation)s untuk ditindaklanjuti.")
        % {"organisation": organisation.name},
        internal_note=note,
        data={
            "organisation": organisation.slug,
            "category": aspiration.category.slug,
            "was_suggested": was_suggested,
            "previous_organisation": previous_organisation.slug if previous_organisation else None,
        },
    )
    return aspiration


@transaction.atomic
def aspiration_change_category(*, aspiration: Aspiration, actor: Any, category_slug: str, note: str = "") -> Aspiration:
    """Correct the category of an open case (the coordinator desk)."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.verify_aspiration", aspiration)
    if aspiration.status in CLOSED_STATUSES:
        raise RuleViolation(_("Kategori aspirasi yang sudah ditutup tidak dapat diubah."), code="closed")
    note = _text(note, field=_("Catatan"), limit=REASON_MAX, required=False)
    category = _category(category_slug)
    if aspiration.category_id == category.pk:
        raise RuleViolation(_("Kategori itu sudah dipakai."), code="same_category")
    previous_slug = aspiration.category.slug if aspiration.category else None
    aspiration.category = category
    _save(aspiration, ["category"])
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_CATEGORY_CHANGED,
        kind=EventKind.ROUTING_CORRECTED,
        actor=actor,
        public_text=_("Kategori diubah menjadi %(category)s.") % {"category": category.name},
        internal_note=note,
        data={"category": category.slug, "previous_category": previous_slug},
        notify=False,
    )
    return aspiration


# --- The OPD, komisi or PPID the case is with ----------------------------------------------------


@transaction.atomic
def aspiration_return_to_coordinator(*, aspiration: Aspiration, actor: Any, reason: str) -> Aspiration:
    """The OPD says the case is not theirs: it goes back to the coordinator desk for re-disposition
    (the status stays ``dispositioned``; the first-response clock keeps running)."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.respond_aspiration", aspiration)
    if aspiration.status != S.DISPOSITIONED or aspiration.first_response_at is not None:
        raise RuleViolation(
            _("Hanya aspirasi yang belum ditanggapi yang dapat dikembalikan ke koordinator."), code="not_returnable"
        )
    reason = _text(reason, field=_("Alasan"), limit=REASON_MAX)
    returned_by = aspiration.assigned_organisation
    aspiration.assigned_organisation = None
    _save(aspiration, ["assigned_organisation"])
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_ROUTING_CORRECTED,
        kind=EventKind.ROUTING_CORRECTED,
        actor=actor,
        public_text=_("Dikembalikan ke koordinator untuk disposisi ulang."),
        internal_note=reason,
        data={"returned_by": returned_by.slug if returned_by else None},
    )
    return aspiration


@transaction.atomic
def aspiration_respond(*, aspiration: Aspiration, actor: Any, text: str, internal_note: str = "") -> AspirationEvent:
    """A response from the OPD. The first one sets ``first_response_at`` and moves
    dispositioned → in_progress; later ones add to the timeline."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.respond_aspiration", aspiration)
    text = _text(text, field=_("Tanggapan"), limit=RESPONSE_MAX)
    internal_note = _text(internal_note, field=_("Catatan internal"), limit=REASON_MAX, required=False)
    if aspiration.status not in (S.DISPOSITIONED, S.IN_PROGRESS):
        raise InvalidStatus()
    if aspiration.assigned_organisation_id is None:
        raise RuleViolation(_("Aspirasi ini sedang menunggu disposisi ulang."), code="not_assigned")
    previous = ""
    fields: list[str] = []
    first = aspiration.first_response_at is None
    if first:
        aspiration.first_response_at = timezone.now()
        fields.append("first_response_at")
    if aspiration.status == S.DISPOSITIONED:
        previous = _move(aspiration, S.IN_PROGRESS)
        fields.append("status")
    fields += _clear_overdue_if_stage_left(aspiration)
    if fields:
        _save(aspiration, fields)
    return _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_RESPONDED,
        kind=EventKind.RESPONSE,
        actor=actor,
        from_status=previous,
        public_text=text,
        internal_note=internal_note,
        data={"organisation": aspiration.assigned_organisation.slug, "first": first},  # type: ignore[union-attr]
    )


class InvalidStatus(RuleViolation):
    status_code = 409
    code = "invalid_transition"

    def __init__(self) -> None:
        super().__init__(_("Tindakan ini tidak dapat dilakukan pada status aspirasi sekarang."))


@transaction.atomic
def aspiration_resolve(*, aspiration: Aspiration, actor: Any, outcome: str) -> Aspiration:
    """The OPD reports the outcome (in_progress → resolved). The reporter may reopen within
    ``ASPIRATION_REOPEN_WORKING_DAYS`` working days (until the end of office hours that day)."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.respond_aspiration", aspiration)
    outcome = _text(outcome, field=_("Hasil tindak lanjut"), limit=RESPONSE_MAX)
    previous = _move(aspiration, S.RESOLVED)
    now = timezone.now()
    aspiration.outcome_text = outcome
    aspiration.resolved_at = aspiration.closed_at = now
    aspiration.reopen_until = default_calendar().due_at(now, reopen_working_days())
    fields = ["status", "outcome_text", "resolved_at", "closed_at", "reopen_until"]
    fields += _clear_overdue_if_stage_left(aspiration)
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_RESOLVED,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=previous,
        public_text=outcome,
        data={"organisation": aspiration.assigned_organisation.slug if aspiration.assigned_organisation else None},
    )
    return aspiration


@transaction.atomic
def aspiration_reject(*, aspiration: Aspiration, actor: Any, reason: str) -> Aspiration:
    """The OPD declines with a written reason (dispositioned/in_progress → rejected). Terminal."""
    return _close_with_reason(
        aspiration,
        actor=actor,
        perm="aspirations.respond_aspiration",
        reason=reason,
        label=_("Alasan penolakan"),
        target=S.REJECTED,
        event=LedgerEvent.ASPIRATION_REJECTED,
        public_text=_("Ditolak: %(reason)s"),
    )


def _recount_completion(aspiration: Aspiration) -> dt.datetime:
    due = deadlines_for(
        aspiration.kind,
        clock_start_of(aspiration),
        investigation=aspiration.needs_investigation,
        extended=aspiration.deadline_extended,
    )["completion_due_at"]
    aspiration.completion_due_at = due
    return due


@transaction.atomic
def aspiration_mark_investigation(*, aspiration: Aspiration, actor: Any, reason: str) -> Aspiration:
    """A pengaduan "berkadar pengawasan" (needs an investigation): completion within 60 working days."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.mark_aspiration_investigation", aspiration)
    if aspiration.kind != AspirationKind.PENGADUAN:
        raise RuleViolation(_("Hanya pengaduan yang dapat ditandai berkadar pengawasan."), code="not_pengaduan")
    if aspiration.status in CLOSED_STATUSES or aspiration.status == S.NEEDS_INFORMATION:
        raise InvalidStatus()
    if aspiration.needs_investigation:
        raise RuleViolation(_("Pengaduan ini sudah ditandai berkadar pengawasan."), code="already_marked")
    reason = _text(reason, field=_("Alasan"), limit=REASON_MAX)
    aspiration.needs_investigation = True
    due = _recount_completion(aspiration)
    fields = ["needs_investigation", "completion_due_at"]
    if aspiration.overdue_stage == OverdueStage.COMPLETION and timezone.now() <= due:
        aspiration.overdue_stage, aspiration.overdue_since = OverdueStage.NONE, None
        fields += ["overdue_stage", "overdue_since"]
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_DEADLINE_EXTENDED,
        kind=EventKind.STATUS,
        actor=actor,
        public_text=_("Pengaduan memerlukan pemeriksaan (berkadar pengawasan); batas penyelesaian 60 hari kerja."),
        internal_note=reason,
        data={"track": "investigation", "completion_due_at": due.isoformat()},
    )
    return aspiration


@transaction.atomic
def aspiration_extend_deadline(*, aspiration: Aspiration, actor: Any, reason: str) -> Aspiration:
    """UU KIP Pasal 22(8): a public-information request may be extended once, by 7 working days,
    with a written reason that the requester sees."""
    aspiration = _locked(aspiration)
    _require(actor, "aspirations.extend_aspiration_deadline", aspiration)
    if aspiration.kind != AspirationKind.PERMINTAAN_INFORMASI:
        raise RuleViolation(
            _("Perpanjangan waktu hanya untuk permintaan informasi publik (UU KIP)."), code="not_information_request"
        )
    if aspiration.deadline_extended:
        raise RuleViolation(_("Perpanjangan hanya dapat diberikan satu kali."), code="already_extended")
    if aspiration.status in CLOSED_STATUSES or aspiration.status == S.NEEDS_INFORMATION:
        raise InvalidStatus()
    reason = _text(reason, field=_("Alasan perpanjangan"), limit=REASON_MAX)
    aspiration.deadline_extended = True
    due = _recount_completion(aspiration)
    fields = ["deadline_extended", "completion_due_at"]
    if aspiration.overdue_stage == OverdueStage.COMPLETION and timezone.now() <= due:
        aspiration.overdue_stage, aspiration.overdue_since = OverdueStage.NONE, None
        fields += ["overdue_stage", "overdue_since"]
    _save(aspiration, fields)
    _record(
        aspiration,
        event=LedgerEvent.ASPIRATION_DEADLINE_EXTENDED,
        kind=EventKind.STATUS,
        actor=actor,
        public_text=_("Waktu jawaban diperpanjang 7 hari kerja: %(reason)s") % {"reason": reason},
        data={"track": "extension", "completion_due_at": due.isoformat()},
    )
    return aspiration

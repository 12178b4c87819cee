"""Merging a duplicate aspiration into the case that carries on (digabung).

The duplicate ends as MERGED with `merged_into`; its reporter keeps their tracking code (the tracker shows
"digabung ke …" and the target's timeline); its supporters move to the target, except people who already
support the target (or report it), so nobody counts twice. Cases merged earlier into the duplicate are
re-pointed at the target, so a merge never leaves a chain. Both timelines get an event, both a public-log
entry; everyone concerned (reporters and supporters of both) hears of it after commit through the events.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.aspirations.models import Aspiration, AspirationEvent, ReporterIdentity, Support
from sinergi.aspirations.states import ASPIRATION_TRANSITIONS, OPEN_STATUSES, AspirationStatus, EventKind, Privacy
from sinergi.aspirations.tasks import notify_after_commit
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

REASON_MAX = 1000


def short_reference(aspiration: Aspiration) -> str:
    """How a case is named to people who may not see its title: the first block of its public id."""
    return str(aspiration.uid).split("-")[0].upper()


def _public_title(aspiration: Aspiration) -> str:
    return "" if aspiration.privacy == Privacy.CONFIDENTIAL else aspiration.title


def _record(
    aspiration: Aspiration, *, actor: Any, from_status: str, public_text: str, internal_note: str, data: dict[str, Any]
) -> AspirationEvent:
    from sinergi.aspirations.services.lifecycle import acting_label

    label, organisation = acting_label(actor, aspiration)
    entry = ledger_record(
        event=LedgerEvent.ASPIRATION_MERGED,
        actor=actor,
        subject_type="aspiration",
        subject_id=str(aspiration.uid),
        data={"kind": aspiration.kind, "status": aspiration.status, **data},
    )
    event = AspirationEvent.objects.create(
        aspiration=aspiration,
        kind=EventKind.MERGED,
        from_status=from_status,
        to_status=aspiration.status if from_status else "",
        actor=actor,
        actor_label=label,
        organisation=organisation,
        public_text=public_text,
        internal_note=internal_note,
        is_public=True,
        ledger_entry=entry,
        created_at=timezone.now(),
    )
    notify_after_commit(event.pk)
    return event


def _move_supporters(duplicate: Aspiration, into: Aspiration) -> tuple[int, int]:
    """Move the duplicate's supports to `into`; returns (moved, dropped as already counted there)."""
    moved = dropped = 0
    kept_users = set(Support.objects.filter(aspiration=into, user__isnull=False).values_list("user_id", flat=True))
    kept_phones = set(
        Support.objects.filter(aspiration=into).exclude(phone_index="").values_list("phone_index", flat=True)
    )
    if into.reporter_id is not None:
        kept_users.add(into.reporter_id)
    reporter_phone = ReporterIdentity.objects.filter(aspiration=into).values_list("phone_index", flat=True).first()
    if reporter_phone:
        kept_phones.add(reporter_phone)
    for support in Support.objects.filter(aspiration=duplicate).order_by("pk"):
        already = (support.user_id is not None and support.user_id in kept_users) or (
            support.phone_index and support.phone_index in kept_phones
        )
        if already:
            support.delete()
            dropped += 1
            continue
        Support.objects.filter(pk=support.pk).update(aspiration=into)
        if support.user_id is not None:
            kept_users.add(support.user_id)
        if support.phone_index:
            kept_phones.add(support.phone_index)
        moved += 1
    return moved, dropped


@transaction.atomic
def aspiration_merge(*, duplicate: Aspiration, into: Aspiration, actor: Any, reason: str) -> Aspiration:
    """Merge `duplicate` into `into` (an officer: the coordinator desk, or the OPD holding `into`).

    Raises NotPermitted, RuleViolation (merge_self, merge_target_merged, merge_target_closed, text_required,
    text_too_long) or InvalidTransition (the duplicate is already closed or merged).
    """
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Alasan penggabungan wajib diisi."), code="text_required")
    if len(reason) > REASON_MAX:
        raise RuleViolation(
            _("Alasan terlalu panjang (paling banyak %(limit)s karakter).") % {"limit": REASON_MAX},
            code="text_too_long",
        )
    if duplicate.pk == into.pk:
        raise RuleViolation(_("Aspirasi tidak dapat digabung ke dirinya sendiri."), code="merge_self")
    # Lock both rows in one order (by pk), so two merges of the same pair cannot deadlock or interleave.
    locked = {
        row.pk: row
        for row in Aspiration.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk]).order_by("pk")
    }
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if actor is None or not actor.has_perm("aspirations.merge_aspiration", into):
        raise NotPermitted(
            _("Hanya koordinator aspirasi atau OPD yang menangani aspirasi tujuan yang dapat menggabungkan."),
            code="forbidden",
        )
    if into.status == AspirationStatus.MERGED:
        raise RuleViolation(
            _("Aspirasi tujuan sudah digabung ke aspirasi lain; gabungkan ke aspirasi akhirnya."),
            code="merge_target_merged",
        )
    if into.status not in OPEN_STATUSES:
        raise RuleViolation(
            _("Aspirasi tujuan sudah ditutup; pilih aspirasi yang masih berjalan."), code="merge_target_closed"
        )
    try:
        check_transition(ASPIRATION_TRANSITIONS, duplicate.status, AspirationStatus.MERGED, label=_("aspirasi"))
    except InvalidTransition as exc:
        raise InvalidTransition(
            _("Aspirasi ini sudah ditutup atau digabung dan tidak dapat digabung lagi."), code="merge_source_closed"
        ) from exc

    moved, dropped = _move_supporters(duplicate, into)
    Aspiration.objects.filter(merged_into=duplicate).update(merged_into=into)
    now = timezone.now()
    previous = duplicate.status
    duplicate.status = AspirationStatus.MERGED
    duplicate.merged_into = into
    duplicate.closed_at = now
    duplicate.support_count = 0
    duplicate.overdue_stage = ""
    duplicate.save(update_fields=["status", "merged_into", "closed_at", "support_count", "overdue_stage"])
    into.support_count = Support.objects.filter(aspiration=into).count()
    into.save(update_fields=["support_count"])

    into_ref, duplicate_ref = short_reference(into), short_reference(duplicate)
    into_title = _public_title(into)
    _record(
        duplicate,
        actor=actor,
        from_status=previous,
        public_text=(
            _("Digabung ke aspirasi %(ref)s “%(title)s”, yang menangani masalah yang sama.")
            % {"ref": into_ref, "title": into_title}
            if into_title
            else _("Digabung ke aspirasi %(ref)s, yang menangani masalah yang sama.") % {"ref": into_ref}
        ),
        internal_note=reason,
        data={"merged_into": str(into.uid)},
    )
    _record(
        into,
        actor=actor,
        from_status="",
        public_text=_("Aspirasi %(ref)s dengan masalah yang sama digabung ke sini; pelapor dan pendukungnya ikut.")
        % {"ref": duplicate_ref},
        internal_note=reason,
        data={"merged_from": str(duplicate.uid), "support_count": into.support_count, "supports_moved": moved},
    )
    duplicate.supports_dropped = dropped  # type: ignore[attr-defined]  # for the caller's message
    return duplicate


def merge_target_of(aspiration: Aspiration) -> Aspiration | None:
    """Where a merged case went (a merge never leaves a chain, but old data might: follow a few steps)."""
    target = aspiration.merged_into
    for _step in range(5):
        if target is None or target.merged_into_id is None:
            return target
        target = target.merged_into
    return target

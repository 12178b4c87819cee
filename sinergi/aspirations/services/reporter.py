"""What the reporter may do with their case: add information, confirm the resolution, rate it, reopen it.

The reporter is whoever holds the tracking code (no account needed), or the logged-in account that
submitted the case. Each act writes an `AspirationEvent`, one public-log entry (never identity, never
the text of a confidential case) and, after commit, a notification task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.aspirations.models import Aspiration, AspirationEvent, Photo
from sinergi.aspirations.photos import UploadedPhoto, discard_files, prepare_photos, write_photo_files
from sinergi.aspirations.services.intake import clean_text, normalise_tracking_code
from sinergi.aspirations.services.lifecycle import aspiration_set_deadlines
from sinergi.aspirations.states import (
    ASPIRATION_TRANSITIONS,
    OPEN_STATUSES,
    AspirationStatus,
    EventKind,
    Privacy,
)
from sinergi.aspirations.tasks import notify_after_commit
from sinergi.core.errors import InvalidTransition, NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

if TYPE_CHECKING:
    from sinergi.accounts.models import User

INFORMATION_MAX = 2000
RATING_COMMENT_MAX = 1000
REOPEN_REASON_MAX = 1000


def _case_for_reporter(*, tracking_code: str = "", uid: Any = None, actor: User | None = None) -> Aspiration:
    """The case the caller may act on as its reporter, locked for this transaction."""
    cases = Aspiration.objects.select_for_update(of=("self",))
    if tracking_code:
        case = cases.filter(tracking_code=normalise_tracking_code(tracking_code)).first()
        if case is None:
            raise NotPermitted(_("Kode lacak tidak ditemukan."), code="unknown_tracking_code")
    else:
        case = cases.filter(uid=uid).first() if uid else None
        is_reporter = (
            case is not None
            and actor is not None
            and getattr(actor, "is_authenticated", False)
            and case.reporter_id == actor.pk
        )
        if not is_reporter:
            raise NotPermitted(_("Hanya pelapor yang dapat melakukan ini."), code="not_reporter")
    assert case is not None
    if case.status == AspirationStatus.MERGED:
        raise InvalidTransition(
            _("Aspirasi ini sudah digabung ke aspirasi lain; lanjutkan di halaman aspirasi tersebut."),
            code="merged",
        )
    return case


def _log_actor(case: Aspiration, actor: User | None) -> User | None:
    """Only a public case's logged-in reporter is named in the public log."""
    if case.privacy == Privacy.PUBLIC and actor is not None and getattr(actor, "is_authenticated", False):
        return actor
    return None


def _record(
    case: Aspiration,
    *,
    actor: User | None,
    log_event: LedgerEvent,
    event_kind: str,
    public_text: str,
    internal_note: str = "",
    from_status: str = "",
    data: dict[str, Any] | None = None,
) -> AspirationEvent:
    log_actor = _log_actor(case, actor)
    entry = ledger_record(
        event=log_event,
        actor=log_actor,
        subject_type="aspiration",
        subject_id=str(case.uid),
        data={"status": case.status, **(data or {})},
    )
    event = AspirationEvent.objects.create(
        aspiration=case,
        kind=event_kind,
        from_status=from_status,
        to_status=case.status if from_status else "",
        actor=log_actor,
        actor_label=str(_("Pelapor")),
        public_text=public_text,
        internal_note=internal_note,
        is_public=True,
        ledger_entry=entry,
        created_at=timezone.now(),
    )
    notify_after_commit(event.pk)
    return event


def reporter_add_information(
    *,
    text: str,
    tracking_code: str = "",
    uid: Any = None,
    actor: User | None = None,
    photos: tuple[UploadedPhoto, ...] = (),
) -> Aspiration:
    """More detail or photos while the case is open; a case waiting for information goes back to the desk."""
    body = clean_text(text, max_length=INFORMATION_MAX, required=True, code="information", label=_("Informasi"))
    prepared = prepare_photos(photos)
    stored: list[str] = []
    try:
        # The files first, their rows inside the transaction: writing megabytes would hold the write lock.
        rows = write_photo_files(None, prepared, stored_files=stored)
        return _add_information(body, rows, stored, tracking_code=tracking_code, uid=uid, actor=actor)
    except BaseException:
        discard_files(stored)
        raise


@transaction.atomic
def _add_information(
    body: str, photos: list[Photo], stored: list[str], *, tracking_code: str, uid: Any, actor: User | None
) -> Aspiration:
    case = _case_for_reporter(tracking_code=tracking_code, uid=uid, actor=actor)
    if case.status not in OPEN_STATUSES:
        raise InvalidTransition(_("Aspirasi ini sudah ditutup; informasi tidak dapat ditambahkan."), code="closed")
    if len(photos) + case.photos.count() > 6:
        raise RuleViolation(_("Aspirasi ini sudah memiliki cukup banyak foto."), code="too_many_photos")
    previous = case.status
    if case.status == AspirationStatus.NEEDS_INFORMATION:
        check_transition(ASPIRATION_TRANSITIONS, case.status, AspirationStatus.RECEIVED, label=_("aspirasi"))
        case.status = AspirationStatus.RECEIVED
        # The reporter's answer restarts every clock (needs_information stops them; see lifecycle).
        restarted = aspiration_set_deadlines(case, clock_start=timezone.now())
        case.save(update_fields=["status", "updated_at", *restarted])
    for photo in photos:
        photo.aspiration = case
        photo.save()
    confidential = case.privacy == Privacy.CONFIDENTIAL
    _record(
        case,
        actor=actor,
        log_event=LedgerEvent.ASPIRATION_INFORMATION_ADDED,
        event_kind=EventKind.INFORMATION_ADDED,
        public_text=_("Pelapor menambahkan informasi.") if confidential else body,
        internal_note=body if confidential else "",
        from_status=previous if previous != case.status else "",
        data={"photos": len(photos)},
    )
    return case


@transaction.atomic
def reporter_confirm(*, tracking_code: str = "", uid: Any = None, actor: User | None = None) -> Aspiration:
    """The reporter agrees the case is resolved (closes the reopen window)."""
    case = _case_for_reporter(tracking_code=tracking_code, uid=uid, actor=actor)
    if case.status != AspirationStatus.RESOLVED:
        raise InvalidTransition(_("Hanya aspirasi yang sudah selesai dapat dikonfirmasi."), code="not_resolved")
    if case.confirmed_at is not None:
        raise InvalidTransition(_("Penyelesaian aspirasi ini sudah Anda konfirmasi."), code="already_confirmed")
    case.confirmed_at = timezone.now()
    case.save(update_fields=["confirmed_at", "updated_at"])
    _record(
        case,
        actor=actor,
        log_event=LedgerEvent.ASPIRATION_CONFIRMED,
        event_kind=EventKind.CONFIRMED,
        public_text=_("Pelapor mengonfirmasi bahwa aspirasi sudah diselesaikan."),
    )
    return case


@transaction.atomic
def reporter_rate(
    *, rating: int, comment: str = "", tracking_code: str = "", uid: Any = None, actor: User | None = None
) -> Aspiration:
    """One rating (1–5) with an optional comment, once, after the case is resolved."""
    try:
        value = int(rating)
    except (TypeError, ValueError) as exc:
        raise RuleViolation(_("Penilaian harus angka 1 sampai 5."), code="invalid_rating") from exc
    if not 1 <= value <= 5:
        raise RuleViolation(_("Penilaian harus angka 1 sampai 5."), code="invalid_rating")
    body = clean_text(comment, max_length=RATING_COMMENT_MAX, required=False, code="comment", label=_("Komentar"))
    case = _case_for_reporter(tracking_code=tracking_code, uid=uid, actor=actor)
    if case.status != AspirationStatus.RESOLVED:
        raise InvalidTransition(_("Penilaian hanya dapat diberikan setelah aspirasi selesai."), code="not_resolved")
    if case.rating is not None:
        raise InvalidTransition(_("Aspirasi ini sudah Anda nilai."), code="already_rated")
    case.rating = value
    case.rating_comment = body
    case.save(update_fields=["rating", "rating_comment", "updated_at"])
    confidential = case.privacy == Privacy.CONFIDENTIAL
    summary = _("Pelapor memberi nilai %(rating)d dari 5.") % {"rating": value}
    _record(
        case,
        actor=actor,
        log_event=LedgerEvent.ASPIRATION_RATED,
        event_kind=EventKind.RATED,
        public_text=summary if confidential or not body else f"{summary} {body}",
        internal_note=body if confidential else "",
        data={"rating": value},
    )
    return case


@transaction.atomic
def reporter_reopen(*, reason: str, tracking_code: str = "", uid: Any = None, actor: User | None = None) -> Aspiration:
    """Back to in progress when the reporter says it is not resolved, within `reopen_until`."""
    body = clean_text(reason, max_length=REOPEN_REASON_MAX, required=True, code="reason", label=_("Alasan"))
    case = _case_for_reporter(tracking_code=tracking_code, uid=uid, actor=actor)
    if case.status != AspirationStatus.RESOLVED:
        raise InvalidTransition(_("Hanya aspirasi yang sudah selesai dapat dibuka kembali."), code="not_resolved")
    if case.confirmed_at is not None or case.rating is not None:
        raise InvalidTransition(
            _("Aspirasi yang sudah Anda konfirmasi atau nilai tidak dapat dibuka kembali; kirim aspirasi baru."),
            code="already_confirmed",
        )
    if case.reopen_until is None or timezone.now() > case.reopen_until:
        raise InvalidTransition(_("Batas waktu untuk membuka kembali aspirasi ini sudah lewat."), code="reopen_expired")
    check_transition(ASPIRATION_TRANSITIONS, case.status, AspirationStatus.IN_PROGRESS, label=_("aspirasi"))
    previous = case.status
    case.status = AspirationStatus.IN_PROGRESS
    case.reopen_count += 1
    case.reopen_until = None
    case.save(update_fields=["status", "reopen_count", "reopen_until", "updated_at"])
    confidential = case.privacy == Privacy.CONFIDENTIAL
    _record(
        case,
        actor=actor,
        log_event=LedgerEvent.ASPIRATION_REOPENED,
        event_kind=EventKind.REOPENED,
        public_text=_("Pelapor membuka kembali aspirasi.") if confidential else body,
        internal_note=body if confidential else "",
        from_status=previous,
        data={"reopen_count": case.reopen_count},
    )
    return case

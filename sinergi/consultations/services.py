"""Writes for consultations: creating and editing, the lifecycle, joining, voting, statements and moderation.

Every service runs in one transaction; a refusal raises before anything is written. Public acts write one public
log entry each. Votes are the exception (see `sinergi.consultations.models`): they are not public acts, so
`vote_cast` writes no log entry; the published results carry a digest of the votes they count.
Recomputing the opinion map is a task enqueued after the commit, never run inside the request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.actors.models import Organisation, Sector
from sinergi.actors.selectors import user_active_memberships
from sinergi.consultations.models import (
    QUESTION_MAX,
    STATEMENT_MAX,
    Consultation,
    Participant,
    Statement,
    Vote,
)
from sinergi.consultations.states import (
    CONSULTATION_TRANSITIONS,
    STATEMENT_TRANSITIONS,
    Audience,
    ConsultationStatus,
    StatementStatus,
    VoteValue,
)
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.forums.models import Forum
from sinergi.forums.states import ForumStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.regions.models import Region, RegionLevel

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
REASON_MAX = 255
SEED_MAX_COUNT = 200
# Statements a participant may submit per hour (Polis has no limit; moderation is people's time).
STATEMENTS_PER_HOUR = 10
# A vote enqueues a recompute only when none was requested within this window and not yet started.
RECOMPUTE_DEBOUNCE = dt.timedelta(seconds=30)
# Path segments of the consultation pages that a slug must not shadow.
RESERVED_SLUGS = frozenset({"buat", "kelola"})
EDITABLE_FIELDS = frozenset(
    {"title", "question", "description", "opens_at", "closes_at", "audience", "accepts_statements"}
)


# ---------------------------------------------------------------------------- helpers


def _log(event: LedgerEvent, actor: Any, consultation: Consultation, data: dict[str, Any]) -> None:
    ledger_record(
        event=event,
        actor=actor,
        subject_type="consultation",
        subject_id=str(consultation.uid),
        data={"consultation": consultation.slug, **data},
    )


def _lock(consultation: Consultation) -> Consultation:
    """Re-read inside the transaction so concurrent writers queue (index assignment, lifecycle)."""
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("organiser__kind", "forum")
        .get(pk=consultation.pk)
    )


def _text(value: Any, label: str, limit: int, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split()) if limit <= STATEMENT_MAX else str(value or "").strip()
    if "\x00" in text:
        raise RuleViolation(_("%(label)s memuat karakter yang tidak diizinkan.") % {"label": label}, code="invalid")
    if required and not text:
        raise RuleViolation(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    if len(text) > limit:
        raise RuleViolation(
            _("%(label)s terlalu panjang (maksimal %(limit)s karakter).") % {"label": label, "limit": limit},
            code="too_long",
        )
    return text


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "konsultasi")[:100]
    slug = base if base not in RESERVED_SLUGS else f"{base}-konsultasi"
    suffix = 2
    while Consultation.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _aware(value: Any) -> Any:
    """Datetimes without a zone (e.g. from the API) are read in the site's zone (WIB)."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _check_dates(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if not isinstance(opens_at, dt.datetime) or not isinstance(closes_at, dt.datetime):
        raise RuleViolation(_("Tanggal buka dan tutup wajib diisi."), code="dates_required")
    if closes_at <= opens_at:
        raise RuleViolation(_("Konsultasi harus ditutup setelah dibuka."), code="closes_before_opening")
    if closes_at - opens_at > dt.timedelta(days=366):
        raise RuleViolation(_("Konsultasi paling lama berlangsung satu tahun."), code="too_long_period")


def _clean_seeds(lines: Iterable[str]) -> list[str]:
    seeds: list[str] = []
    seen: set[str] = set()
    for line in lines:
        text = " ".join(str(line or "").split())
        if not text:
            continue
        _text(text, _("Pernyataan awal"), STATEMENT_MAX)
        key = text.casefold()
        if key in seen:
            continue
        seen.add(key)
        seeds.append(text)
    if len(seeds) > SEED_MAX_COUNT:
        raise RuleViolation(
            _("Paling banyak %(n)s pernyataan awal.") % {"n": SEED_MAX_COUNT}, code="too_many_statements"
        )
    return seeds


def _next_column(consultation: Consultation) -> int:
    last = consultation.statements.aggregate(last=Max("column_index"))["last"]
    return 0 if last is None else last + 1


def _add_statements(consultation: Consultation, texts: Sequence[str], **fields: Any) -> list[Statement]:
    start = _next_column(consultation)
    return Statement.objects.bulk_create(
        [
            Statement(consultation=consultation, column_index=start + offset, text=text, **fields)
            for offset, text in enumerate(texts)
        ]
    )


def _check_host(actor: Any, organiser: Organisation | None, forum: Forum | None, audience: str) -> None:
    from sinergi.consultations.permissions import is_consultation_manager

    if (organiser is None) == (forum is None):
        raise RuleViolation(_("Pilih satu penyelenggara: lembaga publik atau forum."), code="one_host")
    if audience not in Audience.values:
        raise RuleViolation(_("Peserta yang boleh ikut tidak dikenal."), code="invalid_audience")
    if audience == Audience.FORUM_MEMBERS and forum is None:
        raise RuleViolation(_("Konsultasi khusus anggota forum harus diselenggarakan oleh forum."), code="no_forum")
    if organiser is not None and not organiser.is_public_institution:
        raise RuleViolation(
            _("Konsultasi publik hanya dapat diselenggarakan oleh lembaga publik."), code="not_public_institution"
        )
    if forum is not None and forum.status == ForumStatus.CLOSED:
        raise RuleViolation(_("Forum ini sudah ditutup."), code="forum_closed")
    probe = Consultation(organiser=organiser, forum=forum)
    if not getattr(actor, "is_superuser", False) and not is_consultation_manager(actor, probe):
        raise NotPermitted(
            _("Anda tidak bertindak atas nama penyelenggara ini (lembaga publik atau pengurus forum)."),
            code="not_host",
        )


def _request_recompute(consultation_id: int) -> None:
    """Enqueue a recompute after the commit unless one is already pending (debounce)."""
    now = timezone.now()
    claimed = (
        Consultation.objects.filter(pk=consultation_id)
        .filter(Q(recompute_requested_at__isnull=True) | Q(recompute_requested_at__lt=now - RECOMPUTE_DEBOUNCE))
        .update(recompute_requested_at=now)
    )
    if claimed:
        from sinergi.consultations.tasks import consultation_recompute

        transaction.on_commit(lambda: consultation_recompute.enqueue(consultation_id))


# ---------------------------------------------------------------------------- consultations


@transaction.atomic
def consultation_create(
    *,
    actor: Any,
    title: str,
    question: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    organiser: Organisation | None = None,
    forum: Forum | None = None,
    description: str = "",
    audience: str = Audience.PUBLIC,
    accepts_statements: bool = True,
    seed_statements: Iterable[str] = (),
) -> Consultation:
    """A draft consultation hosted by a public institution or a forum, with its seed statements (accepted)."""
    _check_host(actor, organiser, forum, audience)
    title = _text(title, _("Judul"), TITLE_MAX)
    question = _text(question, _("Pertanyaan"), QUESTION_MAX)
    description = _text(description, _("Latar belakang"), DESCRIPTION_MAX, required=False)
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    _check_dates(opens_at, closes_at)
    seeds = _clean_seeds(seed_statements)
    consultation = Consultation.objects.create(
        slug=_unique_slug(title),
        title=title,
        question=question,
        description=description,
        organiser=organiser,
        forum=forum,
        audience=audience,
        opens_at=opens_at,
        closes_at=closes_at,
        accepts_statements=bool(accepts_statements),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _add_statements(consultation, seeds, is_seed=True, status=StatementStatus.ACCEPTED, moderated_at=timezone.now())
    _log(
        LedgerEvent.CONSULTATION_CREATED,
        actor,
        consultation,
        {
            "title": title,
            "host": organiser.slug if organiser else forum.slug if forum else "",
            "host_kind": "organisation" if organiser else "forum",
            "audience": audience,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "seed_statements": len(seeds),
        },
    )
    return consultation


@transaction.atomic
def consultation_update(
    *, actor: Any, consultation: Consultation, seed_statements: Iterable[str] | None = None, **changes: Any
) -> Consultation:
    """Draft: every field, and the seed statements replaced. Open: only a later closing time."""
    consultation = _lock(consultation)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise RuleViolation(_("Kolom tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if consultation.status == ConsultationStatus.CLOSED:
        raise RuleViolation(_("Konsultasi yang sudah ditutup tidak dapat diubah."), code="consultation_closed")
    changes = {name: _aware(value) for name, value in changes.items()}
    changed = {name: value for name, value in changes.items() if getattr(consultation, name) != value}
    if consultation.status == ConsultationStatus.OPEN:
        if set(changed) - {"closes_at"} or seed_statements is not None:
            raise RuleViolation(
                _("Selama konsultasi dibuka, hanya waktu penutupan yang dapat diundur."), code="consultation_open"
            )
        if "closes_at" in changed and changed["closes_at"] <= consultation.closes_at:
            raise RuleViolation(_("Waktu penutupan hanya dapat diundur."), code="closes_earlier")
    cleaned: dict[str, Any] = {}
    for name, value in changed.items():
        if name == "title":
            cleaned[name] = _text(value, _("Judul"), TITLE_MAX)
        elif name == "question":
            cleaned[name] = _text(value, _("Pertanyaan"), QUESTION_MAX)
        elif name == "description":
            cleaned[name] = _text(value, _("Latar belakang"), DESCRIPTION_MAX, required=False)
        elif name == "audience":
            if (value == Audience.FORUM_MEMBERS and consultation.forum_id is None) or value not in Audience.values:
                raise RuleViolation(_("Peserta yang boleh ikut tidak sesuai penyelenggara."), code="invalid_audience")
            cleaned[name] = value
        elif name == "accepts_statements":
            cleaned[name] = bool(value)
        else:
            cleaned[name] = value
    _check_dates(cleaned.get("opens_at", consultation.opens_at), cleaned.get("closes_at", consultation.closes_at))
    old = {name: getattr(consultation, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(consultation, name, value)
    seeds_changed: dict[str, int] = {}
    if seed_statements is not None:
        wanted = _clean_seeds(seed_statements)
        existing = {statement.text: statement for statement in consultation.statements.filter(is_seed=True)}
        removed = [statement.pk for text, statement in existing.items() if text not in wanted]
        added = [text for text in wanted if text not in existing]
        if Statement.objects.filter(pk__in=removed, votes__isnull=False).exists():
            raise RuleViolation(
                _("Pernyataan awal yang sudah mendapat suara tidak dapat dihapus."), code="statement_has_votes"
            )
        if removed:
            Statement.objects.filter(pk__in=removed).delete()
        _add_statements(consultation, added, is_seed=True, status=StatementStatus.ACCEPTED, moderated_at=timezone.now())
        if removed or added:
            seeds_changed = {"seed_statements_added": len(added), "seed_statements_removed": len(removed)}
    if not cleaned and not seeds_changed:
        return consultation
    consultation.save(update_fields=[*cleaned, "updated_at"])

    def public(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.datetime) else value

    _log(
        LedgerEvent.CONSULTATION_UPDATED,
        actor,
        consultation,
        {
            "changes": {name: [public(old[name]), public(cleaned[name])] for name in sorted(cleaned)},
            **seeds_changed,
        },
    )
    return consultation


@transaction.atomic
def consultation_open(*, actor: Any, consultation: Consultation) -> Consultation:
    consultation = _lock(consultation)
    check_transition(CONSULTATION_TRANSITIONS, consultation.status, ConsultationStatus.OPEN, label=_("konsultasi"))
    now = timezone.now()
    if consultation.closes_at <= now:
        raise RuleViolation(_("Waktu penutupan sudah lewat; undur dulu waktu penutupannya."), code="closes_in_past")
    accepted = consultation.statements.filter(status=StatementStatus.ACCEPTED).count()
    if accepted == 0 and not consultation.accepts_statements:
        raise RuleViolation(
            _("Tambahkan pernyataan awal atau izinkan peserta mengirim pernyataan."), code="no_statements"
        )
    consultation.status = ConsultationStatus.OPEN
    consultation.opened_at = now
    consultation.save(update_fields=["status", "opened_at", "updated_at"])
    _log(LedgerEvent.CONSULTATION_OPENED, actor, consultation, {"statements": accepted})
    return consultation


@transaction.atomic
def consultation_close(*, actor: Any, consultation: Consultation, reason: str = "") -> Consultation:
    """Close voting (an official, or the scheduler with ``actor=None`` once ``closes_at`` passed); a final
    recompute follows."""
    consultation = _lock(consultation)
    check_transition(CONSULTATION_TRANSITIONS, consultation.status, ConsultationStatus.CLOSED, label=_("konsultasi"))
    reason = _text(reason, _("Alasan"), REASON_MAX, required=False)
    consultation.status = ConsultationStatus.CLOSED
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["status", "closed_at", "updated_at"])
    _log(
        LedgerEvent.CONSULTATION_CLOSED,
        actor,
        consultation,
        {"reason": reason, "scheduled": actor is None, "vote_sequence": consultation.vote_sequence},
    )
    consultation_id = consultation.pk
    Consultation.objects.filter(pk=consultation_id).update(recompute_requested_at=timezone.now())

    from sinergi.consultations.tasks import consultation_recompute

    transaction.on_commit(lambda: consultation_recompute.enqueue(consultation_id))
    return consultation


def consultations_close_due(*, now: dt.datetime | None = None) -> list[str]:
    """Close every open consultation whose closing time has passed (cron / task); returns their slugs."""
    now = now or timezone.now()
    closed: list[str] = []
    for consultation in Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_at__lte=now):
        try:
            consultation_close(actor=None, consultation=consultation, reason=_("Waktu konsultasi berakhir."))
        except RuleViolation:  # closed meanwhile by an official
            continue
        closed.append(consultation.slug)
    return closed


def _require_open(consultation: Consultation) -> None:
    if consultation.status != ConsultationStatus.OPEN:
        raise RuleViolation(_("Konsultasi ini tidak sedang dibuka."), code="consultation_not_open")
    if consultation.closes_at <= timezone.now():
        raise RuleViolation(_("Waktu konsultasi ini sudah berakhir."), code="consultation_not_open")


# ---------------------------------------------------------------------------- participants


def anonymous_key_hash(consultation: Consultation, key: str) -> str:
    """The stored form of a browser's random key: keyed by the consultation, so one browser's rows in two
    consultations cannot be linked by comparing hashes."""
    return hmac.new(str(consultation.uid).encode(), key.encode(), hashlib.sha256).hexdigest()


def _organisation_sector(user: Any) -> Sector | None:
    membership = user_active_memberships(user).order_by("-role__acts_for_organisation", "pk").first()
    return membership.organisation.sector if membership is not None else None


def kelurahan_choices() -> Any:
    from django.conf import settings

    prefix = settings.SINERGI["REGION_CODE"]
    return Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith=f"{prefix}.").order_by("name")


def participant_find(consultation: Consultation, *, user: Any = None, anonymous_key: str = "") -> Participant | None:
    if getattr(user, "is_authenticated", False):
        return consultation.participants.filter(user=user).first()
    if anonymous_key:
        return consultation.participants.filter(
            anonymous_key_hash=anonymous_key_hash(consultation, key=anonymous_key)
        ).first()
    return None


def _check_audience(consultation: Consultation, user: Any) -> None:
    if getattr(user, "is_authenticated", False):
        if not user.has_perm("consultations.take_part", consultation):
            if consultation.audience == Audience.VERIFIED:
                raise NotPermitted(
                    _("Konsultasi ini khusus warga terverifikasi. Verifikasi identitas di kantor kelurahan."),
                    code="not_verified",
                )
            raise NotPermitted(_("Konsultasi ini khusus anggota forum penyelenggara."), code="not_forum_member")
    elif consultation.audience != Audience.PUBLIC:
        raise NotPermitted(_("Masuk dulu untuk ikut konsultasi ini."), code="login_required")


@transaction.atomic
def participant_join(
    *,
    consultation: Consultation,
    user: Any = None,
    anonymous_key: str = "",
    sector: Sector | None = None,
    region: Region | None = None,
) -> Participant:
    """Get or create the participant for an account or an anonymous browser key, with the next row index.

    The sector comes from the user's organisation when they have one, else from the declaration. Declaring again
    updates the declaration. Not a public act: no log entry (who takes part is not published).
    """
    signed_in = getattr(user, "is_authenticated", False)
    if not signed_in and not anonymous_key:
        raise NotPermitted(_("Masuk dulu untuk ikut konsultasi ini."), code="login_required")
    if not signed_in and not 16 <= len(anonymous_key) <= 128:
        raise RuleViolation(_("Kunci peserta tidak valid."), code="invalid_key")
    consultation = _lock(consultation)
    _require_open(consultation)
    _check_audience(consultation, user)
    if region is not None and not kelurahan_choices().filter(pk=region.pk).exists():
        raise RuleViolation(_("Kelurahan tidak dikenal."), code="invalid_region")
    if signed_in:
        sector = _organisation_sector(user) or sector
    participant = participant_find(consultation, user=user, anonymous_key=anonymous_key)
    if participant is not None:
        updates = [
            name
            for name, value in (("sector", sector), ("region", region))
            if value is not None and getattr(participant, name) != value
        ]
        for name in updates:
            setattr(participant, name, sector if name == "sector" else region)
        if updates:
            participant.save(update_fields=[*updates, "updated_at"])
        return participant
    # The consultation row is locked, so the next index is ours; the unique constraint is the backstop.
    last = consultation.participants.aggregate(last=Max("row_index"))["last"]
    return Participant.objects.create(
        consultation=consultation,
        row_index=0 if last is None else last + 1,
        user=user if signed_in else None,
        anonymous_key_hash="" if signed_in else anonymous_key_hash(consultation, anonymous_key),
        sector=sector,
        region=region,
    )


# ---------------------------------------------------------------------------- votes


def _store_vote(participant: Participant, statement: Statement, value: int) -> Vote:
    """Insert or replace the participant's vote: exactly one row, stamped with the next change sequence."""
    consultation_id = participant.consultation_id
    Consultation.objects.filter(pk=consultation_id).update(vote_sequence=F("vote_sequence") + 1)
    sequence = Consultation.objects.filter(pk=consultation_id).values_list("vote_sequence", flat=True).get()
    values = {"value": value, "voted_at": timezone.now(), "change_sequence": sequence}
    updated = Vote.objects.filter(participant=participant, statement=statement).update(**values)
    if updated:
        return Vote.objects.get(participant=participant, statement=statement)
    try:
        with transaction.atomic():  # a concurrent first vote may insert between our update and insert
            return Vote.objects.create(
                consultation_id=consultation_id, participant=participant, statement=statement, **values
            )
    except IntegrityError:
        Vote.objects.filter(participant=participant, statement=statement).update(**values)
        return Vote.objects.get(participant=participant, statement=statement)


@transaction.atomic
def vote_cast(*, participant: Participant, statement: Statement, value: Any) -> Vote:
    """Agree (+1), disagree (−1) or pass (0) on an accepted statement of an open consultation; the latest counts."""
    try:
        value = int(value)
    except (TypeError, ValueError) as error:
        raise RuleViolation(_("Pilihan suara tidak dikenal."), code="invalid_vote") from error
    if value not in VoteValue.values:
        raise RuleViolation(_("Pilihan suara tidak dikenal."), code="invalid_vote")
    if statement.consultation_id != participant.consultation_id:
        raise RuleViolation(_("Pernyataan ini bukan bagian dari konsultasi ini."), code="unknown_statement")
    consultation = Consultation.objects.get(pk=participant.consultation_id)
    _require_open(consultation)
    status = Statement.objects.filter(pk=statement.pk).values_list("status", flat=True).first()
    if status != StatementStatus.ACCEPTED:
        raise RuleViolation(_("Pernyataan ini tidak tersedia untuk dipilih."), code="statement_unavailable")
    vote = _store_vote(participant, statement, value)
    _request_recompute(consultation.pk)
    return vote


# ---------------------------------------------------------------------------- statements


@transaction.atomic
def statement_submit(*, participant: Participant, text: str) -> Statement:
    """A participant's own statement, pending moderation; the author agrees with it (as in Polis).

    Logged without an actor: who wrote what is as private as how they voted. The text becomes public (and is
    logged) when a moderator accepts it."""
    consultation = _lock(participant.consultation)
    _require_open(consultation)
    if not consultation.accepts_statements:
        raise RuleViolation(_("Konsultasi ini tidak menerima pernyataan baru."), code="statements_closed")
    text = _text(text, _("Pernyataan"), STATEMENT_MAX)
    if consultation.statements.filter(text__iexact=text).exists():
        raise RuleViolation(_("Pernyataan yang sama sudah ada."), code="duplicate_statement")
    recent = participant.statements.filter(created_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
    if recent >= STATEMENTS_PER_HOUR:
        raise RuleViolation(
            _("Anda sudah mengirim %(n)s pernyataan dalam satu jam terakhir. Coba lagi nanti.")
            % {"n": STATEMENTS_PER_HOUR},
            code="rate_limited",
        )
    (statement,) = _add_statements(consultation, [text], author=participant, status=StatementStatus.PENDING)
    _store_vote(participant, statement, VoteValue.AGREE)
    _log(
        LedgerEvent.STATEMENT_SUBMITTED,
        None,
        consultation,
        {"statement": statement.column_index, "length": len(text)},
    )
    return statement


@transaction.atomic
def statement_moderate(*, actor: Any, statement: Statement, accept: bool, reason: str = "") -> Statement:
    """Accept or reject (with a reason) a statement; a decision may be reversed. Rejected statements leave
    voting and the results at the next recompute (enqueued here)."""
    consultation = _lock(statement.consultation)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if consultation.status == ConsultationStatus.CLOSED:
        raise RuleViolation(_("Konsultasi ini sudah ditutup."), code="consultation_closed")
    target = StatementStatus.ACCEPTED if accept else StatementStatus.REJECTED
    check_transition(STATEMENT_TRANSITIONS, statement.status, target, label=_("pernyataan"))
    reason = _text(reason, _("Alasan"), REASON_MAX, required=not accept)
    previous = statement.status
    statement.status = target
    statement.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
    statement.moderated_at = timezone.now()
    statement.moderation_reason = reason
    statement.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_reason", "updated_at"])
    data: dict[str, Any] = {"statement": statement.column_index, "from_status": previous, "to_status": target}
    data["reason"] = reason
    if accept:
        data["text"] = statement.text
    _log(LedgerEvent.STATEMENT_MODERATED, actor, consultation, data)
    consultation_id = consultation.pk
    Consultation.objects.filter(pk=consultation_id).update(recompute_requested_at=timezone.now())

    from sinergi.consultations.tasks import consultation_recompute

    transaction.on_commit(lambda: consultation_recompute.enqueue(consultation_id))
    return statement

"""Intake: one service for every channel (web, API, Open311, reses, assisted entry).

CONTRACT (other parts of the product call exactly this):

    aspiration_submit(
        *,
        submission: AspirationSubmission,       # dataclass below: plain values, checked here
        actor: User | None,                     # the logged-in reporter, the counter officer, the DPRD member, or None
        idempotency_key: str | None = None,     # same key again → the same Aspiration back, nothing new written
    ) -> SubmitResult                           # (aspiration, created: bool, tracking_code)

Raises `sinergi.core.errors.RuleViolation` (message in Bahasa Indonesia, `code` machine-readable:
"outside_city", "invalid_nik", "invalid_phone", "invalid_photo", "text_required", ...) and writes nothing
then. On success, in one transaction: Aspiration + ReporterIdentity (sealed NIK/phone/e-mail) + Photos +
the first AspirationEvent + one public-log entry `aspiration.submitted`; after commit, notification tasks.

Everything that can refuse — including decoding and re-encoding photos, the slow part — runs *before*
the transaction, and so does everything else that can: the rows are built and their values converted,
the photo files written and the log entry prepared (`_prepare_rows`). The write lock (SQLite takes it at
BEGIN, and every other submission queues behind it) is held only for the statements, the chaining of
the log entry and the commit (`_write_rows`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.aspirations import identity as identity_checks
from sinergi.aspirations.location import city_code, resolve_location
from sinergi.aspirations.models import (
    TEXT_MAX,
    TITLE_MAX,
    TRACKING_CODE_LENGTH,
    Aspiration,
    AspirationEvent,
    Category,
    ReporterIdentity,
)
from sinergi.aspirations.notify import reporter_addresses
from sinergi.aspirations.photos import (
    PreparedPhoto,
    UploadedPhoto,
    discard_files,
    prepare_photos,
    write_photo_files,
)
from sinergi.aspirations.services.lifecycle import deadlines_for
from sinergi.aspirations.states import AspirationKind, AspirationStatus, Channel, EventKind, Privacy
from sinergi.aspirations.tasks import notify_after_commit
from sinergi.core.crypto import blind_index
from sinergi.core.errors import RuleViolation
from sinergi.core.rows import PreparedInsert, prepare_insert
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import PreparedLogEntry, ledger_append, ledger_prepare
from sinergi.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from sinergi.accounts.models import User
    from sinergi.actors.models import Organisation
    from sinergi.aspirations.models import Photo

__all__ = [
    "CONSENT_VERSION",
    "AspirationSubmission",
    "SubmitResult",
    "UploadedPhoto",
    "aspiration_submit",
    "consent_text",
    "consent_text_sha256",
    "generate_tracking_code",
    "normalise_tracking_code",
]

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
IDEMPOTENCY_KEY_MAX = 80
ADDRESS_MAX = 255
TRACKING_CODE_ATTEMPTS = 5
# Channels where the acting user enters someone else's aspiration (they are not the reporter).
ON_BEHALF_CHANNELS = frozenset({Channel.RESES, Channel.ASSISTED})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,80}$")

CONSENT_VERSION = "2026-11"

_CONSENT_TEXT = gettext_lazy(
    "Persetujuan pemrosesan data pribadi (UU 27/2022 tentang Pelindungan Data Pribadi)\n\n"
    "1. Tujuan. Data yang Anda kirim (isi aspirasi, lokasi, foto, dan bila Anda isi: nama, NIK, nomor "
    "telepon, e-mail) dipakai hanya untuk menerima, memverifikasi, meneruskan dan menindaklanjuti aspirasi "
    "ini, memberi kabar perkembangannya kepada Anda, dan menyusun statistik layanan tanpa identitas.\n"
    "2. Siapa melihat apa. Publik — judul, isi, foto dan nama (bila diisi) tampil di halaman publik. "
    "Anonim — isi tampil di halaman publik, identitas Anda tidak tampil kepada publik maupun kepada OPD "
    "yang menindaklanjuti; hanya petugas koordinator pengaduan dan administrator yang dapat melihatnya. "
    "Rahasia — isi dan foto tidak tampil di halaman publik; hanya petugas yang menangani yang dapat "
    "membacanya. NIK, nomor telepon dan e-mail tidak pernah ditampilkan kepada publik dan disimpan "
    "terenkripsi.\n"
    "3. Penyimpanan. Data identitas disimpan selama aspirasi diproses dan paling lama 2 tahun setelah "
    "aspirasi ditutup, kemudian dihapus; isi aspirasi tanpa identitas disimpan sebagai arsip layanan publik.\n"
    "4. Hak Anda. Anda berhak mengakses, memperbaiki, dan meminta penghapusan data pribadi Anda, serta "
    "menarik persetujuan ini, dengan menghubungi pejabat pelindungan data melalui kode lacak aspirasi "
    "atau kanal pengaduan resmi. Penarikan persetujuan tidak membatalkan pemrosesan yang sudah dilakukan.\n"
    "5. NIK hanya diminta bila diperlukan oleh proses hukum (misalnya permintaan informasi publik menurut "
    "UU 14/2008); untuk aspirasi dan pengaduan NIK boleh dikosongkan."
)


def consent_text() -> str:
    """The consent text shown with the form (in the active language)."""
    return str(_CONSENT_TEXT)


@cache
def consent_text_sha256() -> str:
    """Hash of the Indonesian original: what was agreed to, whatever language it was read in."""
    from django.utils import translation

    with translation.override("id"):
        return hashlib.sha256(str(_CONSENT_TEXT).encode()).hexdigest()


@dataclass(frozen=True)
class AspirationSubmission:
    kind: str  # AspirationKind value
    title: str
    text: str
    category_slug: str = ""  # "" → the router's suggestion is used
    privacy: str = Privacy.ANONYMOUS
    channel: str = Channel.WEB
    region_code: str = ""  # a kelurahan code, e.g. "35.72.01.1001"
    latitude: float | None = None
    longitude: float | None = None
    address: str = ""
    reporter_name: str = ""
    nik: str = ""
    phone: str = ""
    email: str = ""
    wants_updates: bool = True
    consent_version: str = ""  # required: CONSENT_VERSION (the text shown)
    photos: tuple[UploadedPhoto, ...] = field(default=())  # (filename, content bytes)


@dataclass(frozen=True)
class SubmitResult:
    aspiration: Aspiration
    created: bool
    tracking_code: str


@dataclass(frozen=True)
class _Checked:
    """A submission after every check: only what will be written."""

    kind: str
    title: str
    text: str
    category: _ChosenCategory | None
    privacy: str
    channel: str
    region_code: str | None
    latitude: float | None
    longitude: float | None
    address: str
    name: str
    nik: str
    phone: str
    email: str
    wants_updates: bool
    photos: list[PreparedPhoto]


def generate_tracking_code() -> str:
    """12 Crockford base32 characters from `secrets`: 60 bits, unguessable and easy to read aloud.
    Each random byte gives one character from its low five bits (256 is a multiple of 32: uniform)."""
    return "".join(CROCKFORD_ALPHABET[byte & 31] for byte in secrets.token_bytes(TRACKING_CODE_LENGTH))


def normalise_tracking_code(value: str) -> str:
    """What a person typed → the stored form (Crockford: case-free, O→0, I/L→1, dashes and spaces ignored)."""
    cleaned = (value or "").strip().upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("OIL", "011"))[: TRACKING_CODE_LENGTH + 8]


def clean_text(value: str, *, max_length: int, required: bool, code: str, label: str) -> str:
    """Strip, drop control characters (NUL breaks PostgreSQL), bound the length. HTML is kept as plain text:
    every template escapes it on output."""
    text = _CONTROL.sub("", value or "").replace("\r\n", "\n").strip()
    if required and not "".join(text.split()):
        raise RuleViolation(_("%(label)s wajib diisi.") % {"label": label}, code=f"{code}_required")
    if len(text) > max_length:
        raise RuleViolation(
            _("%(label)s terlalu panjang (paling banyak %(max)d karakter, Anda menulis %(length)d).")
            % {"label": label, "max": max_length, "length": len(text)},
            code=f"{code}_too_long",
        )
    return text


def _title_from_text(text: str) -> str:
    first_line = text.split("\n", 1)[0].strip()
    if len(first_line) <= TITLE_MAX:
        return first_line
    return first_line[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


@cache
def _choice_values(choices: Any) -> frozenset[str]:
    return frozenset(choices.values)


def _choice(value: str, choices: Any, *, code: str, label: Any) -> str:
    if value not in _choice_values(choices):
        raise RuleViolation(_("%(label)s tidak dikenal.") % {"label": label}, code=code)
    return str(value)


def _check(submission: AspirationSubmission) -> _Checked:
    # Labels are lazy: translated only for the message of a refusal.
    kind = _choice(submission.kind, AspirationKind, code="invalid_kind", label=gettext_lazy("Jenis aspirasi"))
    privacy = _choice(submission.privacy, Privacy, code="invalid_privacy", label=gettext_lazy("Pilihan privasi"))
    channel = _choice(submission.channel, Channel, code="invalid_channel", label=gettext_lazy("Kanal"))
    text = clean_text(submission.text, max_length=TEXT_MAX, required=True, code="text", label=_("Isi aspirasi"))
    title = clean_text(submission.title, max_length=TITLE_MAX, required=False, code="title", label=_("Judul"))
    if not title:
        title = _title_from_text(text)
    address = clean_text(
        submission.address, max_length=ADDRESS_MAX, required=False, code="address", label=_("Alamat/patokan")
    )
    if submission.consent_version != CONSENT_VERSION:
        raise RuleViolation(
            _("Anda perlu menyetujui pemrosesan data pribadi sebelum mengirim aspirasi."), code="consent_required"
        )

    category = None
    slug = (submission.category_slug or "").strip()
    if slug:
        row = _fetch_one(_reference_sql().active_category, [slug, True])
        if row is None:
            raise RuleViolation(_("Kategori tidak dikenal."), code="invalid_category")
        category = _ChosenCategory(pk=row[0], slug=slug)

    name = identity_checks.normalise_name(submission.reporter_name)
    nik = identity_checks.normalise_nik(submission.nik) if submission.nik.strip() else ""
    phone = identity_checks.normalise_phone(submission.phone) if submission.phone.strip() else ""
    email = identity_checks.normalise_email(submission.email) if submission.email.strip() else ""
    if kind == AspirationKind.PERMINTAAN_INFORMASI and not (name and (nik or phone or email)):
        # UU 14/2008 Pasal 22: the PPID records the requester's name and a way to reach them.
        raise RuleViolation(
            _(
                "Permintaan informasi publik memerlukan nama dan salah satu dari NIK, nomor telepon "
                "atau e-mail (UU 14/2008)."
            ),
            code="identity_required",
        )

    region_code, latitude, longitude = _location(submission)
    photos = prepare_photos(submission.photos)
    return _Checked(
        kind=kind,
        title=title,
        text=text,
        category=category,
        privacy=privacy,
        channel=channel,
        region_code=region_code,
        latitude=latitude,
        longitude=longitude,
        address=address,
        name=name,
        nik=nik,
        phone=phone,
        email=email,
        wants_updates=bool(submission.wants_updates),
        photos=photos,
    )


def _location(submission: AspirationSubmission) -> tuple[str | None, float | None, float | None]:
    """(kelurahan code, latitude, longitude). The usual submission — a kelurahan of this city, no point —
    is confirmed with one plain statement; everything else (and every refusal, with its message) goes
    through `resolve_location`."""
    code = (submission.region_code or "").strip()
    no_point = submission.latitude in (None, "") and submission.longitude in (None, "")
    if (
        code
        and no_point
        and code.startswith(city_code() + ".")
        and _fetch_one(_reference_sql().kelurahan, [code, RegionLevel.DESA_KELURAHAN]) is not None
    ):
        return code, None, None
    location = resolve_location(
        region_code=submission.region_code, latitude=submission.latitude, longitude=submission.longitude
    )
    return (location.region.code if location.region else None), location.latitude, location.longitude


def _check_idempotency_key(key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if not _IDEMPOTENCY_KEY.match(key):
        raise RuleViolation(
            _("Kunci idempotensi harus 8–80 karakter huruf, angka, titik, titik dua, garis bawah atau tanda hubung."),
            code="invalid_idempotency_key",
        )
    return key


class _ChosenCategory(NamedTuple):
    pk: int
    slug: str


# Reference look-ups of every submission as plain SQL: the statements are trivial for the database, but
# compiling them through the ORM cost more than running them (~0.3 ms each in-process, measured).
@dataclass(frozen=True)
class _ReferenceSql:
    suggested_category: str  # slug, is_active → (id, default organisation id, its slug)
    active_category: str  # slug, is_active → (id,)
    organisation: str  # slug → (id,)
    kelurahan: str  # code, level → (code,)


@cache
def _reference_sql() -> _ReferenceSql:
    from sinergi.actors.models import Organisation

    # Table names come from the models, never from input; every value is a bound parameter.
    quote = connection.ops.quote_name
    category, organisation = quote(Category._meta.db_table), quote(Organisation._meta.db_table)
    region = quote(Region._meta.db_table)
    return _ReferenceSql(
        suggested_category=(
            f"SELECT c.id, c.default_organisation_id, o.slug FROM {category} c "  # noqa: S608
            f"LEFT JOIN {organisation} o ON o.id = c.default_organisation_id WHERE c.slug = %s AND c.is_active = %s"
        ),
        active_category=f"SELECT id FROM {category} WHERE slug = %s AND is_active = %s",  # noqa: S608
        organisation=f"SELECT id FROM {organisation} WHERE slug = %s",  # noqa: S608
        kelurahan=f"SELECT code FROM {region} WHERE code = %s AND level = %s",  # noqa: S608
    )


def _fetch_one(sql: str, params: list[Any]) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _existing(key: str) -> SubmitResult | None:
    # Unordered: `.first()` would add an ORDER BY that a unique look-up does not need.
    found = next(iter(Aspiration.objects.filter(idempotency_key=key).order_by()[:1]), None)
    if found is None:
        return None
    return SubmitResult(aspiration=found, created=False, tracking_code=found.tracking_code)


@dataclass(frozen=True)
class _Suggestion:
    category_id: int | None = None
    category_slug: str = ""
    organisation_id: int | None = None
    score: float | None = None


def _routing(text: str) -> _Suggestion:
    """The router's first suggestion as (category id, organisation id, score), in one query;
    None where the slug has no row in this database."""
    from sinergi.aspirations.routing_model import current_router

    suggestions = current_router().suggest(text, k=1)
    if not suggestions:
        return _Suggestion()
    best = suggestions[0]
    row = _fetch_one(_reference_sql().suggested_category, [best.category, True])
    category_id, organisation_id = (row[0], row[1] if row[2] == best.opd else None) if row else (None, None)
    if organisation_id is None and best.opd:
        found = _fetch_one(_reference_sql().organisation, [best.opd])
        organisation_id = found[0] if found else None
    return _Suggestion(category_id, best.category if category_id else "", organisation_id, float(best.score))


def _reporter_reachable(checked: _Checked, reporter: User | None) -> bool:
    """Whether the receipt (the only message of a `submitted` event: see notify.py) has anyone to go to.
    Most anonymous submissions leave no contact; for them no notification task is queued at all."""
    addresses = reporter_addresses(
        wants_updates=checked.wants_updates, email=checked.email, phone=checked.phone, account=reporter
    )
    return next(addresses, None) is not None


def ppid_organisation() -> Organisation | None:
    from sinergi.actors.models import Organisation

    configured: Any = settings.SINERGI.get("PPID_ORGANISATIONS", ["diskominfotik"])
    for slug in list(configured):
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is not None:
            return organisation
    return None


def aspiration_submit(
    *,
    submission: AspirationSubmission,
    actor: User | None,
    idempotency_key: str | None = None,
    received_at: dt.datetime | None = None,
) -> SubmitResult:
    """Receive one aspiration from any channel. Same idempotency key again → the first case, nothing written.

    `received_at` (optional, never in the future) is when the aspiration was actually heard — a reses
    held last week, a paper form typed in later, the demo's history; deadlines count from it."""
    key = _check_idempotency_key(idempotency_key)
    if received_at is not None and received_at > timezone.now():
        raise RuleViolation(_("Waktu penerimaan tidak boleh di masa depan."), code="invalid_received_at")
    # No look-up before the insert: a repeated key is caught by the unique constraint in
    # `_write_rows` (one statement fewer for every first submission, the usual case).
    try:
        checked = _check(submission)
    except RuleViolation:
        # A repeat answers with the first case even when the repeated body would no longer pass.
        if key is not None and (earlier := _existing(key)) is not None:
            return earlier
        raise
    from sinergi.aspirations.routing.text import stemmed

    search_terms = stemmed(f"{checked.title} {checked.text}")[:TEXT_MAX]
    suggestion = _routing(f"{checked.title}. {checked.text}")
    stored_files: list[str] = []
    try:
        rows = _prepare_rows(
            checked=checked,
            actor=actor,
            key=key,
            search_terms=search_terms,
            suggestion=suggestion,
            received_at=received_at,
            stored_files=stored_files,
        )
        result = _write_rows(rows, key=key)
    except BaseException:
        discard_files(stored_files)
        raise
    if not result.created:
        discard_files(stored_files)  # a repeat: the first submission's photos are the ones kept
    return result


@dataclass(frozen=True)
class _Rows:
    """One submission's rows, with every value worked out before the transaction: on SQLite the write
    lock is held from BEGIN to COMMIT and every other submission waits for it, so only the statements,
    the log's chaining and the commit happen inside (see `sinergi.core.rows`)."""

    aspiration: PreparedInsert[Aspiration]
    identity: PreparedInsert[ReporterIdentity]
    photos: list[Photo]
    log: PreparedLogEntry
    event: PreparedInsert[AspirationEvent]
    notify: bool


def _prepare_rows(
    *,
    checked: _Checked,
    actor: User | None,
    key: str | None,
    search_terms: str,
    suggestion: _Suggestion,
    stored_files: list[str],
    received_at: dt.datetime | None = None,
) -> _Rows:
    now = received_at or timezone.now()
    kind = checked.kind
    on_behalf = checked.channel in ON_BEHALF_CHANNELS
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    reporter = None if on_behalf else user
    assigned = ppid_organisation() if kind == AspirationKind.PERMINTAAN_INFORMASI else None
    aspiration = Aspiration(
        tracking_code=generate_tracking_code(),
        idempotency_key=key,
        kind=kind,
        category_id=checked.category.pk if checked.category else suggestion.category_id,
        title=checked.title,
        text=checked.text,
        search_terms=search_terms,
        status=AspirationStatus.RECEIVED,
        privacy=checked.privacy,
        channel=checked.channel,
        region_id=checked.region_code,
        latitude=checked.latitude,
        longitude=checked.longitude,
        address=checked.address,
        reporter=reporter,
        submitted_by=user,
        suggested_category_id=suggestion.category_id,
        suggested_organisation_id=suggestion.organisation_id,
        suggestion_score=suggestion.score,
        assigned_organisation=assigned,
        received_at=now,
        # The configured policy table (settings.SINERGI["ASPIRATION_DEADLINES"]), as the officers' clock uses.
        **deadlines_for(kind, now),
    )
    identity = ReporterIdentity(
        aspiration=aspiration,
        name=checked.name,
        nik=checked.nik or None,
        nik_index=blind_index(checked.nik, purpose="nik") if checked.nik else "",
        phone=checked.phone or None,
        phone_index=blind_index(checked.phone, purpose="phone") if checked.phone else "",
        email=checked.email or None,
        email_index=blind_index(checked.email, purpose="email") if checked.email else "",
        wants_updates=checked.wants_updates,
        consent_version=CONSENT_VERSION,
        consent_text_sha256=consent_text_sha256(),
        consented_at=now,
    )
    log_data: dict[str, Any] = {
        "kind": kind,
        "category": checked.category.slug if checked.category else suggestion.category_slug,
        "region": checked.region_code or "",
        "privacy": checked.privacy,
        "channel": checked.channel,
    }
    if checked.privacy != Privacy.CONFIDENTIAL:
        log_data["title"] = checked.title
    # An anonymous or confidential reporter's account handle would identify them in the public log.
    log_actor = user if (on_behalf or checked.privacy == Privacy.PUBLIC) else None
    log = ledger_prepare(
        event=LedgerEvent.ASPIRATION_SUBMITTED,
        actor=log_actor,
        subject_type="aspiration",
        subject_id=str(aspiration.uid),
        data=log_data,
    )
    event = AspirationEvent(
        aspiration=aspiration,
        kind=EventKind.SUBMITTED,
        to_status=AspirationStatus.RECEIVED,
        actor=log_actor,
        actor_label=str(_("Pelapor")) if not on_behalf else str(_("Petugas penerima")),
        public_text=str(_("Aspirasi diterima dan menunggu verifikasi.")),
        is_public=True,
        ledger_entry=log.entry,
        created_at=now,
    )
    return _Rows(
        aspiration=prepare_insert(aspiration, skip_on_conflict=True),
        identity=prepare_insert(identity),
        photos=write_photo_files(aspiration, checked.photos, stored_files=stored_files),
        log=log,
        event=prepare_insert(event),
        notify=_reporter_reachable(checked, reporter),
    )


@transaction.atomic
def _write_rows(rows: _Rows, *, key: str | None) -> SubmitResult:
    aspiration = rows.aspiration.row
    # ON CONFLICT DO NOTHING instead of a savepoint around an IntegrityError: a collision is either a
    # concurrent request with the same key that won (return its case) or, once in 2^60, a tracking code
    # already taken (draw another).
    redraw: dict[str, str] = {}
    for _attempt in range(TRACKING_CODE_ATTEMPTS):
        if rows.aspiration.execute(**redraw):
            break
        if key is not None and (earlier := _existing(key)) is not None:
            return earlier
        redraw = {"tracking_code": generate_tracking_code()}
    else:
        raise RuntimeError("could not draw a free tracking code")
    rows.identity.execute()
    for photo in rows.photos:
        photo.save()
    ledger_append(rows.log)
    rows.event.execute()
    if rows.notify:
        notify_after_commit(rows.event.row.pk)
    return SubmitResult(aspiration=aspiration, created=True, tracking_code=aspiration.tracking_code)

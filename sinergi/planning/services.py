"""Writes for reses, pokir and Musrenbang. Each service is one transaction that validates, writes,
records one public-log entry and adds a PLANNING step to the timeline of every linked aspiration (the
reporter hears of it after commit). Refusals write nothing.
"""

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.actors.models import Organisation, Person
from sinergi.aspirations.models import Aspiration, AspirationEvent, Category
from sinergi.aspirations.states import AspirationKind, Channel, EventKind, Privacy
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.services import ledger_record
from sinergi.planning.importer import MAX_IMPORT_ROWS, BatchRow, read_batch_file
from sinergi.planning.models import (
    MAX_ATTENDEES,
    MAX_YEAR,
    MIN_YEAR,
    TEXT_MAX,
    TITLE_MAX,
    Delegate,
    Musrenbang,
    MusrenbangProposal,
    PokirItem,
    PokirStatusChange,
    Reses,
)
from sinergi.planning.predicates import DPRD_KINDS, dprd_bodies, is_dprd_secretariat, is_pokir_proposer
from sinergi.planning.states import (
    NEXT_LEVEL,
    POKIR_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    RESES_TRANSITIONS,
    MusrenbangLevel,
    MusrenbangStatus,
    PokirStatus,
    ProposalStatus,
    ResesStatus,
)
from sinergi.regions.models import Region, RegionLevel

MAX_BATCH_ROWS = MAX_IMPORT_ROWS
MAX_LINKED_ASPIRATIONS = 200
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
MAX_VOLUME = Decimal("9999999999.99")
MAX_BUDGET = Decimal("9999999999999999")
# Permendagri 90/2019 (updated by Kepmendagri 050-5889/2021): urusan X.XX, program X.XX.XX,
# kegiatan X.XX.XX.X.XX, sub kegiatan X.XX.XX.X.XX.XXXX (older lists: two digits). "X" stands for
# programmes shared by all urusan (e.g. X.XX.01).
PROGRAM_CODE = re.compile(r"^[0-9X]\.[0-9X]{2}\.\d{2}$")
ACTIVITY_CODE = re.compile(r"^[0-9X]\.[0-9X]{2}\.\d{2}\.\d\.\d{2}$")
SUB_ACTIVITY_CODE = re.compile(r"^[0-9X]\.[0-9X]{2}\.\d{2}\.\d\.\d{2}\.(\d{2}|\d{4})$")
PRIVACY_WORDS = {
    "": Privacy.ANONYMOUS,
    "anonim": Privacy.ANONYMOUS,
    "anonymous": Privacy.ANONYMOUS,
    "publik": Privacy.PUBLIC,
    "public": Privacy.PUBLIC,
    "rahasia": Privacy.CONFIDENTIAL,
    "confidential": Privacy.CONFIDENTIAL,
}


# --- shared checks ------------------------------------------------------------------------------


def _text(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise RuleViolation(_("Teks tidak boleh memuat karakter NUL."), code="invalid_text")
    if required and not value:
        raise RuleViolation(_("%(label)s wajib diisi.") % {"label": label}, code="required")
    if len(value) > max_length:
        raise RuleViolation(
            _("%(label)s paling panjang %(n)s karakter.") % {"label": label, "n": max_length}, code="too_long"
        )
    return value


def _year(value: int) -> int:
    if not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise RuleViolation(
            _("Tahun harus antara %(a)s dan %(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}, code="invalid_year"
        )
    return value


def _decimal(value: Any, *, label: str, maximum: Decimal, places: int, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise RuleViolation(_("%(label)s wajib diisi.") % {"label": label}, code="required")
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as error:
        raise RuleViolation(_("%(label)s harus berupa angka.") % {"label": label}, code="invalid_number") from error
    if not number.is_finite() or number < 0 or number > maximum:
        raise RuleViolation(
            _("%(label)s harus antara 0 dan %(max)s.") % {"label": label, "max": maximum}, code="invalid_number"
        )
    return number.quantize(Decimal(1).scaleb(-places)) if places else number.quantize(Decimal(1))


def _required_decimal(value: Any, *, label: str, maximum: Decimal, places: int) -> Decimal:
    number = _decimal(value, label=label, maximum=maximum, places=places)
    assert number is not None  # required=True raises instead of returning None
    return number


def _kelurahan(region: Region | None, *, required: bool = False) -> Region | None:
    if region is None:
        if required:
            raise RuleViolation(_("Kelurahan wajib dipilih."), code="invalid_region")
        return None
    if region.level != RegionLevel.DESA_KELURAHAN:
        raise RuleViolation(_("Wilayah yang dipilih bukan kelurahan."), code="invalid_region")
    return region


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else None


def _aspirations(aspirations: Iterable[Aspiration]) -> list[Aspiration]:
    unique = list({a.pk: a for a in aspirations}.values())
    if len(unique) > MAX_LINKED_ASPIRATIONS:
        raise RuleViolation(
            _("Paling banyak %(n)s aspirasi per usulan.") % {"n": MAX_LINKED_ASPIRATIONS}, code="too_many_aspirations"
        )
    return unique


def _require(actor: Any, perm: str, obj: Any, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def _notify_later(task: Any, event_id: int) -> Any:
    def enqueue() -> None:
        task.enqueue(event_id)

    return enqueue


def _trail_events(
    aspirations: Iterable[Aspiration],
    *,
    text: str,
    actor: Any,
    label: str,
    entry: LedgerEntry,
    organisation: Any = None,
) -> None:
    """A PLANNING step on each linked aspiration's public timeline; the reporter is told after commit."""
    from sinergi.aspirations.tasks import aspiration_event_notify

    now = timezone.now()
    events = [
        AspirationEvent(
            aspiration=aspiration,
            kind=EventKind.PLANNING,
            actor=actor,
            actor_label=label[:255],
            organisation=organisation,
            public_text=text,
            is_public=True,
            ledger_entry=entry,
            created_at=now,
        )
        for aspiration in aspirations
    ]
    for event in events:
        event.save()
        transaction.on_commit(_notify_later(aspiration_event_notify, event.pk))


# --- reses ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResesInput:
    dapil: str
    masa_sidang: str
    held_on: dt.date
    place: str
    kecamatan: Region | None = None
    attendee_count: int = 0
    notes: str = ""


def _check_attendees(count: int) -> int:
    if not isinstance(count, int) or not 0 <= count <= MAX_ATTENDEES:
        raise RuleViolation(
            _("Jumlah peserta harus antara 0 dan %(n)s.") % {"n": MAX_ATTENDEES}, code="invalid_attendees"
        )
    return count


def _reses_record(event: LedgerEvent, actor: Any, reses: Reses, data: dict[str, Any]) -> LedgerEntry:
    return ledger_record(
        event=event,
        actor=actor,
        subject_type="reses",
        subject_id=str(reses.uid),
        data={"member": reses.member.public_handle, "dapil": reses.dapil, **data},
    )


@transaction.atomic
def reses_open(*, actor: Any, organisation: Organisation, data: ResesInput, member: Person | None = None) -> Reses:
    """A DPRD member opens a reses for the body they act for (DPRD, komisi or fraksi)."""
    _require(actor, "planning.open_reses", None, _("Hanya anggota DPRD yang dapat membuka reses."))
    if organisation.kind.code not in DPRD_KINDS:
        raise RuleViolation(_("Reses dibuka atas nama DPRD, komisi atau fraksi."), code="invalid_organisation")
    if not actor.is_superuser and not dprd_bodies(actor).filter(pk=organisation.pk).exists():
        raise NotPermitted(_("Anda tidak bertindak atas nama lembaga ini."), code="not_member")
    member = member if (member is not None and actor.is_superuser) else getattr(actor, "person", None)
    if member is None:
        raise RuleViolation(_("Akun ini tidak terhubung dengan profil anggota DPRD."), code="no_person")
    if data.kecamatan is not None and data.kecamatan.level != RegionLevel.KECAMATAN:
        raise RuleViolation(_("Wilayah dapil harus kecamatan."), code="invalid_region")
    reses = Reses.objects.create(
        member=member,
        organisation=organisation,
        opened_by=actor,
        dapil=_text(data.dapil, label=_("Dapil"), max_length=80),
        kecamatan=data.kecamatan,
        masa_sidang=_text(data.masa_sidang, label=_("Masa sidang"), max_length=80),
        held_on=data.held_on,
        place=_text(data.place, label=_("Tempat"), max_length=255),
        attendee_count=_check_attendees(data.attendee_count),
        notes=_text(data.notes, label=_("Catatan"), max_length=TEXT_MAX, required=False),
    )
    _reses_record(
        LedgerEvent.RESES_OPENED,
        actor,
        reses,
        {
            "organisation": organisation.slug,
            "masa_sidang": reses.masa_sidang,
            "held_on": reses.held_on.isoformat(),
            "place": reses.place,
        },
    )
    return reses


def _locked_reses(reses: Reses) -> Reses:
    return Reses.objects.select_for_update(of=("self",)).select_related("member", "organisation").get(pk=reses.pk)


@transaction.atomic
def reses_mark_held(*, reses: Reses, actor: Any, attendee_count: int, notes: str = "") -> Reses:
    _require(
        actor, "planning.manage_reses", reses, _("Hanya anggota DPRD yang membuka reses ini yang dapat mengubahnya.")
    )
    reses = _locked_reses(reses)
    check_transition(RESES_TRANSITIONS, reses.status, ResesStatus.HELD, label=_("reses"))
    reses.attendee_count = _check_attendees(attendee_count)
    if notes:
        reses.notes = _text(notes, label=_("Catatan"), max_length=TEXT_MAX, required=False)
    reses.status = ResesStatus.HELD
    reses.held_at = timezone.now()
    reses.save(update_fields=["attendee_count", "notes", "status", "held_at", "updated_at"])
    _reses_record(LedgerEvent.RESES_HELD, actor, reses, {"attendee_count": reses.attendee_count})
    return reses


@transaction.atomic
def reses_mark_reported(*, reses: Reses, actor: Any) -> Reses:
    _require(
        actor, "planning.manage_reses", reses, _("Hanya anggota DPRD yang membuka reses ini yang dapat mengubahnya.")
    )
    reses = _locked_reses(reses)
    check_transition(RESES_TRANSITIONS, reses.status, ResesStatus.REPORTED, label=_("reses"))
    reses.status = ResesStatus.REPORTED
    reses.reported_at = timezone.now()
    reses.save(update_fields=["status", "reported_at", "updated_at"])
    _reses_record(
        LedgerEvent.RESES_REPORTED,
        actor,
        reses,
        {"attendee_count": reses.attendee_count, "aspiration_count": reses.aspirations.count()},
    )
    return reses


class BatchRejected(RuleViolation):
    """At least one row was refused, so none was written. `row_errors` maps row index → messages."""

    code = "batch_rejected"

    def __init__(self, row_errors: dict[int, list[str]]) -> None:
        super().__init__(
            _("%(n)s baris bermasalah; tidak ada aspirasi yang disimpan. Perbaiki baris tersebut lalu kirim lagi.")
            % {"n": len(row_errors)}
        )
        self.row_errors = row_errors


@dataclass(frozen=True)
class BatchResult:
    aspirations: list[Aspiration]
    created: int


def _intake() -> tuple[Any, Any, str]:
    """The intake contract (sinergi.aspirations.services.intake); looked up at call time."""
    from sinergi.aspirations.services import intake

    return intake.AspirationSubmission, intake.aspiration_submit, getattr(intake, "CONSENT_VERSION", "")


def _resolve_kelurahan(value: str) -> str:
    from django.conf import settings

    from sinergi.regions.selectors import region_normalise_name

    value = (value or "").strip()
    if not value:
        raise RuleViolation(_("Kelurahan wajib diisi."), code="invalid_region")
    city = str(settings.SINERGI["REGION_CODE"])
    region = Region.objects.filter(code=value, level=RegionLevel.DESA_KELURAHAN).first()
    if region is None and len(value) <= 120:
        region = region_normalise_name(value, within=city)
    if region is None or region.level != RegionLevel.DESA_KELURAHAN or not region.code.startswith(city + "."):
        raise RuleViolation(
            _("Kelurahan “%(v)s” tidak dikenal di wilayah ini.") % {"v": value[:60]}, code="invalid_region"
        )
    return region.code


def _resolve_category(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    category = (
        Category.objects.filter(is_active=True, slug=value[:60]).first()
        or Category.objects.filter(is_active=True, name__iexact=value[:120]).first()
    )
    if category is None:
        raise RuleViolation(_("Kategori “%(v)s” tidak dikenal.") % {"v": value[:60]}, code="invalid_category")
    return category.slug


def _resolve_privacy(value: str) -> str:
    key = (value or "").strip().lower()
    if key in Privacy.values:
        return key
    if key not in PRIVACY_WORDS:
        raise RuleViolation(_("Privasi harus publik, anonim atau rahasia."), code="invalid_privacy")
    return PRIVACY_WORDS[key]


@transaction.atomic
def reses_batch_submit(*, reses: Reses, rows: Sequence[BatchRow], actor: Any, batch_key: str) -> BatchResult:
    """Record many aspirations heard at a reses: every row through the intake service, in one
    transaction, all or none. `batch_key` identifies this batch (a form token, a file's hash), so a
    resubmission returns the same aspirations instead of duplicating them."""
    _require(
        actor,
        "planning.manage_reses",
        reses,
        _("Hanya anggota DPRD yang membuka reses ini yang dapat mencatat aspirasinya."),
    )
    reses = _locked_reses(reses)
    if reses.status == ResesStatus.REPORTED:
        raise RuleViolation(_("Reses sudah dilaporkan; aspirasi tidak dapat ditambahkan lagi."), code="reses_reported")
    if not rows:
        raise RuleViolation(_("Isi sedikitnya satu baris aspirasi."), code="empty_batch")
    if len(rows) > MAX_BATCH_ROWS:
        raise RuleViolation(_("Paling banyak %(n)s baris sekaligus.") % {"n": MAX_BATCH_ROWS}, code="too_many_rows")
    if not re.fullmatch(r"[0-9a-f]{8,32}", batch_key or ""):
        raise RuleViolation(_("Kunci batch tidak sah."), code="invalid_batch_key")
    submission_class, submit, consent_version = _intake()
    errors: dict[int, list[str]] = {}
    results = []
    for index, row in enumerate(rows):
        try:
            submission = submission_class(
                kind=AspirationKind.ASPIRASI,
                title=row.title,
                text=row.text,
                category_slug=_resolve_category(row.category),
                privacy=_resolve_privacy(row.privacy),
                channel=Channel.RESES,
                region_code=_resolve_kelurahan(row.kelurahan),
                reporter_name=(row.name or "").strip(),
                phone=(row.phone or "").strip(),
                wants_updates=bool((row.phone or "").strip()),
                consent_version=consent_version,
            )
            with transaction.atomic():  # a refused row rolls back only itself while the others are checked
                result = submit(
                    submission=submission, actor=actor, idempotency_key=f"reses-{reses.uid.hex}-{batch_key}-{index}"
                )
        except RuleViolation as error:
            errors[index] = [error.message]
            continue
        results.append(result)
    if errors:
        raise BatchRejected(errors)
    aspirations = [r.aspiration for r in results]
    created = sum(1 for r in results if r.created)
    reses.aspirations.add(*aspirations)
    if created:
        _reses_record(LedgerEvent.RESES_ASPIRATIONS_RECORDED, actor, reses, {"count": created})
    return BatchResult(aspirations=aspirations, created=created)


@transaction.atomic
def reses_import(*, reses: Reses, filename: str, content: bytes, actor: Any) -> BatchResult:
    """A CSV/XLSX file of aspirations: the whole file or nothing. The same file twice adds nothing."""
    _require(
        actor,
        "planning.manage_reses",
        reses,
        _("Hanya anggota DPRD yang membuka reses ini yang dapat mengimpor aspirasinya."),
    )
    rows = read_batch_file(filename, content)
    return reses_batch_submit(reses=reses, rows=rows, actor=actor, batch_key=hashlib.sha256(content).hexdigest()[:32])


# --- pokir ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PokirInput:
    title: str
    description: str
    location_text: str
    volume: Any
    unit: str
    target_group: str
    opd: Organisation
    program_code: str
    program_name: str
    activity_code: str
    activity_name: str
    sub_activity_code: str
    sub_activity_name: str
    budget_estimate: Any
    fiscal_year: int
    kelurahan: Region | None = None
    komisi: Organisation | None = None


def check_budget_codes(program: str, activity: str, sub_activity: str) -> None:
    """The programme → kegiatan → sub kegiatan codes have the Permendagri 90/2019 shape and nest."""
    if not PROGRAM_CODE.match(program):
        raise RuleViolation(_("Kode program harus berbentuk X.XX.XX, mis. 1.03.02."), code="invalid_program_code")
    if not ACTIVITY_CODE.match(activity) or not activity.startswith(program + "."):
        raise RuleViolation(
            _("Kode kegiatan harus berbentuk X.XX.XX.X.XX dan berada di bawah kode program, mis. 1.03.02.2.01."),
            code="invalid_activity_code",
        )
    if not SUB_ACTIVITY_CODE.match(sub_activity) or not sub_activity.startswith(activity + "."):
        raise RuleViolation(
            _(
                "Kode sub kegiatan harus berbentuk X.XX.XX.X.XX.XXXX dan berada di bawah kode kegiatan, "
                "mis. 1.03.02.2.01.0012."
            ),
            code="invalid_sub_activity_code",
        )


def check_photo(name: str, content: bytes) -> tuple[bytes, str]:
    """A real image (Pillow decodes it), re-encoded as JPEG so no EXIF (location, device) survives."""
    from PIL import Image, UnidentifiedImageError

    if not content or len(content) > MAX_PHOTO_BYTES:
        raise RuleViolation(_("Foto paling besar 5 MB."), code="invalid_photo")
    try:
        with Image.open(io.BytesIO(content)) as probe:
            if probe.format not in {"JPEG", "PNG", "WEBP"}:
                raise RuleViolation(_("Foto harus JPEG, PNG atau WebP."), code="invalid_photo")
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise RuleViolation(_("Ukuran gambar terlalu besar."), code="invalid_photo")
            probe.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()
            clean = io.BytesIO()
            image.convert("RGB").save(clean, format="JPEG", quality=85)
    except RuleViolation:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise RuleViolation(_("Berkas foto bukan gambar yang sah."), code="invalid_photo") from error
    data = clean.getvalue()
    return data, hashlib.sha256(data).hexdigest()[:16] + ".jpg"


def _pokir_record(event: LedgerEvent, actor: Any, item: PokirItem, data: dict[str, Any]) -> LedgerEntry:
    return ledger_record(
        event=event,
        actor=actor,
        subject_type="pokir",
        subject_id=str(item.uid),
        data={"title": item.title, "opd": item.opd.slug, "fiscal_year": item.fiscal_year, **data},
    )


STEP_LABELS: dict[str, Any] = {
    PokirStatus.PROPOSED: gettext_lazy("Anggota DPRD"),
    PokirStatus.VERIFIED: gettext_lazy("Sekretariat DPRD"),
    PokirStatus.VALIDATED: gettext_lazy("Bappeda"),
    PokirStatus.IN_RKPD: gettext_lazy("Bappeda"),
    PokirStatus.BUDGETED: gettext_lazy("TAPD (BPKAD/Bappeda)"),
}


def _step_label(item: PokirItem, target: str, from_status: str) -> str:
    """The institution that takes a step, as the public timeline names it."""
    if target == PokirStatus.REJECTED:
        previous_to_next: dict[str, str] = {
            PokirStatus.PROPOSED: PokirStatus.VERIFIED,
            PokirStatus.VERIFIED: PokirStatus.VALIDATED,
            PokirStatus.VALIDATED: PokirStatus.IN_RKPD,
            PokirStatus.IN_RKPD: PokirStatus.BUDGETED,
            PokirStatus.BUDGETED: PokirStatus.REALISED,
        }
        target = previous_to_next.get(from_status, target)
    if target == PokirStatus.REALISED:
        return item.opd.name
    return str(STEP_LABELS.get(target, _("Pemerintah Kota")))


def _clean_pokir(data: PokirInput) -> dict[str, Any]:
    """The SIPD fields of a pokir item, checked: one set of rules when it is proposed and when it is
    corrected."""
    program_code, activity_code, sub_activity_code = (
        data.program_code.strip(),
        data.activity_code.strip(),
        data.sub_activity_code.strip(),
    )
    check_budget_codes(program_code, activity_code, sub_activity_code)
    if data.komisi is not None and data.komisi.kind.code != "komisi":
        raise RuleViolation(_("Pilih komisi DPRD."), code="invalid_komisi")
    if data.opd.kind.code in DPRD_KINDS:
        raise RuleViolation(_("OPD pelaksana harus perangkat daerah, bukan DPRD."), code="invalid_opd")
    return {
        "komisi": data.komisi,
        "title": _text(data.title, label=_("Judul usulan"), max_length=TITLE_MAX),
        "description": _text(data.description, label=_("Uraian"), max_length=TEXT_MAX),
        "location_text": _text(data.location_text, label=_("Lokasi"), max_length=255),
        "kelurahan": _kelurahan(data.kelurahan),
        "volume": _required_decimal(data.volume, label=_("Volume"), maximum=MAX_VOLUME, places=2),
        "unit": _text(data.unit, label=_("Satuan"), max_length=40),
        "target_group": _text(data.target_group, label=_("Sasaran"), max_length=255),
        "opd": data.opd,
        "program_code": program_code,
        "program_name": _text(data.program_name, label=_("Nama program"), max_length=255),
        "activity_code": activity_code,
        "activity_name": _text(data.activity_name, label=_("Nama kegiatan"), max_length=255),
        "sub_activity_code": sub_activity_code,
        "sub_activity_name": _text(data.sub_activity_name, label=_("Nama sub kegiatan"), max_length=255),
        "budget_estimate": _required_decimal(
            data.budget_estimate, label=_("Perkiraan anggaran"), maximum=MAX_BUDGET, places=0
        ),
        "fiscal_year": _year(data.fiscal_year),
    }


def _pokir_included_text(item: PokirItem) -> str:
    """What an aspiration's timeline says when it is put into a pokir item (at proposal or later)."""
    return _("Dimasukkan ke pokok-pokok pikiran DPRD: “%(title)s” (tahun %(year)s).") % {
        "title": item.title,
        "year": item.fiscal_year,
    }


@transaction.atomic
def pokir_propose(
    *,
    actor: Any,
    data: PokirInput,
    aspirations: Iterable[Aspiration] = (),
    photo: tuple[str, bytes] | None = None,
) -> PokirItem:
    _require(actor, "planning.propose_pokir", None, _("Hanya anggota DPRD yang dapat mengusulkan pokir."))
    fields = _clean_pokir(data)
    linked = _aspirations(aspirations)
    member = getattr(actor, "person", None)
    item = PokirItem(member=member if dprd_bodies(actor).exists() else None, proposed_by=actor, **fields)
    if photo is not None:
        clean, name = check_photo(*photo)
        item.photo.save(name, ContentFile(clean), save=False)
    item.save()
    item.aspirations.add(*linked)
    now = timezone.now()
    PokirStatusChange.objects.create(
        item=item,
        from_status="",
        to_status=PokirStatus.PROPOSED,
        actor=actor,
        actor_label=str(STEP_LABELS[PokirStatus.PROPOSED]),
        created_at=now,
    )
    entry = _pokir_record(
        LedgerEvent.POKIR_ITEM_PROPOSED,
        actor,
        item,
        {
            "komisi": data.komisi.slug if data.komisi else None,
            "sub_activity_code": item.sub_activity_code,
            "budget_estimate": item.budget_estimate,
            "aspiration_count": len(linked),
        },
    )
    _trail_events(
        linked,
        text=_pokir_included_text(item),
        actor=actor,
        label=str(STEP_LABELS[PokirStatus.PROPOSED]),
        entry=entry,
        organisation=data.komisi,
    )
    return item


@transaction.atomic
def pokir_set_photo(*, item: PokirItem, actor: Any, photo: tuple[str, bytes]) -> PokirItem:
    """The proposer adds or replaces the location photo while the item is still proposed (SIPD
    refuses items without one)."""
    item = PokirItem.objects.select_for_update(of=("self",)).select_related("opd").get(pk=item.pk)
    if actor is None or not (
        actor.is_superuser or (item.proposed_by_id == actor.pk and actor.has_perm("planning.propose_pokir"))
    ):
        raise NotPermitted(_("Hanya pengusul pokir ini yang dapat mengganti fotonya."), code="not_proposer")
    if item.status != PokirStatus.PROPOSED:
        raise RuleViolation(_("Foto hanya dapat diganti selama pokir masih diusulkan."), code="not_proposed")
    clean, name = check_photo(*photo)
    item.photo.save(name, ContentFile(clean), save=False)
    item.save(update_fields=["photo", "updated_at"])
    _pokir_record(LedgerEvent.POKIR_ITEM_UPDATED, actor, item, {"photo": True})
    return item


class PokirEditConflict(RuleViolation):
    """The item moved on (or was corrected by someone else) since the editor loaded it."""

    status_code = 409
    code = "edit_conflict"


EDIT_TEXT_PREVIEW = 80
# Named as changed on the public timeline without their values (the public log keeps both versions).
EDIT_SUMMARISED = frozenset({"description", "photo"})


def _logged_value(value: Any) -> Any:
    """A field's value as the public log keeps it: organisations by slug, regions by code."""
    if isinstance(value, Organisation):
        return value.slug
    if isinstance(value, Region):
        return value.code
    if isinstance(value, Decimal):
        return str(value)
    return value


def _shown_value(name: str, value: Any) -> str:
    """A field's value as a reader of the timeline sees it."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return "—"
    if isinstance(value, Organisation | Region):
        return value.name
    if isinstance(value, Decimal):
        whole = value == value.to_integral_value()
        number = number_format(int(value) if whole else value, None if whole else 2, force_grouping=True)
        return "Rp" + number if name == "budget_estimate" else number
    text = str(value)
    return text if len(text) <= EDIT_TEXT_PREVIEW else text[: EDIT_TEXT_PREVIEW - 1] + "…"


def _edit_summary(changes: dict[str, tuple[Any, Any]]) -> str:
    """The changes in words, each field named by its label on the model."""
    from django.utils.text import capfirst

    parts = []
    for name, (old, new) in changes.items():
        field: Any = PokirItem._meta.get_field(name)
        label = capfirst(field.verbose_name)
        if name in EDIT_SUMMARISED:
            parts.append(_("%(field)s diperbarui") % {"field": label})
        else:
            parts.append(
                _("%(field)s: %(old)s → %(new)s")
                % {"field": label, "old": _shown_value(name, old), "new": _shown_value(name, new)}
            )
    return "; ".join(parts)


def _links_summary(added: Sequence[Aspiration], removed: Sequence[Aspiration]) -> str:
    """A change of linked aspirations in words, by count (the timeline names no aspiration)."""
    if not added and not removed:
        return ""
    parts = []
    if added:
        parts.append(_("%(n)s ditambahkan") % {"n": len(added)})
    if removed:
        parts.append(_("%(n)s dilepas") % {"n": len(removed)})
    return _("Aspirasi warga yang ditautkan: %(parts)s") % {"parts": ", ".join(parts)}


def _edit_label(actor: Any, item: PokirItem) -> str:
    """Who corrected the item, as the public timeline names it: Setwan, the member, or the administrator."""
    if is_dprd_secretariat(actor):
        return str(STEP_LABELS[PokirStatus.VERIFIED])
    if is_pokir_proposer(actor, item):
        return str(STEP_LABELS[PokirStatus.PROPOSED])
    return _("Administrator")


def check_pokir_editable(item: PokirItem) -> None:
    """Only a proposed item may be corrected: once Setwan verified it, it is what Bappeda validates."""
    if item.status != PokirStatus.PROPOSED:
        raise PokirEditConflict(
            _("Pokir ini sudah berstatus “%(status)s” dan tidak dapat diubah lagi.")
            % {"status": item.get_status_display()},
            code="pokir_not_editable",
        )


@transaction.atomic
def pokir_edit(
    *,
    item: PokirItem,
    actor: Any,
    data: PokirInput,
    photo: tuple[str, bytes] | None = None,
    loaded_at: dt.datetime | None = None,
    aspirations: Iterable[Aspiration] | None = None,
) -> PokirItem:
    """Correct a pokir item while it is still proposed (by its member, or by Setwan while verifying),
    with the same checks as when it was proposed. One public-log entry lists each changed field
    (old → new); the item's history and the timeline of each linked aspiration say what changed.
    `aspirations`, when given, is the new set of linked aspirations (None leaves the links alone): the
    log lists the public ids added and removed, a newly linked aspiration hears it was put into the
    pokir, a removed one that it was taken out, and the ones kept hear what changed.
    `loaded_at` is the item's `updated_at` when the editor loaded it: a later change wins and this
    one is refused instead of silently overwriting it."""
    item = (
        PokirItem.objects.select_for_update(of=("self",))
        .select_related("opd", "komisi", "kelurahan", "member")
        .get(pk=item.pk)
    )
    check_pokir_editable(item)  # on the locked row: a verification that committed first freezes it
    _require(
        actor,
        "planning.edit_pokir",
        item,
        _("Hanya anggota DPRD pengusul atau Sekretariat DPRD yang dapat mengubah pokir ini."),
    )
    if loaded_at is not None and loaded_at != item.updated_at:
        raise PokirEditConflict(
            _("Pokir ini baru saja diubah orang lain. Muat ulang halaman, lalu ulangi perubahan Anda."),
            code="stale_pokir",
        )
    fields = _clean_pokir(data)
    current = list(item.aspirations.order_by("pk"))
    wanted = current if aspirations is None else _aspirations(aspirations)
    current_ids, wanted_ids = {a.pk for a in current}, {a.pk for a in wanted}
    added = sorted((a for a in wanted if a.pk not in current_ids), key=lambda a: a.pk)
    removed = [a for a in current if a.pk not in wanted_ids]
    kept = [a for a in current if a.pk in wanted_ids]
    changes: dict[str, tuple[Any, Any]] = {
        name: (getattr(item, name), value) for name, value in fields.items() if getattr(item, name) != value
    }
    if photo is not None:
        clean, photo_name = check_photo(*photo)
        old_photo = item.photo.name or None
        item.photo.save(photo_name, ContentFile(clean), save=False)
        changes["photo"] = (old_photo, item.photo.name)
    if not changes and not added and not removed:
        return item
    for name, (_old, new) in changes.items():
        if name != "photo":
            setattr(item, name, new)
    item.save(update_fields=[*changes, "updated_at"])
    if removed:
        item.aspirations.remove(*removed)
    if added:
        item.aspirations.add(*added)
    label = _edit_label(actor, item)
    summary = "; ".join(part for part in (_edit_summary(changes), _links_summary(added, removed)) if part)
    logged: dict[str, Any] = {
        name: {"from": _logged_value(old), "to": _logged_value(new)} for name, (old, new) in changes.items()
    }
    if added or removed:
        # Public ids only: the tracking code is the reporter's secret, and no reporter is named.
        logged["aspirations"] = {"added": [str(a.uid) for a in added], "removed": [str(a.uid) for a in removed]}
    PokirStatusChange.objects.create(
        item=item,
        from_status=item.status,
        to_status=item.status,
        actor=actor,
        actor_label=label,
        note=f"{summary}.",
        created_at=timezone.now(),
    )
    entry = _pokir_record(LedgerEvent.POKIR_ITEM_UPDATED, actor, item, {"changes": logged})
    _trail_events(
        kept,
        text=_("Pokir “%(title)s” diubah: %(changes)s.") % {"title": item.title, "changes": summary},
        actor=actor,
        label=label,
        entry=entry,
    )
    _trail_events(
        added,
        text=_pokir_included_text(item),
        actor=actor,
        label=label,
        entry=entry,
        organisation=item.komisi,
    )
    _trail_events(
        removed,
        text=_("Dikeluarkan dari pokok-pokok pikiran DPRD “%(title)s” (tahun %(year)s).")
        % {"title": item.title, "year": item.fiscal_year},
        actor=actor,
        label=label,
        entry=entry,
    )
    return item


@transaction.atomic
def pokir_transition(*, item: PokirItem, actor: Any, to_status: str, note: str = "") -> PokirItem:
    """Move a pokir item one step along SIPD's flow, or reject it (reason required)."""
    from sinergi.planning.permissions import POKIR_STEP_PERMISSION

    item = PokirItem.objects.select_for_update(of=("self",)).select_related("opd").get(pk=item.pk)
    if to_status not in PokirStatus.values:
        raise RuleViolation(_("Status pokir tidak dikenal."), code="invalid_status")
    check_transition(POKIR_TRANSITIONS, item.status, to_status, label=_("pokir"))
    _require(
        actor,
        POKIR_STEP_PERMISSION[PokirStatus(to_status)],
        item,
        _("Langkah ini dilakukan oleh lembaga lain (Setwan, Bappeda, BPKAD atau OPD pelaksana)."),
    )
    note = _text(note, label=_("Catatan"), max_length=TEXT_MAX, required=to_status == PokirStatus.REJECTED)
    from_status = item.status
    item.status = to_status
    update = ["status", "updated_at"]
    if to_status == PokirStatus.REJECTED:
        item.rejection_reason = note
        update.append("rejection_reason")
    item.save(update_fields=update)
    label = _step_label(item, to_status, from_status)
    PokirStatusChange.objects.create(
        item=item,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=label,
        note=note,
        created_at=timezone.now(),
    )
    entry = _pokir_record(
        LedgerEvent.POKIR_ITEM_STATUS_CHANGED, actor, item, {"from": from_status, "to": to_status, "note": note}
    )
    status_label = PokirStatus(to_status).label
    text = _("Pokir “%(title)s”: %(status)s.") % {"title": item.title, "status": status_label}
    if note:
        text = f"{text} {note}"
    _trail_events(item.aspirations.all(), text=text, actor=actor, label=label, entry=entry)
    return item


# --- Musrenbang ----------------------------------------------------------------------------------


def _musrenbang_record(event: LedgerEvent, actor: Any, musrenbang: Musrenbang, data: dict[str, Any]) -> LedgerEntry:
    return ledger_record(
        event=event,
        actor=actor,
        subject_type="musrenbang",
        subject_id=str(musrenbang.uid),
        data={"level": musrenbang.level, "fiscal_year": musrenbang.fiscal_year, "region": musrenbang.region_id, **data},
    )


def _manage(actor: Any, musrenbang: Musrenbang) -> None:
    _require(
        actor,
        "planning.manage_musrenbang",
        musrenbang,
        _("Hanya penyelenggara Musrenbang ini (atau Bappeda) yang dapat melakukannya."),
    )


def _must_be_open(musrenbang: Musrenbang) -> None:
    if musrenbang.status != MusrenbangStatus.OPEN:
        raise RuleViolation(
            _("Musrenbang ini sudah ditutup; berita acaranya sudah ditetapkan."), code="musrenbang_closed"
        )


EXPECTED_REGION_LEVEL = {
    MusrenbangLevel.KELURAHAN: RegionLevel.DESA_KELURAHAN,
    MusrenbangLevel.KECAMATAN: RegionLevel.KECAMATAN,
    MusrenbangLevel.KOTA: RegionLevel.KABUPATEN_KOTA,
}


@dataclass(frozen=True)
class MusrenbangInput:
    level: str
    fiscal_year: int
    region: Region | None
    title: str
    place: str
    held_on: dt.date


def _check_organiser(organiser: Organisation, level: str, region: Region) -> None:
    """A kelurahan office runs its kelurahan's forum, a kecamatan office its kecamatan's, Bappeda (or
    the city government) the kota forum; Bappeda may convene any level."""
    from sinergi.planning.predicates import role_slugs

    if organiser.slug in role_slugs("bappeda"):
        return
    expected = {
        MusrenbangLevel.KELURAHAN: "kelurahan",
        MusrenbangLevel.KECAMATAN: "kecamatan",
        MusrenbangLevel.KOTA: "pemkot",
    }[MusrenbangLevel(level)]
    if organiser.kind.code != expected:
        raise RuleViolation(
            _("Penyelenggara tidak sesuai dengan tingkat Musrenbang (kelurahan, kecamatan, atau Bappeda untuk kota)."),
            code="invalid_organiser",
        )
    if organiser.region_id and level != MusrenbangLevel.KOTA and organiser.region_id != region.code:
        raise RuleViolation(_("Penyelenggara berada di wilayah lain."), code="invalid_organiser")


@transaction.atomic
def musrenbang_open(*, actor: Any, organiser: Organisation, data: MusrenbangInput) -> Musrenbang:
    _require(actor, "planning.open_musrenbang", None, _("Musrenbang dibuka oleh kelurahan, kecamatan atau Bappeda."))
    if data.level not in MusrenbangLevel.values:
        raise RuleViolation(_("Tingkat Musrenbang tidak dikenal."), code="invalid_level")
    if not actor.is_superuser and not actor.has_perm("planning.manage_musrenbang", Musrenbang(organiser=organiser)):
        raise NotPermitted(_("Anda tidak bertindak atas nama penyelenggara ini."), code="not_organiser")
    region = data.region
    if region is None:
        from sinergi.regions.selectors import region_deployment

        region = region_deployment()
    if region is None or region.level != EXPECTED_REGION_LEVEL[MusrenbangLevel(data.level)]:
        raise RuleViolation(_("Wilayah tidak sesuai dengan tingkat Musrenbang."), code="invalid_region")
    _check_organiser(organiser, data.level, region)
    year = _year(data.fiscal_year)
    if Musrenbang.objects.filter(level=data.level, region=region, fiscal_year=year).exists():
        raise RuleViolation(_("Musrenbang tingkat ini untuk wilayah dan tahun ini sudah ada."), code="duplicate")
    musrenbang = Musrenbang.objects.create(
        level=data.level,
        fiscal_year=year,
        region=region,
        organiser=organiser,
        opened_by=actor,
        title=_text(data.title, label=_("Nama kegiatan"), max_length=TITLE_MAX),
        place=_text(data.place, label=_("Tempat"), max_length=255),
        held_on=data.held_on,
    )
    _musrenbang_record(
        LedgerEvent.MUSRENBANG_OPENED,
        actor,
        musrenbang,
        {"title": musrenbang.title, "organiser": organiser.slug, "held_on": musrenbang.held_on.isoformat()},
    )
    return musrenbang


@transaction.atomic
def musrenbang_delegate_add(
    *, musrenbang: Musrenbang, actor: Any, name: str, origin: str, elected_to_next_level: bool = False
) -> Delegate:
    _manage(actor, musrenbang)
    musrenbang = Musrenbang.objects.select_for_update(of=("self",)).get(pk=musrenbang.pk)
    _must_be_open(musrenbang)
    if musrenbang.delegates.count() >= 500:
        raise RuleViolation(_("Paling banyak 500 delegasi."), code="too_many")
    delegate = Delegate.objects.create(
        musrenbang=musrenbang,
        name=_text(name, label=_("Nama"), max_length=160),
        origin=_text(origin, label=_("Asal/unsur"), max_length=160),
        elected_to_next_level=elected_to_next_level,
    )
    _musrenbang_record(
        LedgerEvent.MUSRENBANG_DELEGATES_ELECTED,
        actor,
        musrenbang,
        {"name": delegate.name, "origin": delegate.origin, "elected_to_next_level": elected_to_next_level},
    )
    return delegate


@dataclass(frozen=True)
class ProposalInput:
    title: str
    priority: int
    description: str = ""
    location_text: str = ""
    kelurahan: Region | None = None
    opd: Organisation | None = None
    volume: Any = None
    unit: str = ""


def _proposal_trail_text(proposal: MusrenbangProposal, musrenbang: Musrenbang, status: str) -> str:
    return _("%(level)s %(year)s — usulan “%(title)s”: %(status)s.") % {
        "level": musrenbang.get_level_display(),
        "year": musrenbang.fiscal_year,
        "title": proposal.title,
        "status": ProposalStatus(status).label,
    }


def _create_proposal(
    musrenbang: Musrenbang, actor: Any, data: ProposalInput, linked: list[Aspiration], parent: MusrenbangProposal | None
) -> MusrenbangProposal:
    if not isinstance(data.priority, int) or not 1 <= data.priority <= 999:
        raise RuleViolation(_("Peringkat prioritas harus antara 1 dan 999."), code="invalid_priority")
    if musrenbang.proposals.count() >= 2000:
        raise RuleViolation(_("Paling banyak 2000 usulan per Musrenbang."), code="too_many")
    proposal = MusrenbangProposal.objects.create(
        musrenbang=musrenbang,
        parent=parent,
        title=_text(data.title, label=_("Judul usulan"), max_length=TITLE_MAX),
        description=_text(data.description, label=_("Uraian"), max_length=TEXT_MAX, required=False),
        location_text=_text(data.location_text, label=_("Lokasi"), max_length=255, required=False),
        kelurahan=_kelurahan(data.kelurahan),
        opd=data.opd,
        volume=_decimal(data.volume, label=_("Volume"), maximum=MAX_VOLUME, places=2, required=False),
        unit=_text(data.unit, label=_("Satuan"), max_length=40, required=False),
        priority=data.priority,
        created_by=actor,
    )
    proposal.aspirations.add(*linked)
    return proposal


@transaction.atomic
def musrenbang_proposal_add(
    *, musrenbang: Musrenbang, actor: Any, data: ProposalInput, aspirations: Iterable[Aspiration] = ()
) -> MusrenbangProposal:
    _manage(actor, musrenbang)
    musrenbang = Musrenbang.objects.select_for_update(of=("self",)).select_related("region").get(pk=musrenbang.pk)
    _must_be_open(musrenbang)
    linked = _aspirations(aspirations)
    proposal = _create_proposal(musrenbang, actor, data, linked, None)
    entry = _musrenbang_record(
        LedgerEvent.MUSRENBANG_PROPOSAL_ADDED,
        actor,
        musrenbang,
        {
            "proposal": str(proposal.uid),
            "title": proposal.title,
            "priority": proposal.priority,
            "aspiration_count": len(linked),
        },
    )
    _trail_events(
        linked,
        text=_proposal_trail_text(proposal, musrenbang, ProposalStatus.PROPOSED),
        actor=actor,
        label=musrenbang.organiser.name,
        entry=entry,
        organisation=musrenbang.organiser,
    )
    return proposal


@transaction.atomic
def musrenbang_proposal_decide(
    *, proposal: MusrenbangProposal, actor: Any, to_status: str, reason: str = ""
) -> MusrenbangProposal:
    """Agree (disepakati), reject (with reason), or — at kota level — mark an agreed proposal as in RKPD."""
    proposal = (
        MusrenbangProposal.objects.select_for_update(of=("self",))
        .select_related("musrenbang__organiser")
        .get(pk=proposal.pk)
    )
    musrenbang = proposal.musrenbang
    _manage(actor, musrenbang)
    if to_status not in (ProposalStatus.AGREED, ProposalStatus.REJECTED, ProposalStatus.IN_RKPD):
        raise RuleViolation(_("Keputusan tidak dikenal."), code="invalid_status")
    check_transition(PROPOSAL_TRANSITIONS, proposal.status, to_status, label=_("usulan"))
    if to_status == ProposalStatus.IN_RKPD and musrenbang.level != MusrenbangLevel.KOTA:
        raise RuleViolation(_("Hanya usulan Musrenbang RKPD Kota yang masuk RKPD."), code="not_kota")
    if to_status != ProposalStatus.IN_RKPD:
        _must_be_open(musrenbang)  # RKPD is settled after the forum closes
    reason = _text(reason, label=_("Alasan"), max_length=TEXT_MAX, required=to_status == ProposalStatus.REJECTED)
    from_status = proposal.status
    proposal.status = to_status
    proposal.rejection_reason = reason if to_status == ProposalStatus.REJECTED else proposal.rejection_reason
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "rejection_reason", "decided_at", "updated_at"])
    entry = _musrenbang_record(
        LedgerEvent.MUSRENBANG_PROPOSAL_STATUS_CHANGED,
        actor,
        musrenbang,
        {
            "proposal": str(proposal.uid),
            "title": proposal.title,
            "from": from_status,
            "to": to_status,
            "reason": reason,
        },
    )
    text = _proposal_trail_text(proposal, musrenbang, to_status)
    if reason:
        text = f"{text} {reason}"
    _trail_events(
        proposal.aspirations.all(),
        text=text,
        actor=actor,
        label=musrenbang.organiser.name,
        entry=entry,
        organisation=musrenbang.organiser,
    )
    return proposal


def next_level_musrenbang(musrenbang: Musrenbang) -> Musrenbang | None:
    """The forum an agreed proposal goes to: the kecamatan of the kelurahan, then the kota."""
    level = NEXT_LEVEL.get(musrenbang.level)
    if level is None or musrenbang.region is None:
        return None
    region = musrenbang.region.parent
    return (
        Musrenbang.objects.filter(level=level, fiscal_year=musrenbang.fiscal_year, region=region)
        .select_related("organiser", "region")
        .first()
    )


@transaction.atomic
def musrenbang_proposal_forward(*, proposal: MusrenbangProposal, actor: Any) -> MusrenbangProposal:
    """Send an agreed proposal up one level: a new proposal there, linked to this one as its parent."""
    proposal = (
        MusrenbangProposal.objects.select_for_update(of=("self",))
        .select_related("musrenbang__region", "musrenbang__organiser")
        .get(pk=proposal.pk)
    )
    musrenbang = proposal.musrenbang
    _manage(actor, musrenbang)
    check_transition(PROPOSAL_TRANSITIONS, proposal.status, ProposalStatus.FORWARDED, label=_("usulan"))
    target = next_level_musrenbang(musrenbang)
    if target is None:
        raise RuleViolation(_("Musrenbang tingkat berikutnya untuk tahun ini belum dibuka."), code="no_next_level")
    if target.status != MusrenbangStatus.OPEN:
        raise RuleViolation(_("Musrenbang tingkat berikutnya sudah ditutup."), code="musrenbang_closed")
    linked = list(proposal.aspirations.all())
    child = _create_proposal(
        target,
        actor,
        ProposalInput(
            title=proposal.title,
            priority=min(target.proposals.count() + 1, 999),
            description=proposal.description,
            location_text=proposal.location_text,
            kelurahan=proposal.kelurahan,
            opd=proposal.opd,
            volume=proposal.volume,
            unit=proposal.unit,
        ),
        linked,
        proposal,
    )
    proposal.status = ProposalStatus.FORWARDED
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    entry = _musrenbang_record(
        LedgerEvent.MUSRENBANG_PROPOSAL_STATUS_CHANGED,
        actor,
        musrenbang,
        {
            "proposal": str(proposal.uid),
            "title": proposal.title,
            "from": ProposalStatus.AGREED,
            "to": ProposalStatus.FORWARDED,
            "forwarded_to": str(target.uid),
            "new_proposal": str(child.uid),
        },
    )
    _trail_events(
        linked,
        text=_("Usulan “%(title)s” diteruskan dari %(from)s ke %(to)s.")
        % {"title": proposal.title, "from": musrenbang.title, "to": target.title},
        actor=actor,
        label=musrenbang.organiser.name,
        entry=entry,
        organisation=musrenbang.organiser,
    )
    return child


@transaction.atomic
def musrenbang_close(*, musrenbang: Musrenbang, actor: Any, berita_acara: str) -> Musrenbang:
    """Set the berita acara; its SHA-256 is frozen in the public log, so later edits would show."""
    _manage(actor, musrenbang)
    musrenbang = Musrenbang.objects.select_for_update(of=("self",)).get(pk=musrenbang.pk)
    _must_be_open(musrenbang)
    text = _text(berita_acara, label=_("Berita acara"), max_length=20_000)
    if musrenbang.proposals.filter(status=ProposalStatus.PROPOSED).exists():
        raise RuleViolation(
            _("Masih ada usulan yang belum diputuskan (disepakati atau ditolak)."), code="undecided_proposals"
        )
    musrenbang.berita_acara = text
    musrenbang.berita_acara_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    musrenbang.status = MusrenbangStatus.CLOSED
    musrenbang.closed_at = timezone.now()
    musrenbang.save(update_fields=["berita_acara", "berita_acara_sha256", "status", "closed_at", "updated_at"])
    _musrenbang_record(
        LedgerEvent.MUSRENBANG_CLOSED,
        actor,
        musrenbang,
        {
            "berita_acara_sha256": musrenbang.berita_acara_sha256,
            "delegates": musrenbang.delegates.count(),
            "agreed": musrenbang.proposals.exclude(status=ProposalStatus.REJECTED).count(),
        },
    )
    return musrenbang

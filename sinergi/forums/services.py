"""Writes for forums: convening, the charter, the lifecycle and membership.

Every service runs in one transaction and writes exactly one public log entry; a refusal
raises before anything is written, so nothing is left half-done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dateutil.rrule import rrulestr
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.actors.models import Organisation, Person, Sector
from sinergi.actors.selectors import user_acting_organisations, user_person, user_public_institutions
from sinergi.core.errors import NotPermitted, RuleViolation
from sinergi.core.states import check_transition
from sinergi.forums.models import (
    Charter,
    DecisionRule,
    FallbackRule,
    Forum,
    ForumMember,
    ForumRole,
    MembershipPolicy,
    SeatAllocation,
)
from sinergi.forums.states import FORUM_MEMBER_TRANSITIONS, FORUM_TRANSITIONS, ForumMemberStatus, ForumStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.policy.models import PolicyObject

# A person who represents no organisation takes part as an individual citizen.
INDIVIDUAL_SECTOR_CODE = "masyarakat"

# Charter fields that shape who decides and how: fixed once the forum is active.
STRUCTURAL_FIELDS = frozenset(
    {
        "membership_policy",
        "quorum_member_share",
        "quorum_sectors",
        "decision_rule",
        "fallback_rule",
        "fallback_threshold",
        "fallback_after_rounds",
        "seats",
    }
)
# Descriptive fields: editable while draft or active, every change logged with old and new values.
DESCRIPTIVE_FIELDS = frozenset(
    {
        "name",
        "purpose",
        "legal_basis",
        "terms_of_reference",
        "meeting_rrule",
        "meeting_duration_minutes",
        "default_location",
        "agenda_notice_days",
    }
)
CHARTER_FIELDS = (STRUCTURAL_FIELDS | DESCRIPTIVE_FIELDS) - {"name", "seats", "quorum_sectors"}
TEXT_LIMITS = {"name": 200, "legal_basis": 255, "meeting_rrule": 255, "default_location": 255}


@dataclass(frozen=True)
class SeatSpec:
    """Seats the charter reserves for one sector: a minimum to fill, optionally a maximum."""

    sector: Sector
    minimum: int
    maximum: int | None = None


# ---------------------------------------------------------------------------- helpers


def _log(event: LedgerEvent, actor: Any, forum: Forum, data: dict[str, Any]) -> None:
    ledger_record(
        event=event,
        actor=actor,
        subject_type="forum",
        subject_id=str(forum.uid),
        data={"forum": forum.slug, **data},
    )


def _lock_forum(forum: Forum) -> Forum:
    """Re-read the forum inside the transaction so concurrent changes queue instead of racing."""
    return Forum.objects.select_for_update(of=("self",)).select_related("convener__kind").get(pk=forum.pk)


def _lock_member(member: ForumMember) -> ForumMember:
    return (
        ForumMember.objects.select_for_update(of=("self",))
        .select_related("forum", "person", "sector", "organisation")
        .get(pk=member.pk)
    )


def _require_open(forum: Forum) -> None:
    if forum.status == ForumStatus.CLOSED:
        raise RuleViolation(_("Forum ini sudah ditutup."), code="forum_closed")


def _decimal(value: Any, label: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise RuleViolation(_("%(label)s harus berupa angka.") % {"label": label}) from error
    if not result.is_finite():
        raise RuleViolation(_("%(label)s harus berupa angka.") % {"label": label})
    return result.quantize(Decimal("0.01"))


def _int(value: Any, label: str, *, low: int, high: int) -> int:
    try:
        result = int(value)
    except (TypeError, ValueError) as error:
        raise RuleViolation(_("%(label)s harus berupa bilangan bulat.") % {"label": label}) from error
    if not low <= result <= high:
        raise RuleViolation(
            _("%(label)s harus antara %(low)s dan %(high)s.") % {"label": label, "low": low, "high": high}
        )
    return result


def validate_rrule(rule: str) -> str:
    """An RFC 5545 recurrence rule, e.g. FREQ=MONTHLY;BYDAY=2TU (without DTSTART)."""
    rule = rule.strip()
    if not rule:
        return ""
    if not rule.upper().startswith("FREQ=") or "DTSTART" in rule.upper():
        raise RuleViolation(_("Jadwal rapat harus berupa RRULE, mis. FREQ=MONTHLY;BYDAY=2TU."), code="invalid_rrule")
    try:
        rrulestr(rule, dtstart=timezone.now())
    except (ValueError, TypeError) as error:
        raise RuleViolation(
            _("Jadwal rapat (RRULE) tidak valid: %(rule)s") % {"rule": rule}, code="invalid_rrule"
        ) from error
    return rule


def _clean_charter_values(values: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise charter values given by a caller; unknown names are refused."""
    unknown = set(values) - CHARTER_FIELDS - {"name", "quorum_sectors"}
    if unknown:
        raise RuleViolation(_("Kolom piagam tidak dikenal: %(names)s") % {"names": ", ".join(sorted(unknown))})
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in TEXT_LIMITS or name in {"purpose", "terms_of_reference"}:
            text = str(value or "").strip()
            limit = TEXT_LIMITS.get(name)
            if limit and len(text) > limit:
                raise RuleViolation(_("Isian %(name)s terlalu panjang.") % {"name": name})
            cleaned[name] = validate_rrule(text) if name == "meeting_rrule" else text
        elif name == "membership_policy":
            if value not in MembershipPolicy.values:
                raise RuleViolation(_("Cara keanggotaan tidak dikenal."))
            cleaned[name] = value
        elif name == "decision_rule":
            if value not in DecisionRule.values:
                raise RuleViolation(_("Aturan keputusan tidak dikenal."))
            cleaned[name] = value
        elif name == "fallback_rule":
            if value not in FallbackRule.values:
                raise RuleViolation(_("Aturan cadangan tidak dikenal."))
            cleaned[name] = value
        elif name == "quorum_member_share":
            share = _decimal(value, _("Kuorum"))
            if not Decimal("0.01") <= share <= Decimal("1.00"):
                raise RuleViolation(_("Kuorum harus antara 0,01 dan 1,00 dari jumlah anggota."))
            cleaned[name] = share
        elif name == "fallback_threshold":
            threshold = _decimal(value, _("Ambang suara terbanyak"))
            if not Decimal("0.51") <= threshold <= Decimal("1.00"):
                raise RuleViolation(_("Ambang suara terbanyak harus antara 0,51 dan 1,00."))
            cleaned[name] = threshold
        elif name == "fallback_after_rounds":
            cleaned[name] = _int(value, _("Jumlah putaran sebelum cadangan"), low=1, high=10)
        elif name == "meeting_duration_minutes":
            cleaned[name] = _int(value, _("Durasi rapat"), low=15, high=24 * 60)
        elif name == "agenda_notice_days":
            cleaned[name] = _int(value, _("Pemberitahuan agenda"), low=0, high=60)
        elif name == "quorum_sectors":
            cleaned[name] = sorted({sector.pk: sector for sector in value}.values(), key=lambda s: (s.order, s.pk))
    if "name" in cleaned and not cleaned["name"]:
        raise RuleViolation(_("Nama forum wajib diisi."))
    if "purpose" in cleaned and not cleaned["purpose"]:
        raise RuleViolation(_("Tujuan forum wajib diisi."))
    return cleaned


def _clean_seats(seats: Sequence[SeatSpec]) -> list[SeatSpec]:
    seen: set[int] = set()
    for seat in seats:
        if seat.sector.pk in seen:
            raise RuleViolation(_("Sektor %(sector)s disebut dua kali.") % {"sector": seat.sector.name})
        seen.add(seat.sector.pk)
        _int(seat.minimum, _("Kursi minimum"), low=0, high=999)
        if seat.maximum is not None:
            _int(seat.maximum, _("Kursi maksimum"), low=1, high=999)
            if seat.maximum < seat.minimum:
                raise RuleViolation(
                    _("Kursi maksimum sektor %(sector)s lebih kecil dari minimumnya.") % {"sector": seat.sector.name}
                )
    return sorted(seats, key=lambda s: (s.sector.order, s.sector.pk))


def _seat_facts(seats: Iterable[SeatSpec | SeatAllocation]) -> dict[str, list[int | None]]:
    return {seat.sector.code: [seat.minimum, seat.maximum] for seat in seats}


def _public_value(value: Any) -> Any:
    """Log payloads hold no floats: decimals become strings, sectors their codes."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [getattr(item, "code", item) for item in value]
    return value


# Path segments of the forum pages that a forum's slug must not shadow.
RESERVED_SLUGS = frozenset({"bentuk"})


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "forum")[:100]
    slug = base if base not in RESERVED_SLUGS else f"{base}-forum"
    suffix = 2
    while Forum.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


def _require_person(actor: Any) -> Person:
    person = user_person(actor)
    if person is None:
        raise RuleViolation(_("Lengkapi profil Anda terlebih dahulu."), code="no_profile")
    return person


def _acting_organisations(person: Person) -> list[Organisation]:
    user = person.user
    if user is None:
        return []
    return list(user_acting_organisations(user))


def resolve_representation(person: Person, organisation: Organisation | None) -> tuple[Organisation | None, Sector]:
    """Which organisation a person represents in a forum, and so which sector they sit in.

    Given an organisation, the person must act for it. Without one, their only acting
    organisation is used; with several they must choose; with none they sit as an individual
    citizen in the masyarakat sector.
    """
    acting = _acting_organisations(person)
    if organisation is not None:
        if organisation.pk not in {org.pk for org in acting}:
            raise RuleViolation(
                _("%(person)s tidak terdaftar bertindak atas nama %(organisation)s.")
                % {"person": person.full_name, "organisation": organisation.name},
                code="not_representative",
            )
        return organisation, organisation.sector
    if len(acting) == 1:
        return acting[0], acting[0].sector
    if len(acting) > 1:
        raise RuleViolation(
            _("%(person)s mewakili lebih dari satu organisasi; pilih organisasi yang diwakili.")
            % {"person": person.full_name},
            code="choose_organisation",
        )
    individual = Sector.objects.filter(code=INDIVIDUAL_SECTOR_CODE).first()
    if individual is None:
        raise RuleViolation(_("Sektor masyarakat belum terdaftar di platform."))
    return None, individual


def _check_seat_room(forum: Forum, sector: Sector, *, excluding: ForumMember | None = None) -> None:
    """Refuse when the sector's seats are already all taken by active members."""
    seat = SeatAllocation.objects.filter(charter__forum=forum, sector=sector).first()
    if seat is None or seat.maximum is None:
        return
    taken = forum.members.filter(sector=sector, status=ForumMemberStatus.ACTIVE)
    if excluding is not None:
        taken = taken.exclude(pk=excluding.pk)
    if taken.count() >= seat.maximum:
        raise RuleViolation(
            _("Kursi sektor %(sector)s sudah penuh (%(maximum)s kursi).")
            % {"sector": sector.name, "maximum": seat.maximum},
            code="seats_full",
        )


def _check_chair_free(forum: Forum, *, excluding: ForumMember | None = None) -> None:
    """A forum has one chair at a time."""
    sitting = forum.members.filter(role=ForumRole.CHAIR, status=ForumMemberStatus.ACTIVE).select_related("person")
    if excluding is not None:
        sitting = sitting.exclude(pk=excluding.pk)
    chair = sitting.first()
    if chair is not None:
        raise RuleViolation(
            _("Forum sudah memiliki ketua (%(person)s); ubah dulu peran ketua tersebut.")
            % {"person": chair.person.full_name},
            code="chair_taken",
        )


def _member_facts(member: ForumMember) -> dict[str, Any]:
    return {
        "member": member.pk,
        "person": member.person.public_handle,
        "organisation": str(member.organisation.uid) if member.organisation else None,
        "sector": member.sector.code,
        "role": member.role,
        "status": member.status,
    }


def _move_member(member: ForumMember, target: str) -> None:
    check_transition(FORUM_MEMBER_TRANSITIONS, member.status, target, label=_("keanggotaan"))
    member.status = target


def _reopen_or_create_seat(
    *, forum: Forum, person: Person, organisation: Organisation | None, sector: Sector, status: str
) -> ForumMember:
    """One row per person per forum: a former invitee, applicant or member gets their row back."""
    existing = ForumMember.objects.select_for_update().filter(forum=forum, person=person).first()
    if existing is None:
        return ForumMember(forum=forum, person=person, organisation=organisation, sector=sector, status=status)
    if existing.status in (ForumMemberStatus.ACTIVE, ForumMemberStatus.INVITED, ForumMemberStatus.APPLIED):
        messages: dict[str, str] = {
            ForumMemberStatus.ACTIVE: _("%(person)s sudah menjadi anggota forum ini."),
            ForumMemberStatus.INVITED: _("%(person)s sudah diundang ke forum ini."),
            ForumMemberStatus.APPLIED: _("%(person)s sudah mengajukan diri ke forum ini."),
        }
        raise RuleViolation(messages[existing.status] % {"person": person.full_name}, code="already_member")
    _move_member(existing, status)
    existing.organisation = organisation
    existing.sector = sector
    existing.role = ForumRole.MEMBER
    existing.decided_by = None
    existing.decision_reason = ""
    existing.joined_at = None
    existing.left_at = None
    return existing


# ---------------------------------------------------------------------------- forum and charter


@transaction.atomic
def forum_convene(
    *,
    actor: Any,
    convener: Organisation,
    name: str,
    purpose: str,
    seats: Sequence[SeatSpec] = (),
    policy_objects: Sequence[PolicyObject] = (),
    **charter_values: Any,
) -> Forum:
    """C1: a public institution convenes a forum, in draft, with its charter and seats.

    The actor must act for the convener (administrators may convene for any public
    institution). The convening person joins as the forum's secretariat, representing the
    convener: the chair is left for the members to choose, so the forum is not led by
    default by the government side.
    """
    if not convener.kind.is_public_institution:
        raise NotPermitted(
            _("Hanya lembaga publik (Pemkot/OPD, DPRD, kecamatan, kelurahan) yang dapat membentuk forum."),
            code="not_public_institution",
        )
    is_admin = bool(getattr(actor, "is_superuser", False))
    acts_for_convener = user_public_institutions(actor).filter(pk=convener.pk).exists()
    if not (acts_for_convener or is_admin):
        raise NotPermitted(
            _("Anda tidak bertindak atas nama %(organisation)s, sehingga tidak dapat membentuk forum untuknya.")
            % {"organisation": convener.name},
            code="not_convener",
        )
    values = _clean_charter_values({"name": name, "purpose": purpose, **charter_values})
    clean_seats = _clean_seats(seats)
    quorum_sectors = values.pop("quorum_sectors", [])
    forum_name = values.pop("name")
    forum = Forum.objects.create(
        slug=_unique_slug(forum_name),
        name=forum_name,
        convener=convener,
        convened_by=actor if getattr(actor, "is_authenticated", False) else None,
        region=convener.region,
    )
    charter = Charter.objects.create(forum=forum, **values)
    charter.quorum_sectors.set(quorum_sectors)
    SeatAllocation.objects.bulk_create(
        SeatAllocation(charter=charter, sector=seat.sector, minimum=seat.minimum, maximum=seat.maximum)
        for seat in clean_seats
    )
    if policy_objects:
        forum.policy_objects.set(policy_objects)
    secretariat = None
    person = user_person(actor)
    if person is not None and acts_for_convener:
        secretariat = ForumMember.objects.create(
            forum=forum,
            person=person,
            organisation=convener,
            sector=convener.sector,
            role=ForumRole.SECRETARIAT,
            status=ForumMemberStatus.ACTIVE,
            invited_by=actor,
            joined_at=timezone.now(),
        )
    _log(
        LedgerEvent.FORUM_CONVENED,
        actor,
        forum,
        {
            "name": forum.name,
            "convener": str(convener.uid),
            "convener_name": convener.name,
            "legal_basis": charter.legal_basis,
            "seats": _seat_facts(clean_seats),
            "policy_objects": [str(p.uid) for p in policy_objects],
            "secretariat": person.public_handle if secretariat and person else None,
        },
    )
    return forum


@transaction.atomic
def forum_charter_update(
    *,
    actor: Any,
    forum: Forum,
    seats: Sequence[SeatSpec] | None = None,
    **changes: Any,
) -> Forum:
    """Change the charter. Structural rules (seats, quorum, decision rule, membership policy)
    only while the forum is a draft; descriptive fields also while it is active. The log entry
    lists every changed field with its old and new value."""
    forum = _lock_forum(forum)
    _require_open(forum)
    charter: Charter = forum.charter
    values = _clean_charter_values(changes)
    changed: dict[str, dict[str, Any]] = {}
    # Work out what really changes first, so a caller may send the whole charter back
    # (a form, a PATCH) and only real changes count against the draft-only rule.
    if "name" in values and values["name"] != forum.name:
        changed["name"] = {"old": forum.name, "new": values["name"]}
    for field_name, new_value in values.items():
        if field_name in {"name", "quorum_sectors"}:
            continue
        old_value = getattr(charter, field_name)
        if isinstance(old_value, Decimal):
            old_value = old_value.quantize(Decimal("0.01"))
        if old_value != new_value:
            changed[field_name] = {"old": _public_value(old_value), "new": _public_value(new_value)}
    if "quorum_sectors" in values:
        old_codes = sorted(charter.quorum_sectors.values_list("code", flat=True))
        new_codes = sorted(sector.code for sector in values["quorum_sectors"])
        if old_codes != new_codes:
            changed["quorum_sectors"] = {"old": old_codes, "new": new_codes}
    clean_seats = _clean_seats(seats) if seats is not None else None
    if clean_seats is not None:
        old_seats = _seat_facts(charter.seats.select_related("sector"))
        new_seats = _seat_facts(clean_seats)
        if old_seats != new_seats:
            changed["seats"] = {"old": old_seats, "new": new_seats}
    if not changed:
        raise RuleViolation(_("Tidak ada perubahan pada piagam."), code="no_change")
    structural = sorted(set(changed) & STRUCTURAL_FIELDS)
    if forum.status != ForumStatus.DRAFT and structural:
        raise RuleViolation(
            _("Aturan pokok piagam (%(fields)s) hanya dapat diubah selama forum masih draf.")
            % {"fields": ", ".join(structural)},
            code="charter_locked",
        )
    if "name" in changed:
        forum.name = values["name"]
        forum.save(update_fields=["name", "updated_at"])
    for field_name in set(changed) & CHARTER_FIELDS:
        setattr(charter, field_name, values[field_name])
    charter.save()
    if "quorum_sectors" in changed:
        charter.quorum_sectors.set(values["quorum_sectors"])
    if "seats" in changed and clean_seats is not None:
        charter.seats.all().delete()
        SeatAllocation.objects.bulk_create(
            SeatAllocation(charter=charter, sector=seat.sector, minimum=seat.minimum, maximum=seat.maximum)
            for seat in clean_seats
        )
    _log(LedgerEvent.FORUM_CHARTER_UPDATED, actor, forum, {"status": forum.status, "changes": changed})
    return forum


@transaction.atomic
def forum_policy_object_link(*, actor: Any, forum: Forum, policy_object: PolicyObject) -> Forum:
    """C6: tie the forum to a programme, draft regulation, public asset or budget item."""
    forum = _lock_forum(forum)
    _require_open(forum)
    if forum.policy_objects.filter(pk=policy_object.pk).exists():
        raise RuleViolation(_("Objek kebijakan ini sudah menjadi fokus forum."), code="already_linked")
    forum.policy_objects.add(policy_object)
    _log(
        LedgerEvent.FORUM_POLICY_OBJECT_LINKED,
        actor,
        forum,
        {
            "policy_object": str(policy_object.uid),
            "kind": policy_object.kind,
            "code": policy_object.code,
            "title": policy_object.title,
        },
    )
    return forum


def active_members_per_sector(forum: Forum) -> dict[int, int]:
    """{sector id: number of active members} for one forum, in one query."""
    rows = (
        forum.members.filter(status=ForumMemberStatus.ACTIVE)
        .values_list("sector_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def unfilled_non_state_seats(forum: Forum) -> list[dict[str, Any]]:
    """Non-state seats whose minimum the active members do not yet fill (criterion C2)."""
    filled = active_members_per_sector(forum)
    seats = SeatAllocation.objects.filter(charter__forum=forum, sector__is_state=False).select_related("sector")
    return [
        {"sector": seat.sector, "minimum": seat.minimum, "filled": filled.get(seat.sector_id, 0)}
        for seat in seats
        if filled.get(seat.sector_id, 0) < seat.minimum
    ]


@transaction.atomic
def forum_activate(*, actor: Any, forum: Forum) -> Forum:
    """Open the forum for business, only when the charter is complete and the non-state seat
    minimums are filled (C2); the refusal lists everything that is missing."""
    forum = _lock_forum(forum)
    check_transition(FORUM_TRANSITIONS, forum.status, ForumStatus.ACTIVE, label=_("forum"))
    charter: Charter = forum.charter
    problems: list[str] = []
    if not charter.purpose.strip():
        problems.append(_("tujuan forum belum diisi"))
    if not forum.policy_objects.exists():
        problems.append(_("belum ada objek kebijakan yang ditautkan (C6)"))
    non_state_seats = charter.seats.filter(sector__is_state=False, minimum__gte=1)
    if not non_state_seats.exists():
        problems.append(_("piagam belum menyediakan kursi minimum untuk sektor non-negara (C2)"))
    unfilled = unfilled_non_state_seats(forum)
    if unfilled:
        listing = ", ".join(
            _("%(sector)s (%(filled)s dari %(minimum)s)")
            % {"sector": seat["sector"].name, "filled": seat["filled"], "minimum": seat["minimum"]}
            for seat in unfilled
        )
        problems.append(_("kursi minimum sektor non-negara belum terisi: %(listing)s") % {"listing": listing})
    if problems:
        raise RuleViolation(
            _("Forum belum dapat diaktifkan: %(problems)s.") % {"problems": "; ".join(problems)},
            code="forum_not_ready",
        )
    forum.status = ForumStatus.ACTIVE
    forum.activated_at = timezone.now()
    forum.save(update_fields=["status", "activated_at", "updated_at"])
    members_by_sector = dict(
        forum.members.filter(status=ForumMemberStatus.ACTIVE)
        .values_list("sector__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    _log(LedgerEvent.FORUM_ACTIVATED, actor, forum, {"active_members_by_sector": members_by_sector})
    return forum


@transaction.atomic
def forum_close(*, actor: Any, forum: Forum, note: str = "") -> Forum:
    """End the forum's work; its records stay public."""
    forum = _lock_forum(forum)
    check_transition(FORUM_TRANSITIONS, forum.status, ForumStatus.CLOSED, label=_("forum"))
    note = note.strip()
    if len(note) > 2000:
        raise RuleViolation(_("Catatan penutupan terlalu panjang (maksimal 2000 karakter)."))
    previous = forum.status
    forum.status = ForumStatus.CLOSED
    forum.closed_at = timezone.now()
    forum.closing_note = note
    forum.save(update_fields=["status", "closed_at", "closing_note", "updated_at"])
    _log(LedgerEvent.FORUM_CLOSED, actor, forum, {"from_status": previous, "note": note})
    return forum


# ---------------------------------------------------------------------------- membership


@transaction.atomic
def forum_member_invite(
    *,
    actor: Any,
    forum: Forum,
    person: Person,
    organisation: Organisation | None = None,
    role: str = ForumRole.MEMBER,
) -> ForumMember:
    """Invite a person to sit for an organisation (or as an individual); they accept or decline."""
    forum = _lock_forum(forum)
    _require_open(forum)
    if role not in ForumRole.values:
        raise RuleViolation(_("Peran forum tidak dikenal."))
    organisation, sector = resolve_representation(person, organisation)
    _check_seat_room(forum, sector)
    if role == ForumRole.CHAIR:
        _check_chair_free(forum)
    member = _reopen_or_create_seat(
        forum=forum, person=person, organisation=organisation, sector=sector, status=ForumMemberStatus.INVITED
    )
    member.role = role
    member.invited_by = actor if getattr(actor, "is_authenticated", False) else None
    member.save()
    _log(LedgerEvent.FORUM_MEMBER_INVITED, actor, forum, _member_facts(member))
    return member


@transaction.atomic
def forum_member_apply(
    *, actor: Any, forum: Forum, organisation: Organisation | None = None, motivation: str = ""
) -> ForumMember:
    """C3: anyone with a profile may ask to join, when the charter accepts applications."""
    forum = _lock_forum(forum)
    _require_open(forum)
    person = _require_person(actor)
    if forum.charter.membership_policy != MembershipPolicy.APPLICATION:
        raise RuleViolation(_("Forum ini hanya menerima anggota melalui undangan."), code="applications_closed")
    motivation = motivation.strip()
    if len(motivation) > 2000:
        raise RuleViolation(_("Alasan bergabung terlalu panjang (maksimal 2000 karakter)."))
    organisation, sector = resolve_representation(person, organisation)
    _check_seat_room(forum, sector)
    member = _reopen_or_create_seat(
        forum=forum, person=person, organisation=organisation, sector=sector, status=ForumMemberStatus.APPLIED
    )
    member.motivation = motivation
    member.invited_by = None
    member.save()
    _log(LedgerEvent.FORUM_MEMBER_APPLIED, actor, forum, _member_facts(member))
    return member


def _acts_for_self_or_is_administrator(actor: Any, member: ForumMember) -> bool:
    """Answers and resignations are the member's own; an administrator may record one received
    outside the platform (a letter, a phone call), and the log then names the administrator."""
    if getattr(actor, "is_superuser", False):
        return True
    person = user_person(actor)
    return person is not None and person.pk == member.person_id


def _require_invitee(actor: Any, member: ForumMember) -> None:
    if not _acts_for_self_or_is_administrator(actor, member):
        raise NotPermitted(_("Hanya orang yang diundang yang dapat menjawab undangan ini."), code="not_invitee")


def _join(member: ForumMember, *, actor: Any, via: str) -> ForumMember:
    _check_seat_room(member.forum, member.sector, excluding=member)
    if member.role == ForumRole.CHAIR:
        _check_chair_free(member.forum, excluding=member)
    _move_member(member, ForumMemberStatus.ACTIVE)
    member.joined_at = timezone.now()
    member.save()
    _log(LedgerEvent.FORUM_MEMBER_JOINED, actor, member.forum, {**_member_facts(member), "via": via})
    return member


@transaction.atomic
def forum_member_accept(*, actor: Any, member: ForumMember) -> ForumMember:
    """The invitee accepts and becomes an active member (if the sector still has a seat)."""
    member = _lock_member(member)
    _require_invitee(actor, member)
    _require_open(member.forum)
    if member.status != ForumMemberStatus.INVITED:
        raise RuleViolation(_("Tidak ada undangan yang menunggu jawaban."), code="no_invitation")
    return _join(member, actor=actor, via="invitation")


@transaction.atomic
def forum_member_decline(*, actor: Any, member: ForumMember) -> ForumMember:
    member = _lock_member(member)
    _require_invitee(actor, member)
    if member.status != ForumMemberStatus.INVITED:
        raise RuleViolation(_("Tidak ada undangan yang menunggu jawaban."), code="no_invitation")
    _move_member(member, ForumMemberStatus.DECLINED)
    member.save()
    _log(LedgerEvent.FORUM_MEMBER_DECLINED, actor, member.forum, {**_member_facts(member), "via": "invitation"})
    return member


@transaction.atomic
def forum_member_approve(*, actor: Any, member: ForumMember, reason: str = "") -> ForumMember:
    """A steward approves an application; the applicant becomes an active member."""
    member = _lock_member(member)
    _require_open(member.forum)
    if member.status != ForumMemberStatus.APPLIED:
        raise RuleViolation(_("Tidak ada permohonan yang menunggu keputusan."), code="no_application")
    member.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    member.decision_reason = reason.strip()[:2000]
    return _join(member, actor=actor, via="application")


@transaction.atomic
def forum_member_reject(*, actor: Any, member: ForumMember, reason: str) -> ForumMember:
    """A steward rejects an application; the reason is required and public."""
    member = _lock_member(member)
    if member.status != ForumMemberStatus.APPLIED:
        raise RuleViolation(_("Tidak ada permohonan yang menunggu keputusan."), code="no_application")
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Alasan penolakan wajib diisi."), code="reason_required")
    if len(reason) > 2000:
        raise RuleViolation(_("Alasan penolakan terlalu panjang (maksimal 2000 karakter)."))
    _move_member(member, ForumMemberStatus.REJECTED)
    member.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    member.decision_reason = reason
    member.save()
    _log(
        LedgerEvent.FORUM_MEMBER_DECLINED,
        actor,
        member.forum,
        {**_member_facts(member), "via": "application", "reason": reason},
    )
    return member


@transaction.atomic
def forum_member_leave(*, actor: Any, member: ForumMember) -> ForumMember:
    """A member leaves the forum of their own accord (or an administrator records it)."""
    member = _lock_member(member)
    if not _acts_for_self_or_is_administrator(actor, member):
        raise NotPermitted(_("Hanya anggota itu sendiri yang dapat keluar dari forum."), code="not_self")
    if member.status != ForumMemberStatus.ACTIVE:
        raise RuleViolation(_("Anda bukan anggota aktif forum ini."), code="not_member")
    _move_member(member, ForumMemberStatus.LEFT)
    member.left_at = timezone.now()
    member.save()
    _log(LedgerEvent.FORUM_MEMBER_LEFT, actor, member.forum, _member_facts(member))
    return member


@transaction.atomic
def forum_member_set_role(*, actor: Any, member: ForumMember, role: str) -> ForumMember:
    """Make an active member the chair, secretariat or a plain member; one chair at a time."""
    member = _lock_member(member)
    _require_open(member.forum)
    if role not in ForumRole.values:
        raise RuleViolation(_("Peran forum tidak dikenal."))
    if member.status != ForumMemberStatus.ACTIVE:
        raise RuleViolation(_("Peran hanya dapat diberikan kepada anggota aktif."), code="not_member")
    if member.role == role:
        raise RuleViolation(_("Anggota ini sudah memegang peran tersebut."), code="no_change")
    if role == ForumRole.CHAIR:
        _check_chair_free(member.forum, excluding=member)
    old_role = member.role
    member.role = role
    member.save(update_fields=["role", "updated_at"])
    _log(
        LedgerEvent.FORUM_MEMBER_ROLE_CHANGED,
        actor,
        member.forum,
        {**_member_facts(member), "old_role": old_role, "new_role": role},
    )
    return member

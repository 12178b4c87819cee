"""Writes for actors: sectors, organisations, people and memberships.

Each public change writes exactly one log entry in the same transaction. Entries carry public
facts only: slugs, codes, dates and the names of listed (public) persons; an unlisted person
(a citizen) appears only by their pseudonymous handle.
"""

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.accounts.models import User
from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationAlias, Person, Sector
from sinergi.core.errors import InvalidTransition, RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "sector",
    "kind",
    "parent",
    "region",
    "description",
    "website",
    "public_email",
    "address",
    "valid_from",
    "valid_until",
    "seat_count",
)
PERSON_FIELDS = ("full_name", "public_title", "bio", "is_listed")
MAX_PARENT_DEPTH = 12


def unique_slug(model: type, base: str, *, field: str = "slug", max_length: int = 110) -> str:
    root = slugify(base)[:max_length] or "x"
    candidate, n = root, 2
    while model._default_manager.filter(**{field: candidate}).exists():  # type: ignore[attr-defined]
        candidate = f"{root}-{n}"
        n += 1
    return candidate


def _public(value: Any) -> Any:
    """How a field value appears in the log: stable identifiers, never floats or objects."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Organisation | Person):
        return value.slug
    if isinstance(value, Model) and hasattr(value, "code"):
        return value.code
    return str(value)


def _full_clean(instance: Model, *, exclude: list[str] | None = None) -> None:
    """Model validation (lengths, URL and e-mail formats) as a domain refusal with the first message."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RuleViolation(f"{field}: {messages[0]}", code="invalid") from error


EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _check_dates(valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    for day in (valid_from, valid_until):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise RuleViolation(_("Tanggal harus antara tahun 1900 dan 2199."))
    if valid_from and valid_until and valid_until < valid_from:
        raise RuleViolation(_("Tanggal berakhir tidak boleh sebelum tanggal mulai."))


def _check_parent(organisation: Organisation | None, parent: Organisation | None) -> None:
    """No organisation may be its own ancestor (the directory walks parent chains)."""
    node, depth = parent, 0
    while node is not None:
        if organisation is not None and node.pk == organisation.pk:
            raise RuleViolation(_("Induk organisasi tidak boleh organisasi itu sendiri atau salah satu bawahannya."))
        depth += 1
        if depth > MAX_PARENT_DEPTH:
            raise RuleViolation(_("Rantai induk organisasi terlalu panjang."))
        node = node.parent


def _organisation_facts(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "short_name": organisation.short_name,
        "sector": organisation.sector.code,
        "kind": organisation.kind.code,
        "parent": organisation.parent.slug if organisation.parent else None,
        "region": organisation.region_id,
        "valid_from": _public(organisation.valid_from),
        "valid_until": _public(organisation.valid_until),
        "seat_count": organisation.seat_count,
    }


@transaction.atomic
def sector_create(
    *, actor: User | None, code: str, name: str, description: str = "", is_state: bool = False, order: int = 0
) -> Sector:
    """A new social sector (data, not an enum): an administrator may add e.g. "keagamaan"."""
    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,29}", code):
        raise RuleViolation(_("Kode sektor hanya huruf kecil, angka, dan tanda hubung (maks. 30)."))
    if not name.strip():
        raise RuleViolation(_("Nama sektor wajib diisi."))
    if Sector.objects.filter(code=code).exists():
        raise RuleViolation(_("Sektor dengan kode “%(code)s” sudah ada.") % {"code": code})
    sector = Sector(code=code, name=name.strip(), description=description, is_state=is_state, order=order)
    _full_clean(sector)
    sector.save()
    ledger_record(
        event=LedgerEvent.SECTOR_CREATED,
        actor=actor,
        subject_type="sector",
        subject_id=sector.code,
        data={"code": sector.code, "name": sector.name, "is_state": sector.is_state},
    )
    return sector


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    sector: Sector,
    kind: Any,
    parent: Organisation | None = None,
    slug: str = "",
    short_name: str = "",
    region: Any = None,
    description: str = "",
    website: str = "",
    public_email: str = "",
    address: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    seat_count: int | None = None,
) -> Organisation:
    """Register an organisation. The slug is derived from the name unless given (and then must be free)."""
    if not name.strip():
        raise RuleViolation(_("Nama organisasi wajib diisi."))
    _check_dates(valid_from, valid_until)
    _check_parent(None, parent)
    if slug:
        if Organisation.objects.filter(slug=slug).exists():
            raise RuleViolation(_("Alamat (slug) “%(slug)s” sudah dipakai.") % {"slug": slug})
    else:
        slug = unique_slug(Organisation, name)
    organisation = Organisation(
        slug=slug,
        name=name.strip(),
        short_name=short_name.strip(),
        sector=sector,
        kind=kind,
        parent=parent,
        region=region,
        description=description,
        website=website,
        public_email=public_email,
        address=address,
        valid_from=valid_from,
        valid_until=valid_until,
        seat_count=seat_count,
    )
    _full_clean(organisation)
    organisation.save()
    ledger_record(
        event=LedgerEvent.ORGANISATION_CREATED,
        actor=actor,
        subject_type="organisation",
        subject_id=str(organisation.uid),
        data=_organisation_facts(organisation),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User | None, organisation: Organisation, **changes: Any) -> Organisation:
    """Change an organisation's fields; the log entry lists each changed field's old and new
    value. Nothing changed means nothing is written (so loaders can call it repeatedly)."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise RuleViolation(_("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            raise RuleViolation(_("Nama organisasi wajib diisi."))
    diff = {
        field: {"old": _public(getattr(organisation, field)), "new": _public(value)}
        for field, value in changes.items()
        if getattr(organisation, field) != value
    }
    if not diff:
        return organisation
    for field, value in changes.items():
        setattr(organisation, field, value)
    _check_dates(organisation.valid_from, organisation.valid_until)
    if "parent" in diff:
        _check_parent(organisation, organisation.parent)
    _full_clean(organisation)
    organisation.save()
    ledger_record(
        event=LedgerEvent.ORGANISATION_UPDATED,
        actor=actor,
        subject_type="organisation",
        subject_id=str(organisation.uid),
        data={"slug": organisation.slug, "changes": diff},
    )
    return organisation


@transaction.atomic
def organisation_alias_add(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> OrganisationAlias:
    """Record a former or informal name (e.g. a 2025 renaming) so searches still find it."""
    name = name.strip()
    if not name or len(name) > 255:
        raise RuleViolation(_("Nama lain wajib diisi (maksimal 255 karakter)."))
    _check_dates(valid_from, valid_until)
    if name.casefold() == organisation.name.casefold() or organisation.aliases.filter(name__iexact=name).exists():
        raise RuleViolation(_("Nama “%(name)s” sudah tercatat untuk organisasi ini.") % {"name": name})
    alias = OrganisationAlias.objects.create(
        organisation=organisation, name=name, valid_from=valid_from, valid_until=valid_until
    )
    ledger_record(
        event=LedgerEvent.ORGANISATION_ALIAS_ADDED,
        actor=actor,
        subject_type="organisation",
        subject_id=str(organisation.uid),
        data={
            "slug": organisation.slug,
            "alias": name,
            "valid_from": _public(valid_from),
            "valid_until": _public(valid_until),
        },
    )
    return alias


@transaction.atomic
def person_create_for_user(*, user: User, full_name: str, is_listed: bool = False) -> Person:
    """The profile behind a login. Unlisted profiles are private and not logged publicly."""
    return Person.objects.create(
        user=user, full_name=full_name, slug=unique_slug(Person, full_name), is_listed=is_listed
    )


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    full_name: str,
    public_title: str = "",
    bio: str = "",
    user: User | None = None,
    is_listed: bool = True,
    slug: str = "",
) -> Person:
    """A public person of the directory (an official, a DPRD member), with or without a login.
    An unlisted profile is private, like a citizen's own (person_create_for_user): no log entry."""
    full_name = full_name.strip()
    if not full_name:
        raise RuleViolation(_("Nama lengkap wajib diisi."))
    if user is not None and Person.objects.filter(user=user).exists():
        raise RuleViolation(_("Akun ini sudah punya profil."))
    if slug and Person.objects.filter(slug=slug).exists():
        raise RuleViolation(_("Alamat (slug) “%(slug)s” sudah dipakai.") % {"slug": slug})
    person = Person(
        user=user,
        full_name=full_name,
        public_title=public_title.strip(),
        bio=bio,
        is_listed=is_listed,
        slug=slug or unique_slug(Person, full_name),
    )
    _full_clean(person, exclude=["user"])
    person.save()
    if is_listed:
        ledger_record(
            event=LedgerEvent.PERSON_CREATED,
            actor=actor,
            subject_type="person",
            subject_id=str(person.uid),
            data={"slug": person.slug, "full_name": person.full_name, "public_title": person.public_title},
        )
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, **changes: Any) -> Person:
    """Change a profile. A listed (public) person's changes are logged with old and new values;
    an unlisted profile is private and its changes are not logged. Listing or unlisting is
    logged, with values only on the public side of the change."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise RuleViolation(_("Kolom tidak dikenal: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "full_name" in changes:
        changes["full_name"] = (changes["full_name"] or "").strip()
        if not changes["full_name"]:
            raise RuleViolation(_("Nama lengkap wajib diisi."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    was_listed = person.is_listed
    changed = {field: value for field, value in changes.items() if getattr(person, field) != value}
    if not changed:
        return person
    old = {field: getattr(person, field) for field in changed}
    for field, value in changed.items():
        setattr(person, field, value)
    _full_clean(person, exclude=["user"])
    person.save()
    if not (was_listed or person.is_listed):
        return person
    diff = {
        field: {
            "old": old[field] if was_listed else None,
            "new": value if person.is_listed else None,
        }
        for field, value in changed.items()
    }
    ledger_record(
        event=LedgerEvent.PERSON_UPDATED,
        actor=actor,
        subject_type="person",
        subject_id=str(person.uid),
        data={"slug": person.slug if person.is_listed else None, "changes": diff},
    )
    return person


def _membership_facts(membership: Membership) -> dict[str, Any]:
    person = membership.person
    return {
        "organisation": membership.organisation.slug,
        "person": person.public_handle,
        "person_name": person.full_name if person.is_listed else None,
        "role": membership.role.code,
        "title": membership.title,
        "valid_from": _public(membership.valid_from),
        "valid_until": _public(membership.valid_until),
    }


@transaction.atomic
def membership_start(
    *,
    actor: User | None,
    person: Person,
    organisation: Organisation,
    role: MembershipRole,
    title: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    since_unknown: bool = False,
) -> Membership:
    """A person takes a role in an organisation from `valid_from` (default today, unless
    `since_unknown`: seeded officials whose start date the sources do not give)."""
    if valid_from is None and not since_unknown:
        valid_from = timezone.localdate()
    _check_dates(valid_from, valid_until)
    if organisation.valid_until is not None and organisation.valid_until < (valid_from or timezone.localdate()):
        raise RuleViolation(_("Organisasi ini sudah tidak berlaku pada tanggal tersebut."))
    overlapping = Membership.objects.filter(person=person, organisation=organisation, role=role)
    if valid_from is not None:
        overlapping = overlapping.exclude(valid_until__lt=valid_from)
    if valid_until is not None:
        overlapping = overlapping.exclude(valid_from__gt=valid_until)
    if overlapping.exists():
        raise RuleViolation(
            _("%(person)s sudah memegang peran %(role)s di %(organisation)s pada periode itu.")
            % {"person": person.full_name, "role": role.name, "organisation": organisation.name}
        )
    membership = Membership(
        person=person,
        organisation=organisation,
        role=role,
        title=title.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    _full_clean(membership)
    membership.save()
    ledger_record(
        event=LedgerEvent.MEMBERSHIP_STARTED,
        actor=actor,
        subject_type="membership",
        subject_id=str(membership.uid),
        data=_membership_facts(membership),
    )
    return membership


@transaction.atomic
def membership_end(
    *, actor: User | None, membership: Membership, last_day: dt.date | None = None, reason: str = ""
) -> Membership:
    """End a membership. By default its last day is yesterday, so the role (and any right to act
    for the organisation) stops at once; a membership that had not begun yet is withdrawn."""
    membership = (
        Membership.objects.select_for_update().select_related("person", "organisation", "role").get(pk=membership.pk)
    )
    today = timezone.localdate()
    if membership.valid_until is not None and membership.valid_until < today:
        raise InvalidTransition(_("Keanggotaan ini sudah berakhir."))
    last_day = last_day or today - dt.timedelta(days=1)
    _check_dates(last_day, None)
    if membership.valid_from and last_day < membership.valid_from:
        last_day = membership.valid_from - dt.timedelta(days=1)
    membership.valid_until = last_day
    membership.save(update_fields=["valid_until", "updated_at"])
    ledger_record(
        event=LedgerEvent.MEMBERSHIP_ENDED,
        actor=actor,
        subject_type="membership",
        subject_id=str(membership.uid),
        data={**_membership_facts(membership), "reason": reason.strip()[:500]},
    )
    return membership


# ---- verification ("warga terverifikasi") ---------------------------------------------------


@transaction.atomic
def person_verify(*, actor: User | None, person: Person, verified: bool = True) -> Person:
    """Record (or withdraw) that a person's identity was checked in person, by a kelurahan counter or the Dinas
    Dukcapil. Verified citizens may take part in consultations open to "warga terverifikasi". The log entry names
    the person only when their profile is listed; nothing of the identity document is stored or logged."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (person.verified_at is not None) == verified:
        return person
    person.verified_at = timezone.now() if verified else None
    person.save(update_fields=["verified_at", "updated_at"])
    ledger_record(
        event=LedgerEvent.PERSON_VERIFIED,
        actor=actor,
        subject_type="person",
        subject_id=str(person.uid),
        data={"slug": person.slug if person.is_listed else None, "verified": verified},
    )
    return person

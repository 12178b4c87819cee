"""Load a city's institutions from a data file shipped in the repository, through the services
(so the public log records every organisation, person and membership). Idempotent: records are
matched by slug and only missing ones are created, so a re-run never undoes what an
administrator has since edited."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationKind, Person, Sector
from sinergi.actors.services import (
    membership_start,
    organisation_alias_add,
    organisation_create,
    person_create,
)
from sinergi.core.errors import RuleViolation
from sinergi.regions.models import Region

KOTA_BLITAR_INSTITUTIONS = Path(__file__).resolve().parent / "data" / "kota_blitar.json"


@dataclass
class InstitutionsLoadResult:
    organisations_created: int = 0
    aliases_added: int = 0
    people_created: int = 0
    memberships_started: int = 0


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _organisation_fields(entry: dict[str, Any], organisations: dict[str, Organisation]) -> dict[str, Any]:
    parent_slug = entry.get("parent")
    region_code = entry.get("region")
    if parent_slug and parent_slug not in organisations:
        raise RuleViolation(f"{entry['slug']}: induk {parent_slug} harus muncul lebih dulu di berkas data")
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region_code and region is None:
        raise RuleViolation(f"{entry['slug']}: wilayah {region_code} belum dimuat (jalankan load_regions)")
    return {
        "name": entry["name"],
        "short_name": entry.get("short_name", ""),
        "sector": Sector.objects.get(code=entry["sector"]),
        "kind": OrganisationKind.objects.get(code=entry["kind"]),
        "parent": organisations[parent_slug] if parent_slug else None,
        "region": region,
        "description": entry.get("description", ""),
        "seat_count": entry.get("seat_count"),
        "valid_from": _date(entry.get("valid_from")),
        "valid_until": _date(entry.get("valid_until")),
    }


@transaction.atomic
def institutions_load(*, data: dict[str, Any], actor: Any = None) -> InstitutionsLoadResult:
    """Create or bring up to date the organisations, listed people and memberships in `data`
    (the format of `data/kota_blitar.json`). Needs reference data and regions loaded first."""
    result = InstitutionsLoadResult()
    organisations: dict[str, Organisation] = {}
    for entry in data.get("organisations", []):
        fields = _organisation_fields(entry, organisations)
        organisation = Organisation.objects.filter(slug=entry["slug"]).first()
        if organisation is None:
            organisation = organisation_create(actor=actor, slug=entry["slug"], **fields)
            result.organisations_created += 1
        organisations[organisation.slug] = organisation
        known = {name.casefold() for name in organisation.aliases.values_list("name", flat=True)}
        for alias in entry.get("aliases", []):
            if alias["name"].casefold() not in known and alias["name"].casefold() != organisation.name.casefold():
                organisation_alias_add(
                    actor=actor,
                    organisation=organisation,
                    name=alias["name"],
                    valid_from=_date(alias.get("valid_from")),
                    valid_until=_date(alias.get("valid_until")),
                )
                result.aliases_added += 1
    people: dict[str, Person] = {}
    for entry in data.get("people", []):
        person = Person.objects.filter(slug=entry["slug"]).first()
        if person is None:
            person = person_create(
                actor=actor,
                slug=entry["slug"],
                full_name=entry["full_name"],
                public_title=entry.get("public_title", ""),
                bio=entry.get("bio", ""),
                is_listed=True,
            )
            result.people_created += 1
        people[person.slug] = person
    for entry in data.get("memberships", []):
        person = people.get(entry["person"]) or Person.objects.get(slug=entry["person"])
        organisation = organisations.get(entry["organisation"]) or Organisation.objects.get(slug=entry["organisation"])
        role = MembershipRole.objects.get(code=entry["role"])
        if Membership.objects.filter(person=person, organisation=organisation, role=role).exists():
            continue
        membership_start(
            actor=actor,
            person=person,
            organisation=organisation,
            role=role,
            title=entry.get("title", ""),
            valid_from=_date(entry.get("valid_from")) or organisation.valid_from,
            valid_until=_date(entry.get("valid_until")),
            since_unknown=True,
        )
        result.memberships_started += 1
    return result


def kota_blitar_institutions() -> dict[str, Any]:
    return json.loads(KOTA_BLITAR_INSTITUTIONS.read_text(encoding="utf-8"))

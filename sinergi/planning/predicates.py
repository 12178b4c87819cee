"""Who acts in planning: DPRD members, the DPRD secretariat (Setwan), Bappeda, BPKAD and the OPD.

Institutions are recognised by the organisation slugs of the Kota Blitar seed (configurable through
`settings.SINERGI["PLANNING_ROLES"]`), DPRD members by the kind of body they act for.
"""

from typing import Any

import rules
from django.conf import settings

from sinergi.actors.models import Organisation
from sinergi.actors.predicates import acts_for_organisation_tree, is_administrator
from sinergi.actors.selectors import (
    organisation_acting_member_ids,
    organisation_in_subtree_of,
    user_acting_organisations,
)
from sinergi.planning.states import PokirStatus

DPRD_KINDS = ("dprd", "komisi", "fraksi")
MUSRENBANG_ORGANISER_KINDS = ("kelurahan", "kecamatan", "pemkot")
DEFAULT_ROLES = {
    "secretariat": ["sekretariat-dprd"],
    "bappeda": ["bappeda"],
    "bpkad": ["bpkad"],
}


def role_slugs(role: str) -> list[str]:
    configured: dict[str, Any] = dict(getattr(settings, "SINERGI", {})).get("PLANNING_ROLES", {})
    return list(configured.get(role, DEFAULT_ROLES[role]))


def dprd_bodies(user: Any) -> Any:
    """The DPRD, komisi and fraksi the user acts for today."""
    return user_acting_organisations(user).filter(kind__code__in=DPRD_KINDS)


def _acts_for_slugs(user: Any, slugs: list[str]) -> bool:
    return user_acting_organisations(user).filter(slug__in=slugs).exists()


@rules.predicate
def is_dprd_member(user: Any) -> bool:
    return dprd_bodies(user).exists()


@rules.predicate
def is_dprd_secretariat(user: Any) -> bool:
    return _acts_for_slugs(user, role_slugs("secretariat"))


@rules.predicate
def is_bappeda(user: Any) -> bool:
    return _acts_for_slugs(user, role_slugs("bappeda"))


@rules.predicate
def is_bpkad(user: Any) -> bool:
    return _acts_for_slugs(user, role_slugs("bpkad"))


@rules.predicate
def is_musrenbang_organiser(user: Any) -> bool:
    return user_acting_organisations(user).filter(kind__code__in=MUSRENBANG_ORGANISER_KINDS).exists()


@rules.predicate
def is_reses_member(user: Any, reses: Any) -> bool:
    """The member whose reses it is (a reses is a member's own duty, not the whole DPRD's)."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and getattr(reses, "member_id", None) == person.pk


@rules.predicate
def is_pokir_proposer(user: Any, item: Any) -> bool:
    """The account that proposed the item, or the member it is proposed in the name of."""
    if not getattr(user, "is_authenticated", False) or item is None:
        return False
    if getattr(item, "proposed_by_id", None) == user.pk:
        return True
    person = getattr(user, "person", None)
    return person is not None and getattr(item, "member_id", None) == person.pk


@rules.predicate
def is_pokir_proposed(user: Any, item: Any) -> bool:
    """Still at the member's stage: Setwan has not verified it yet (SIPD freezes it afterwards)."""
    return getattr(item, "status", None) == PokirStatus.PROPOSED


@rules.predicate
def is_pokir_opd(user: Any, item: Any) -> bool:
    return acts_for_organisation_tree(user, getattr(item, "opd", None))


@rules.predicate
def organises_musrenbang(user: Any, musrenbang: Any) -> bool:
    organiser = getattr(musrenbang, "organiser", None)
    if not isinstance(organiser, Organisation):
        return False
    return organisation_in_subtree_of(organiser, organisation_acting_member_ids(user))


__all__ = ["is_administrator"]

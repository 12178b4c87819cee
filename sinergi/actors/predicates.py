"""Role predicates shared by every app's permissions (django-rules)."""

import rules

from sinergi.actors.models import Organisation
from sinergi.actors.selectors import (
    organisation_acting_member_ids,
    organisation_in_subtree_of,
    user_active_memberships,
    user_person,
    user_public_institutions,
)


@rules.predicate
def is_administrator(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def acts_for_public_institution(user: object) -> bool:
    """C1: the user holds an acting role in Pemkot/OPD, DPRD, a kecamatan or a kelurahan."""
    return user_public_institutions(user).exists()


@rules.predicate
def has_profile(user: object) -> bool:
    return getattr(user, "is_authenticated", False) and getattr(user, "person", None) is not None


@rules.predicate
def is_organisation_member(user: object) -> bool:
    return user_active_memberships(user).exists()


is_signed_in = rules.is_authenticated


def _acts_for_tree(user: object, organisation: object) -> bool:
    if not isinstance(organisation, Organisation):
        return False
    return organisation_in_subtree_of(organisation, organisation_acting_member_ids(user))


@rules.predicate
def acts_for_organisation_tree(user: object, organisation: object) -> bool:
    """The user acts for the organisation or for one of its ancestors (Pemkot for an OPD,
    DPRD for a komisi, a kecamatan office for its kelurahan offices)."""
    return _acts_for_tree(user, organisation)


@rules.predicate
def acts_for_membership_organisation(user: object, membership: object) -> bool:
    return _acts_for_tree(user, getattr(membership, "organisation", None))


@rules.predicate
def is_listed_person(user: object, person: object) -> bool:
    return bool(getattr(person, "is_listed", False))


@rules.predicate
def is_own_person(user: object, person: object) -> bool:
    own = user_person(user)
    return own is not None and person is not None and getattr(person, "pk", None) == own.pk

"""Role predicates shared by every app's permissions (django-rules)."""

import rules

from sinergi.actors.selectors import user_active_memberships, user_public_institutions


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

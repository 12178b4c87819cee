"""Role predicates of the aspiration desks (django-rules).

* The coordinator desk (SP4N-LAPOR! "admin instansi": verifies and dispositions) is whoever acts for an
  organisation whose slug is in ``settings.SINERGI["ASPIRATION_COORDINATORS"]``.
* The PPID desk answers public-information requests: ``settings.SINERGI["PPID_ORGANISATIONS"]``.
* OPD officers act for the organisation a case is assigned to (or for one of its ancestors).
"""

from typing import Any

import rules
from django.conf import settings

from sinergi.actors.predicates import acts_for_organisation_tree
from sinergi.actors.selectors import user_acting_organisations
from sinergi.aspirations.states import AspirationKind, Privacy

DEFAULT_COORDINATORS = ("diskominfotik",)
DEFAULT_PPID = ("diskominfotik",)


def coordinator_slugs() -> list[str]:
    configured: Any = settings.SINERGI.get("ASPIRATION_COORDINATORS", DEFAULT_COORDINATORS)
    return list(configured)


def ppid_slugs() -> list[str]:
    configured: Any = settings.SINERGI.get("PPID_ORGANISATIONS", DEFAULT_PPID)
    return list(configured)


def _acts_for_any_slug(user: Any, slugs: list[str]) -> bool:
    if not getattr(user, "is_authenticated", False) or not slugs:
        return False
    # Cached per request object: the desk pages ask this once per row.
    cache = user.__dict__.setdefault("_aspiration_desk_cache", {})
    key = tuple(sorted(slugs))
    if key not in cache:
        cache[key] = user_acting_organisations(user).filter(slug__in=slugs).exists()
    return bool(cache[key])


@rules.predicate
def is_aspiration_coordinator(user: Any) -> bool:
    return _acts_for_any_slug(user, coordinator_slugs())


@rules.predicate
def is_ppid_officer(user: Any) -> bool:
    return _acts_for_any_slug(user, ppid_slugs())


@rules.predicate
def is_ppid_case_officer(user: Any, aspiration: Any) -> bool:
    """A public-information request is the PPID's to answer, whoever it is assigned to."""
    return getattr(aspiration, "kind", None) == AspirationKind.PERMINTAAN_INFORMASI and _acts_for_any_slug(
        user, ppid_slugs()
    )


@rules.predicate
def acts_for_assigned_organisation(user: Any, aspiration: Any) -> bool:
    organisation = getattr(aspiration, "assigned_organisation", None)
    return organisation is not None and acts_for_organisation_tree(user, organisation)


@rules.predicate
def is_anonymous_case(user: Any, aspiration: Any) -> bool:
    return getattr(aspiration, "privacy", None) == Privacy.ANONYMOUS

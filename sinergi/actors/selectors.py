import datetime as dt
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationKind, Person, Sector

MAX_PARENT_DEPTH = 12


def today() -> dt.date:
    return timezone.localdate()


def user_person(user: object) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def user_active_memberships(user: object, *, day: dt.date | None = None) -> QuerySet[Membership]:
    person = user_person(user)
    if person is None:
        return Membership.objects.none()
    day = day or today()
    return (
        Membership.objects.valid_on(day)
        .filter(person=person, organisation__in=Organisation.objects.valid_on(day))
        .select_related("organisation__sector", "organisation__kind", "role")
    )


def user_acting_organisations(user: object, *, day: dt.date | None = None) -> QuerySet[Organisation]:
    """Organisations the user may act in the name of today (role `acts_for_organisation`)."""
    memberships = user_active_memberships(user, day=day).filter(role__acts_for_organisation=True)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).select_related("sector", "kind")


def user_public_institutions(user: object, *, day: dt.date | None = None) -> QuerySet[Organisation]:
    """Public institutions (Pemkot/OPD, DPRD, kecamatan, kelurahan) the user acts for — C1."""
    return user_acting_organisations(user, day=day).filter(kind__is_public_institution=True)


def organisation_list(
    *,
    sector: str = "",
    kind: str = "",
    q: str = "",
    parent: str = "",
    include_invalid: bool = False,
    day: dt.date | None = None,
) -> QuerySet[Organisation]:
    """The public directory: currently valid organisations unless asked otherwise, searchable by
    name, short name or any alias (former names included)."""
    organisations = Organisation.objects.select_related("sector", "kind", "parent", "region").order_by(
        "sector__order", "kind__order", "name"
    )
    if not include_invalid:
        organisations = organisations.valid_on(day or today())
    if sector:
        organisations = organisations.filter(sector__code=sector)
    if kind:
        organisations = organisations.filter(kind__code=kind)
    if parent:
        organisations = organisations.filter(parent__slug=parent)
    q = q.strip()[:100]
    if q:
        matching = Organisation.objects.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(aliases__name__icontains=q)
        ).values("pk")
        organisations = organisations.filter(pk__in=matching)
    return organisations


def organisation_get(slug: str) -> Organisation | None:
    return (
        Organisation.objects.select_related("sector", "kind", "region", "parent__parent__parent")
        .filter(slug=slug)
        .first()
    )


def organisation_ancestors(organisation: Organisation) -> list[Organisation]:
    """From the top (e.g. Pemerintah Kota) down to the direct parent."""
    chain: list[Organisation] = []
    node = organisation.parent
    while node is not None and len(chain) < MAX_PARENT_DEPTH:
        chain.append(node)
        node = node.parent  # cached by organisation_get's select_related for the first levels
    return list(reversed(chain))


def organisation_children(organisation: Organisation, *, day: dt.date | None = None) -> QuerySet[Organisation]:
    return (
        Organisation.objects.valid_on(day or today())
        .filter(parent=organisation)
        .select_related("kind", "sector")
        .order_by("kind__order", "name")
    )


def organisation_current_members(organisation: Organisation, *, day: dt.date | None = None) -> QuerySet[Membership]:
    """Current memberships of listed (public) persons; citizens never appear by name."""
    return (
        Membership.objects.valid_on(day or today())
        .filter(organisation=organisation, person__is_listed=True)
        .select_related("person", "role")
        .order_by("role__order", "person__full_name")
    )


def organisation_unlisted_member_count(organisation: Organisation, *, day: dt.date | None = None) -> int:
    return (
        Membership.objects.valid_on(day or today())
        .filter(organisation=organisation, person__is_listed=False)
        .values("person")
        .distinct()
        .count()
    )


def organisation_forums(organisation: Organisation, *, limit: int = 100) -> dict[str, list[Any]]:
    """Forums the organisation convenes, and forums where someone sits for it (each at most `limit`)."""
    convened = list(organisation.convened_forums.order_by("name")[:limit])
    forum_ids = organisation.forum_seats.values("forum_id")
    forum_model = organisation.convened_forums.model
    sits_in = list(forum_model.objects.filter(pk__in=forum_ids).order_by("name")[:limit])
    return {"convened": convened, "sits_in": sits_in}


def organisation_acting_member_ids(user: object, *, day: dt.date | None = None) -> set[int]:
    return set(user_acting_organisations(user, day=day).values_list("pk", flat=True))


def organisation_in_subtree_of(organisation: Organisation, organisation_ids: set[int]) -> bool:
    """Whether the organisation or one of its ancestors is among `organisation_ids`."""
    if not organisation_ids:
        return False
    if organisation.pk in organisation_ids:
        return True
    return any(ancestor.pk in organisation_ids for ancestor in organisation_ancestors(organisation))


def person_get_listed(slug: str) -> Person | None:
    return Person.objects.filter(slug=slug, is_listed=True).first()


def person_memberships(person: Person) -> QuerySet[Membership]:
    """All the person's memberships, current and past, newest first."""
    return (
        Membership.objects.filter(person=person)
        .select_related("organisation__sector", "organisation__kind", "role")
        .order_by(F("valid_until").desc(nulls_first=True), "-valid_from")
    )


def membership_get(uid: Any) -> Membership | None:
    return Membership.objects.select_related("person", "organisation", "role").filter(uid=uid).first()


def membership_list_public(
    *, organisation: Organisation | None = None, person: Person | None = None, current_only: bool = True
) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(person__is_listed=True).select_related("person", "organisation", "role")
    if current_only:
        memberships = memberships.valid_on(today())
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if person is not None:
        memberships = memberships.filter(person=person)
    return memberships.order_by("organisation__name", "role__order", "person__full_name")


def sector_list() -> QuerySet[Sector]:
    """Sectors with the number of currently valid organisations in each."""
    valid = Organisation.objects.valid_on(today()).filter(sector=OuterRef("pk")).values("sector")
    counted = valid.annotate(n=Count("pk")).values("n")
    return Sector.objects.annotate(organisation_count=Coalesce(Subquery(counted), 0)).order_by("order", "name")


def sector_get(code: str) -> Sector | None:
    return Sector.objects.filter(code=code).first()


def kind_list() -> QuerySet[OrganisationKind]:
    return OrganisationKind.objects.select_related("default_sector").order_by("order", "name")


def role_list() -> QuerySet[MembershipRole]:
    return MembershipRole.objects.order_by("order", "name")

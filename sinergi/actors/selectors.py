import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from sinergi.actors.models import Membership, Organisation, Person


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

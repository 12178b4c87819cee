"""Who may do what with actors (django-rules, default deny).

Reading the directory is public. Sectors, organisations and public persons are platform
configuration, so only the platform administrator creates or changes them. Memberships are
also managed by whoever acts for the organisation (a role with `acts_for_organisation`) or for
one of its ancestors: an OPD's officers manage the OPD's roster, Pemkot's also every OPD's,
a kecamatan office's also its kelurahan offices'. Nobody else, whatever their sector.
"""

import rules

from sinergi.actors.predicates import (
    acts_for_membership_organisation,
    acts_for_organisation_tree,
    is_administrator,
    is_listed_person,
    is_own_person,
)

rules.add_perm("actors.view_sector", rules.always_allow)
rules.add_perm("actors.view_organisation", rules.always_allow)
rules.add_perm("actors.view_person", is_listed_person | is_own_person | is_administrator)

rules.add_perm("actors.add_sector", is_administrator)
rules.add_perm("actors.add_organisation", is_administrator)
rules.add_perm("actors.change_organisation", is_administrator)
rules.add_perm("actors.add_person", is_administrator)
rules.add_perm("actors.change_person", is_administrator | is_own_person)
rules.add_perm("actors.add_membership", is_administrator | acts_for_organisation_tree)
rules.add_perm("actors.end_membership", is_administrator | acts_for_membership_organisation)


@rules.predicate
def acts_for_verification_office(user: object) -> bool:
    """Officials acting for a kelurahan office or for the Dinas Kependudukan dan Pencatatan Sipil (Dukcapil),
    where identities are checked against the KTP in person."""
    from django.db.models import Q

    from sinergi.actors.selectors import user_acting_organisations

    return (
        user_acting_organisations(user)
        .filter(
            Q(kind__code="kelurahan")
            | Q(slug__icontains="dukcapil")
            | Q(short_name__icontains="dukcapil")
            | Q(name__icontains="kependudukan dan pencatatan sipil")
        )
        .exists()
    )


rules.add_perm("actors.verify_person", is_administrator | acts_for_verification_office)

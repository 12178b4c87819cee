import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergi.actors.selectors import (
    organisation_ancestors,
    organisation_current_members,
    organisation_forums,
    organisation_list,
    organisation_unlisted_member_count,
    person_memberships,
    sector_list,
)
from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from sinergi.forums.tests.factories import ForumFactory, ForumMemberFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def test_organisation_list_filters_and_searches_aliases() -> None:
    dinas = OrganisationFactory(name="Dinas Pariwisata dan Kebudayaan", short_name="Disbudpar", kind=kind("opd"))
    dinas.aliases.create(name="Dinas Kebudayaan dan Pariwisata")
    OrganisationFactory(name="Karang Taruna Bendogerit", kind=kind("karang-taruna"))
    OrganisationFactory(name="Fraksi Lama", kind=kind("fraksi"), valid_until=dt.date(2024, 9, 5))

    assert [o.name for o in organisation_list(q="kebudayaan dan pariwisata")] == [dinas.name]
    assert [o.name for o in organisation_list(q="DISBUDPAR")] == [dinas.name]
    assert [o.name for o in organisation_list(sector="pemuda")] == ["Karang Taruna Bendogerit"]
    assert [o.name for o in organisation_list(kind="opd")] == [dinas.name]
    assert "Fraksi Lama" not in [o.name for o in organisation_list()]
    assert "Fraksi Lama" in [o.name for o in organisation_list(include_invalid=True)]
    assert organisation_list(q="tidak ada").count() == 0


def test_ancestors_members_and_forums() -> None:
    pemkot = OrganisationFactory(name="Pemkot", kind=kind("pemkot"))
    kecamatan = OrganisationFactory(name="Kecamatan", kind=kind("kecamatan"), parent=pemkot)
    kelurahan = OrganisationFactory(name="Kelurahan", kind=kind("kelurahan"), parent=kecamatan)
    assert organisation_ancestors(kelurahan) == [pemkot, kecamatan]

    listed = MembershipFactory(organisation=kelurahan, person=PersonFactory(user=None, full_name="Lurah"))
    MembershipFactory(organisation=kelurahan, person=PersonFactory(is_listed=False))
    MembershipFactory(
        organisation=kelurahan, person=PersonFactory(user=None, full_name="Mantan"), valid_until=dt.date(2020, 1, 1)
    )
    assert list(organisation_current_members(kelurahan)) == [listed]
    assert organisation_unlisted_member_count(kelurahan) == 1

    convened = ForumFactory(name="Forum Kelurahan", convener=kelurahan)
    other = ForumFactory(name="Forum Kota")
    ForumMemberFactory(forum=other, organisation=kelurahan)
    ForumMemberFactory(forum=other, organisation=kelurahan)
    forums = organisation_forums(kelurahan)
    assert forums == {"convened": [convened], "sits_in": [other]}


def test_person_memberships_current_first() -> None:
    person = PersonFactory(user=None)
    past = MembershipFactory(person=person, valid_from=dt.date(2019, 1, 1), valid_until=dt.date(2024, 1, 1))
    current = MembershipFactory(person=person, valid_from=dt.date(2024, 9, 6), role=role("ketua"))
    assert list(person_memberships(person)) == [current, past]


def test_sector_list_counts_current_organisations() -> None:
    OrganisationFactory(kind=kind("perusahaan"))
    OrganisationFactory(kind=kind("perusahaan"), valid_until=dt.date(2000, 1, 1))
    counts = {s.code: s.organisation_count for s in sector_list()}
    assert counts["swasta"] == 1 and counts["media"] == 0


def test_acting_for_an_ancestor_reaches_the_subtree() -> None:
    from sinergi.actors.predicates import acts_for_membership_organisation, acts_for_organisation_tree

    pemkot = OrganisationFactory(name="Pemkot", kind=kind("pemkot"))
    kecamatan = OrganisationFactory(name="Kecamatan", kind=kind("kecamatan"), parent=pemkot)
    kelurahan = OrganisationFactory(name="Kelurahan", kind=kind("kelurahan"), parent=kecamatan)
    camat = MembershipFactory(organisation=kecamatan, role=role("kepala")).person.user
    plain_member = MembershipFactory(organisation=pemkot, role=role("anggota")).person.user
    former = MembershipFactory(organisation=pemkot, role=role("kepala"), valid_until=dt.date(2020, 1, 1)).person.user

    assert acts_for_organisation_tree(camat, kecamatan)
    assert acts_for_organisation_tree(camat, kelurahan)
    assert not acts_for_organisation_tree(camat, pemkot)
    assert not acts_for_organisation_tree(plain_member, kelurahan)
    assert not acts_for_organisation_tree(former, kelurahan)
    assert not acts_for_organisation_tree(AnonymousUser(), kelurahan)
    assert not acts_for_organisation_tree(camat, None)
    membership = MembershipFactory(organisation=kelurahan)
    assert acts_for_membership_organisation(camat, membership)
    assert camat.has_perm("actors.end_membership", membership)
    assert not camat.has_perm("actors.change_organisation", kelurahan)

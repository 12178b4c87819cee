from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, kind, role
from sinergi.forums.models import ForumRole
from sinergi.forums.predicates import is_forum_member, is_forum_steward
from sinergi.forums.states import ForumMemberStatus
from sinergi.forums.tests.factories import ForumMemberFactory, forum_with_seats

pytestmark = pytest.mark.django_db


def test_stewards_are_chair_secretariat_and_people_acting_for_the_convener_or_its_parent(reference_data: None) -> None:
    pemkot = OrganisationFactory(kind=kind("pemkot"))
    opd = OrganisationFactory(kind=kind("opd"), parent=pemkot)
    forum = forum_with_seats(convener=opd)
    acting_for_parent = MembershipFactory(organisation=pemkot, role=role("kepala")).person.user
    plain_staff_member = MembershipFactory(organisation=opd, role=role("anggota")).person.user
    chair = ForumMemberFactory(forum=forum, role=ForumRole.CHAIR).person.user
    secretariat = ForumMemberFactory(forum=forum, role=ForumRole.SECRETARIAT).person.user
    member = ForumMemberFactory(forum=forum).person.user
    invited_chair = ForumMemberFactory(forum=forum, role=ForumRole.CHAIR, status=ForumMemberStatus.INVITED).person.user

    assert is_forum_steward(acting_for_parent, forum)
    assert is_forum_steward(chair, forum)
    assert is_forum_steward(secretariat, forum)
    assert not is_forum_steward(member, forum)
    assert not is_forum_steward(plain_staff_member, forum)
    assert not is_forum_steward(invited_chair, forum)
    assert not is_forum_steward(AnonymousUser(), forum)
    assert not is_forum_steward(chair, None)

    assert is_forum_member(member, forum)
    assert is_forum_member(chair, forum)
    assert not is_forum_member(invited_chair, forum)
    assert not is_forum_member(acting_for_parent, forum)
    assert not is_forum_member(AnonymousUser(), forum)


def test_steward_of_one_forum_is_not_steward_of_another(personas: Any) -> None:
    forum = forum_with_seats(convener=personas["opd_officer"].organisation)
    other = forum_with_seats(convener=personas["dprd_member"].organisation)
    assert personas["opd_officer"].user.has_perm("forums.activate_forum", forum)
    assert not personas["opd_officer"].user.has_perm("forums.activate_forum", other)

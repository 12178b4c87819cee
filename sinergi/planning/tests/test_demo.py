import datetime as dt

import pytest
from django.utils import timezone

from sinergi.actors.loaders import institutions_load, kota_blitar_institutions
from sinergi.actors.models import MembershipRole, Organisation
from sinergi.actors.services import membership_start, person_create
from sinergi.actors.tests.factories import UserFactory
from sinergi.aspirations.models import Aspiration
from sinergi.planning.demo import seed_planning
from sinergi.planning.models import Musrenbang, PokirItem, Reses
from sinergi.planning.selectors import planning_trail
from sinergi.regions.services import region_import_kota_blitar

pytestmark = pytest.mark.django_db


def _account(username: str, organisation: str, role: str) -> None:
    user = UserFactory(username=username)
    person = person_create(actor=None, full_name=f"{username} (demo)", user=user)
    membership_start(
        actor=None,
        person=person,
        organisation=Organisation.objects.get(slug=organisation),
        role=MembershipRole.objects.get(code=role),
        valid_from=dt.date(2020, 1, 1),
    )


def test_seed_planning_builds_the_three_parts_through_the_services(reference_data: None) -> None:
    region_import_kota_blitar()
    institutions_load(data=kota_blitar_institutions())
    _account("dprd", "dprd-kota-blitar", "anggota-dprd")
    _account("bappeda", "bappeda", "staf")
    seeded = seed_planning(timezone.now())
    assert Reses.objects.count() == 3
    assert Aspiration.objects.filter(channel="reses").count() == 10
    assert sorted(PokirItem.objects.values_list("status", flat=True)) == ["in_rkpd", "realised", "rejected"]
    assert Musrenbang.objects.filter(status="closed").count() == 3
    paving = Aspiration.objects.get(title="Paving gang rusak")
    assert [step.level for step in planning_trail(paving)] == ["reses", "kelurahan", "kecamatan", "kota"]
    assert planning_trail(paving)[-1].status == "in_rkpd"
    assert seed_planning(timezone.now()).reses == []  # idempotent
    assert len(seeded.musrenbang) == 3

"""Random input to every planning form (found by crawling the planning pages) never gives a 5xx."""

import datetime as dt

import pytest
from django.urls import reverse

from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.planning import services
from sinergi.planning.tests.conftest import World
from sinergi.planning.tests.factories import MusrenbangFactory, PokirItemFactory
from tests.test_form_fuzz import _crawl_forms, _fuzz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["member", "admin", "kelurahan_officer"])
def test_planning_forms_survive_random_input(world: World, who: str) -> None:
    from django.test import Client

    reses = services.reses_open(
        actor=world.member,
        organisation=world.dprd,
        data=services.ResesInput(dapil="Dapil 1", masa_sidang="MS I", held_on=dt.date(2027, 1, 15), place="Balai"),
    )
    reses.aspirations.add(AspirationFactory())
    item = PokirItemFactory(opd=world.opd)
    musrenbang = MusrenbangFactory(organiser=world.kelurahan_office, region=world.kelurahan)
    musrenbang.proposals.create(title="Paving", priority=1)
    client = Client()
    client.force_login(getattr(world, who), backend="django.contrib.auth.backends.ModelBackend")
    starts = [
        reverse("planning:home"),
        reverse("planning:reses_detail", args=[reses.uid]),
        reverse("planning:reses_batch", args=[reses.uid]),
        reverse("planning:reses_import", args=[reses.uid]),
        reverse("planning:pokir_list"),
        reverse("planning:pokir_propose"),
        reverse("planning:pokir_detail", args=[item.uid]),
        reverse("planning:musrenbang_detail", args=[musrenbang.uid]),
        reverse("planning:musrenbang_open"),
        reverse("planning:reses_open"),
    ]
    forms = _crawl_forms(client, starts)
    planning_forms = [(t, f) for t, f in forms.values() if t.startswith("/perencanaan/")]
    assert planning_forms
    if who == "admin":  # every planning form is reachable by the administrator
        assert len(planning_forms) >= 12
    for target, form in planning_forms:
        _fuzz(client, target, form)

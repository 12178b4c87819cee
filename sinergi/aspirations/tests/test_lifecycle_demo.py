"""The lifecycle demo moves received cases along through the real services."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from sinergi.actors.tests.factories import OrganisationFactory, UserFactory, kind
from sinergi.aspirations.demo_lifecycle import seed_lifecycle
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.states import AspirationStatus
from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory
from sinergi.aspirations.workdays import WIB

pytestmark = pytest.mark.django_db


def test_seed_lifecycle(reference_data) -> None:  # type: ignore[no-untyped-def]
    OrganisationFactory(slug="diskominfotik", name="Diskominfotik", kind=kind("opd"))
    pupr = OrganisationFactory(slug="dinas-pupr", name="Dinas PUPR", kind=kind("opd"))
    UserFactory(username="admin", is_superuser=True)
    road = CategoryFactory(slug="jalan_jembatan", default_organisation=pupr)
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=WIB)
    for index in range(10):
        AspirationFactory(
            received_at=start + dt.timedelta(days=index),
            category=road,
            suggested_category=road,
            suggested_organisation=pupr,
        )
    counts = seed_lifecycle(dt.datetime(2026, 11, 27, 10, 0, tzinfo=WIB))
    statuses = list(Aspiration.objects.order_by("received_at").values_list("status", flat=True))
    assert statuses == [
        AspirationStatus.RECEIVED,
        AspirationStatus.RESOLVED,
        AspirationStatus.NEEDS_INFORMATION,
        AspirationStatus.IN_PROGRESS,
        AspirationStatus.RESOLVED,
        AspirationStatus.OUT_OF_SCOPE,
        AspirationStatus.DISPOSITIONED,
        AspirationStatus.RESOLVED,
        AspirationStatus.REJECTED,
        AspirationStatus.RESOLVED,
    ]
    assert counts["overdue"] >= 1  # the case left on the desk, at least
    assert get_user_model().objects.filter(username="koordinator").exists()
    responded = Aspiration.objects.filter(status=AspirationStatus.IN_PROGRESS).get()
    officer = responded.events.filter(kind="response").get().actor
    assert officer is not None and officer.username == "pupr"

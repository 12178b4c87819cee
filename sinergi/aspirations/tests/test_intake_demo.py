"""The demo intake: 40 realistic cases through the real service, idempotent, privacy choices mixed."""

import datetime as dt

import pytest
from django.utils import timezone

from sinergi.aspirations.demo import CASES, seed_intake
from sinergi.aspirations.models import Aspiration, ReporterIdentity
from sinergi.aspirations.states import AspirationKind, Privacy
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_seed_intake_writes_forty_cases_once() -> None:
    now = timezone.now()
    cases = seed_intake(now)
    assert len(cases) == len(CASES) >= 40
    assert Aspiration.objects.count() == len(CASES)
    assert {c.kind for c in cases} == set(AspirationKind.values)
    assert {c.privacy for c in cases} == set(Privacy.values)
    assert all(c.region_id for c in cases)
    assert all(c.category_id for c in cases), "the router picks a category for every demo text"
    assert min(c.received_at for c in cases) < now - dt.timedelta(days=30)
    assert ReporterIdentity.objects.exclude(phone_index="").exists()
    entries = LedgerEntry.objects.count()
    again = seed_intake(now)
    assert [c.pk for c in again] == [c.pk for c in cases]
    assert Aspiration.objects.count() == len(CASES)
    assert LedgerEntry.objects.count() == entries

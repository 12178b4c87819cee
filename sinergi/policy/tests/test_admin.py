from typing import Any

import pytest

from conftest import client_for
from sinergi.ledger.models import LedgerEntry
from sinergi.policy.models import PolicyObject

pytestmark = pytest.mark.django_db


def test_administrator_registers_a_policy_object_through_the_service(personas: Any) -> None:
    client = client_for(personas["administrator"])
    before = LedgerEntry.objects.count()
    response = client.post(
        "/admin/policy/policyobject/add/",
        {"kind": "regulation", "code": "Ranperda 3/2026", "title": "Ranperda Kota Layak Anak", "description": ""},
    )
    assert response.status_code == 302, response.content[:500]
    policy_object = PolicyObject.objects.get()
    assert policy_object.title == "Ranperda Kota Layak Anak"
    assert LedgerEntry.objects.count() == before + 1
    assert LedgerEntry.objects.order_by("-sequence").first().subject_id == str(policy_object.uid)

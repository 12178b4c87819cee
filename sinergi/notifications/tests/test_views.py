"""The inbox shows a person their own notices only; the outbox overview shows counts and failures
to administrators, and neither page shows an address."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from sinergi.notifications.models import Notification
from sinergi.notifications.states import NotificationStatus

pytestmark = pytest.mark.django_db

CANARY_PHONE = "+6281299887766"
CANARY_EMAIL = "kenari.uji@contoh.example"


def _row(**fields: Any) -> Notification:
    defaults: dict[str, Any] = {
        "channel": "sms",
        "address": CANARY_PHONE,
        "subject": "Kabar aspirasi",
        "body": "Status aspirasi berubah.",
        "status": NotificationStatus.SENT,
    }
    defaults.update(fields)
    return Notification.objects.create(**defaults)


def test_inbox_lists_own_notices_only(personas: Any, django_assert_max_num_queries: Any) -> None:
    citizen = personas["citizen"].user
    for n in range(30):
        _row(recipient=citizen, subject=f"Kabar nomor {n}", channel="email", address=CANARY_EMAIL)
    _row(recipient=personas["swasta"].user, subject="Untuk orang lain")
    client = client_for(personas["citizen"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kabar nomor 29" in html and "Kabar nomor 4" not in html  # 25 per page, newest first
    assert "Untuk orang lain" not in html
    assert CANARY_EMAIL not in html
    second = client.get(reverse("notifications:inbox"), {"page": "2"}).content.decode()
    assert "Kabar nomor 4" in second
    assert client.get(reverse("notifications:inbox"), {"page": "99999999999"}).status_code == 200
    assert client.get(reverse("notifications:inbox"), {"page": "x"}).status_code == 200


def test_outbox_counts_and_failures_without_addresses(personas: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        _row()
    for n in range(60):
        _row(status=NotificationStatus.FAILED, attempts=5, last_error="HTTP 503 (5×)", subject=f"Gagal {n}")
    _row(status=NotificationStatus.SKIPPED, last_error="no gateway configured")
    client = client_for(personas["administrator"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:outbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "HTTP 503 (5×)" in html and "Gagal 59" in html
    assert "Gagal 0<" not in html  # only the latest 50 failures
    assert CANARY_PHONE not in html and CANARY_PHONE[1:] not in html
    assert len(response.content) <= 30 * 1024


def test_outbox_is_for_administrators(personas: Any) -> None:
    assert client_for(personas["opd_officer"]).get(reverse("notifications:outbox")).status_code == 403
    response = client_for(personas["anonymous"]).get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_api_lists_own_notices_without_addresses(personas: Any) -> None:
    from conftest import api_client_for

    citizen = personas["citizen"].user
    _row(recipient=citizen, subject="Kabar untuk saya", channel="email", address=CANARY_EMAIL)
    _row(recipient=personas["swasta"].user, subject="Untuk orang lain")
    response = api_client_for(personas["citizen"]).get("/api/v1/notifications/mine")
    assert response.status_code == 200
    data = response.json()
    assert [item["subject"] for item in data["items"]] == ["Kabar untuk saya"]
    assert "address" not in data["items"][0]
    assert CANARY_EMAIL not in response.content.decode()
    assert api_client_for(personas["citizen"]).get("/api/v1/notifications/mine?limit=100000").status_code == 422


def test_api_outbox_for_administrators(personas: Any) -> None:
    from conftest import api_client_for

    _row(status=NotificationStatus.FAILED, attempts=5, last_error="HTTP 503 (5×)")
    response = api_client_for(personas["administrator"]).get("/api/v1/notifications/outbox")
    assert response.status_code == 200
    data = response.json()
    assert data["statuses"]["failed"] == 1 and data["failed"][0]["last_error"] == "HTTP 503 (5×)"
    assert {row["channel"] for row in data["channels"]} == {"email", "sms", "whatsapp"}
    assert CANARY_PHONE not in response.content.decode()
    assert api_client_for(personas["opd_officer"]).get("/api/v1/notifications/outbox").status_code == 403

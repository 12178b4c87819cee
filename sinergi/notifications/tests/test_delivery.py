"""Outbox delivery against a local HTTP gateway: sent, retried then sent, permanent failure,
timeout, the token header, e-mail, skipped without a gateway, and nothing personal at rest."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sinergi.core.errors import RuleViolation
from sinergi.notifications.models import Notification
from sinergi.notifications.services import (
    notification_attempt,
    notification_deliver_due,
    notification_queue,
    redact_personal_data,
    retry_delay,
    send_one_time_code,
)
from sinergi.notifications.states import NotificationStatus
from sinergi.notifications.tests.gateway_server import TOKEN, GatewayServer

pytestmark = pytest.mark.django_db

CANARY_PHONE = "+6281299887766"
CANARY_EMAIL = "kenari.uji@contoh.example"


def _queue_sms(captured: Any, *, body: str = "Status aspirasi Anda berubah.", channel: str = "sms") -> Notification:
    with captured(execute=True):
        (row,) = notification_queue(
            channel=channel, address=CANARY_PHONE, subject="Kabar aspirasi", body=body, related=("uji", 1)
        )
    row.refresh_from_db()
    return row


def test_sms_sent_with_token_and_contract(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.SENT
    assert row.attempts == 1 and row.sent_at is not None and row.last_error == ""
    (request,) = gateway.requests
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["content-type"] == "application/json"
    assert request.body == {"channel": "sms", "to": CANARY_PHONE, "message": "Status aspirasi Anda berubah."}


def test_whatsapp_channel_is_passed_on(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    row = _queue_sms(django_capture_on_commit_callbacks, channel="whatsapp")
    assert row.status == NotificationStatus.SENT
    assert gateway.requests[0].body["channel"] == "whatsapp"


def test_server_error_is_retried_then_sent(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    gateway.script = [500]
    row = _queue_sms(django_capture_on_commit_callbacks)
    # The immediate backend cannot defer: the row waits for the sweep instead of looping.
    assert len(gateway.requests) == 1
    assert row.status == NotificationStatus.QUEUED and row.attempts == 1
    assert row.last_error == "HTTP 500"
    first_try = row.next_attempt_at - retry_delay(1)
    # Not yet due: the sweep leaves it alone.
    assert notification_deliver_due(now=first_try + dt.timedelta(seconds=10)) == {}
    assert len(gateway.requests) == 1
    outcome = notification_deliver_due(now=row.next_attempt_at + dt.timedelta(seconds=1))
    assert outcome == {"sent": 1}
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 2
    assert len(gateway.requests) == 2


def test_retries_back_off_then_fail_after_max_attempts(
    gateway: GatewayServer, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.default = 503
    row = _queue_sms(django_capture_on_commit_callbacks)
    waits = []
    for _ in range(5):
        if row.status != NotificationStatus.QUEUED:
            break
        waits.append(row.next_attempt_at)
        notification_deliver_due(now=row.next_attempt_at + dt.timedelta(seconds=1))
        row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED
    assert row.attempts == 3  # MAX_ATTEMPTS in the fixture
    assert len(gateway.requests) == 3
    assert row.last_error == "HTTP 503 (3×)"
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 120, 480, 1920]
    # Waits after the 1st and 2nd failure: 30 s, then 2 min after the 2nd try.
    assert len(waits) == 2
    assert waits[1] - waits[0] >= dt.timedelta(seconds=120)


def test_client_error_fails_at_once(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    gateway.script = [400]
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.FAILED and row.attempts == 1
    assert row.last_error == "HTTP 400"
    assert notification_deliver_due(now=timezone.now() + dt.timedelta(days=1)) == {}
    assert len(gateway.requests) == 1


def test_timeout_is_retryable(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    gateway.script = ["hang"]
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.QUEUED and row.attempts == 1
    assert row.last_error == "timeout"
    notification_deliver_due(now=row.next_attempt_at + dt.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT


def test_connection_refused_is_retryable(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SINERGI_MESSAGE_GATEWAY = {"URL": f"http://127.0.0.1:{port}/", "TOKEN": "x", "TIMEOUT": 1}
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.QUEUED
    assert row.last_error.startswith("connection error")
    assert CANARY_PHONE not in row.last_error


def test_deferring_backend_reenqueues_with_backoff(
    gateway: GatewayServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from sinergi.notifications.tasks import notification_deliver

    backend = notification_deliver.get_backend()
    gateway.script = [500]
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notification_queue(channel="sms", address=CANARY_PHONE, subject="S", body="Isi pesan.")
    (first,) = backend.results
    assert first.args == [row.pk] and first.task.run_after is None
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_attempt(row.pk) == NotificationStatus.QUEUED
    row.refresh_from_db()
    assert len(backend.results) == 2
    retry = backend.results[1]
    assert retry.args == [row.pk]
    assert retry.task.run_after == row.next_attempt_at
    # A second delivery of the same task before its time does nothing.
    assert notification_attempt(row.pk) == NotificationStatus.QUEUED
    assert len(gateway.requests) == 1


def test_email_goes_through_django_mail(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notification_queue(
            channel="email", address=CANARY_EMAIL.upper(), subject="Kabar aspirasi", body="Ada tanggapan baru."
        )
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT
    (message,) = mail.outbox
    assert message.to == [CANARY_EMAIL]
    assert message.subject == "Kabar aspirasi" and message.body == "Ada tanggapan baru."


def test_without_gateway_sms_is_skipped_but_email_goes(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SINERGI_MESSAGE_GATEWAY = {"URL": "", "TOKEN": "", "TIMEOUT": 5, "MAX_ATTEMPTS": 5}
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.SKIPPED
    assert row.last_error == "no gateway configured"
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(channel="email", address=CANARY_EMAIL, subject="S", body="Isi.")
    assert len(mail.outbox) == 1


def test_bad_addresses_are_refused() -> None:
    for channel, address in [("sms", "081234"), ("sms", "0812345678901"), ("email", "bukan-email"), ("fax", "+62")]:
        with pytest.raises(RuleViolation):
            notification_queue(channel=channel, address=address, subject="S", body="Isi.")
    assert Notification.objects.count() == 0


def test_body_never_keeps_personal_data(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    body = (
        f"Hubungi {CANARY_EMAIL} atau 0812-9988-7766 / {CANARY_PHONE}, NIK 3572011234560001. "
        "Lihat http://127.0.0.1:8000/aspirasi/12345678-1234-4234-8234-123456789012/ atau kode 0342."
    )
    row = _queue_sms(django_capture_on_commit_callbacks, body=body)
    for secret in (CANARY_EMAIL, "0812-9988-7766", CANARY_PHONE, "3572011234560001"):
        assert secret not in row.body
    assert "/aspirasi/12345678-1234-4234-8234-123456789012/" in row.body
    assert "801234" not in redact_personal_data("Telp. 0342-801234")
    assert redact_personal_data("Tanggal 27-11-2026, Rp 1.500.000, RT 03/RW 05") == (
        "Tanggal 27-11-2026, Rp 1.500.000, RT 03/RW 05"
    )


def test_canary_phone_is_sealed_in_the_database(
    gateway: GatewayServer, django_capture_on_commit_callbacks: Any
) -> None:
    row = _queue_sms(django_capture_on_commit_callbacks, body=f"Nomor Anda {CANARY_PHONE}.")
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT address, body, last_error, subject FROM {table} WHERE id = %s", [row.pk])
        raw = cursor.fetchone()
    dump = b"".join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v or "").encode() for v in raw)
    assert CANARY_PHONE.encode() not in dump
    assert CANARY_PHONE[1:].encode() not in dump
    assert row.address == CANARY_PHONE  # the model unseals it for the task


def test_one_time_code_is_sealed_and_erased_after_sending(
    gateway: GatewayServer, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = send_one_time_code(CANARY_PHONE, "482915")
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.channel == "sms"
    assert "482915" in gateway.requests[0].body["message"]
    assert "482915" not in row.body and row.sealed_body is None
    with pytest.raises(RuleViolation):
        send_one_time_code(CANARY_PHONE, "12ab")


def test_task_arguments_carry_only_the_row_id(
    gateway: GatewayServer, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from sinergi.notifications.tasks import notification_deliver

    with django_capture_on_commit_callbacks(execute=True):
        send_one_time_code(CANARY_PHONE, "482915")
    (result,) = notification_deliver.get_backend().results
    assert all(isinstance(arg, int) for arg in result.args) and result.kwargs == {}


def test_sweep_command_prints_counts_only(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    from io import StringIO

    gateway.script = [500]
    row = _queue_sms(django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    out = StringIO()
    call_command("deliver_notifications", stdout=out)
    assert out.getvalue().strip() == "deliver_notifications: sent=1"
    assert CANARY_PHONE not in out.getvalue()


def test_final_states_do_not_move(gateway: GatewayServer, django_capture_on_commit_callbacks: Any) -> None:
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.SENT
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(days=1))
    assert notification_attempt(row.pk) == NotificationStatus.SENT
    assert len(gateway.requests) == 1


def test_misconfigured_gateway_url_counts_as_attempts(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SINERGI_MESSAGE_GATEWAY = {"URL": "bukan-url", "TOKEN": "x", "TIMEOUT": 1, "MAX_ATTEMPTS": 2}
    row = _queue_sms(django_capture_on_commit_callbacks)
    assert row.status == NotificationStatus.QUEUED and row.attempts == 1
    assert row.last_error == "delivery error: ValueError"
    notification_deliver_due(now=row.next_attempt_at + dt.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED and row.attempts == 2


def test_address_sealed_under_a_lost_key_fails_once(
    gateway: GatewayServer, django_capture_on_commit_callbacks: Any
) -> None:
    gateway.script = [500]
    row = _queue_sms(django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=row.pk).update(
        address=b"\x07" + b"\x00" * 40, next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert notification_deliver_due() == {"failed": 1}
    row = Notification.objects.only("status", "last_error").get(pk=row.pk)
    assert row.last_error == "address unreadable (data key)"
    assert len(gateway.requests) == 1


def test_a_claimed_row_is_not_sent_twice_and_comes_back_after_the_lease(settings: Any) -> None:
    from sinergi.notifications.services import _claim

    settings.SINERGI_MESSAGE_GATEWAY = {"URL": "http://127.0.0.1:9/", "TOKEN": "x", "TIMEOUT": 5}
    (row,) = notification_queue(channel="sms", address=CANARY_PHONE, subject="S", body="Isi.")  # not committed: no task
    now = timezone.now()
    assert _claim(row.pk, now) is True
    assert _claim(row.pk, now) is False  # a second worker (or the sweep) finds it taken
    assert notification_deliver_due(now=now + dt.timedelta(seconds=30)) == {}
    # The first worker died mid-send: after the lease (2 × timeout + 60 s) the row is due again.
    row.refresh_from_db()
    assert row.status == NotificationStatus.QUEUED and row.next_attempt_at == now + dt.timedelta(seconds=70)
    assert _claim(row.pk, now + dt.timedelta(seconds=71)) is True

"""The one write path of notifications: queue, deliver with retries, sweep what is due.

Notices are not public acts, so nothing here writes to the public log: a log entry would either carry
a personal address (which the log must never hold) or say nothing useful. The act the notice is about
(a status change, a response) already has its own log entry.

Delivery is at least once: a row is *claimed* by moving its `next_attempt_at` one lease ahead
(a conditional UPDATE, so a cron sweep and a worker never send the same row at the same time), the
message goes out with no transaction open, and the outcome is written afterwards. A process killed
mid-send leaves the row queued; it becomes due again when the lease runs out.

Retries: a passing failure (5xx, timeout, connection error) keeps the row queued with
`next_attempt_at` = now + 30 s · 4^(attempts − 1) — 30 s, 2 min, 8 min, 32 min, … — until
`MAX_ATTEMPTS`, then it is failed. On a backend that can defer (the database backend) the task is
enqueued again with `run_after`; the immediate backend (tests, demo) cannot, so nothing re-enqueues
there — `manage.py deliver_notifications` (cron) sends the rows that are due. Nothing loops.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core.crypto import UnreadableCiphertext
from sinergi.core.errors import RuleViolation
from sinergi.core.states import check_transition
from sinergi.notifications.gateway import (
    DeliveryResult,
    Outcome,
    email_send,
    gateway_configured,
    gateway_send,
    gateway_settings,
)
from sinergi.notifications.models import BODY_MAX, ERROR_MAX, SUBJECT_MAX, Notification
from sinergi.notifications.states import (
    NOTIFICATION_TRANSITIONS,
    PHONE_CHANNELS,
    NotificationChannel,
    NotificationStatus,
)

RETRY_BASE_SECONDS = 30
RETRY_FACTOR = 4
SMS_MAX = 480  # three concatenated SMS segments
SWEEP_LIMIT = 500
NO_GATEWAY = "no gateway configured"
REDACTED = "[disamarkan]"

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
ONE_TIME_CODE = re.compile(r"^\d{4,8}$")
# What must never rest in a body: e-mail addresses, NIKs (16 digits), phone numbers (mobile or
# landline, +62/0 prefix). The look-arounds keep digits inside links and codes (/aspirasi/<uuid>/) intact.
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")
_PHONE_IN_TEXT = re.compile(r"(?<![\w/.\-])(?:\+\d{1,3}[\s-]?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{2,5}(?![\w/\-])")


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed try (1 → 30 s, 2 → 2 min, 3 → 8 min, ...)."""
    return dt.timedelta(seconds=RETRY_BASE_SECONDS * RETRY_FACTOR ** max(0, attempts - 1))


def redact_personal_data(text: str, *, also: Iterable[str] = ()) -> str:
    """Replace e-mail addresses, NIKs and phone numbers (and any given strings) by a neutral mark."""
    for value in also:
        if value:
            text = text.replace(value, REDACTED)
    text = _EMAIL_IN_TEXT.sub(REDACTED, text)
    text = _NIK_IN_TEXT.sub(REDACTED, text)
    return _PHONE_IN_TEXT.sub(REDACTED, text)


def normalise_address(channel: str, address: str) -> str:
    """A lower-cased e-mail address or an E.164 phone number; RuleViolation otherwise."""
    address = (address or "").strip()
    if channel == NotificationChannel.EMAIL:
        address = address.lower()
        try:
            validate_email(address)
        except ValidationError as error:
            raise RuleViolation(_("Alamat e-mail tujuan tidak sah."), code="invalid_address") from error
        return address
    if channel in PHONE_CHANNELS:
        if not E164.match(address):
            raise RuleViolation(_("Nomor tujuan harus dalam format internasional (+62…)."), code="invalid_address")
        return address
    raise RuleViolation(_("Kanal notifikasi tidak dikenal."), code="invalid_channel")


def _local_phone_forms(address: str) -> list[str]:
    """+6281… is also written 081… and 6281…: redact every form of the recipient's own number."""
    if address.startswith("+62"):
        return [address, address[1:], "0" + address[3:]]
    return [address, address[1:]] if address.startswith("+") else [address]


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _move(notification: Notification, target: str) -> None:
    check_transition(NOTIFICATION_TRANSITIONS, notification.status, target, label=_("notifikasi"))
    notification.status = target


def _enqueue_delivery(notification_id: int, *, run_after: dt.datetime | None = None) -> None:
    from sinergi.notifications.tasks import notification_deliver

    if run_after is None:
        notification_deliver.enqueue(notification_id)
    else:
        notification_deliver.using(run_after=run_after).enqueue(notification_id)


def _backend_can_defer() -> bool:
    from sinergi.notifications.tasks import notification_deliver

    return bool(notification_deliver.get_backend().supports_defer)


@transaction.atomic
def notification_queue(
    *,
    channel: str,
    address: str,
    subject: str,
    body: str,
    user: Any = None,
    related: tuple[str, object] = ("", ""),
    sealed_body: str = "",
) -> list[Notification]:
    """Write one outbox row and deliver it after commit (the task gets only the row's id).

    The body is cleaned of e-mail addresses, NIKs and phone numbers before it is stored. An SMS or
    WhatsApp notice while no gateway is configured is recorded as skipped, not sent. `sealed_body`
    (for one-time codes) is stored sealed and sent instead of `body`.
    """
    address = normalise_address(channel, address)
    also = _local_phone_forms(address) if channel in PHONE_CHANNELS else [address]
    subject = _clip(redact_personal_data(subject, also=also), SUBJECT_MAX)
    limit = SMS_MAX if channel in PHONE_CHANNELS else BODY_MAX
    body = _clip(redact_personal_data(body, also=also), limit)
    if not subject or not body:
        raise RuleViolation(_("Notifikasi harus punya perihal dan isi."), code="empty_notification")
    subject_type, subject_id = related
    now = timezone.now()
    notification = Notification(
        channel=channel,
        recipient=user if getattr(user, "pk", None) else None,
        address=address,
        subject=subject,
        body=body,
        sealed_body=_clip(sealed_body, limit) or None,
        subject_type=str(subject_type)[:40],
        subject_id=str(subject_id)[:64],
        next_attempt_at=now,
    )
    if channel in PHONE_CHANNELS and not gateway_configured():
        _move(notification, NotificationStatus.SKIPPED)
        notification.last_error = NO_GATEWAY
        notification.next_attempt_at = None
        notification.sealed_body = None
        notification.save()
        return [notification]
    notification.save()
    notification_id = notification.pk
    transaction.on_commit(lambda: _enqueue_delivery(notification_id))
    return [notification]


def _claim(notification_id: int, now: dt.datetime) -> bool:
    """Take a due queued row for one attempt (see the module docstring: the lease)."""
    lease = now + dt.timedelta(seconds=2 * gateway_settings()["TIMEOUT"] + 60)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Notification.objects.filter(due, pk=notification_id, status=NotificationStatus.QUEUED).update(
        next_attempt_at=lease
    )
    return claimed == 1


def _deliver(notification_id: int) -> DeliveryResult:
    try:
        notification = Notification.objects.get(pk=notification_id)
    except UnreadableCiphertext:  # sealed under a key that is no longer configured
        return DeliveryResult(Outcome.PERMANENT, "address unreadable (data key)")
    message = notification.sealed_body or notification.body
    address = notification.address or ""
    try:
        if notification.channel == NotificationChannel.EMAIL:
            return email_send(to=address, subject=notification.subject, message=message)
        if not gateway_configured():
            return DeliveryResult(Outcome.PERMANENT, NO_GATEWAY)
        return gateway_send(channel=notification.channel, to=address, message=message)
    except Exception as error:  # a misconfiguration counts as an attempt (bounded), never a loop
        return DeliveryResult(Outcome.RETRY, f"delivery error: {type(error).__name__}")


def notification_attempt(notification_id: int, *, now: dt.datetime | None = None, reenqueue: bool = True) -> str:
    """One delivery attempt of a due queued row; returns the row's status afterwards ("" if no such row).

    A row that is not due (already sent, claimed by another worker, waiting for its retry time) is
    left alone. `reenqueue` schedules the next try on a backend that can defer.
    """
    now = now or timezone.now()
    if not _claim(notification_id, now):
        return Notification.objects.filter(pk=notification_id).values_list("status", flat=True).first() or ""
    result = _deliver(notification_id)  # no transaction is open while the message goes out
    return _record_outcome(notification_id, result, now=now, reenqueue=reenqueue)


@transaction.atomic
def _record_outcome(notification_id: int, result: DeliveryResult, *, now: dt.datetime, reenqueue: bool) -> str:
    # The sealed columns are not read here: an unreadable one must not stop the outcome being written.
    notification = Notification.objects.select_for_update().defer("address", "sealed_body").get(pk=notification_id)
    if notification.status != NotificationStatus.QUEUED:
        return notification.status
    notification.attempts += 1
    max_attempts = gateway_settings()["MAX_ATTEMPTS"]
    notification.last_error = result.error[:ERROR_MAX]
    if result.outcome is Outcome.SENT:
        _move(notification, NotificationStatus.SENT)
        notification.sent_at = now
        notification.next_attempt_at = None
    elif result.error == NO_GATEWAY:
        _move(notification, NotificationStatus.SKIPPED)
        notification.next_attempt_at = None
    elif result.outcome is Outcome.PERMANENT or notification.attempts >= max_attempts:
        _move(notification, NotificationStatus.FAILED)
        notification.next_attempt_at = None
        if result.outcome is Outcome.RETRY:
            notification.last_error = f"{result.error} ({notification.attempts}×)"[:ERROR_MAX]
    else:
        _move(notification, NotificationStatus.QUEUED)
        notification.next_attempt_at = now + retry_delay(notification.attempts)
        if reenqueue and _backend_can_defer():
            run_after = notification.next_attempt_at
            transaction.on_commit(lambda: _enqueue_delivery(notification_id, run_after=run_after))
    fields = ["status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    if notification.status != NotificationStatus.QUEUED:
        notification.sealed_body = None  # a one-time code does not outlive its delivery
        fields.append("sealed_body")
    notification.save(update_fields=fields)
    return notification.status


def notification_deliver_due(*, now: dt.datetime | None = None, limit: int = SWEEP_LIMIT) -> Counter[str]:
    """Attempt every queued row whose time has come (oldest due first); counts the resulting statuses.
    This is what `manage.py deliver_notifications` runs from cron."""
    now = now or timezone.now()
    limit = max(1, min(int(limit), 10_000))
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ids = list(
        Notification.objects.filter(due, status=NotificationStatus.QUEUED)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    outcome: Counter[str] = Counter()
    for notification_id in ids:
        status = notification_attempt(notification_id, now=now, reenqueue=False)
        if status:
            outcome[status] += 1
    return outcome


def send_one_time_code(phone_e164: str, code: str, *, valid_minutes: int = 10) -> Notification:
    """Send a phone-verification code by SMS (for a dukung without an account).

    SMS only, no WhatsApp fallback: the code proves control of the number as a phone line, and one
    channel keeps the rate limits of the caller meaningful. The code itself is stored sealed and erased
    once the message is out; the plain body only says that a code was sent. Without a gateway the row
    is recorded as skipped — the caller should tell the person that SMS is not available.
    """
    if not ONE_TIME_CODE.match(code or ""):
        raise RuleViolation(_("Kode verifikasi harus 4–8 angka."), code="invalid_code")
    valid_minutes = max(1, min(int(valid_minutes), 60))
    message = _(
        "Kode verifikasi Sinergi Sakti: %(code)s. Berlaku %(minutes)d menit. Jangan berikan kode ini kepada siapa pun."
    ) % {"code": code, "minutes": valid_minutes}
    (notification,) = notification_queue(
        channel=NotificationChannel.SMS,
        address=phone_e164,
        subject=_("Kode verifikasi nomor telepon"),
        body=_("Kode verifikasi dikirim (isi kode disimpan tersegel)."),
        related=("phone_verification", ""),
        sealed_body=message,
    )
    return notification

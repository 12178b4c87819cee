"""The outbox lifecycle of one notice.

queued → sent | failed | skipped; a retryable failure keeps it queued with a later `next_attempt_at`
(so queued → queued is a transition too). sent, failed and skipped are final.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Dalam antrean")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Dilewati")


N = NotificationStatus

NOTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    N.QUEUED: frozenset({N.QUEUED, N.SENT, N.FAILED, N.SKIPPED}),
    N.SENT: frozenset(),
    N.FAILED: frozenset(),
    N.SKIPPED: frozenset(),
}

PHONE_CHANNELS = frozenset({NotificationChannel.SMS, NotificationChannel.WHATSAPP})

"""The notification outbox: one row per recipient and channel.

The address (e-mail or E.164 phone) is sealed at rest (sinergi.core.crypto); only the delivery task
unseals it. Bodies and errors never carry an address, a NIK or a phone number, so the rows can be
listed to administrators and the recipient without showing anyone's contact details.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import EncryptedTextField
from sinergi.notifications.states import NotificationChannel, NotificationStatus

SUBJECT_MAX = 200
BODY_MAX = 2000
ERROR_MAX = 300


class Notification(models.Model):
    channel = models.CharField(_("kanal"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    address = EncryptedTextField(purpose="notification-address")
    subject = models.CharField(_("perihal"), max_length=SUBJECT_MAX)
    body = models.TextField(_("isi"), max_length=BODY_MAX)
    # A message that must not rest in plain text (a one-time code): sent instead of `body`, then erased.
    sealed_body = EncryptedTextField(purpose="notification-body")
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=ERROR_MAX, blank=True)
    # What the notice is about, e.g. ("aspiration_event", "42"); also what keeps a re-run from sending twice.
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in NotificationChannel]), name="notification_channel"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in NotificationStatus]), name="notification_status"
            ),
        ]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self) -> str:
        return f"notifikasi #{self.pk} ({self.channel}, {self.status})"

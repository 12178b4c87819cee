"""Notifications API: a token holder's own notices; the outbox overview for administrators.
Neither returns an address: the sealed column is never read here."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from sinergi.accounts.api import token_auth
from sinergi.notifications.gateway import gateway_configured
from sinergi.notifications.selectors import notification_overview, notifications_for_user

router = Router()


class NotificationOut(Schema):
    id: int
    channel: str
    subject: str
    body: str
    status: str
    created_at: dt.datetime
    sent_at: dt.datetime | None

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj.pk)


class FailedOut(Schema):
    id: int
    channel: str
    subject: str
    attempts: int
    last_error: str
    subject_type: str
    subject_id: str
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj.pk)


class ChannelCountsOut(Schema):
    channel: str
    sent: int
    queued: int
    failed: int
    skipped: int


class OutboxOut(Schema):
    gateway_configured: bool
    total: int
    due_now: int
    statuses: dict[str, int]
    channels: list[ChannelCountsOut]
    failed: list[FailedOut]


@router.get("/mine", response=list[NotificationOut], auth=token_auth, summary="Notifikasi untuk akun saya")
@paginate
def my_notifications(request: HttpRequest) -> Any:
    if not request.user.has_perm("notifications.view_own_notifications"):
        raise PermissionDenied(_("Anda tidak dapat melihat notifikasi ini."))
    return notifications_for_user(request.user)


@router.get("/outbox", response=OutboxOut, auth=token_auth, summary="Ringkasan antrean notifikasi (administrator)")
def outbox(request: HttpRequest) -> dict[str, Any]:
    if not request.user.has_perm("notifications.view_outbox"):
        raise PermissionDenied(_("Hanya administrator yang dapat melihat antrean notifikasi."))
    overview = notification_overview()
    return {
        "gateway_configured": gateway_configured(),
        "total": overview["total"],
        "due_now": overview["due_now"],
        "statuses": {str(status.value): count for status, count in overview["statuses"]},
        "channels": [
            {
                "channel": str(channel.value),
                **{key: (row or {}).get(key, 0) for key in ("sent", "queued", "failed", "skipped")},
            }
            for channel, row in overview["channels"]
        ],
        "failed": overview["failed"],
    }

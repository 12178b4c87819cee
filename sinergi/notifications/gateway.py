"""Delivery adapters: e-mail through Django's mail backend, SMS/WhatsApp through an HTTP gateway.

Gateway contract (any provider sits behind a small relay that speaks it):

    POST <SINERGI_MESSAGE_GATEWAY["URL"]>
    Authorization: Bearer <TOKEN>
    Content-Type: application/json
    {"channel": "sms" | "whatsapp", "to": "+62...", "message": "..."}

2xx = accepted (sent); 4xx = the gateway refuses this message for good (bad number, blocked
recipient, bad token): failed, no retry; 5xx, a timeout or a connection error = try again later.

Errors returned here name the kind of failure only ("HTTP 503", "timeout"), never the address or the
message, because they are stored in `Notification.last_error` and shown to administrators.
"""

from __future__ import annotations

import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.mail import send_mail


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # a passing fault: try again later
    PERMANENT = "permanent"  # will not succeed by retrying


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    error: str = ""


def gateway_settings() -> dict[str, Any]:
    configured = getattr(settings, "SINERGI_MESSAGE_GATEWAY", {}) or {}
    return {
        "URL": str(configured.get("URL") or ""),
        "TOKEN": str(configured.get("TOKEN") or ""),
        "TIMEOUT": float(configured.get("TIMEOUT") or 5),
        "MAX_ATTEMPTS": max(1, int(configured.get("MAX_ATTEMPTS") or 5)),
    }


def gateway_configured() -> bool:
    return bool(gateway_settings()["URL"])


def gateway_send(*, channel: str, to: str, message: str) -> DeliveryResult:
    """POST one SMS/WhatsApp message to the configured gateway."""
    config = gateway_settings()
    if not config["URL"]:
        return DeliveryResult(Outcome.PERMANENT, "no gateway configured")
    payload = json.dumps({"channel": channel, "to": to, "message": message}).encode()
    request = urllib.request.Request(  # noqa: S310  (the URL is the operator's setting, http or https)
        config["URL"],
        data=payload,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {config['TOKEN']}",
            "User-Agent": "SinergiSakti-Notifications/1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=config["TIMEOUT"]) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except TimeoutError:
        return DeliveryResult(Outcome.RETRY, "timeout")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return DeliveryResult(Outcome.RETRY, "timeout")
        return DeliveryResult(Outcome.RETRY, f"connection error: {type(error.reason).__name__}")
    except OSError as error:  # reset mid-response, refused after connect, ...
        return DeliveryResult(Outcome.RETRY, f"connection error: {type(error).__name__}")
    if 200 <= status < 300:
        return DeliveryResult(Outcome.SENT)
    if 400 <= status < 500:
        return DeliveryResult(Outcome.PERMANENT, f"HTTP {status}")
    return DeliveryResult(Outcome.RETRY, f"HTTP {status}")


def email_send(*, to: str, subject: str, message: str) -> DeliveryResult:
    """One e-mail through Django's configured backend (the console backend in the demo)."""
    try:
        sent = send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        return DeliveryResult(Outcome.PERMANENT, "recipient refused")
    except (smtplib.SMTPException, OSError) as error:
        return DeliveryResult(Outcome.RETRY, f"mail error: {type(error).__name__}")
    if sent != 1:
        return DeliveryResult(Outcome.RETRY, "mail backend sent nothing")
    return DeliveryResult(Outcome.SENT)

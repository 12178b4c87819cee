"""Who hears about an aspiration event and what they are told (owned by the notifications work).

Audiences per event kind (events that are not public reach officers only):

| kind                | reporter | supporters | officers                                                     |
|---------------------|----------|------------|--------------------------------------------------------------|
| submitted           | yes      | —          | —                                                            |
| status              | yes      | yes        | on disposition: those acting for the assigned organisation   |
| response, planning  | yes      | yes        | —                                                            |
| routing_corrected   | yes      | —          | those acting for the (new) assigned organisation             |
| merged              | yes      | yes        | —                                                            |
| information_added   | —        | —          | assigned organisation, or the coordinator desk before that   |
| overdue             | —        | —          | assigned organisation, or the coordinator desk before that   |
| escalated           | —        | —          | assigned organisation, its heads (leadership roles), the     |
|                     |          |            | coordinator desk (`SINERGI["ASPIRATION_COORDINATORS"]`)      |
| confirmed, reopened | —        | yes        | assigned organisation                                        |
| rated               | —        | —          | assigned organisation                                        |

Privacy: only the reporter's message carries the tracking code (the tracker link); everyone else gets
the public page. For a confidential (rahasia) case nobody but the reporter is told the title or the
public text. Messages never carry a name, NIK, phone number or e-mail address; the officer who acted
is not told about their own act. Each address gets one message per event (the first audience wins,
in the order reporter, supporters, officers). Re-running for the same event queues nothing again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from sinergi.actors.models import Membership
from sinergi.actors.selectors import today
from sinergi.aspirations.models import Aspiration, AspirationEvent, ReporterIdentity, Support
from sinergi.aspirations.states import AspirationStatus, EventKind, OverdueStage, Privacy
from sinergi.core.errors import RuleViolation
from sinergi.notifications.models import Notification
from sinergi.notifications.services import notification_queue
from sinergi.notifications.states import NotificationChannel

RELATED_TYPE = "aspiration_event"
MAX_SUPPORTER_NOTICES = 5000
PUBLIC_TEXT_MAX = 600
DEFAULT_COORDINATORS = ["diskominfotik"]

E = EventKind
REPORTER_KINDS = frozenset({E.SUBMITTED, E.STATUS, E.RESPONSE, E.ROUTING_CORRECTED, E.MERGED, E.PLANNING})
SUPPORTER_KINDS = frozenset({E.STATUS, E.RESPONSE, E.MERGED, E.PLANNING, E.CONFIRMED, E.REOPENED})
OFFICER_KINDS = frozenset(
    {E.ROUTING_CORRECTED, E.INFORMATION_ADDED, E.OVERDUE, E.ESCALATED, E.CONFIRMED, E.RATED, E.REOPENED}
)
# Before a case is with an organisation, the coordinator desk is who acts on these.
DESK_FALLBACK_KINDS = frozenset({E.INFORMATION_ADDED, E.OVERDUE})

REPORTER, SUPPORTER, OFFICER = "reporter", "supporter", "officer"


@dataclass(frozen=True)
class Recipient:
    audience: str
    channel: str
    address: str
    user: Any = None


def _phone_channel() -> str:
    configured = (getattr(settings, "SINERGI_MESSAGE_GATEWAY", {}) or {}).get("PHONE_CHANNEL", "sms")
    return NotificationChannel.WHATSAPP if configured == NotificationChannel.WHATSAPP else NotificationChannel.SMS


def _site_url(path: str) -> str:
    return str(settings.SINERGI.get("SITE_URL", "")).rstrip("/") + path


def _url(name: str, arg: str, fallback: str) -> str:
    try:
        return _site_url(reverse(name, args=[arg]))
    except NoReverseMatch:
        return _site_url(fallback)


def tracker_url(aspiration: Aspiration) -> str:
    code = aspiration.tracking_code
    return _url("aspirations:track", code, f"/aspirasi/lacak/{code}/")


def public_url(aspiration: Aspiration) -> str:
    return _url("aspirations:detail", str(aspiration.uid), f"/aspirasi/{aspiration.uid}/")


# --- recipients -------------------------------------------------------------------------------------


def _reporter_recipients(aspiration: Aspiration) -> Iterator[Recipient]:
    # One row per case (unique): no ORDER BY; only the columns used, so the sealed NIK is not unsealed.
    identity = next(
        iter(
            ReporterIdentity.objects.filter(aspiration=aspiration)
            .only("pk", "wants_updates", "email", "phone")
            .order_by()[:1]
        ),
        None,
    )
    yield from reporter_addresses(
        wants_updates=identity.wants_updates if identity is not None else True,
        email=identity.email if identity is not None else None,
        phone=identity.phone if identity is not None else None,
        account=aspiration.reporter if aspiration.reporter_id else None,
    )


def reporter_addresses(
    *, wants_updates: bool, email: str | None, phone: str | None, account: Any
) -> Iterator[Recipient]:
    """Where the reporter hears from us: the e-mail and phone they gave, and their account's e-mail.
    Intake asks this too, before the case exists, to skip queueing a receipt nobody can get."""
    if not wants_updates:
        return
    if email:
        yield Recipient(REPORTER, NotificationChannel.EMAIL, email, account)
    if phone:
        yield Recipient(REPORTER, _phone_channel(), phone, account)
    if account is not None and account.is_active and account.email:
        yield Recipient(REPORTER, NotificationChannel.EMAIL, account.email, account)


def _supporter_recipients(aspiration: Aspiration) -> Iterator[Recipient]:
    supports = (
        Support.objects.filter(aspiration=aspiration, wants_updates=True)
        .select_related("user")
        .order_by("pk")[:MAX_SUPPORTER_NOTICES]
    )
    for support in supports:
        user = support.user
        if user is not None and aspiration.reporter_id == user.pk:
            continue  # the reporter hears as the reporter
        if user is not None and user.is_active and user.email:
            yield Recipient(SUPPORTER, NotificationChannel.EMAIL, user.email, user)
        if support.phone:
            yield Recipient(SUPPORTER, _phone_channel(), support.phone, user)


def coordinator_slugs() -> list[str]:
    configured: Any = settings.SINERGI.get("ASPIRATION_COORDINATORS", DEFAULT_COORDINATORS)
    return [str(slug) for slug in configured or []]


def _officer_users(*, organisation_id: int | None = None, slugs: list[str] | None = None, heads: bool = False) -> Any:
    """Active accounts with a current membership in the organisation (or those with the slugs):
    acting roles, or leadership roles when `heads`."""
    memberships = Membership.objects.valid_on(today()).filter(person__user__isnull=False, person__user__is_active=True)
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    elif slugs is not None:
        memberships = memberships.filter(organisation__slug__in=slugs)
    else:
        return []
    memberships = (
        memberships.filter(role__is_leadership=True) if heads else memberships.filter(role__acts_for_organisation=True)
    )
    return [m.person.user for m in memberships.select_related("person__user").order_by("pk")]


def _officer_recipients(event: AspirationEvent, aspiration: Aspiration) -> Iterator[Recipient]:
    kind = event.kind
    organisation_id = aspiration.assigned_organisation_id
    users: list[Any] = []
    if (kind == E.STATUS and event.to_status == AspirationStatus.DISPOSITIONED) or kind in OFFICER_KINDS:
        if organisation_id is not None:
            users += _officer_users(organisation_id=organisation_id)
        elif kind in DESK_FALLBACK_KINDS:
            users += _officer_users(slugs=coordinator_slugs())
    if kind == E.ESCALATED:
        if organisation_id is not None:
            users += _officer_users(organisation_id=organisation_id, heads=True)
        users += _officer_users(slugs=coordinator_slugs())
    for user in users:
        if user.email and user.pk != event.actor_id:
            yield Recipient(OFFICER, NotificationChannel.EMAIL, user.email, user)


def event_recipients(event: AspirationEvent) -> list[Recipient]:
    """Everyone who hears about this event, one entry per address (see the module docstring)."""
    aspiration = event.aspiration
    candidates: list[Recipient] = []
    if event.is_public and event.kind in REPORTER_KINDS:
        candidates += _reporter_recipients(aspiration)
    if event.is_public and event.kind in SUPPORTER_KINDS:
        candidates += _supporter_recipients(aspiration)
    candidates += _officer_recipients(event, aspiration)
    seen: set[tuple[str, str]] = set()
    unique = []
    for recipient in candidates:
        address = recipient.address.strip()
        if recipient.channel == NotificationChannel.EMAIL:
            address = address.lower()
        key = ("email" if recipient.channel == NotificationChannel.EMAIL else "phone", address)
        if not address or key in seen:
            continue
        seen.add(key)
        unique.append(recipient)
    return unique


# --- messages ----------------------------------------------------------------------------------------


def _status_label(value: str) -> str:
    try:
        return str(AspirationStatus(value).label)
    except ValueError:
        return value


def _headline(event: AspirationEvent, aspiration: Aspiration, audience: str) -> str:
    """One sentence saying what happened, in the words of the public timeline."""
    kind = event.kind
    status = _status_label(event.to_status or aspiration.status)
    assigned = aspiration.assigned_organisation
    organisation = assigned.name if assigned is not None else ""
    if kind == E.SUBMITTED:
        return _("Aspirasi Anda telah kami terima.")
    if kind == E.STATUS and audience == OFFICER and event.to_status == AspirationStatus.DISPOSITIONED:
        return _("Aspirasi baru didisposisikan kepada %(organisation)s untuk ditindaklanjuti.") % {
            "organisation": organisation
        }
    if kind == E.STATUS:
        return _("Status aspirasi kini: %(status)s.") % {"status": status}
    if kind == E.RESPONSE:
        return _("Ada tanggapan baru atas aspirasi.")
    if kind == E.ROUTING_CORRECTED:
        return _("Aspirasi dialihkan; kini ditangani %(organisation)s.") % {"organisation": organisation or "—"}
    if kind == E.MERGED:
        return _("Aspirasi digabung dengan laporan lain tentang hal yang sama; tindak lanjut berjalan bersama.")
    if kind == E.PLANNING:
        return _("Aspirasi masuk ke proses perencanaan pembangunan.")
    if kind == E.INFORMATION_ADDED:
        return _("Pelapor menambahkan informasi pada aspirasi.")
    if kind == E.OVERDUE:
        return _("Aspirasi melewati tenggat: %(stage)s.") % {"stage": _overdue_label(aspiration)}
    if kind == E.ESCALATED:
        return _("Aspirasi dieskalasi karena melewati tenggat: %(stage)s.") % {"stage": _overdue_label(aspiration)}
    if kind == E.CONFIRMED:
        return _("Pelapor mengonfirmasi bahwa aspirasi telah selesai ditangani.")
    if kind == E.RATED:
        return _("Pelapor memberi penilaian %(rating)s dari 5.") % {"rating": aspiration.rating or "—"}
    if kind == E.REOPENED:
        return _("Pelapor membuka kembali aspirasi yang sudah selesai.")
    return _("Ada perkembangan baru pada aspirasi.")


def _kind_label(value: str) -> str:
    try:
        return str(EventKind(value).label)
    except ValueError:
        return value


def _overdue_label(aspiration: Aspiration) -> str:
    try:
        return str(OverdueStage(aspiration.overdue_stage).label)
    except ValueError:
        return str(aspiration.overdue_stage)


def compose(event: AspirationEvent, audience: str, channel: str) -> tuple[str, str]:
    """(subject, body) for one audience and channel; SMS/WhatsApp get the short form."""
    aspiration = event.aspiration
    confidential = aspiration.privacy == Privacy.CONFIDENTIAL
    shows_content = audience == REPORTER or not confidential
    headline = _headline(event, aspiration, audience)
    link = tracker_url(aspiration) if audience == REPORTER else public_url(aspiration)
    site = settings.SINERGI.get("SITE_NAME", "Sinergi Sakti")
    title = aspiration.title if shows_content else ""
    status = _status_label(aspiration.status)
    if audience == REPORTER:
        subject = _("[%(site)s] Kabar aspirasi Anda — %(status)s") % {"site": site, "status": status}
    elif audience == SUPPORTER:
        subject = _("[%(site)s] Kabar aspirasi yang Anda dukung — %(status)s") % {"site": site, "status": status}
    elif event.kind == E.STATUS and event.to_status == AspirationStatus.DISPOSITIONED:
        subject = _("[%(site)s] Aspirasi baru untuk ditindaklanjuti") % {"site": site}
    else:
        subject = _("[%(site)s] Perlu perhatian: %(kind)s") % {"site": site, "kind": _kind_label(event.kind)}
    if channel != NotificationChannel.EMAIL:
        short = f"{site}: {headline} "
        if audience == REPORTER:
            short += _("Pantau dengan kode lacak Anda: %(link)s") % {"link": link}
        else:
            short += _("Lihat: %(link)s") % {"link": link}
        return subject, short
    lines = [headline, ""]
    if title:
        lines.append(_("Aspirasi: %(title)s") % {"title": title})
    lines.append(_("Status: %(status)s") % {"status": status})
    if shows_content and event.public_text and event.is_public:
        public_text = event.public_text.strip()
        if len(public_text) > PUBLIC_TEXT_MAX:
            public_text = public_text[: PUBLIC_TEXT_MAX - 1].rstrip() + "…"
        lines += ["", public_text]
    lines.append("")
    if audience == REPORTER:
        lines.append(_("Pantau perkembangan dan tanggapi di: %(link)s") % {"link": link})
        lines.append(_("Tautan ini memuat kode lacak Anda; jangan bagikan kepada orang lain."))
    elif audience == SUPPORTER:
        lines.append(_("Halaman publik aspirasi: %(link)s") % {"link": link})
        lines.append(_("Anda menerima pesan ini karena mendukung aspirasi ini."))
    else:
        lines.append(_("Halaman aspirasi: %(link)s") % {"link": link})
        lines.append(_("Tindak lanjuti di meja kerja petugas: %(link)s") % {"link": _site_url("/aspirasi/kelola/")})
    return subject, "\n".join(lines)


# --- entry point -------------------------------------------------------------------------------------


@transaction.atomic
def notify_event(event_id: int) -> int:
    """Queue the messages for one event; returns how many outbox rows were written (skipped SMS
    without a gateway included). Delivery follows after commit, one task per row."""
    # A primary-key look-up: no ORDER BY (`.first()` would add the model's ordering for nothing).
    event = next(
        iter(
            AspirationEvent.objects.select_related("aspiration__assigned_organisation", "aspiration__reporter")
            .filter(pk=event_id)
            .order_by()[:1]
        ),
        None,
    )
    if event is None:
        return 0
    if Notification.objects.filter(subject_type=RELATED_TYPE, subject_id=str(event.pk)).exists():
        return 0  # already done: a retried task must not send twice
    queued = 0
    for recipient in event_recipients(event):
        subject, body = compose(event, recipient.audience, recipient.channel)
        try:
            queued += len(
                notification_queue(
                    channel=recipient.channel,
                    address=recipient.address,
                    subject=subject,
                    body=body,
                    user=recipient.user,
                    related=(RELATED_TYPE, event.pk),
                )
            )
        except RuleViolation:
            continue  # an address that is not deliverable (an old malformed e-mail): skip that one
    return queued

"""Public reads of aspirations and the reporter's tracker.

Privacy is applied here, once, for the pages and the API alike: `public_view` turns a case into what
the public may see (confidential → no title, text or photos; the reporter's name only for a public
case that gave one; never NIK, phone or e-mail — `ReporterIdentity` is read for the name only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from sinergi.aspirations.location import city_code
from sinergi.aspirations.models import Aspiration, AspirationEvent, Category, Photo, ReporterIdentity
from sinergi.aspirations.services.intake import normalise_tracking_code
from sinergi.aspirations.states import OPEN_STATUSES, AspirationKind, AspirationStatus, Privacy
from sinergi.core.reference_labels import reference_label
from sinergi.regions.models import Region, RegionLevel

# Fields a list needs: never `text` (up to 5,000 characters per row) nor `search_terms`.
LIST_FIELDS = (
    "uid",
    "kind",
    "title",
    "status",
    "privacy",
    "channel",
    "received_at",
    "support_count",
    "overdue_stage",
    "category__slug",
    "category__name",
    "region__code",
    "region__name",
    "region__kind",
    "assigned_organisation__slug",
    "assigned_organisation__name",
    "assigned_organisation__short_name",
)


def hidden_title() -> str:
    return _("Isi dirahasiakan atas permintaan pelapor")


def aspiration_public_list(
    *, region: str = "", category: str = "", status: str = "", organisation: str = "", kind: str = ""
) -> QuerySet[Aspiration]:
    """Cases for the public list, newest first; filters by kelurahan code, category slug, status,
    OPD slug and kind. Merged cases are shown on the case they were merged into."""
    cases = (
        Aspiration.objects.exclude(status=AspirationStatus.MERGED)
        .select_related("category", "region", "assigned_organisation")
        .only(*LIST_FIELDS)
        .order_by("-received_at", "-pk")
    )
    if region:
        cases = cases.filter(region_id=region)
    if category:
        cases = cases.filter(category__slug=category)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if organisation:
        cases = cases.filter(assigned_organisation__slug=organisation)
    if kind:
        cases = cases.filter(kind=kind)
    return cases


def aspiration_public_get(uid: Any) -> Aspiration | None:
    """One case with its photos and public timeline (two extra queries)."""
    public_events = (
        AspirationEvent.objects.filter(is_public=True).select_related("organisation").order_by("created_at", "pk")
    )
    return (
        Aspiration.objects.select_related("category", "region", "assigned_organisation", "merged_into")
        .prefetch_related(
            Prefetch("events", queryset=public_events, to_attr="public_events"),
            Prefetch("photos", queryset=Photo.objects.order_by("created_at"), to_attr="photo_list"),
        )
        .filter(uid=uid)
        .first()
    )


def aspiration_by_tracking_code(code: str) -> Aspiration | None:
    normalised = normalise_tracking_code(code)
    if len(normalised) != 12:
        return None
    found = Aspiration.objects.filter(tracking_code=normalised).values_list("uid", flat=True).first()
    return aspiration_public_get(found) if found else None


def reporter_public_name(aspiration: Aspiration) -> str:
    """The name a public case's reporter chose to show; "" for anonymous and confidential cases."""
    if aspiration.privacy != Privacy.PUBLIC:
        return ""
    return ReporterIdentity.objects.filter(aspiration=aspiration).values_list("name", flat=True).first() or ""


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    kind_label: str
    to_status: str
    to_status_label: str
    actor_label: str
    text: str
    created_at: Any


@dataclass(frozen=True)
class PublicAspiration:
    """What anybody may see of a case."""

    uid: Any
    kind: str
    kind_label: str
    title: str
    text: str
    is_confidential: bool
    status: str
    status_label: str
    category_slug: str
    category_name: str
    region_code: str
    region_name: str
    organisation_slug: str
    organisation_name: str
    latitude: float | None
    longitude: float | None
    address: str
    reporter_name: str
    received_at: Any
    verify_due_at: Any
    response_due_at: Any
    completion_due_at: Any
    resolved_at: Any
    overdue_stage: str
    outcome_text: str
    rating: int | None
    support_count: int
    merged_into_uid: Any
    photos: list[Photo]
    events: list[PublicEvent]


def public_view(aspiration: Aspiration, *, with_name: bool = True) -> PublicAspiration:
    confidential = aspiration.privacy == Privacy.CONFIDENTIAL
    events = getattr(aspiration, "public_events", None)
    if events is None:
        events = list(aspiration.events.filter(is_public=True).order_by("created_at", "pk"))
    photos = getattr(aspiration, "photo_list", None)
    if photos is None:
        photos = list(aspiration.photos.order_by("created_at"))
    organisation = aspiration.assigned_organisation
    return PublicAspiration(
        uid=aspiration.uid,
        kind=aspiration.kind,
        kind_label=str(aspiration.get_kind_display()),
        title=hidden_title() if confidential else aspiration.title,
        text="" if confidential else aspiration.text,
        is_confidential=confidential,
        status=aspiration.status,
        status_label=str(aspiration.get_status_display()),
        category_slug=aspiration.category.slug if aspiration.category else "",
        category_name=aspiration.category.name if aspiration.category else "",
        region_code=aspiration.region.code if aspiration.region else "",
        region_name=str(aspiration.region) if aspiration.region else "",
        organisation_slug=organisation.slug if organisation else "",
        organisation_name=(organisation.short_name or organisation.name) if organisation else "",
        # A confidential case's exact point could identify the reporter's house.
        latitude=None if confidential else aspiration.latitude,
        longitude=None if confidential else aspiration.longitude,
        address="" if confidential else aspiration.address,
        reporter_name=reporter_public_name(aspiration) if with_name else "",
        received_at=aspiration.received_at,
        verify_due_at=aspiration.verify_due_at,
        response_due_at=aspiration.response_due_at,
        completion_due_at=aspiration.completion_due_at,
        resolved_at=aspiration.resolved_at,
        overdue_stage=aspiration.overdue_stage,
        outcome_text=aspiration.outcome_text,
        rating=aspiration.rating,
        support_count=aspiration.support_count,
        merged_into_uid=aspiration.merged_into.uid if aspiration.merged_into_id and aspiration.merged_into else None,
        photos=[] if confidential else list(photos),
        events=[
            PublicEvent(
                kind=event.kind,
                kind_label=str(event.get_kind_display()),
                to_status=event.to_status,
                to_status_label=str(event.get_to_status_display()) if event.to_status else "",
                actor_label=event.actor_label,
                text=event.public_text,
                created_at=event.created_at,
            )
            for event in events
        ],
    )


def list_row(aspiration: Aspiration) -> dict[str, Any]:
    """One case of a list, privacy applied (pages and API)."""
    confidential = aspiration.privacy == Privacy.CONFIDENTIAL
    organisation = aspiration.assigned_organisation
    return {
        "uid": aspiration.uid,
        "kind": aspiration.kind,
        "kind_label": str(aspiration.get_kind_display()),
        "title": hidden_title() if confidential else aspiration.title,
        "is_confidential": confidential,
        "status": aspiration.status,
        "status_label": str(aspiration.get_status_display()),
        "category": aspiration.category.slug if aspiration.category else "",
        "category_name": aspiration.category.name if aspiration.category else "",
        "region": aspiration.region.code if aspiration.region else "",
        "region_name": str(aspiration.region) if aspiration.region else "",
        "organisation": organisation.slug if organisation else "",
        "organisation_name": (organisation.short_name or organisation.name) if organisation else "",
        "received_at": aspiration.received_at,
        "support_count": aspiration.support_count,
        "overdue": bool(aspiration.overdue_stage),
    }


def kelurahan_choices() -> list[tuple[str, str]]:
    """(code, "Kelurahan X (Kecamatan Y)") for the city's kelurahan, in code order."""
    rows = (
        Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith=city_code() + ".")
        .select_related("parent")
        .defer("boundary", "parent__boundary")
        .order_by("parent__name", "name")
    )
    return [(r.code, f"{r.name} ({r.parent.name})" if r.parent else r.name) for r in rows]


def category_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Active categories grouped for an optgroup select: [(group, [(slug, name), ...]), ...]."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in Category.objects.filter(is_active=True).order_by("order", "name"):
        groups.setdefault(_(category.group) if category.group else _("Lainnya"), []).append(
            (category.slug, reference_label(category.name))
        )
    return list(groups.items())


def organisation_choices() -> list[tuple[str, str]]:
    """OPD/komisi that hold at least one case, for the list filter."""
    from sinergi.actors.models import Organisation

    rows = (
        Organisation.objects.filter(assigned_aspirations__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    return list(rows)


def kind_choices() -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in AspirationKind.choices]


def status_choices() -> list[tuple[str, str]]:
    return [("open", _("Masih berjalan")), *((str(v), str(label)) for v, label in AspirationStatus.choices)]

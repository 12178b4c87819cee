"""Reads behind the Open311 endpoints: services (aspiration categories), the kelurahan list of the
service definitions, and service requests (aspirations) with the GeoReport v2 filters.

Visibility is applied here, not in the views: requests never join `ReporterIdentity`, and the
annotations only read public timeline text.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from sinergi.aspirations.models import Aspiration, AspirationEvent, Category, Photo
from sinergi.aspirations.states import CLOSED_STATUSES, OPEN_STATUSES, AspirationStatus
from sinergi.regions.models import Region, RegionLevel

# GeoReport v2: "open" and "closed" are the only statuses a client sees.
STATUS_GROUPS: dict[str, frozenset[str]] = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


def service_list() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "name")


def service_get(service_code: str) -> Category | None:
    return Category.objects.filter(slug=service_code, is_active=True).first()


def kelurahan_list() -> list[Region]:
    """The deployment's kelurahan/desa (the values of the `kelurahan` attribute)."""
    prefix = f"{settings.SINERGI['REGION_CODE']}."
    return list(
        Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, code__startswith=prefix)
        .only("code", "name")
        .order_by("name", "code")
    )


@dataclass(frozen=True)
class RequestFilter:
    """Validated GeoReport v2 query parameters. `request_ids`, when given, overrides the others
    (as the specification says for `service_request_id`)."""

    request_ids: tuple[uuid.UUID, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    offset: int = 0
    limit: int = 50


def _annotated(aspirations: QuerySet[Aspiration]) -> QuerySet[Aspiration]:
    """One query for a whole page: the latest public note, the last update and the first photo
    come from correlated subqueries instead of a query per row."""
    events = AspirationEvent.objects.filter(aspiration=OuterRef("pk"))
    public_notes = events.filter(is_public=True).exclude(public_text="")
    return (
        aspirations.select_related("category", "region", "assigned_organisation")
        .only(
            "uid",
            "status",
            "privacy",
            "text",
            "address",
            "latitude",
            "longitude",
            "received_at",
            "completion_due_at",
            "category__slug",
            "category__name",
            "region__code",
            "region__name",
            "region__postal_code",
            "assigned_organisation__name",
        )
        .annotate(
            latest_public_note=Subquery(public_notes.order_by("-created_at", "-pk").values("public_text")[:1]),
            last_event_at=Subquery(events.order_by("-created_at", "-pk").values("created_at")[:1]),
            first_photo=Subquery(
                Photo.objects.filter(aspiration=OuterRef("pk")).order_by("created_at", "pk").values("uid")[:1]
            ),
        )
    )


def request_list(filters: RequestFilter) -> list[Aspiration]:
    aspirations = Aspiration.objects.all()
    if filters.request_ids:
        aspirations = aspirations.filter(uid__in=filters.request_ids)
    else:
        # As on the public list: a merged case lives on in the case it was merged into.
        aspirations = aspirations.exclude(status=AspirationStatus.MERGED)
        if filters.service_codes:
            aspirations = aspirations.filter(category__slug__in=filters.service_codes)
        if filters.statuses:
            aspirations = aspirations.filter(status__in=_statuses(filters.statuses))
        if filters.start is not None:
            aspirations = aspirations.filter(received_at__gte=filters.start)
        if filters.end is not None:
            aspirations = aspirations.filter(received_at__lte=filters.end)
    page = _annotated(aspirations).order_by("-received_at", "-pk")
    return list(page[filters.offset : filters.offset + filters.limit])


def request_get(request_id: uuid.UUID) -> Aspiration | None:
    return _annotated(Aspiration.objects.filter(uid=request_id)).first()


def _statuses(groups: Iterable[str]) -> set[str]:
    return {status for group in groups for status in STATUS_GROUPS[group]}

"""Reads for officers: the coordinator's verification desk, an OPD's queue, the overdue dashboard
and the officer's case page. Every list is bounded and joins what its page shows (no per-row queries)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from sinergi.actors.models import Organisation
from sinergi.actors.selectors import user_acting_organisations
from sinergi.aspirations.models import Aspiration, AspirationEvent, ReporterIdentity
from sinergi.aspirations.states import OPEN_STATUSES, AspirationStatus

S = AspirationStatus
# What one API list answers at most (pages paginate instead).
API_LIMIT = 200

_LIST_RELATED = (
    "category",
    "region",
    "assigned_organisation",
    "suggested_category",
    "suggested_organisation",
)


def verification_desk() -> QuerySet[Aspiration]:
    """What waits for the coordinator, oldest first: new and answered reports, verified cases not yet
    dispositioned, and cases an OPD returned as not theirs."""
    return (
        Aspiration.objects.filter(
            Q(status__in=[S.RECEIVED, S.NEEDS_INFORMATION, S.VERIFIED])
            | Q(status=S.DISPOSITIONED, assigned_organisation__isnull=True)
        )
        .select_related(*_LIST_RELATED)
        .order_by("received_at", "pk")
    )


def organisations_handled_by(user: Any) -> list[Organisation]:
    """The organisations whose cases the user works on: those they act for and their sub-units."""
    acting = list(user_acting_organisations(user))
    ids = {organisation.pk for organisation in acting}
    frontier = set(ids)
    for _depth in range(4):  # Pemkot → OPD → bidang/UPT: a shallow tree
        children = set(Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        if not children:
            break
        ids |= children
        frontier = children
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def opd_queue(user: Any, *, everything: bool = False) -> QuerySet[Aspiration]:
    """Dispositioned and in-progress cases of the user's organisations (all of them for the
    coordinator desk and administrators), most urgent first."""
    cases = Aspiration.objects.filter(status__in=[S.DISPOSITIONED, S.IN_PROGRESS], assigned_organisation__isnull=False)
    if not everything:
        cases = cases.filter(assigned_organisation__in=[o.pk for o in organisations_handled_by(user)])
    return cases.select_related(*_LIST_RELATED).order_by("completion_due_at", "received_at", "pk")


def overdue_by_organisation(organisation_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per organisation: open cases, and how many are overdue at each stage."""
    cases = Aspiration.objects.filter(status__in=OPEN_STATUSES, assigned_organisation__isnull=False)
    if organisation_ids is not None:
        cases = cases.filter(assigned_organisation__in=organisation_ids)
    rows = (
        cases.values("assigned_organisation", "assigned_organisation__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=~Q(overdue_stage="")),
            first_response=Count("pk", filter=Q(overdue_stage="first_response")),
            completion=Count("pk", filter=Q(overdue_stage="completion")),
        )
        .order_by("-overdue", "assigned_organisation__name")
    )
    return list(rows)


def overdue_cases(organisation_ids: list[int] | None = None) -> QuerySet[Aspiration]:
    cases = Aspiration.objects.filter(status__in=OPEN_STATUSES).exclude(overdue_stage="")
    if organisation_ids is not None:
        cases = cases.filter(assigned_organisation__in=organisation_ids)
    return cases.select_related(*_LIST_RELATED).order_by("overdue_since", "pk")


def officer_case(uid: Any) -> Aspiration:
    """One case with everything its officer page shows (events incl. internal notes, photos)."""
    return get_object_or_404(
        Aspiration.objects.select_related(*_LIST_RELATED, "merged_into").prefetch_related(
            Prefetch(
                "events", queryset=AspirationEvent.objects.select_related("organisation").order_by("created_at", "pk")
            ),
            "photos",
        ),
        uid=uid,
    )


def reporter_identity(aspiration: Aspiration) -> ReporterIdentity | None:
    return ReporterIdentity.objects.filter(aspiration=aspiration).first()


def disposition_destinations() -> QuerySet[Organisation]:
    """Where a case can be sent: public institutions (OPD, komisi DPRD, kelurahan, PPID desks)."""
    from sinergi.actors.selectors import today

    return (
        Organisation.objects.valid_on(today())
        .filter(kind__is_public_institution=True)
        .select_related("kind")
        .order_by("kind__order", "name")
    )

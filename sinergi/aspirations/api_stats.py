"""API v1: the public statistics as JSON (/api/v1/aspirations/statistik, /api/v1/aspirations/peta).
No token; the same figures and filters as the pages (jenis, kategori, periode)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sinergi.aspirations import statistics
from sinergi.aspirations.views.stats import map_data

router = Router()


class FilterIn(Schema):
    jenis: str = Field("", max_length=30)
    kategori: str = Field("", max_length=60)
    periode: str = Field("", max_length=4)


class OrganisationTimesOut(Schema):
    organisation: str
    name: str
    total: int
    open: int
    overdue: int
    responded: int
    resolved: int
    median_response_days: float | None
    p90_response_days: float | None
    median_resolution_days: float | None
    p90_resolution_days: float | None
    response_within_deadline: float | None
    resolution_within_deadline: float | None


class CountOut(Schema):
    code: str
    label: str
    count: int


class StatisticsOut(Schema):
    filters: dict[str, str]
    total: int
    by_status: list[CountOut]
    by_kind: list[CountOut]
    organisations: list[OrganisationTimesOut]


class RegionOut(Schema):
    code: str
    name: str
    count: int
    population: int | None
    per_thousand: float | None


class MapOut(Schema):
    filters: dict[str, str]
    measure: str  # "per_thousand" or "count"
    regions: list[RegionOut]


def _filter(params: FilterIn) -> statistics.StatsFilter:
    return statistics.StatsFilter.from_params(params.dict())


@router.get("/statistik", response=StatisticsOut, summary="Statistik waktu tanggapan per OPD")
def statistics_get(request: HttpRequest, params: Query[FilterIn]) -> dict[str, Any]:
    stats_filter = _filter(params)
    statuses = statistics.status_counts(stats_filter)
    return {
        "filters": stats_filter.as_query(),
        "total": sum(count for _code, _label, count in statuses),
        "by_status": [{"code": c, "label": label, "count": n} for c, label, n in statuses],
        "by_kind": [{"code": c, "label": label, "count": n} for c, label, n in statistics.kind_counts(stats_filter)],
        "organisations": [times.as_dict() for times in statistics.response_times(stats_filter)],
    }


@router.get("/peta", response=MapOut, summary="Aspirasi per kelurahan")
def map_get(request: HttpRequest, params: Query[FilterIn]) -> dict[str, Any]:
    stats_filter = _filter(params)
    data = map_data(stats_filter)
    return {
        "filters": stats_filter.as_query(),
        "measure": "per_thousand" if data["by_population"] else "count",
        "regions": [
            {
                "code": rate.code,
                "name": rate.name,
                "count": rate.count,
                "population": rate.population,
                "per_thousand": rate.per_thousand,
            }
            for rate in data["rates"]
        ],
    }

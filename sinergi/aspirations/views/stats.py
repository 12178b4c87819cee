"""Public statistics (/aspirasi/statistik/) and the map (/aspirasi/peta/): response times per OPD,
counts by status and kind, a choropleth of the kelurahan. Published for everyone; nothing of a
case's content appears (confidential cases only count)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.aspirations import statistics
from sinergi.aspirations.models import Category
from sinergi.aspirations.states import AspirationKind
from sinergi.aspirations.stats_svg import CLASS_FILLS, NO_DATA_FILL, Bar, bar_chart, choropleth, class_breaks, fill_for
from sinergi.core.reference_labels import reference_label
from sinergi.core.templatetags.indonesian import angka, persen
from sinergi.regions.maps import MapShape
from sinergi.regions.selectors import region_deployment, region_map_shapes


def _filter_context(stats_filter: statistics.StatsFilter) -> dict[str, Any]:
    return {
        "filter": stats_filter,
        "kinds": AspirationKind.choices,
        "categories": [
            (slug, reference_label(name))
            for slug, name in Category.objects.filter(is_active=True).values_list("slug", "name")
        ],
        "periods": [("30", _("30 hari terakhir")), ("90", _("90 hari terakhir")), ("365", _("setahun terakhir"))],
    }


def _plural_count(value: float) -> int:
    """ngettext needs a whole number: a fraction takes the plural form ("1.5 working days")."""
    return int(value) if float(value).is_integer() else 2


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return ngettext("%(n)s hari kerja", "%(n)s hari kerja", _plural_count(value)) % {"n": angka(value)}


def statistics_page(request: HttpRequest) -> HttpResponse:
    stats_filter = statistics.StatsFilter.from_params(request.GET)
    times = statistics.response_times(stats_filter)
    responded = [t for t in times if t.median_response is not None]
    resolved = [t for t in times if t.resolution_within_deadline is not None]
    response_chart = bar_chart(
        [Bar(t.name, t.median_response or 0, _days(t.median_response)) for t in responded],
        title=_("Median hari kerja sampai tanggapan pertama, per OPD"),
        chart_id="grafik-tanggapan",
    )
    deadline_chart = bar_chart(
        [
            Bar(t.name, t.resolution_within_deadline or 0, persen(t.resolution_within_deadline))
            for t in sorted(resolved, key=lambda t: -(t.resolution_within_deadline or 0))
        ],
        title=_("Bagian aspirasi yang selesai tepat waktu, per OPD"),
        chart_id="grafik-tepat-waktu",
    )
    statuses = statistics.status_counts(stats_filter)
    return render(
        request,
        "aspirations/stats/statistics.html",
        {
            **_filter_context(stats_filter),
            "times": times,
            "responded": responded,
            "resolved": sorted(resolved, key=lambda t: -(t.resolution_within_deadline or 0)),
            "response_chart": response_chart,
            "deadline_chart": deadline_chart,
            "statuses": statuses,
            "total": sum(count for _code, _label, count in statuses),
            "kinds_count": statistics.kind_counts(stats_filter),
        },
    )


def map_data(stats_filter: statistics.StatsFilter) -> dict[str, Any]:
    """The kelurahan of the deployment's city with their counts, fills and legend."""
    city = region_deployment()
    regions = region_map_shapes(city) if city is not None else []
    rates = statistics.region_rates(stats_filter, regions)
    by_population = bool(rates) and all(rate.population for rate in rates)
    values = [(rate.per_thousand if by_population else rate.count) or 0 for rate in rates]
    breaks = class_breaks(values)
    fills = {rate.code: fill_for(value, breaks) for rate, value in zip(rates, values, strict=True)}
    legend = []
    lower = 0.0
    for fill, upper in zip(CLASS_FILLS, breaks, strict=False):
        legend.append({"fill": fill, "from": lower, "to": upper})
        lower = upper
    return {
        "city": city,
        "rates": rates,
        "by_population": by_population,
        "fills": fills,
        "legend": legend,
        "regions": regions,
    }


def map_page(request: HttpRequest) -> HttpResponse:
    stats_filter = statistics.StatsFilter.from_params(request.GET)
    data = map_data(stats_filter)
    rates = {rate.code: rate for rate in data["rates"]}
    shapes = [
        MapShape(
            code=region.code,
            label=region.name,
            title=ngettext("%(name)s: %(count)s aspirasi", "%(name)s: %(count)s aspirasi", rates[region.code].count)
            % {"name": region.name, "count": angka(rates[region.code].count)},
            geometry=region.boundary or {},
            label_at=(float(region.centroid_lng), float(region.centroid_lat))
            if region.centroid_lng is not None and region.centroid_lat is not None
            else None,
        )
        for region in data["regions"]
    ]
    title = (
        _("Aspirasi per 1.000 penduduk menurut kelurahan")
        if data["by_population"]
        else _("Jumlah aspirasi menurut kelurahan")
    )
    return render(
        request,
        "aspirations/stats/map.html",
        {
            **_filter_context(stats_filter),
            **data,
            "map": choropleth(shapes, data["fills"], title=title),
            "map_title": title,
            "no_data_fill": NO_DATA_FILL,
        },
    )


urlpatterns: list[URLPattern] = [
    path("statistik/", statistics_page, name="statistics"),
    path("peta/", map_page, name="map"),
]

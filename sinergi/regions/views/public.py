from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.regions.maps import MapShape, svg_map
from sinergi.regions.models import Region
from sinergi.regions.selectors import (
    region_ancestors,
    region_children,
    region_deployment,
    region_get,
    region_map_shapes,
    region_overview,
)

# A kota has a few dozen kelurahan; a kabupaten's hundreds of desa go on each kecamatan's page.
VILLAGES_LISTED = 80


def _map_for(region: Region) -> str:
    shapes = [
        MapShape(
            code=shape.code,
            label=shape.name,
            title=str(shape),
            geometry=shape.boundary or {},
            href=reverse("regions:detail", args=[shape.code]) if shape.code != region.code else "",
            group=shape.parent_id or "",
            label_at=(float(shape.centroid_lng), float(shape.centroid_lat))
            if shape.centroid_lng is not None and shape.centroid_lat is not None
            else None,
        )
        for shape in region_map_shapes(region)
    ]
    return svg_map(shapes, title=_("Peta %(region)s") % {"region": region})


def overview(request: HttpRequest) -> HttpResponse:
    """The deployment's region: its kecamatan with their kelurahan, and a map."""
    region = region_deployment()
    context: dict[str, Any] = {"region": region}
    if region is not None:
        districts = region_overview(region)
        villages = sum(len(district.children.all()) for district in districts)
        context.update({"districts": districts, "map": _map_for(region), "list_villages": villages <= VILLAGES_LISTED})
    return render(request, "regions/public/overview.html", context)


def detail(request: HttpRequest, code: str) -> HttpResponse:
    region = region_get(code)
    if region is None:
        raise Http404
    page = Paginator(region_children(region), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "regions/public/detail.html",
        {
            "region": region,
            "ancestors": region_ancestors(region),
            "page": page,
            "map": _map_for(region),
            "aliases": region.aliases.order_by("name"),
        },
    )

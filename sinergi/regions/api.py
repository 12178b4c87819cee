from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from sinergi.core.pagination import BoundedLimitOffsetPagination
from sinergi.regions.models import Region
from sinergi.regions.selectors import region_get, region_list

router = Router()

CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2}){0,2}(\.[0-9]{4})?$"


class RegionOut(Schema):
    code: str
    name: str
    display_name: str
    level: int
    kind: str
    parent: str | None = Field(None, alias="parent_id")
    postal_code: str
    centroid_lat: float | None
    centroid_lng: float | None
    population: int | None
    area_km2: float | None
    has_boundary: bool

    @staticmethod
    def resolve_display_name(obj: Region) -> str:
        return str(obj)

    @staticmethod
    def resolve_has_boundary(obj: Region) -> bool:
        return bool(getattr(obj, "has_boundary", obj.boundary is not None))


class RegionFilters(Schema):
    parent: str = Field("", max_length=13, pattern=r"^([0-9.]{2,13})?$", description="kode induk, mis. 35.72")
    level: int | None = Field(None, ge=1, le=4, description="1 provinsi … 4 desa/kelurahan")


def _region_or_404(code: str) -> Region:
    region = region_get(code)
    if region is None:
        raise Http404
    return region


@router.get("", response=list[RegionOut], summary="Daftar wilayah (saring per induk atau tingkat)")
@paginate(BoundedLimitOffsetPagination)
def regions_list(request: HttpRequest, filters: Query[RegionFilters]) -> Any:
    return region_list(parent=filters.parent, level=filters.level).annotate(
        has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField())
    )


@router.get("/{code}", response=RegionOut, summary="Satu wilayah")
def region_detail(request: HttpRequest, code: str = Path(..., max_length=13, pattern=CODE_PATTERN)) -> Region:
    return _region_or_404(code)


@router.get("/{code}/boundary", response=dict[str, Any], summary="Batas wilayah sebagai GeoJSON Feature")
def region_boundary(request: HttpRequest, code: str = Path(..., max_length=13, pattern=CODE_PATTERN)) -> Any:
    region = _region_or_404(code)
    if region.boundary is None:
        raise Http404
    return {
        "type": "Feature",
        "properties": {"kode": region.code, "nama": region.name, "tingkat": region.level},
        "geometry": region.boundary,
    }

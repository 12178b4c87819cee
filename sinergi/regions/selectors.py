"""Reads for regions: lists, the deployment's own region, point-in-polygon and name normalising."""

import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from sinergi.regions.geometry import geometry_bbox, geometry_contains, is_finite_point
from sinergi.regions.models import Region, RegionAlias, RegionLevel


def region_list(*, parent: str = "", level: int | None = None) -> QuerySet[Region]:
    regions = Region.objects.select_related("parent").defer("boundary").order_by("code")
    if parent:
        regions = regions.filter(parent_id=parent)
    if level is not None:
        regions = regions.filter(level=level)
    return regions


def region_get(code: str) -> Region | None:
    return Region.objects.select_related("parent").filter(code=code).first()


def region_ancestors(region: Region) -> list[Region]:
    """From the province down to the region's parent, in one query (codes nest by prefix)."""
    parts = region.code.split(".")
    codes = [".".join(parts[:n]) for n in range(1, len(parts))]
    return list(Region.objects.filter(code__in=codes).defer("boundary").order_by("level"))


def region_children(region: Region) -> QuerySet[Region]:
    return Region.objects.filter(parent=region).defer("boundary").order_by("code")


def region_deployment() -> Region | None:
    """The region this instance serves (settings SINERGI["REGION_CODE"]), if loaded."""
    return region_get(str(settings.SINERGI["REGION_CODE"]))


def region_overview(region: Region) -> list[Region]:
    """The region's children, each with its own children prefetched (kecamatan → kelurahan)."""
    grandchildren = Region.objects.defer("boundary").order_by("code")
    return list(
        Region.objects.filter(parent=region)
        .defer("boundary")
        .prefetch_related(Prefetch("children", queryset=grandchildren))
        .order_by("code")
    )


def region_map_shapes(region: Region) -> list[Region]:
    """What a map of the region draws: the regions one or two levels below it that have a
    boundary, finest level first found (a city map shows kelurahan, a kecamatan map its kelurahan)."""
    below = Region.objects.filter(Q(parent=region) | Q(parent__parent=region), boundary__isnull=False)
    finest = below.order_by("-level").values_list("level", flat=True).first()
    if finest is None:
        return [region] if region.boundary else []
    return list(below.filter(level=finest).order_by("code"))


def region_for_point(lng: float, lat: float) -> Region | None:
    """The kelurahan/desa whose shipped boundary contains the point, or None (e.g. a point in
    Kabupaten Blitar, outside the city). Plain ray casting over the few shipped polygons."""
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        return None
    if not is_finite_point(lng, lat):
        return None
    candidates = Region.objects.filter(level=RegionLevel.DESA_KELURAHAN, boundary__isnull=False).order_by("code")
    for region in candidates:
        bbox = geometry_bbox(region.boundary)
        if bbox is None or not (bbox[0] <= lng <= bbox[2] and bbox[1] <= lat <= bbox[3]):
            continue
        if geometry_contains(region.boundary, lng, lat):
            return region
    return None


_PREFIXES = re.compile(
    r"^(?:kelurahan|kel|desa|ds|kecamatan|kec|kota|kabupaten|kab|provinsi|prov)\b\.?\s*", re.IGNORECASE
)
_PREFIX_LEVEL = {
    "kelurahan": RegionLevel.DESA_KELURAHAN,
    "kel": RegionLevel.DESA_KELURAHAN,
    "desa": RegionLevel.DESA_KELURAHAN,
    "ds": RegionLevel.DESA_KELURAHAN,
    "kecamatan": RegionLevel.KECAMATAN,
    "kec": RegionLevel.KECAMATAN,
    "kota": RegionLevel.KABUPATEN_KOTA,
    "kabupaten": RegionLevel.KABUPATEN_KOTA,
    "kab": RegionLevel.KABUPATEN_KOTA,
    "provinsi": RegionLevel.PROVINSI,
    "prov": RegionLevel.PROVINSI,
}


def name_key(text: str) -> str:
    """Compare names the way people mean them: no case, accents, spaces or punctuation."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.casefold())


def _strip_prefix(text: str) -> tuple[str, int | None]:
    match = _PREFIXES.match(text.strip())
    if not match:
        return text.strip(), None
    word = match.group(0).strip().rstrip(".").casefold()
    return text.strip()[match.end() :], _PREFIX_LEVEL.get(word)


def region_normalise_name(text: str, *, within: str | None = None) -> Region | None:
    """The region a typed name means ("Kepanjen Kidul", "Kel. Kapunden", "kec sanan wetan"),
    searched inside `within` (default: the deployment's region). A bare name that is both a
    kecamatan and a kelurahan (Sukorejo, Sananwetan) means the kelurahan; a prefix decides."""
    text = (text or "")[:200]
    rest, level = _strip_prefix(text)
    key = name_key(rest)
    if not key:
        return None
    scope = str(settings.SINERGI["REGION_CODE"]) if within is None else within
    candidates: dict[str, Region] = {}
    regions = Region.objects.defer("boundary")
    aliases = RegionAlias.objects.select_related("region")
    if scope:
        regions = regions.filter(Q(code=scope) | Q(code__startswith=scope + "."))
        aliases = aliases.filter(Q(region_id=scope) | Q(region__code__startswith=scope + "."))
    for region in regions.iterator(chunk_size=2000):
        if name_key(region.name) == key or name_key(_strip_prefix(region.name)[0]) == key:
            candidates[region.code] = region
    for alias in aliases:
        if name_key(alias.name) == key:
            candidates[alias.region.code] = alias.region
    matches: list[Any] = sorted(candidates.values(), key=lambda r: (-r.level, r.code))
    if level is not None:
        matches = [region for region in matches if region.level == level]
    return matches[0] if matches else None

"""Plain-Python geometry over GeoJSON (WGS84, [lng, lat]): enough for kelurahan-level
point-in-polygon and for drawing maps, without a GIS stack."""

import math
from collections.abc import Iterator
from typing import Any

Ring = list[list[float]]


def geometry_polygons(geometry: dict[str, Any] | None) -> Iterator[list[Ring]]:
    """Each polygon of a Polygon or MultiPolygon as [outer ring, *holes]."""
    if not geometry:
        return
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates") or []
    if kind == "Polygon":
        yield coordinates
    elif kind == "MultiPolygon":
        yield from coordinates


def geometry_from_geojson(document: dict[str, Any]) -> dict[str, Any] | None:
    """The geometry of a Feature, of a FeatureCollection's first feature, or the geometry itself."""
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features") or []
        return features[0].get("geometry") if features else None
    if kind == "Feature":
        return document.get("geometry")
    return document


def ring_contains(ring: Ring, lng: float, lat: float) -> bool:
    """Ray casting (even-odd rule): count edge crossings of a ray going east from the point."""
    inside = False
    count = len(ring)
    j = count - 1
    for i in range(count):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def geometry_contains(geometry: dict[str, Any] | None, lng: float, lat: float) -> bool:
    for polygon in geometry_polygons(geometry):
        if not polygon:
            continue
        outer, holes = polygon[0], polygon[1:]
        if ring_contains(outer, lng, lat) and not any(ring_contains(hole, lng, lat) for hole in holes):
            return True
    return False


def geometry_bbox(geometry: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    """(min_lng, min_lat, max_lng, max_lat), or None for an empty geometry."""
    points = [point for polygon in geometry_polygons(geometry) for ring in polygon for point in ring]
    if not points:
        return None
    lngs = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lngs), min(lats), max(lngs), max(lats)


def is_finite_point(lng: float, lat: float) -> bool:
    return math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90

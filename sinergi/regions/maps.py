"""Server-side SVG maps drawn from the shipped boundaries: no JavaScript, no tiles, no requests
to other sites. Coordinates are rounded to whole SVG units to keep a city map to a few KB."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sinergi.regions.geometry import geometry_bbox, geometry_polygons

# Light tints with dark text on top: WCAG AA contrast for the labels.
FILLS = ("#d8eadf", "#dde6f3", "#f3e8d2", "#eadcf0", "#f1dcdc", "#dcefef")


@dataclass(frozen=True)
class MapShape:
    code: str
    label: str
    title: str
    geometry: dict[str, Any]
    href: str = ""
    group: str = ""
    label_at: tuple[float, float] | None = None  # (lng, lat)


class _Projection:
    """Equirectangular, with longitude scaled by cos(latitude) so shapes keep their proportions."""

    def __init__(self, bbox: tuple[float, float, float, float], width: int, padding: int) -> None:
        min_lng, min_lat, max_lng, max_lat = bbox
        self.cos = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lng - min_lng) * self.cos, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        self.scale = (width - 2 * padding) / span_x
        self.min_lng, self.max_lat, self.padding = min_lng, max_lat, padding
        self.width = width
        self.height = round(span_y * self.scale + 2 * padding)

    def __call__(self, lng: float, lat: float) -> tuple[int, int]:
        x = (lng - self.min_lng) * self.cos * self.scale + self.padding
        y = (self.max_lat - lat) * self.scale + self.padding
        return round(x), round(y)


def _path_data(geometry: dict[str, Any], project: _Projection) -> str:
    parts = []
    for polygon in geometry_polygons(geometry):
        for ring in polygon:
            points: list[tuple[int, int]] = []
            for lng, lat, *_ in ring:
                point = project(lng, lat)
                if not points or points[-1] != point:
                    points.append(point)
            if len(points) >= 3:
                parts.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
    return "".join(parts)


def _label_point(shape: MapShape) -> tuple[float, float] | None:
    if shape.label_at:
        return shape.label_at
    bbox = geometry_bbox(shape.geometry)
    return ((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2) if bbox else None


def svg_map(shapes: Sequence[MapShape], *, title: str, width: int = 640, padding: int = 12) -> SafeString:
    """One <svg>: each shape a <path> with a <title> (hover and screen readers), linked when it
    has an href, and a text label at its centroid."""
    boxes = [box for box in (geometry_bbox(shape.geometry) for shape in shapes) if box]
    if not boxes:
        return mark_safe("")
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    project = _Projection(bbox, width, padding)
    groups = sorted({shape.group for shape in shapes})
    items = []
    for shape in shapes:
        fill = FILLS[groups.index(shape.group) % len(FILLS)]
        path = format_html(
            '<path d="{}" fill="{}" stroke="#1d232b" stroke-width="1"><title>{}</title></path>',
            _path_data(shape.geometry, project),
            fill,
            shape.title,
        )
        point = _label_point(shape)
        label = (
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1d232b">{}</text>',
                *project(*point),
                shape.label,
            )
            if point
            else ""
        )
        if shape.href:
            items.append(format_html('<a href="{}" aria-label="{}">{}{}</a>', shape.href, shape.title, path, label))
        else:
            items.append(format_html("<g>{}{}</g>", path, label))
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" width="100%" role="group" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        project.width,
        project.height,
        title,
        format_html_join("", "{}", ((item,) for item in items)),
    )

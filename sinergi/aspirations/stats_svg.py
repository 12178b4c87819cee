"""Server-side SVG for the public statistics: horizontal bar charts and a choropleth of the
kelurahan. No JavaScript; each figure is a labelled image (``role="img"`` with a <title>) and the
page puts the same numbers in a table next to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from sinergi.regions.geometry import geometry_bbox
from sinergi.regions.maps import MapShape, _label_point, _path_data, _Projection

BAR = "#2f6f4e"
# Sequential greens, light → dark (ColorBrewer "Greens", 5 classes); labels switch to white on the two darkest.
CLASS_FILLS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
NO_DATA_FILL = "#f2f2f2"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as text ("3,5 hari")


def bar_chart(bars: Sequence[Bar], *, title: str, chart_id: str, width: int = 360) -> SafeString:
    """One bar per row with its label above it: readable at 360 px without scaling text down."""
    if not bars:
        return mark_safe("")
    row, pad, value_room = 36, 4, 96
    plot = width - value_room
    top = max((bar.value for bar in bars), default=0) or 1
    height = row * len(bars) + 2 * pad
    items = []
    for index, bar in enumerate(bars):
        y = pad + index * row
        length = max(1, round(plot * bar.value / top)) if bar.value > 0 else 0
        items.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="#1d232b">{}</text>'
                '<rect x="0" y="{}" width="{}" height="12" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="12" fill="#1d232b">{}</text>',
                y + 13,
                bar.label[:52],
                y + 18,
                length,
                BAR,
                length + 4,
                y + 29,
                bar.shown,
            )
        )
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" class="stats-chart" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">{}</title>{}</svg>',
        width,
        height,
        chart_id,
        chart_id,
        title,
        format_html_join("", "{}", ((item,) for item in items)),
    )


def class_breaks(values: Sequence[float], classes: int = len(CLASS_FILLS)) -> list[float]:
    """Upper bounds of equal-interval classes over (0, max]; empty when every value is 0."""
    top = max(values, default=0)
    if top <= 0:
        return []
    return [top * (index + 1) / classes for index in range(classes)]


def fill_for(value: float | None, breaks: Sequence[float]) -> str:
    if value is None:
        return NO_DATA_FILL
    if value <= 0 or not breaks:
        return CLASS_FILLS[0]
    for index, upper in enumerate(breaks):
        if value <= upper + 1e-9:
            return CLASS_FILLS[index]
    return CLASS_FILLS[-1]


def choropleth(shapes: Sequence[MapShape], fills: dict[str, str], *, title: str, width: int = 640) -> SafeString:
    """Like ``regions.maps.svg_map``, with a fill per shape code."""
    boxes = [box for box in (geometry_bbox(shape.geometry) for shape in shapes) if box]
    if not boxes:
        return mark_safe("")
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    project = _Projection(bbox, width, 12)
    items: list[Any] = []
    for shape in shapes:
        fill = fills.get(shape.code, NO_DATA_FILL)
        text_fill = "#ffffff" if fill in CLASS_FILLS[3:] else "#1d232b"
        path = format_html(
            '<path d="{}" fill="{}" stroke="#1d232b" stroke-width="1"><title>{}</title></path>',
            _path_data(shape.geometry, project),
            fill,
            shape.title,
        )
        point = _label_point(shape)
        label = (
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="10" fill="{}">{}</text>',
                *project(*point),
                text_fill,
                shape.label,
            )
            if point
            else ""
        )
        items.append(format_html("<g>{}{}</g>", path, label))
    return format_html(
        '<svg class="map" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        project.width,
        project.height,
        title,
        format_html_join("", "{}", ((item,) for item in items)),
    )

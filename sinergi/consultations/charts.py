"""Server-side SVG for the results page: the opinion map, agreement bars with uncertainty, participation bars.

No JavaScript and nothing loaded from elsewhere. Sizes are kept small on purpose (the page stays ≤ 30 KB with a
thousand participants): dots are zero-length round-capped path segments ("M x yh0", about 10 bytes each), one path
per group, and at most `MAP_POINTS` dots are drawn (a fixed sample, said on the page).
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

MAP_POINTS = 600
MAP_WIDTH = 320
MAP_HEIGHT = 240
MAP_PADDING = 16
BAR_WIDTH = 320
BAR_ROW = 18
BAR_LABEL = 150  # room for the bloc name and its figures on the left
# Intervals wider than this (90 % credible) are drawn as uncertain: too few votes to say.
UNCERTAIN_WIDTH = 0.4


def _percent(value: float) -> str:
    return f"{round(100 * value)}%"


def _accessible_name(caption: str | None) -> str:
    return f'role="img" aria-label="{escape(caption)}"' if caption else 'aria-hidden="true"'


def map_points(summary: dict[str, Any], limit: int = MAP_POINTS) -> list[list[float]]:
    """A deterministic, group-stratified subset of the stored points (every k-th point of the sorted list)."""
    points = summary.get("points") or []
    if len(points) <= limit:
        return points
    step = len(points) / limit
    return [points[int(i * step)] for i in range(limit)]


def opinion_map_svg(summary: dict[str, Any], points: list[list[float]]) -> SafeString:
    """Participants as dots coloured by group, group hulls, and "Kelompok X" at each group centre."""
    groups = summary.get("groups") or []
    xs = [p[0] for p in points] + [x for g in groups for x, _ in g.get("hull", [])] + [g["centre"][0] for g in groups]
    ys = [p[1] for p in points] + [y for g in groups for _, y in g.get("hull", [])] + [g["centre"][1] for g in groups]
    if not xs:
        return mark_safe("")
    min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
    span = max(max_x - min_x, max_y - min_y, 1e-9)
    scale = min(
        (MAP_WIDTH - 2 * MAP_PADDING) / max(max_x - min_x, span * 0.5),
        (MAP_HEIGHT - 2 * MAP_PADDING) / max(max_y - min_y, span * 0.5),
    )

    def at(x: float, y: float) -> tuple[int, int]:
        return round(MAP_PADDING + (x - min_x) * scale), round(MAP_HEIGHT - MAP_PADDING - (y - min_y) * scale)

    parts: list[str] = []
    for index, group in enumerate(groups):
        hull = group.get("hull") or []
        if len(hull) >= 3:
            d = "M" + "L".join("{} {}".format(*at(x, y)) for x, y in hull) + "Z"
            parts.append(f'<path class="hull g{index % 6}" d="{d}"/>')
    by_group: dict[int, list[str]] = {}
    for x, y, g in points:
        px, py = at(x, y)
        by_group.setdefault(int(g), []).append(f"M{px} {py}h0")
    for g, segments in sorted(by_group.items()):
        parts.append(f'<path class="dots g{g % 6}" d="{"".join(segments)}"/>')
    for group in groups:
        cx, cy = at(*group["centre"])
        label = escape(_("Kelompok %(label)s") % {"label": group["label"]})
        parts.append(f'<text x="{cx}" y="{cy}" class="glabel">{label}</text>')
    description = escape(
        "; ".join(_("Kelompok %(label)s: %(size)s peserta") % {"label": g["label"], "size": g["size"]} for g in groups)
    )
    title = escape(_("Peta opini peserta"))
    return mark_safe(  # noqa: S308 — every text above is escaped, numbers are ints
        f'<svg class="opinion-map" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}" role="img" aria-labelledby="map-t map-d">'
        f'<title id="map-t">{title}</title><desc id="map-d">{description}</desc>{"".join(parts)}</svg>'
    )


def agreement_bars_svg(blocs: list[dict[str, Any]], caption: str | None) -> SafeString:
    """One row per bloc (sector or opinion group): the 90 % credible interval of the share agreeing as a bar,
    the posterior mean as a tick, and a dashed line at one half. Wide intervals are drawn dashed (uncertain).
    Bars and ticks are segments of three paths (a few bytes per row); the text of each row carries the figures.
    Without a caption the drawing is hidden from screen readers: a table next to it carries the same figures."""
    height = BAR_ROW * len(blocs) + 4
    track = BAR_WIDTH - BAR_LABEL - 4
    half = BAR_LABEL + track // 2
    texts: list[str] = []
    certain: list[str] = []
    uncertain: list[str] = []
    ticks: list[str] = []
    for i, bloc in enumerate(blocs):
        y = i * BAR_ROW + 2
        lower, upper, mean = float(bloc["lower"]), float(bloc["upper"]), float(bloc["mean"])
        name = bloc["label"] if bloc["kind"] == "sector" else _("Kelompok %(label)s") % {"label": bloc["label"]}
        label = escape(f"{name} {_percent(mean)} ({int(bloc['seen'])})")
        texts.append(f'<text x="0" y="{y + 12}">{label}</text>')
        x1 = BAR_LABEL + round(lower * track)
        width = max(BAR_LABEL + round(upper * track) - x1, 1)
        (uncertain if upper - lower > UNCERTAIN_WIDTH else certain).append(f"M{x1} {y + 7}h{width}")
        ticks.append(f"M{BAR_LABEL + round(mean * track)} {y + 1}v12")
    paths = "".join(
        f'<path class="{name}" d="{"".join(segments)}"/>'
        for name, segments in (("ci", certain), ("ci uncertain", uncertain), ("mean", ticks))
        if segments
    )
    return mark_safe(  # noqa: S308 — escaped texts and integers only
        f'<svg class="bars" viewBox="0 0 {BAR_WIDTH} {height}" {_accessible_name(caption)}>'
        f'<path class="half" d="M{half} 0v{height}"/>{"".join(texts)}{paths}</svg>'
    )


def count_bars_svg(rows: list[dict[str, Any]]) -> SafeString:
    """Horizontal bars for participation counts (the table next to it carries the same numbers)."""
    if not rows:
        return mark_safe("")
    top = max(int(row["count"]) for row in rows) or 1
    label = 110
    track = BAR_WIDTH - label - 40
    parts = []
    for i, row in enumerate(rows):
        y = i * BAR_ROW + 2
        width = max(round(int(row["count"]) * track / top), 1)
        name = escape(str(row["name"] or _("tidak disebut"))[:24])
        parts.append(
            f'<text x="0" y="{y + 12}">{name}</text><rect class="count" x="{label}" y="{y + 3}" '
            f'width="{width}" height="11"/><text x="{label + width + 4}" y="{y + 12}">{int(row["count"])}</text>'
        )
    height = BAR_ROW * len(rows) + 4
    return mark_safe(  # noqa: S308 — escaped texts and integers only
        f'<svg class="bars" viewBox="0 0 {BAR_WIDTH} {height}" aria-hidden="true">{"".join(parts)}</svg>'
    )

from typing import Any

from django import template

from sinergi.planning.selectors import TrailStep, planning_trail

register = template.Library()


@register.simple_tag
def planning_trail_of(aspiration: Any) -> list[TrailStep]:
    """`{% planning_trail_of aspiration as steps %}` — the planning steps the aspiration went through."""
    if aspiration is None or getattr(aspiration, "pk", None) is None:
        return []
    return planning_trail(aspiration)

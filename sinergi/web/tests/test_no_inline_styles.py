"""The Content-Security-Policy says `style-src 'self'`: browsers ignore `style="..."` attributes and `<style>`
blocks, so a page that relies on them looks broken only in a real browser. These tests read the sources (they
render nothing) and point at the file and line to fix; the replacement is a class in
`sinergi/web/static/sinergi/site.css` (for SVG: presentation attributes such as `fill=` or `font-size=`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings

from sinergi.core.middleware import CSP

SINERGI = Path(__file__).resolve().parents[2]
# `style=` as an attribute (also escaped inside Python strings), not `font-style=` (an SVG attribute that is fine).
INLINE_STYLE = re.compile(r"""(?<![\w-])style\s*=\s*\\?["']|<style\b""", re.IGNORECASE)
TEMPLATE_SUFFIXES = {".html", ".svg", ".xml", ".txt"}
# Nothing is allowed: (path relative to the repository, reason). Keep this empty unless truly needed.
ALLOWED: dict[str, str] = {}


def _template_dirs() -> list[Path]:
    engines: list[dict[str, Any]] = settings.TEMPLATES
    dirs = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    dirs += [Path(config.path) / "templates" for config in apps.get_app_configs()]
    return [d for d in dirs if d.is_dir() and d.resolve().is_relative_to(SINERGI)]


def _offences(files: list[Path]) -> list[str]:
    found = []
    for path in files:
        name = str(path.relative_to(SINERGI.parent))
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if INLINE_STYLE.search(line):
                found.append(f"{name}:{number}: {line.strip()[:120]}")
    return found


def test_policy_still_blocks_inline_styles() -> None:
    # If the policy ever allows inline styles, this whole file can go; until then it guards the pages.
    assert "style-src 'self'" in CSP
    assert "unsafe-inline" not in CSP


def test_templates_have_no_inline_styles() -> None:
    dirs = _template_dirs()
    files = sorted({p for d in dirs for p in d.rglob("*") if p.suffix in TEMPLATE_SUFFIXES and p.is_file()})
    assert len(files) > 50, "the scan found too few templates: the template directories moved?"
    offences = _offences(files)
    assert not offences, "inline styles are blocked by the CSP; use a class in site.css:\n" + "\n".join(offences)


def test_python_built_markup_has_no_inline_styles() -> None:
    # Server-side SVG charts and maps are built in Python (format_html); their `style` attributes are blocked too.
    files = sorted(p for p in SINERGI.rglob("*.py") if "tests" not in p.relative_to(SINERGI).parts)
    offences = _offences(files)
    assert not offences, "inline styles are blocked by the CSP; use classes or SVG attributes:\n" + "\n".join(offences)


def test_the_pattern_catches_what_browsers_block() -> None:
    blocked = ['<p style="color:red">', "<style>p{}</style>", "<svg style='max-width:1px'>", "<STYLE media=x>"]
    blocked.append(r'"<svg style=\"x\">"')  # as written inside a Python string
    allowed = ['<p class="stylish">', '<link rel="stylesheet" href="/s.css">', "{% block style %}"]
    allowed.append('<text font-style="italic">')
    assert all(INLINE_STYLE.search(text) for text in blocked)
    assert not any(INLINE_STYLE.search(text) for text in allowed)

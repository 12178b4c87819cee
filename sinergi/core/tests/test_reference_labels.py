"""Reference-data names reach the catalogue and are shown in the reader's language."""

import json
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

from sinergi.actors.reference_data import MEMBERSHIP_ROLES, ORGANISATION_KINDS, SECTORS
from sinergi.core import reference_labels
from sinergi.core.reference_labels import CONTEXT, DEFAULT_NAMES, reference_label

CATEGORIES = Path(__file__).resolve().parents[2] / "aspirations" / "routing" / "data" / "categories.json"


def test_every_default_name_is_listed_for_the_catalogue() -> None:
    categories = [row["label"] for row in json.loads(CATEGORIES.read_text())["categories"]]
    expected = (
        [name for _code, name, _state, _description in SECTORS]
        + [description for _code, _name, _state, description in SECTORS]
        + [name for _code, name, _sector, _public in ORGANISATION_KINDS]
        + [name for _code, name, _acts, _leads in MEMBERSHIP_ROLES]
        + categories
    )
    assert [str(name) for name in DEFAULT_NAMES] == expected, "update sinergi/core/reference_labels.py"


def test_names_go_through_the_catalogue_with_their_own_context(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    looked_up: list[tuple[str, str]] = []

    def fake_pgettext(context: str, message: str) -> str:
        looked_up.append((context, message))
        return f"[{message}]"

    monkeypatch.setattr(reference_labels, "pgettext", fake_pgettext)
    assert reference_label("Pemuda") == "[Pemuda]"
    assert looked_up == [(CONTEXT, "Pemuda")]
    assert reference_label("") == ""
    rendered = Template("{% load indonesian %}{{ name|rujukan }}|{{ missing|rujukan }}").render(
        Context({"name": "Swasta", "missing": None})
    )
    assert rendered == "[Swasta]|"


def test_unknown_names_are_shown_as_stored() -> None:
    with translation.override("en"):
        assert reference_label("Forum Warga Kampung Durian (nama baru)") == "Forum Warga Kampung Durian (nama baru)"

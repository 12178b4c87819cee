"""Random input to every HTML form of the site never produces a server error.

The forms are found by crawling the site (tests/crawl.py) as a visitor, as an official who
chairs a forum, and as the administrator, so new forms are fuzzed as soon as a page links to
them. Each form gets hypothesis-generated values for every field: random text, numbers out of
range, malformed dates, markup, very long strings, and the real options of its selects.
A redirect, a 200 with the form's errors, a 403 or a 404 are all fine; a 5xx is not.
"""

import os
from typing import Any
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import client_for
from tests.crawl import SKIP_PREFIXES, Form, Page, crawl, page_pattern
from tests.sample_data import build_sample_data

EXAMPLES = int(os.environ.get("SINERGI_FUZZ_FORM_EXAMPLES", "6"))
RANDOM = os.environ.get("SINERGI_FUZZ_RANDOM", "") not in {"", "0"}
NASTY_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "9" * 40,
    "1e309",
    "2026-13-45",
    "31/02/2026",
    "25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "🙂" * 50,
    "a" * 5000,
    "00000000-0000-0000-0000-000000000000",
    "../../../etc/passwd",
]


def _field_value(kind: str, options: list[str]) -> st.SearchStrategy[Any]:
    random_text = st.one_of(st.sampled_from(NASTY_VALUES), st.text(max_size=200))
    if kind in {"select", "radio", "checkbox"} and options:
        return st.one_of(st.sampled_from(options), random_text)
    return random_text


def _form_strategy(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    fields = {
        name: _field_value(kind, form.options.get(name, []))
        for name, kind in form.fields.items()
        if kind not in {"file", "submit"} and name != "csrfmiddlewaretoken"
    }
    # Each field is either sent with a generated value or left out entirely.
    return st.fixed_dictionaries({}, optional=fields)


def _crawl_forms(client: Client, starts: list[str]) -> dict[tuple[str, str, str], tuple[str, Form]]:
    def fetch(url: str) -> tuple[int, str, bytes]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Content-Type", ""), body

    pages: list[Page] = crawl(fetch, starts, max_pages=50, per_pattern=1)
    forms: dict[tuple[str, str, str], tuple[str, Form]] = {}
    for page in pages:
        for form in page.parsed.forms if page.parsed else []:
            target = urljoin(page.url, form.action or page.url)
            if target.startswith(SKIP_PREFIXES) and not target.startswith("/i18n/"):
                continue
            key = (page_pattern(page.url), page_pattern(target.split("?")[0]), form.method)
            forms.setdefault(key, (target, form))
    return forms


def _fuzz(client: Client, target: str, form: Form) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=_form_strategy(form))
    def run(values: dict[str, Any]) -> None:
        try:
            if form.method == "post":
                response = client.post(target, values)
            else:
                response = client.get(target.split("?")[0], values)
        except Exception as error:
            error.add_note(f"while sending {form.method.upper()} {target} {values!r}")
            raise
        assert response.status_code < 500, f"{form.method.upper()} {target} {values!r} → {response.status_code}"

    run()


@pytest.mark.parametrize("role", ["anonymous", "opd_officer", "administrator"])
def test_every_form_survives_random_input(role: str, personas: Any) -> None:
    build_sample_data(personas)
    from sinergi.consultations.tests.factories import ConsultationFactory, with_statements

    consultation = ConsultationFactory(organiser=personas["opd_officer"].organisation)
    with_statements(consultation, 3)
    client = client_for(personas[role])
    starts = [
        reverse("web:home"),
        reverse("forums:list"),
        reverse("meetings:list"),
        reverse("actors:organisation_list"),
        reverse("consultations:list"),
        reverse("consultations:detail", args=[consultation.slug]),
    ]
    if role == "anonymous":
        starts += [reverse("accounts:login"), reverse("accounts:register"), reverse("accounts:password_reset")]
    else:
        starts += [reverse("accounts:profile")]
    forms = _crawl_forms(client, starts)
    assert forms, "the crawl found no forms at all"
    if role == "anonymous":
        found = {target for target, _ in forms.values()}
        assert {reverse("accounts:login"), reverse("accounts:register")} <= found
    for target, form in forms.values():
        _fuzz(client, target, form)

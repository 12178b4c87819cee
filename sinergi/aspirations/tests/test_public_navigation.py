"""Ways into the aspiration pages: the main menu, the footer's Open311 link, the links on the public list
(the officer desk only for officers) and the Dukung button on open cases only."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas, client_for
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.states import AspirationStatus
from sinergi.aspirations.tests.factories import AspirationFactory

pytestmark = pytest.mark.django_db


def test_main_menu_leads_to_aspirations_and_footer_to_open311(client: Client) -> None:
    html = client.get(reverse("web:home")).content.decode()
    menu = html.split('<nav aria-label="Menu utama">', 1)[1].split("</nav>", 1)[0]
    assert f'href="{reverse("aspirations:list")}"' in menu
    assert menu.index(reverse("aspirations:list")) < menu.index(reverse("forums:list"))
    footer = html.split('<footer class="site">', 1)[1]
    assert 'href="/open311/v2/discovery.json"' in footer


def test_public_list_links_to_submit_track_statistics_and_map(client: Client) -> None:
    html = client.get(reverse("aspirations:list")).content.decode()
    for name in ("submit", "track_start", "statistics", "map"):
        assert f'href="{reverse(f"aspirations:{name}")}"' in html, name
    assert reverse("aspirations:manage_home") not in html


@pytest.mark.parametrize(("role", "shown"), [("citizen", False), ("opd_officer", True), ("administrator", True)])
def test_officer_desk_link_only_for_officers(personas: Personas, role: str, shown: bool) -> None:
    html = client_for(personas[role]).get(reverse("aspirations:list")).content.decode()
    assert (f'href="{reverse("aspirations:manage_home")}"' in html) == shown


@pytest.mark.parametrize(
    ("status", "shown"),
    [(AspirationStatus.RECEIVED, True), (AspirationStatus.IN_PROGRESS, True), (AspirationStatus.RESOLVED, False)],
)
def test_dukung_button_only_on_open_cases(client: Client, status: str, shown: bool) -> None:
    case: Aspiration = AspirationFactory(status=status, support_count=3)  # type: ignore[assignment]
    response = client.get(reverse("aspirations:detail", args=[case.uid]))
    assert response.status_code == 200
    assert (f'href="{reverse("aspirations:support", args=[case.uid])}"' in response.content.decode()) == shown

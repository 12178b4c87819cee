"""Officer pages: desk, queue, case page (identity rules), action forms, overdue dashboard."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sinergi.aspirations.services import lifecycle
from sinergi.aspirations.states import AspirationStatus, OverdueStage, Privacy
from sinergi.aspirations.tests.lifecycle_fixtures import build_desk, received_case

pytestmark = pytest.mark.django_db
S = AspirationStatus


@pytest.fixture
def desk(reference_data):  # type: ignore[no-untyped-def]
    return build_desk()


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _dispositioned(desk, **fields):  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd, **fields)
    lifecycle.aspiration_verify(aspiration=case, actor=desk.coordinator)
    lifecycle.aspiration_disposition(aspiration=case, actor=desk.coordinator, organisation=desk.opd)
    case.refresh_from_db()
    return case


def test_desk_lists_oldest_first_with_bounded_queries(desk, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd, suggestion_score=0.82)
    client = login(desk.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("aspirations:manage_desk"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("konfirmasi/") == 6 and "82%" in body
    assert login(desk.opd_staff).get(reverse("aspirations:manage_desk")).status_code == 403


def test_one_click_confirm_verifies_and_dispositions(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd)
    response = login(desk.coordinator).post(reverse("aspirations:manage_action", args=[case.uid, "konfirmasi"]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.DISPOSITIONED and case.assigned_organisation == desk.opd
    assert case.routing_corrections.get().was_suggested


def test_correction_form_sends_elsewhere(desk) -> None:  # type: ignore[no-untyped-def]
    case = received_case(timezone.now(), category=desk.category, suggested_organisation=desk.opd)
    client = login(desk.coordinator)
    url = reverse("aspirations:manage_action", args=[case.uid, "disposisi"])
    assert 'value="dinas-pupr" selected' in client.get(url).content.decode()
    response = client.post(url, {"organisation": "dinas-perkim", "category": "", "note": "Perumahan."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assigned_organisation == desk.other_opd
    assert not case.routing_corrections.get().was_suggested


def test_opd_never_sees_the_identity_of_an_anonymous_reporter(desk) -> None:  # type: ignore[no-untyped-def]
    case = _dispositioned(desk, privacy=Privacy.ANONYMOUS)
    url = reverse("aspirations:manage_case", args=[case.uid])
    opd_page = login(desk.opd_staff).get(url).content.decode()
    assert "Siti Pelapor Rahasia" not in opd_page and "6281234567890" not in opd_page
    assert case.text in opd_page
    coordinator_page = login(desk.coordinator).get(url).content.decode()
    assert "Siti Pelapor Rahasia" in coordinator_page and "+6281234567890" in coordinator_page


def test_opd_sees_name_but_not_contact_of_a_public_reporter(desk) -> None:  # type: ignore[no-untyped-def]
    case = _dispositioned(desk, privacy=Privacy.PUBLIC)
    page = login(desk.opd_staff).get(reverse("aspirations:manage_case", args=[case.uid])).content.decode()
    assert "Siti Pelapor Rahasia" in page and "6281234567890" not in page


def test_confidential_text_is_shown_to_officers_and_other_opds_are_refused(desk) -> None:  # type: ignore[no-untyped-def]
    case = _dispositioned(desk, privacy=Privacy.CONFIDENTIAL)
    url = reverse("aspirations:manage_case", args=[case.uid])
    assert case.text in login(desk.opd_staff).get(url).content.decode()
    assert login(desk.other_staff).get(url).status_code == 403


def test_opd_responds_and_resolves_through_forms(desk) -> None:  # type: ignore[no-untyped-def]
    case = _dispositioned(desk)
    client = login(desk.opd_staff)
    action = lambda name: reverse("aspirations:manage_action", args=[case.uid, name])  # noqa: E731
    assert client.post(action("selesaikan"), {"outcome": "x"}).status_code == 400  # not in progress yet
    assert client.post(action("tanggapi"), {"text": "Kami survei.", "internal_note": ""}).status_code == 302
    assert client.post(action("tanggapi"), {"text": "", "internal_note": ""}).status_code == 400
    assert client.post(action("selesaikan"), {"outcome": "Sudah ditambal."}).status_code == 302
    case.refresh_from_db()
    assert case.status == S.RESOLVED
    page = client.get(reverse("aspirations:manage_case", args=[case.uid])).content.decode()
    assert "Sudah ditambal." in page and "Kami survei." in page
    assert client.get(action("tidak-ada")).status_code == 404


def test_queue_and_overdue_dashboard(desk, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    cases = [_dispositioned(desk) for _ in range(4)]
    cases[0].overdue_stage = OverdueStage.FIRST_RESPONSE
    cases[0].overdue_since = timezone.now()
    cases[0].save()
    client = login(desk.opd_staff)
    with django_assert_max_num_queries(16):
        queue = client.get(reverse("aspirations:manage_queue"))
    assert queue.content.decode().count("/aspirasi/kelola/") >= 4
    with django_assert_max_num_queries(16):
        overdue = client.get(reverse("aspirations:manage_overdue")).content.decode()
    assert cases[0].title in overdue and cases[1].title not in overdue
    # Another OPD's queue does not list them.
    assert cases[1].title not in login(desk.other_staff).get(reverse("aspirations:manage_queue")).content.decode()

"""Pages: dukung (one click signed in; phone → code → done without JavaScript), similar cases, merge form."""

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from sinergi.aspirations.models import Support
from sinergi.aspirations.routing.text import stemmed
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.aspirations.tests.lifecycle_fixtures import Desk, build_desk
from sinergi.aspirations.views.support import SESSION_PHONE

pytestmark = pytest.mark.django_db
PHONE = "+6281234567001"


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    from sinergi.notifications import services as notification_services

    outbox: list[tuple[str, str]] = []
    monkeypatch.setattr(notification_services, "send_one_time_code", lambda phone, code: outbox.append((phone, code)))
    return outbox


@pytest.fixture
def case() -> Any:
    return AspirationFactory(status=AspirationStatus.VERIFIED, title="Lampu jalan mati di gang Kenari")


def test_signed_in_one_click(personas: Any, case: Any) -> None:
    client = client_for(personas["citizen"])
    page = client.get(reverse("aspirations:support", args=[case.uid]))
    assert page.status_code == 200 and b'name="phone"' not in page.content
    response = client.post(reverse("aspirations:support", args=[case.uid]))
    assert response.status_code == 302 and response.url == reverse("aspirations:detail", args=[case.uid])
    client.post(reverse("aspirations:support", args=[case.uid]))  # a second press: no error, no second row
    assert Support.objects.filter(aspiration=case).count() == 1
    assert "sudah mendukung" in client.get(reverse("aspirations:support", args=[case.uid])).content.decode()


def test_phone_code_flow_without_account(
    case: Any, sent: list[tuple[str, str]], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = client.get(reverse("aspirations:support", args=[case.uid]))
    assert page.status_code == 200 and b'name="phone"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        with_phone = client.post(reverse("aspirations:support_phone", args=[case.uid]), {"phone": "0812-3456-7001"})
    assert with_phone.status_code == 302 and with_phone.url == reverse("aspirations:support_code", args=[case.uid])
    assert PHONE not in str(dict(client.session))  # sealed in the session
    code_page = client.get(with_phone.url)
    assert code_page.status_code == 200 and PHONE not in code_page.content.decode()
    wrong = client.post(with_phone.url, {"code": "000000" if sent[-1][1] != "000000" else "111111"})
    assert wrong.status_code == 400 and "Kode tidak cocok" in wrong.content.decode()
    done = client.post(with_phone.url, {"code": sent[-1][1]})
    assert done.status_code == 302
    support = Support.objects.get(aspiration=case)
    assert support.user is None and support.phone == PHONE
    other = AspirationFactory(status=AspirationStatus.VERIFIED)  # the proof in the session: one click next time
    assert "Dukung dengan nomor" in client.get(reverse("aspirations:support", args=[other.uid])).content.decode()
    client.post(reverse("aspirations:support", args=[other.uid]))
    assert Support.objects.filter(aspiration=other).count() == 1


def test_bad_phone_shows_form_error(case: Any, sent: list[tuple[str, str]], client: Any) -> None:
    response = client.post(reverse("aspirations:support_phone", args=[case.uid]), {"phone": "123"})
    assert response.status_code == 400 and "Nomor telepon tidak valid" in response.content.decode()
    assert SESSION_PHONE not in client.session


def test_code_step_without_phone_goes_back(case: Any, client: Any) -> None:
    response = client.get(reverse("aspirations:support_code", args=[case.uid]))
    assert response.status_code == 302 and response.url == reverse("aspirations:support", args=[case.uid])


def test_anonymous_one_click_asks_to_sign_in(case: Any, client: Any) -> None:
    response = client.post(reverse("aspirations:support", args=[case.uid]))
    assert response.status_code == 302 and "/akun/masuk/" in response.url
    assert not Support.objects.exists()


def test_closed_case_page_and_refusal_message(personas: Any) -> None:
    into = AspirationFactory(status=AspirationStatus.VERIFIED)
    merged = AspirationFactory(status=AspirationStatus.MERGED, merged_into=into)
    client = client_for(personas["citizen"])
    page = client.get(reverse("aspirations:support", args=[merged.uid]))
    assert reverse("aspirations:support", args=[into.uid]) in page.content.decode()
    response = client.post(reverse("aspirations:support", args=[merged.uid]), follow=True)
    assert "sudah digabung" in response.content.decode()
    assert not Support.objects.exists()


def test_unknown_case_is_404(client: Any) -> None:
    assert client.get("/aspirasi/00000000-0000-0000-0000-000000000000/dukung/").status_code == 404


def test_similar_page(client: Any, django_assert_max_num_queries: Any) -> None:
    text = "Lampu PJU mati total di gang Kenari, malam gelap sekali"
    found = AspirationFactory(title="Lampu PJU mati", text=text, search_terms=stemmed(text))
    secret = AspirationFactory(
        title="Judul rahasia PJU", text=text, search_terms=stemmed(text), privacy=Privacy.CONFIDENTIAL
    )
    assert client.get(reverse("aspirations:similar")).status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("aspirations:similar"), {"q": "lampu pju gang kenari mati, gelap"})
    body = response.content.decode()
    assert response.status_code == 200
    assert str(found.uid) in body and str(secret.uid) in body and "Judul rahasia" not in body
    assert len(response.content) < 30_000
    assert client.get(reverse("aspirations:similar"), {"q": "x" * 5000}).status_code == 200  # bounded, no 500


@pytest.fixture
def desk(reference_data: None) -> Desk:
    return build_desk()


def test_merge_page_for_the_opd_and_refused_to_others(desk: Desk, personas: Any) -> None:
    text = "Jalan berlubang besar di depan SDN Sananwetan 3"
    into = AspirationFactory(
        status=AspirationStatus.DISPOSITIONED,
        assigned_organisation=desk.opd,
        category=desk.category,
        text=text,
        search_terms=stemmed(text),
    )
    duplicate = AspirationFactory(
        status=AspirationStatus.RECEIVED,
        assigned_organisation=desk.opd,
        category=desk.category,
        text=text,
        search_terms=stemmed(text),
    )
    url = reverse("aspirations:merge", args=[duplicate.uid])
    staff = client_for(type("P", (), {"user": desk.opd_staff})())  # type: ignore[arg-type]
    page = staff.get(url)
    assert page.status_code == 200 and str(into.uid) in page.content.decode()  # offered as a candidate
    assert client_for(type("P", (), {"user": desk.other_staff})()).get(url).status_code == 403  # type: ignore[arg-type]
    assert client_for(personas["citizen"]).get(url).status_code == 403
    missing = staff.post(url, {"into": "00000000-0000-0000-0000-000000000000", "reason": "Sama"})
    assert missing.status_code == 400
    itself = staff.post(url, {"into": str(duplicate.uid), "reason": "Sama"})
    assert itself.status_code == 400 and "dirinya sendiri" in itself.content.decode()
    done = staff.post(url, {"into": str(into.uid), "reason": "Lokasi sama"})
    assert done.status_code == 302 and done.url == reverse("aspirations:detail", args=[into.uid])
    duplicate.refresh_from_db()
    assert duplicate.status == AspirationStatus.MERGED and duplicate.merged_into == into


def test_dukung_include_for_the_case_page(case: Any) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("aspirations/support/_dukung.html", {"uid": case.uid, "count": 3})
    assert reverse("aspirations:support", args=[case.uid]) in html and "3 pendukung" in html

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.services import api_token_create, api_token_revoke
from sinergi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_citizen_registers_and_gets_an_unlisted_profile(client: Client) -> None:
    response = client.post(
        "/akun/daftar/",
        {
            "full_name": "Siti Aminah",
            "username": "siti",
            "email": "siti@contoh.test",
            "password": "kopi-tubruk-9",
            "password_again": "kopi-tubruk-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="siti")
    assert user.person.full_name == "Siti Aminah"
    assert user.person.is_listed is False
    # A private sign-up is not a public act.
    assert LedgerEntry.objects.count() == 0
    assert client.get("/akun/saya/").status_code == 200


def test_registration_errors_are_indonesian_and_keep_the_input(client: Client) -> None:
    response = client.post(
        "/akun/daftar/",
        {"full_name": "Budi", "username": "budi", "password": "abc", "password_again": "abd"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kedua kata sandi tidak sama" in body
    assert 'value="Budi"' in body
    assert not User.objects.filter(username="budi").exists()


def test_officials_need_stronger_passwords(personas) -> None:  # type: ignore[no-untyped-def]
    officer = personas["opd_officer"].user
    citizen = personas["citizen"].user
    validate_password("kopi-tbk-9", citizen)
    with pytest.raises(ValidationError) as excinfo:
        validate_password("kopi-tbk-9", officer)
    assert any("minimal 12" in m for m in excinfo.value.messages)
    with pytest.raises(ValidationError) as excinfo:
        validate_password("kopitubrukenak2026", officer)
    assert any("simbol" in m for m in excinfo.value.messages)
    validate_password("Kopi-tubruk-2026!", officer)


def test_password_reset_sends_a_working_link(client: Client, mailoutbox, personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["citizen"].user
    response = client.post("/akun/sandi/lupa/", {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+/)", mailoutbox[0].body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "jalan-merdeka-45", "new_password2": "jalan-merdeka-45"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("jalan-merdeka-45")


def test_login_and_logout(client: Client, personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["citizen"].user
    assert client.post("/akun/masuk/", {"username": user.username, "password": "salah"}).status_code == 200
    assert client.post("/akun/masuk/", {"username": user.username, "password": "demo-Sakti-2026"}).status_code == 302
    assert client.get("/akun/saya/").status_code == 200
    assert client.post("/akun/keluar/").status_code == 302
    assert client.get("/akun/saya/").status_code == 302


def test_api_token_is_stored_hashed_and_can_be_revoked(personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["citizen"].user
    token, key = api_token_create(user=user, name="skrip")
    assert key not in token.key_hash
    assert ApiToken.objects.get(pk=token.pk).key_hash == ApiToken.hash_key(key)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    me = api.get("/api/v1/accounts/me")
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    api_token_revoke(token=token)
    refused = api.get("/api/v1/accounts/me")
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthenticated"


def test_token_page_shows_the_secret_once(personas) -> None:  # type: ignore[no-untyped-def]
    from conftest import client_for

    client = client_for(personas["citizen"])
    response = client.post("/akun/saya/token/", {"name": "SIPD"})
    secret = re.search(r'value="(ss_[^"]+)"', response.content.decode())
    assert secret
    assert secret.group(1) not in client.get("/akun/saya/").content.decode()
    assert client.post("/akun/saya/token/", {"name": ""}).status_code == 302


def test_admin_is_for_superusers_only(personas) -> None:  # type: ignore[no-untyped-def]
    from conftest import client_for

    staff = personas["opd_officer"].user
    staff.is_staff = True
    staff.save()
    assert client_for(personas["opd_officer"]).get("/admin/").status_code == 302
    assert client_for(personas["administrator"]).get("/admin/").status_code == 200

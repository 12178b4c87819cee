"""Shared fixtures: reference data, personas, API clients.

Personas (the roles of the permission matrix):
  anonymous, citizen, swasta, masyarakat, pemuda, akademisi, media (each an official
  representative of an organisation of that sector), opd_officer, dprd_member,
  forum_secretariat (secretariat of the `forum` fixture's forum) and administrator.
"""

import socket
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from sinergi.accounts.services import api_token_create
from sinergi.actors.reference_data import reference_data_load
from sinergi.actors.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
    role,
)

NON_STATE_SECTORS = ["swasta", "masyarakat", "pemuda", "akademisi", "media"]
SECTOR_ORG_KIND = {
    "swasta": "perusahaan",
    "masyarakat": "lsm",
    "pemuda": "karang-taruna",
    "akademisi": "perguruan-tinggi",
    "media": "media",
}
ROLES = [
    "anonymous",
    "citizen",
    *NON_STATE_SECTORS,
    "opd_officer",
    "dprd_member",
    "forum_secretariat",
    "administrator",
]


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never talk to other hosts; loopback stays open for local test servers."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "localhost", "::1"} and not host.startswith("/"):
            raise RuntimeError(f"network access blocked in tests: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    """Tests render pages without running collectstatic first, and hash passwords cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests change rows with factories (no log entry), so a page cached by log head could be stale.
    settings.SINERGI_PAGE_CACHE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded photos of a test go to a folder of the test run, never into the working copy's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


def _let_test_flush_empty_the_log() -> None:
    """The public log refuses TRUNCATE by trigger (PostgreSQL), and every `transaction=True` test ends with a
    flush that truncates all tables. The flush runs in one transaction and ALTER TABLE is transactional, so
    switching the log's triggers off around the flush's own statements lifts the guard only there."""
    from django.db import connections

    for connection in connections.all():
        operations = connection.ops
        if connection.vendor != "postgresql" or getattr(operations.sql_flush, "lets_log_be_flushed", False):
            continue
        original = operations.sql_flush

        def sql_flush(style: Any, tables: Any, *, _original: Any = original, **kwargs: Any) -> list[str]:
            statements = _original(style, tables, **kwargs)
            if "ledger_ledgerentry" not in tables or not statements:
                return list(statements)
            return [
                "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER USER",
                *statements,
                "ALTER TABLE ledger_ledgerentry ENABLE TRIGGER USER",
            ]

        sql_flush.lets_log_be_flushed = True  # type: ignore[attr-defined]
        operations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _indonesian_by_default() -> Any:
    """Each test starts in the default language: a test that switched to English must not leak it
    into texts that the next test's services write (timeline entries are stored as rendered)."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _flushable_log(request: pytest.FixtureRequest) -> None:
    if "transactional_db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        _let_test_flush_empty_the_log()


@pytest.fixture
def reference_data(db: None) -> None:
    reference_data_load()


@dataclass
class Persona:
    role: str
    user: Any = None
    organisation: Any = None

    @property
    def person(self) -> Any:
        return getattr(self.user, "person", None) if self.user else None


@dataclass
class Personas:
    by_role: dict[str, Persona] = field(default_factory=dict)

    def __getitem__(self, role_name: str) -> Persona:
        return self.by_role[role_name]


def _official(role_name: str, kind_code: str, role_code: str, org_name: str) -> Persona:
    organisation = OrganisationFactory(name=org_name, kind=kind(kind_code))
    membership: Any = MembershipFactory(
        person=PersonFactory(full_name=f"Persona {role_name}"), organisation=organisation, role=role(role_code)
    )
    return Persona(role_name, membership.person.user, organisation)


@pytest.fixture
def personas(reference_data: None) -> Personas:
    """Every role except forum_secretariat (which belongs to a forum: see the forums app's fixtures)."""
    result = Personas()
    result.by_role["anonymous"] = Persona("anonymous")
    result.by_role["citizen"] = Persona("citizen", PersonFactory(full_name="Persona warga", is_listed=False).user)
    for sector_code in NON_STATE_SECTORS:
        result.by_role[sector_code] = _official(
            sector_code, SECTOR_ORG_KIND[sector_code], "perwakilan", f"Organisasi {sector_code}"
        )
    result.by_role["opd_officer"] = _official("opd_officer", "opd", "staf", "Dinas Contoh")
    result.by_role["dprd_member"] = _official("dprd_member", "dprd", "anggota-dprd", "DPRD Contoh")
    admin = UserFactory(username="admin-persona", is_superuser=True, is_staff=True)
    PersonFactory(user=admin, full_name="Persona administrator")
    result.by_role["administrator"] = Persona("administrator", admin)
    return result


def client_for(persona: Persona) -> Client:
    client = Client()
    if persona.user is not None:
        client.force_login(persona.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def api_client_for(persona: Persona) -> Client:
    """A client that sends the persona's API token (anonymous sends none)."""
    if persona.user is None:
        return Client()
    _, key = api_token_create(user=persona.user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

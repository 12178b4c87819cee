import importlib

import pytest
from rules.permissions import permissions as registered_permissions

from conftest import ROLES, api_client_for, client_for
from tests.permission_matrix import MatrixAction, MatrixContext

MATRIX_APPS = [
    "accounts",
    "actors",
    "regions",
    "forums",
    "meetings",
    "ledger",
    "aspirations",
    "planning",
    "consultations",
    "notifications",
]


def _collect() -> list[MatrixAction]:
    actions: list[MatrixAction] = []
    for app in MATRIX_APPS:
        try:
            module = importlib.import_module(f"sinergi.{app}.tests.matrix")
        except ModuleNotFoundError:
            continue
        actions.extend(module.ACTIONS)
    return actions


ACTIONS = _collect()


def test_every_permission_is_in_the_matrix() -> None:
    registered = {name for name in registered_permissions if name.split(".")[0] in MATRIX_APPS}
    covered = {action.perm for action in ACTIONS}
    assert registered - covered == set(), "permissions without a row in the matrix"
    assert covered - registered == set(), "matrix rows for permissions that rules does not know"


@pytest.fixture
def matrix_context(personas):  # type: ignore[no-untyped-def]
    from sinergi.forums.tests.fixtures import add_matrix_forum

    context = MatrixContext(personas=personas)
    add_matrix_forum(context)
    return context


def _expect_allowed(response, channel: str, action: MatrixAction, role: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 400, (
        f"{role} should be allowed {action.perm} via {channel}; got {response.status_code}: {response.content[:300]!r}"
    )


def _expect_denied(response, channel: str, action: MatrixAction, role: str) -> None:  # type: ignore[no-untyped-def]
    if channel == "page" and role == "anonymous":
        ok = response.status_code in (302, 403) and (
            response.status_code == 403 or "/akun/masuk/" in response.headers.get("Location", "")
        )
    elif channel == "api" and role == "anonymous":
        ok = response.status_code in (401, 403)
    else:
        ok = response.status_code == 403
    assert ok, f"{role} must be refused {action.perm} via {channel}; got {response.status_code}"
    if channel == "api":
        assert response.headers["Content-Type"].startswith("application/json")
        assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.perm)
@pytest.mark.parametrize("role", ROLES)
def test_role_can_or_cannot(role: str, action: MatrixAction, matrix_context: MatrixContext) -> None:
    persona = matrix_context.personas[role]
    subject = action.subject(matrix_context) if action.subject else None
    expected = role in action.allowed
    user = persona.user
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    assert user.has_perm(action.perm, subject) is expected, f"rules: {role} / {action.perm}"
    if action.page:
        response = action.page(client_for(persona), matrix_context, subject)
        (_expect_allowed if expected else _expect_denied)(response, "page", action, role)
    if action.api:
        # A fresh subject: the page attempt may have consumed the first one (e.g. activated a forum).
        subject = action.subject(matrix_context) if action.subject else None
        response = action.api(api_client_for(persona), matrix_context, subject)
        (_expect_allowed if expected else _expect_denied)(response, "api", action, role)

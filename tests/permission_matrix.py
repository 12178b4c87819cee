"""The permission matrix: every role × every action, checked through rules, pages and API.

Each app lists its actions in `sinergi/<app>/tests/matrix.py` as `ACTIONS`. An action names
its django-rules permission, the roles allowed, how to build its subject, and how to attempt it
through a page and through the API (or why there is no such route). A permission registered in
rules but missing from every ACTIONS list fails `test_every_permission_is_in_the_matrix`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.test import Client


@dataclass
class MatrixContext:
    """What an action's callables get: the personas and a cache for shared objects."""

    personas: Any
    cache: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        return self.personas[role].user


Attempt = Callable[[Client, MatrixContext, Any], HttpResponse]


@dataclass(frozen=True)
class MatrixAction:
    perm: str
    allowed: frozenset[str]
    subject: Callable[[MatrixContext], Any] | None = None
    page: Attempt | None = None
    api: Attempt | None = None
    # Why there is no page or API route for this action (required when one is None).
    no_page_because: str = ""
    no_api_because: str = ""

    def __post_init__(self) -> None:
        assert self.page or self.no_page_because, f"{self.perm}: give a page attempt or say why there is none"
        assert self.api or self.no_api_because, f"{self.perm}: give an API attempt or say why there is none"


def everyone_but(*roles: str) -> frozenset[str]:
    from conftest import ROLES

    return frozenset(r for r in ROLES if r not in roles)


def only(*roles: str) -> frozenset[str]:
    return frozenset(roles)

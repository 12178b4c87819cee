"""Permission-matrix rows of the notifications app: the two pages (no API routes)."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only

NO_API = "notices are read on the site only; the API carries no personal inbox or outbox view"


def inbox_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get(reverse("notifications:inbox"))


def outbox_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get(reverse("notifications:outbox"))


ACTIONS = [
    MatrixAction(
        "notifications.view_own_notifications",
        everyone_but("anonymous"),
        page=inbox_page,
        no_api_because=NO_API,
    ),
    MatrixAction(
        "notifications.view_outbox",
        only("administrator"),
        page=outbox_page,
        no_api_because=NO_API,
    ),
]

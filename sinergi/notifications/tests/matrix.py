"""Permission-matrix rows of the notifications app: the two pages and their API reads."""

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only


def inbox_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get(reverse("notifications:inbox"))


def inbox_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get("/api/v1/notifications/mine")


def outbox_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get("/api/v1/notifications/outbox")


def outbox_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.get(reverse("notifications:outbox"))


ACTIONS = [
    MatrixAction(
        "notifications.view_own_notifications",
        everyone_but("anonymous"),
        page=inbox_page,
        api=inbox_api,
    ),
    MatrixAction(
        "notifications.view_outbox",
        only("administrator"),
        page=outbox_page,
        api=outbox_api,
    ),
]

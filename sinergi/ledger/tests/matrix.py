from django.urls import reverse

from tests.permission_matrix import MatrixAction, everyone_but

ACTIONS = [
    MatrixAction(
        perm="ledger.view_ledger",
        allowed=everyone_but(),
        page=lambda client, ctx, subject: client.get(reverse("ledger:timeline")),
        api=lambda client, ctx, subject: client.get("/api/v1/ledger/entries"),
    ),
]

from django.urls import reverse

from tests.permission_matrix import MatrixAction, everyone_but

ACTIONS = [
    MatrixAction(
        perm="regions.view_region",
        allowed=everyone_but(),
        page=lambda client, ctx, subject: client.get(reverse("regions:overview")),
        api=lambda client, ctx, subject: client.get("/api/v1/regions"),
    ),
]

from django.urls import reverse

from tests.permission_matrix import MatrixAction, everyone_but

ACTIONS = [
    MatrixAction(
        perm="accounts.view_own_account",
        allowed=everyone_but("anonymous"),
        page=lambda client, ctx, subject: client.get(reverse("accounts:profile")),
        api=lambda client, ctx, subject: client.get("/api/v1/accounts/me"),
    ),
    MatrixAction(
        perm="accounts.manage_api_tokens",
        allowed=everyone_but("anonymous"),
        page=lambda client, ctx, subject: client.post(reverse("accounts:token_create"), {"name": "skrip"}),
        no_api_because="tokens are created on the account page only, so a leaked token cannot mint more",
    ),
]

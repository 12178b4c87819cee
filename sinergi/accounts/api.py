from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from sinergi.accounts.selectors import api_token_user


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer ss_…`. Every write endpoint uses it; reads need none."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


token_auth = ApiTokenAuth()
router = Router()


class MeOut(Schema):
    username: str
    display_name: str
    public_handle: str
    is_official: bool


@router.get("/me", response=MeOut, auth=token_auth, summary="Akun pemilik token")
def me(request: HttpRequest) -> dict[str, Any]:
    from sinergi.accounts.passwords import is_official_account

    user = request.user
    return {
        "username": user.username,
        "display_name": user.display_name,  # type: ignore[union-attr]
        "public_handle": user.public_handle,  # type: ignore[union-attr]
        "is_official": is_official_account(user),
    }

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import ApiToken, User
from sinergi.actors.services import person_create_for_user


@transaction.atomic
def account_register(*, username: str, full_name: str, email: str, password: str) -> User:
    """A citizen signs up. Private: no public log entry, and the profile is not listed."""
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    person_create_for_user(user=user, full_name=full_name, is_listed=False)
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is never stored and cannot be shown again."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[3 : 3 + ApiToken.PREFIX_LENGTH], key_hash=ApiToken.hash_key(key)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])

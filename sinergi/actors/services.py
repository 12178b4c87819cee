from django.db import transaction
from django.utils.text import slugify

from sinergi.accounts.models import User
from sinergi.actors.models import Person


def unique_slug(model: type, base: str, *, field: str = "slug", max_length: int = 110) -> str:
    root = slugify(base)[:max_length] or "x"
    candidate, n = root, 2
    while model._default_manager.filter(**{field: candidate}).exists():  # type: ignore[attr-defined]
        candidate = f"{root}-{n}"
        n += 1
    return candidate


@transaction.atomic
def person_create_for_user(*, user: User, full_name: str, is_listed: bool = False) -> Person:
    """The profile behind a login. Unlisted profiles are private and not logged publicly."""
    return Person.objects.create(
        user=user, full_name=full_name, slug=unique_slug(Person, full_name), is_listed=is_listed
    )

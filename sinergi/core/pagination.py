"""API pagination with bounded inputs.

Ninja's LimitOffsetPagination leaves `offset` (and, by default, `limit`) unbounded, so a request
such as `?offset=9223372036854775808` overflows the database's 64-bit LIMIT/OFFSET and answers
500. Here both are bounded and an out-of-range value is a 422 like any other bad input.
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200
# Far beyond any real list, far below the 2**63 that the databases' LIMIT/OFFSET accept.
MAX_OFFSET = 10**9


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(getattr(settings, "NINJA_PAGINATION_PER_PAGE", 50), ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)  # type: ignore[arg-type]

"""Every 4xx under /api/ speaks the API's JSON error contract.

The exception handlers in `sinergi/api.py` cover errors raised by endpoints. Some 4xx answers
never reach them: ninja's router answers a wrong method with a plain-text 405, and Django
answers an unknown API path with the HTML 404 page. This middleware rewrites those into
`{"detail": ..., "code": ...}` so clients can rely on one shape.

It also refuses NUL characters in an API request's query, JSON body or multipart text fields (uploaded
files may be binary): no text we store may contain one, and PostgreSQL rejects them with a database
error (a 500) wherever they reach a query. The answer is the API's usual 422 for invalid input.

And it bounds request bodies. Django refuses a body above `DATA_UPLOAD_MAX_MEMORY_SIZE` (2.5 MB) only
when it is read, with a `RequestDataTooBig` that becomes an HTML 400. Here a too-large body is answered
before anything reads it: 413 `too_large`, in JSON. The paths in `settings.API_BODY_LIMITS` (regular
expressions matched against the whole path: an aspiration, or the tracker's added information, with
full-size base64 photos) get their own, larger limit: their body is read here, under that limit, so
Django's check does not apply to them — and only to them.
"""

import io
import json
import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

API_PATH_PREFIX = "/api/"
MEGABYTE = 1024 * 1024


class _BadBody(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body either


def _body_limit(request: HttpRequest) -> int | None:
    default: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    limits: dict[str, int] = getattr(settings, "API_BODY_LIMITS", {})
    exact = limits.get(request.path)
    if exact is not None:
        return exact
    for pattern, limit in limits.items():
        if _compiled(pattern).fullmatch(request.path):
            return limit
    return default


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _too_large(limit: int) -> JsonResponse:
    megabytes = limit / MEGABYTE
    size = number_format(megabytes, decimal_pos=0 if megabytes.is_integer() else 1)
    detail = _("Data yang dikirim terlalu besar (paling banyak %(size)s MB).") % {"size": size}
    return JsonResponse({"detail": detail, "code": "too_large", "limit_bytes": limit}, status=413)


def _read_body_under(request: HttpRequest, limit: int | None) -> None:
    """Refuse a body above `limit` unread; read one above Django's default limit but within `limit`
    ourselves, the way `HttpRequest.body` does, so the endpoint's parser finds it already read."""
    length = _content_length(request)
    if limit is not None and length > limit:
        raise _BadBody(_too_large(limit))
    default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if default is None or length <= default or hasattr(request, "_body"):
        return
    try:
        body = request.read()
    except OSError as exc:  # UnreadablePostError included: the client went away mid-body
        raise _BadBody(_bad_request()) from exc
    # Private attributes of HttpRequest, set exactly as its `body` property sets them.
    request._body = body  # type: ignore[attr-defined]
    request._stream = io.BytesIO(body)  # type: ignore[attr-defined]


def _bad_request() -> JsonResponse:
    return JsonResponse({"detail": _("Permintaan tidak valid."), "code": "bad_request"}, status=400)


def _carries_nul(request: HttpRequest) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    if request.content_type == "multipart/form-data":
        # Uploaded files are binary (every image and XLSX holds NUL bytes); only the text fields are text.
        # Django bounds the text fields by DATA_UPLOAD_MAX_MEMORY_SIZE and the field counts here.
        try:
            fields = list(request.POST.lists())
        except MultiPartParserError:
            return False  # the endpoint answers a malformed body with the API's own 4xx
        except RequestDataTooBig as exc:
            raise _BadBody(_too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)) from exc
        except (TooManyFieldsSent, TooManyFilesSent) as exc:
            raise _BadBody(_bad_request()) from exc
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields)
    if not _content_length(request):
        return False
    return b"\x00" in request.body or b"\\u0000" in request.body


def _refusal(request: HttpRequest) -> HttpResponse | None:
    try:
        if request.content_type != "multipart/form-data":
            _read_body_under(request, _body_limit(request))
        if _carries_nul(request):
            # The same answer as any other invalid input (see the handlers in sinergi/api.py).
            return JsonResponse({"detail": _("Data yang dikirim tidak valid."), "code": "invalid"}, status=422)
    except _BadBody as refused:
        return refused.response
    return None


def _detail_for(status: int) -> tuple[str, str]:
    if status == 404:
        return _("Data tidak ditemukan."), "not_found"
    if status == 405:
        return _("Metode HTTP ini tidak didukung untuk alamat ini."), "method_not_allowed"
    if status == 403:
        return _("Anda tidak berwenang melakukan tindakan ini."), "forbidden"
    if status == 413:
        return _("Data yang dikirim terlalu besar."), "too_large"
    return _("Permintaan tidak valid."), "bad_request"


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PATH_PREFIX):
            refused = _refusal(request)
            if refused is not None:
                return refused
        response = self.get_response(request)
        if (
            request.path.startswith(API_PATH_PREFIX)
            and 400 <= response.status_code < 500
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            detail, code = _detail_for(response.status_code)
            response.content = json.dumps({"detail": detail, "code": code}).encode()
            response["Content-Type"] = "application/json; charset=utf-8"
        return response

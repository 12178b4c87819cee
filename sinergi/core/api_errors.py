"""Every 4xx under /api/ speaks the API's JSON error contract.

The exception handlers in `sinergi/api.py` cover errors raised by endpoints. Some 4xx answers
never reach them: ninja's router answers a wrong method with a plain-text 405, and Django
answers an unknown API path with the HTML 404 page. This middleware rewrites those into
`{"detail": ..., "code": ...}` so clients can rely on one shape.

It also refuses NUL characters in an API request's query, JSON body or multipart text fields (uploaded
files may be binary): no text we store may contain one, and PostgreSQL rejects them with a database
error (a 500) wherever they reach a query. The answer is the API's usual 422 for invalid input.
"""

import json
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

API_PATH_PREFIX = "/api/"


def _carries_nul(request: HttpRequest) -> bool:
    if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if request.content_type == "multipart/form-data":
        # Uploaded files are binary (every image and XLSX holds NUL bytes); only the text fields are text.
        try:
            fields = list(request.POST.lists())
        except MultiPartParserError:
            return False  # the endpoint answers a malformed body with the API's own 4xx
        return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields)
    if not 0 < length <= (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440):
        return False
    return b"\x00" in request.body or b"\\u0000" in request.body


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
        if request.path.startswith(API_PATH_PREFIX) and _carries_nul(request):
            # The same answer as any other invalid input (see the handlers in sinergi/api.py).
            return JsonResponse({"detail": _("Data yang dikirim tidak valid."), "code": "invalid"}, status=422)
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

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_noop

from sinergi.web.selectors import home_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", home_summary())


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the interface language with a plain link, so public pages carry no CSRF token
    and can be cached (sinergi/core/page_cache.py). Only a preference cookie changes."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def ping(request: HttpRequest) -> HttpResponse:
    """The minimal Django view: the benchmark's same-run baseline."""
    return HttpResponse(b"ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"code": 400, "title": gettext_noop("Permintaan tidak valid")}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(
        request,
        "web/error.html",
        {"code": 403, "title": gettext_noop("Tidak diizinkan"), "message": message},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request, "web/error.html", {"code": 404, "title": gettext_noop("Halaman tidak ditemukan")}, status=404
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"code": 500, "title": gettext_noop("Terjadi kesalahan")}, status=500)

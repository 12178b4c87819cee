"""JSON API v1: one NinjaAPI assembling each app's router, with one error contract.

Every error is JSON `{"detail": <message>, "code": <machine code>}` (validation errors add
`errors`), with a 4xx status; messages are in the request's language (Indonesian by default).
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sinergi.accounts.api import ApiTokenAuth
from sinergi.accounts.api import router as accounts_router
from sinergi.actors.api import router as actors_router
from sinergi.aspirations.api import router as aspirations_router
from sinergi.consultations.api import router as consultations_router
from sinergi.consultations.api_export import router as consultations_export_router
from sinergi.core.errors import RuleViolation
from sinergi.forums.api import router as forums_router
from sinergi.ledger.api import router as ledger_router
from sinergi.meetings.api import router as meetings_router
from sinergi.notifications.api import router as notifications_router
from sinergi.planning.api import router as planning_router
from sinergi.regions.api import router as regions_router

api = NinjaAPI(
    title="Sinergi Sakti API",
    version="1.0.0",
    description=(
        "API publik Sinergi Sakti. Baca tanpa token; tulis dengan token API pribadi "
        "(`Authorization: Bearer <token>`) di bawah aturan izin yang sama dengan halaman web."
    ),
    docs_url="/docs",
    auth=None,
)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(RuleViolation)
def on_rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    return _error(request, exc.status_code, exc.message, exc.code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Anda tidak berwenang melakukan tindakan ini."), "forbidden")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Token API tidak ada atau tidak berlaku."), "unauthenticated")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Data tidak ditemukan."), "not_found")


@api.exception_handler(ObjectDoesNotExist)
def on_object_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _error(request, 404, _("Data tidak ditemukan."), "not_found")


@api.exception_handler(DjangoValidationError)
def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 400, _("Data yang dikirim tidak valid."), "invalid", errors=errors)


@api.exception_handler(NinjaValidationError)
def on_schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, _("Data yang dikirim tidak valid."), "invalid", errors=exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), "error")


# Aspirations first: URL patterns are tried in order, and submissions are the API's busiest write.
api.add_router("/aspirations", aspirations_router, tags=["aspirations"])
api.add_router("/accounts", accounts_router, tags=["accounts"])
api.add_router("/regions", regions_router, tags=["regions"])
api.add_router("/actors", actors_router, tags=["actors"])
api.add_router("/forums", forums_router, tags=["forums"])
api.add_router("/meetings", meetings_router, tags=["meetings"])
api.add_router("/ledger", ledger_router, tags=["ledger"])
api.add_router("/planning", planning_router, tags=["planning"])
api.add_router("/consultations", consultations_router, tags=["consultations"])
api.add_router("/consultations", consultations_export_router, tags=["consultations"])
api.add_router("/notifications", notifications_router, tags=["notifications"])

__all__ = ["ApiTokenAuth", "api"]

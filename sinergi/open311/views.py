"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2).

The extension picks the format (`.json` or `.xml`). Reads are public and cacheable: they touch no
session and render no CSRF token, so the anonymous page cache stores them. A POST authenticates by
a personal API token (`api_key`, as the specification names it) and goes through the one intake
service every channel uses. Every refusal answers in the Open311 error format with a 4xx status.
"""

import json
import math
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from sinergi.accounts.models import User
from sinergi.accounts.selectors import api_token_user
from sinergi.aspirations.models import TEXT_MAX, TITLE_MAX, Aspiration
from sinergi.aspirations.states import AspirationKind, Channel, Privacy
from sinergi.core.errors import RuleViolation
from sinergi.open311 import selectors
from sinergi.open311.serialisers import (
    DEFAULT_KIND,
    DEFAULT_PRIVACY,
    discovery_document,
    error_document,
    render,
    request_document,
    service_definition_document,
    service_document,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_PAGE = 10_000
MAX_REQUEST_IDS = 1000
# GeoReport v2 recommends not returning more than 90 days of requests per query.
MAX_SPAN = timedelta(days=90)
# Dates outside these years cannot be meant, and near the ends of `datetime` a time-zone shift
# overflows when the database converts them.
FIRST_YEAR, LAST_YEAR = 1900, 2999
TITLE_FROM_DESCRIPTION = 80
NAME_MAX = 160
ADDRESS_MAX = 255
EMAIL_MAX = 254
PHONE_MAX = 32
API_KEY_MAX = 200
IDEMPOTENCY_KEY_MAX = 80
READ_CACHE_CONTROL = "public, max-age=60"

View = Callable[..., HttpResponse]


class Open311Error(Exception):
    """A refusal answered as `[{"code": status, "description": ...}]`."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", error_document(status, description), status=status)


def _carries_nul(request: HttpRequest) -> bool:
    """No text we store may contain NUL, and PostgreSQL refuses it with a database error."""
    if "\x00" in request.META.get("QUERY_STRING", "") or any("\x00" in value for value in request.GET.values()):
        return True
    return request.method == "POST" and (b"\x00" in request.body or b"\\u0000" in request.body)


def open311_view(methods: tuple[str, ...]) -> Callable[[View], View]:
    """Method check, NUL guard and the mapping of every refusal to the Open311 error format."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str = "json", **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = _error(fmt, 405, _("Metode HTTP ini tidak didukung untuk alamat ini."))
                response["Allow"] = ", ".join(methods)
                return response
            try:
                if _carries_nul(request):
                    raise Open311Error(400, _("Data yang dikirim tidak valid."))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as refusal:
                return _error(fmt, refusal.status, refusal.description)
            except RuleViolation as refusal:
                status = refusal.status_code if 400 <= refusal.status_code < 500 else 400
                return _error(fmt, status, refusal.message)
            except RequestDataTooBig:
                return _error(fmt, 413, _("Data yang dikirim terlalu besar."))
            except SuspiciousOperation:  # too many fields, a malformed multipart body
                return _error(fmt, 400, _("Permintaan tidak valid."))
            except (MultiPartParserError, RawPostDataException):
                return _error(fmt, 400, _("Permintaan tidak valid."))

        return wrapper

    return decorate


def _cacheable(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = READ_CACHE_CONTROL
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("open311:not_found", kwargs={"path": ""}))


def _site_root(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# Reads -------------------------------------------------------------------------------------------


@open311_view(("GET", "HEAD"))
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    document = discovery_document(
        _base_url(request),
        site_url=_site_root(request),
        key_url=request.build_absolute_uri(reverse("accounts:profile")),
    )
    return _cacheable(render(fmt, "discovery", document))


@open311_view(("GET", "HEAD"))
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    document = [service_document(category) for category in selectors.service_list()]
    return _cacheable(render(fmt, "services", document))


@open311_view(("GET", "HEAD"))
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = selectors.service_get(service_code[:60])
    if category is None:
        raise Open311Error(404, _("Layanan (service_code) tidak dikenal."))
    document = service_definition_document(category, selectors.kelurahan_list())
    return _cacheable(render(fmt, "service_definition", document))


@open311_view(("GET", "HEAD"))
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    aspiration = None
    parsed = _uuid_or_none(request_id)
    if parsed is not None:
        aspiration = selectors.request_get(parsed)
    if aspiration is None:
        raise Open311Error(404, _("Laporan (service_request_id) tidak ditemukan."))
    document = [request_document(aspiration, site_root=_site_root(request))]
    return _cacheable(render(fmt, "service_requests", document))


@csrf_exempt
@open311_view(("GET", "HEAD", "POST"))
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    filters = request_filter_from_query(request.GET)
    site_root = _site_root(request)
    document = [request_document(aspiration, site_root=site_root) for aspiration in selectors.request_list(filters)]
    return _cacheable(render(fmt, "service_requests", document))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if path.endswith(".xml") else "json"
    return _error(fmt, 404, _("Alamat Open311 ini tidak ada. Lihat discovery.json."))


# Query parsing -----------------------------------------------------------------------------------


def _uuid_or_none(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw.strip()[:64])
    except ValueError:
        return None


def _bounded_int(raw: str | None, *, name: str, default: int, lowest: int, highest: int) -> int:
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise Open311Error(400, _("%(name)s harus bilangan bulat.") % {"name": name})
    value = int(text)
    if not lowest <= value <= highest:
        raise Open311Error(
            400,
            _("%(name)s harus antara %(lowest)d dan %(highest)d.")
            % {"name": name, "lowest": lowest, "highest": highest},
        )
    return value


def _moment(raw: str, *, name: str) -> datetime:
    """An ISO 8601 date-time (a bare date means its start); without an offset, local time."""
    text = raw.strip()[:64]
    invalid = Open311Error(
        400, _("%(name)s harus tanggal-waktu ISO 8601, mis. 2026-11-27T08:00:00+07:00.") % {"name": name}
    )
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise invalid
            moment = datetime.combine(day, time.min)
    except (ValueError, OverflowError):
        raise invalid from None
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise invalid
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _comma_list(raw: str | None, *, limit: int, name: str) -> list[str]:
    if not raw:
        return []
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if len(items) > limit:
        raise Open311Error(400, _("%(name)s paling banyak %(limit)d nilai.") % {"name": name, "limit": limit})
    return items


def request_filter_from_query(query: Any) -> selectors.RequestFilter:
    page_size = _bounded_int(
        query.get("page_size"), name="page_size", default=DEFAULT_PAGE_SIZE, lowest=1, highest=MAX_PAGE_SIZE
    )
    page = _bounded_int(query.get("page"), name="page", default=1, lowest=1, highest=MAX_PAGE)
    offset = (page - 1) * page_size
    raw_ids = _comma_list(query.get("service_request_id"), limit=MAX_REQUEST_IDS, name="service_request_id")
    if raw_ids:
        # The specification: a list of ids overrides every other filter. An id that is not a UUID
        # cannot name any request, so it simply matches nothing.
        ids = tuple(parsed for parsed in map(_uuid_or_none, raw_ids) if parsed is not None)
        return selectors.RequestFilter(request_ids=ids or (uuid.UUID(int=0),), offset=offset, limit=page_size)
    statuses = _comma_list(query.get("status"), limit=2, name="status")
    if any(status not in selectors.STATUS_GROUPS for status in statuses):
        raise Open311Error(400, _("status hanya boleh open atau closed."))
    codes = tuple(code[:60] for code in _comma_list(query.get("service_code"), limit=100, name="service_code"))
    start = _moment(query["start_date"], name="start_date") if query.get("start_date") else None
    end = _moment(query["end_date"], name="end_date") if query.get("end_date") else None
    try:
        if start is None and end is None:
            start = timezone.now() - MAX_SPAN
        elif start is None:
            assert end is not None
            start = end - MAX_SPAN
        elif end is None:
            end = start + MAX_SPAN
    except OverflowError:
        raise Open311Error(400, _("Rentang tanggal tidak valid.")) from None
    if end is not None and end < start:
        raise Open311Error(400, _("end_date harus sesudah start_date."))
    if end is not None and end - start > MAX_SPAN:
        raise Open311Error(400, _("Rentang start_date–end_date paling lama 90 hari."))
    return selectors.RequestFilter(
        service_codes=codes, statuses=tuple(statuses), start=start, end=end, offset=offset, limit=page_size
    )


# POST --------------------------------------------------------------------------------------------


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise Open311Error(400, _("Setiap isian harus berupa teks atau angka."))


def _post_fields(request: HttpRequest) -> dict[str, str]:
    """Form-encoded fields as the specification sends them; a JSON object is accepted too, with
    attributes either as `"attribute[kind]"` keys or as an `"attribute": {...}` object."""
    fields = _raw_post_fields(request)
    # A percent-encoded NUL only appears once the form is decoded (PostgreSQL refuses it in a query).
    if any("\x00" in key or "\x00" in value for key, value in fields.items()):
        raise Open311Error(400, _("Data yang dikirim tidak valid."))
    return fields


def _raw_post_fields(request: HttpRequest) -> dict[str, str]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            raise Open311Error(400, _("Badan JSON tidak valid.")) from None
        if not isinstance(data, dict):
            raise Open311Error(400, _("Badan JSON harus berupa objek."))
        fields: dict[str, str] = {}
        for key, value in data.items():
            if key == "attribute" and isinstance(value, dict):
                for code, inner in value.items():
                    fields[f"attribute[{code}]"] = _scalar(inner)
            else:
                fields[key] = _scalar(value)
        return fields
    return {key: request.POST.get(key, "") for key in request.POST}


def _text(fields: dict[str, str], key: str, *, limit: int, label: str) -> str:
    value = fields.get(key, "").strip()
    if len(value) > limit:
        raise Open311Error(400, _("%(label)s paling banyak %(limit)d karakter.") % {"label": label, "limit": limit})
    return value


def _coordinate(raw: str, *, name: str, bound: float) -> float:
    try:
        value = float(raw.strip()[:40])
    except ValueError:
        raise Open311Error(400, _("%(name)s harus angka desimal (derajat WGS84).") % {"name": name}) from None
    if not math.isfinite(value) or abs(value) > bound:
        raise Open311Error(400, _("%(name)s di luar rentang koordinat yang sah.") % {"name": name})
    return value


def _authenticated_user(request: HttpRequest, fields: dict[str, str]) -> User:
    key = fields.get("api_key") or request.GET.get("api_key", "")
    authorization = request.headers.get("Authorization", "")
    if not key and authorization.startswith("Bearer "):
        key = authorization.removeprefix("Bearer ")
    key = key.strip()
    if not key:
        raise Open311Error(401, _("api_key wajib diisi: buat token API pribadi di halaman akun Anda."))
    user = api_token_user(key) if len(key) <= API_KEY_MAX else None
    if user is None:
        raise Open311Error(403, _("api_key tidak dikenal, sudah dicabut, atau akunnya tidak aktif."))
    return user


def _choice(fields: dict[str, str], code: str, choices: Any, default: str) -> str:
    value = fields.get(f"attribute[{code}]", "").strip() or default
    if value not in choices.values:
        raise Open311Error(
            400,
            _("attribute[%(code)s] harus salah satu dari: %(values)s.")
            % {"code": code, "values": ", ".join(choices.values)},
        )
    return str(value)


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit

    fields = _post_fields(request)
    user = _authenticated_user(request, fields)

    service_code = fields.get("service_code", "").strip()
    if not service_code:
        raise Open311Error(400, _("service_code wajib diisi."))
    category = selectors.service_get(service_code[:60])
    if category is None:
        raise Open311Error(400, _("Layanan (service_code) tidak dikenal. Lihat services.json."))
    if fields.get("media_url", "").strip():
        raise Open311Error(
            400,
            _(
                "media_url tidak didukung: kami tidak mengambil berkas dari alamat lain. Kirim foto melalui "
                "formulir web atau API v1."
            ),
        )

    latitude = longitude = None
    raw_lat, raw_long = fields.get("lat", "").strip(), fields.get("long", "").strip()
    if raw_lat or raw_long:
        if not (raw_lat and raw_long):
            raise Open311Error(400, _("lat dan long harus diisi bersama."))
        latitude = _coordinate(raw_lat, name="lat", bound=90)
        longitude = _coordinate(raw_long, name="long", bound=180)
    address = _text(fields, "address_string", limit=ADDRESS_MAX, label="address_string")
    region_code = fields.get("attribute[kelurahan]", "").strip()
    if region_code and region_code not in {region.code for region in selectors.kelurahan_list()}:
        raise Open311Error(400, _("attribute[kelurahan] bukan kode kelurahan di wilayah ini. Lihat definisi layanan."))
    if latitude is None and not address and not region_code:
        raise Open311Error(400, _("Lokasi wajib diisi: lat dan long, address_string, atau attribute[kelurahan]."))

    description = _text(fields, "description", limit=TEXT_MAX, label="description")
    title = _text(fields, "attribute[title]", limit=TITLE_MAX, label="attribute[title]")
    if not title:
        title = " ".join(description.split())[:TITLE_FROM_DESCRIPTION].strip()
    first_name = _text(fields, "first_name", limit=NAME_MAX, label="first_name")
    last_name = _text(fields, "last_name", limit=NAME_MAX, label="last_name")
    reporter_name = " ".join(part for part in (first_name, last_name) if part)[:NAME_MAX]
    email = _text(fields, "email", limit=EMAIL_MAX, label="email")
    phone = _text(fields, "phone", limit=PHONE_MAX, label="phone")

    idempotency_key = request.headers.get("Idempotency-Key", "").strip() or None
    if idempotency_key is not None and len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise Open311Error(400, _("Idempotency-Key paling banyak %(limit)d karakter.") % {"limit": IDEMPOTENCY_KEY_MAX})

    submission = AspirationSubmission(
        kind=_choice(fields, "kind", AspirationKind, DEFAULT_KIND),
        title=title,
        text=description,
        category_slug=category.slug,
        privacy=_choice(fields, "privacy", Privacy, DEFAULT_PRIVACY),
        channel=Channel.OPEN311,
        region_code=region_code,
        latitude=latitude,
        longitude=longitude,
        address=address,
        reporter_name=reporter_name,
        phone=phone,
        email=email,
        consent_version=CONSENT_VERSION,
    )
    result = aspiration_submit(submission=submission, actor=user, idempotency_key=idempotency_key)
    if not result.created and not _submitted_by(result.aspiration, user):
        # Another client's key: answering with that case would hand over its tracking code.
        raise Open311Error(409, _("Idempotency-Key ini sudah dipakai untuk laporan lain."))
    document = [
        {
            "service_request_id": str(result.aspiration.uid),
            "service_notice": _(
                "Laporan diterima dan akan diverifikasi. Kode pelacakan (tracking_code) adalah rahasia pelapor: "
                "sampaikan hanya kepadanya."
            ),
            "account_id": None,
            "token": None,
            # Extension: the reporter's secret, answered only to the client that submitted.
            "tracking_code": result.tracking_code,
        }
    ]
    response = render(fmt, "service_requests", document, status=201 if result.created else 200)
    response["Cache-Control"] = "no-store"
    return response


def _submitted_by(aspiration: Aspiration, user: User) -> bool:
    return user.pk in (aspiration.submitted_by_id, aspiration.reporter_id)

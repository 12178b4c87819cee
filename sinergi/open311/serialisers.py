"""GeoReport v2 documents: plain dicts/lists built from our models, rendered as JSON or XML.

The same structure feeds both formats. XML element names follow the specification: a list is a
container element whose children take the singular name (`attributes` → `attribute`), a
top-level list sits under a root (`services` → `service`, `service_requests` → `request`).
"""

import json
import math
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.states import OPEN_STATUSES, AspirationKind, Privacy
from sinergi.regions.models import Region

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's behaviour last changed (GeoReport v2 discovery `changeset`).
CHANGESET = "2026-11-27T00:00:00+07:00"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
XML_CONTENT_TYPE = "text/xml; charset=utf-8"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
FORMATS = ("json", "xml")

# Container element → the element name of each item inside it.
XML_ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "services": "service",
    "service_requests": "request",
    "errors": "error",
}
# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the document).
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

DEFAULT_KIND = AspirationKind.PENGADUAN
DEFAULT_PRIVACY = Privacy.ANONYMOUS


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def public_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def discovery_document(base_url: str, *, site_url: str, key_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": _("Pengelola %(site)s — %(url)s") % {"site": settings.SINERGI["SITE_NAME"], "url": site_url},
        "key_service": _("Masuk, lalu buat token API pribadi di %(url)s; kirim sebagai api_key.") % {"url": key_url},
        "endpoints": [
            {
                "specification": SPECIFICATION_URL,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service_document(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.description,
        # Every service takes the kind/privacy/kelurahan attributes below.
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(str(word) for word in (category.keywords or []) if isinstance(word, str)),
        "group": category.group,
    }


def _choice_values(choices: list[tuple[str, Any]]) -> list[dict[str, str]]:
    return [{"key": key, "name": str(label)} for key, label in choices]


def service_definition_document(category: Category, kelurahan: list[Region]) -> dict[str, Any]:
    attributes = [
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Jenis laporan; bawaan: %(default)s.") % {"default": DEFAULT_KIND.value},
            "order": 1,
            "description": _("Jenis laporan"),
            "values": _choice_values(AspirationKind.choices),
        },
        {
            "variable": True,
            "code": "privacy",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _(
                "anonymous: identitas disembunyikan dari publik dan OPD; confidential: isi disembunyikan dari "
                "publik; bawaan: %(default)s."
            )
            % {"default": DEFAULT_PRIVACY.value},
            "order": 2,
            "description": _("Privasi laporan"),
            "values": _choice_values(Privacy.choices),
        },
        {
            "variable": True,
            "code": "kelurahan",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Kode wilayah Kemendagri kelurahan lokasi (bila tanpa lat/long)."),
            "order": 3,
            "description": _("Kelurahan"),
            "values": [{"key": region.code, "name": region.name} for region in kelurahan],
        },
        {
            "variable": True,
            "code": "title",
            "datatype": "string",
            "required": False,
            "datatype_description": _("Paling banyak 140 karakter; bawaan: 80 karakter pertama deskripsi."),
            "order": 4,
            "description": _("Judul"),
        },
    ]
    return {"service_code": category.slug, "attributes": attributes}


def request_document(aspiration: Aspiration, *, site_root: str) -> dict[str, Any]:
    """One service request as the public may see it. Never identity: the reporter's name, NIK,
    phone and e-mail are not read at all. A confidential (rahasia) case shows its category, status,
    kelurahan and dates, not its content, exact place, notes or photos."""
    confidential = aspiration.privacy == Privacy.CONFIDENTIAL
    region = aspiration.region
    category = aspiration.category
    organisation = aspiration.assigned_organisation
    photo = getattr(aspiration, "first_photo", None)
    updated = getattr(aspiration, "last_event_at", None) or aspiration.received_at
    kelurahan_name = region.name if region else ""
    # A confidential case is placed by its kelurahan only.
    address = kelurahan_name if confidential else (aspiration.address or kelurahan_name)
    return {
        "service_request_id": str(aspiration.uid),
        "status": public_status(aspiration.status),
        "status_notes": "" if confidential else (getattr(aspiration, "latest_public_note", None) or ""),
        "service_name": category.name if category else "",
        "service_code": category.slug if category else "",
        "description": "" if confidential else aspiration.text,
        "agency_responsible": organisation.name if organisation else "",
        "service_notice": "",
        "requested_datetime": iso(aspiration.received_at),
        "updated_datetime": iso(updated),
        "expected_datetime": iso(aspiration.completion_due_at),
        "address": address,
        "address_id": "",
        "zipcode": region.postal_code if region else "",
        "lat": None if confidential else _coordinate(aspiration.latitude),
        "long": None if confidential else _coordinate(aspiration.longitude),
        # Photos are served by the aspirations app's view (which keeps confidential ones private).
        "media_url": ""
        if confidential or not photo
        else urljoin(site_root, reverse("aspirations:photo", args=[photo])),
    }


def _photo_url(site_root: str, photo_uid: Any) -> str:
    return urljoin(site_root, reverse("aspirations:photo", args=[photo_uid]))


def _coordinate(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def error_document(status: int, description: str) -> list[dict[str, Any]]:
    return [{"code": status, "description": description}]


# Rendering ---------------------------------------------------------------------------------------


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML_CHARACTERS.sub("", str(value))


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        item_tag = XML_ITEM_NAMES.get(tag, "item")
        for inner in value:
            _append(element, item_tag, inner)
    else:
        element.text = _xml_text(value)


def xml_bytes(root_tag: str, document: dict[str, Any] | list[Any]) -> bytes:
    root = ET.Element(root_tag)
    if isinstance(document, list):
        item_tag = XML_ITEM_NAMES[root_tag]
        for item in document:
            _append(root, item_tag, item)
    else:
        for key, value in document.items():
            _append(root, key, value)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


def render(fmt: str, root_tag: str, document: dict[str, Any] | list[Any], *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(xml_bytes(root_tag, document), status=status, content_type=XML_CONTENT_TYPE)
    body = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=JSON_CONTENT_TYPE)

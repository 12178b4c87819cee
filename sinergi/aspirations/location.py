"""Where an aspiration is: a kelurahan of the city and/or a point inside the city boundary.

`resolve_location` is what intake calls; it returns the kelurahan (filled from the point when none
was chosen) or raises `RuleViolation` with a message that tells the citizen where to go instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sinergi.core.errors import RuleViolation
from sinergi.regions.geometry import geometry_bbox, is_finite_point
from sinergi.regions.models import Region, RegionLevel
from sinergi.regions.selectors import region_deployment, region_for_point, region_get

# A city that is an enclave of one kabupaten: a point just outside the city is in that kabupaten.
# Kota Blitar lies wholly inside Kabupaten Blitar (BPS, Kabupaten Blitar Dalam Angka).
ENCLAVE_OF = {"35.72": "35.05"}
# How far beyond the city's bounding box a point still surely lies in the surrounding kabupaten.
ENCLAVE_MARGIN_KM = 5.0
KM_PER_DEGREE = 111.32


def city_code() -> str:
    """The deployment's kab/kota code (settings SINERGI["REGION_CODE"], e.g. "35.72")."""
    return str(settings.SINERGI["REGION_CODE"])


@dataclass(frozen=True)
class Location:
    region: Region | None
    latitude: float | None
    longitude: float | None


def city_kelurahan(code: str) -> Region | None:
    """The kelurahan with this code if it belongs to the deployment's city, else None."""
    if not code.startswith(city_code() + "."):
        return None
    # One indexed look-up without the boundary (a kelurahan polygon is kilobytes of JSON).
    return next(iter(Region.objects.filter(code=code, level=RegionLevel.DESA_KELURAHAN).defer("boundary")[:1]), None)


def _parse_coordinate(value: float | str | None, *, low: float, high: float) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise RuleViolation(_("Koordinat lokasi tidak valid."), code="invalid_location") from exc
    if not math.isfinite(number) or not low <= number <= high:
        raise RuleViolation(_("Koordinat lokasi tidak valid."), code="invalid_location")
    return number


def outside_city_message(latitude: float, longitude: float) -> str:
    """What to tell a citizen whose point is outside the city: the authority to go to, if we know it."""
    city = region_deployment()
    city_name = str(city) if city else _("wilayah layanan ini")
    surrounding_code = ENCLAVE_OF.get(city_code())
    surrounding = region_get(surrounding_code) if surrounding_code else None
    bbox = geometry_bbox(city.boundary) if city is not None else None
    if surrounding is not None and bbox is not None:
        margin_lat = ENCLAVE_MARGIN_KM / KM_PER_DEGREE
        margin_lng = margin_lat / max(math.cos(math.radians(latitude)), 0.1)
        near = (
            bbox[0] - margin_lng <= longitude <= bbox[2] + margin_lng
            and bbox[1] - margin_lat <= latitude <= bbox[3] + margin_lat
        )
        if near:
            return _(
                "Titik lokasi berada di luar %(city)s, di wilayah %(other)s. Sampaikan kepada Pemerintah "
                "%(other)s atau melalui lapor.go.id."
            ) % {"city": city_name, "other": str(surrounding)}
    return _(
        "Titik lokasi berada di luar %(city)s — sampaikan ke pemerintah daerah setempat atau melalui lapor.go.id."
    ) % {"city": city_name}


def resolve_location(
    *, region_code: str = "", latitude: float | str | None = None, longitude: float | str | None = None
) -> Location:
    """Check a kelurahan code and/or a point; fill the kelurahan from the point when none was given."""
    lat = _parse_coordinate(latitude, low=-90, high=90)
    lng = _parse_coordinate(longitude, low=-180, high=180)
    if (lat is None) != (lng is None):
        raise RuleViolation(_("Isi lintang dan bujur sekaligus, atau kosongkan keduanya."), code="invalid_location")
    region = None
    code = (region_code or "").strip()
    if code:
        region = city_kelurahan(code)
        if region is None:
            raise RuleViolation(
                _("Kelurahan yang dipilih bukan kelurahan di %(city)s.")
                % {"city": str(region_deployment() or city_code())},
                code="invalid_region",
            )
    if lat is None or lng is None or not is_finite_point(lng, lat):
        return Location(region=region, latitude=None, longitude=None)
    found = region_for_point(lng, lat)
    if found is None or not found.code.startswith(city_code() + "."):
        raise RuleViolation(outside_city_message(lat, lng), code="outside_city")
    if region is not None and region.code != found.code:
        raise RuleViolation(
            _("Titik lokasi berada di Kelurahan %(point)s, bukan di Kelurahan %(chosen)s. Periksa kembali.")
            % {"point": found.name, "chosen": region.name},
            code="region_mismatch",
        )
    return Location(region=found, latitude=lat, longitude=lng)

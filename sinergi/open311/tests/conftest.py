from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sinergi.actors.tests.factories import OrganisationFactory, kind
from sinergi.aspirations.models import Aspiration, Category, Photo, ReporterIdentity
from sinergi.aspirations.states import AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationEventFactory, AspirationFactory, CategoryFactory
from sinergi.regions.models import Region
from sinergi.regions.services import region_import_kota_blitar

# Personal data that must never leave the database through Open311.
CANARY_NIK = "3572015807900003"
CANARY_PHONE = "+6281234509876"
CANARY_PHONE_LOCAL = "081234509876"
CANARY_EMAIL = "kenari.rahasia@contoh.test"
CANARY_NAME = "Siti Kenari Rahasia"
CONFIDENTIAL_TEXT = "Pungutan liar di loket kelurahan oleh oknum berinisial K"
CANARIES = (CANARY_NIK, CANARY_PHONE, CANARY_PHONE_LOCAL, CANARY_EMAIL, CANARY_NAME, CONFIDENTIAL_TEXT)


@dataclass
class Open311Data:
    road: Category
    light: Category
    retired: Category
    kelurahan: Region
    open_case: Aspiration
    closed_case: Aspiration
    confidential_case: Aspiration
    old_case: Aspiration


def _identity(aspiration: Aspiration) -> None:
    ReporterIdentity.objects.create(
        aspiration=aspiration,
        name=CANARY_NAME,
        nik=CANARY_NIK,
        phone=CANARY_PHONE,
        email=CANARY_EMAIL,
        consent_version="test",
        consent_text_sha256="0" * 64,
        consented_at=timezone.now(),
    )


@pytest.fixture
def kota_blitar(db: None) -> None:
    region_import_kota_blitar()


@pytest.fixture
def open311_data(reference_data: None, kota_blitar: None) -> Open311Data:
    now = timezone.now()
    kelurahan = Region.objects.get(code="35.72.01.1001")
    road = CategoryFactory(
        slug="jalan-rusak", name="Jalan rusak", group="Infrastruktur", keywords=["jalan", "aspal"], order=1
    )
    light = CategoryFactory(slug="lampu-jalan", name="Lampu jalan mati", group="Infrastruktur", order=2)
    retired = CategoryFactory(slug="kategori-lama", name="Kategori lama", is_active=False)
    pupr = OrganisationFactory(name="Dinas Pekerjaan Umum dan Penataan Ruang", kind=kind("opd"))

    open_case = AspirationFactory(
        category=road,
        region=kelurahan,
        latitude=-8.0985,
        longitude=112.1683,
        address="Jl. Merdeka depan SD",
        text="Jalan berlubang di depan SD membahayakan anak sekolah.",
        privacy=Privacy.ANONYMOUS,
        status=AspirationStatus.DISPOSITIONED,
        assigned_organisation=pupr,
        received_at=now - timedelta(days=3),
        completion_due_at=now + timedelta(days=14),
    )
    AspirationEventFactory(aspiration=open_case, public_text="Diterima.", created_at=now - timedelta(days=3))
    AspirationEventFactory(
        aspiration=open_case, public_text="Diteruskan ke Dinas PUPR.", created_at=now - timedelta(days=2)
    )
    AspirationEventFactory(
        aspiration=open_case,
        public_text="",
        internal_note="catatan internal petugas",
        is_public=False,
        created_at=now - timedelta(days=1),
    )
    Photo.objects.create(
        uid="00000000-0000-4000-8000-000000000001",
        aspiration=open_case,
        image="aspirations/2026/11/lubang.jpg",
        content_type="image/jpeg",
        width=10,
        height=10,
        size_bytes=100,
        sha256="0" * 64,
    )
    closed_case = AspirationFactory(
        category=light, status=AspirationStatus.RESOLVED, received_at=now - timedelta(days=10)
    )
    confidential_case = AspirationFactory(
        category=road,
        region=kelurahan,
        latitude=-8.0990,
        longitude=112.1690,
        address="Kantor kelurahan",
        text=CONFIDENTIAL_TEXT,
        title="Pungli",
        privacy=Privacy.CONFIDENTIAL,
        received_at=now - timedelta(days=1),
    )
    AspirationEventFactory(
        aspiration=confidential_case, public_text="Oknum K sedang diperiksa", created_at=now - timedelta(hours=5)
    )
    Photo.objects.create(
        uid="00000000-0000-4000-8000-000000000002",
        aspiration=confidential_case,
        image="aspirations/2026/11/bukti.jpg",
        content_type="image/jpeg",
        width=10,
        height=10,
        size_bytes=100,
        sha256="1" * 64,
    )
    old_case = AspirationFactory(category=road, received_at=now - timedelta(days=120))
    for aspiration in (open_case, closed_case, confidential_case, old_case):
        _identity(aspiration)
    return Open311Data(road, light, retired, kelurahan, open_case, closed_case, confidential_case, old_case)


def as_json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return response.json()

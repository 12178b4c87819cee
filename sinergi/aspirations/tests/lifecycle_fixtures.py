"""Officer fixtures for the lifecycle tests: a coordinator desk (Diskominfotik), an OPD with a head
and a staff member, and cases written as intake would leave them (with due dates)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from sinergi.aspirations.models import Aspiration, ReporterIdentity
from sinergi.aspirations.services.lifecycle import aspiration_set_deadlines
from sinergi.aspirations.states import AspirationKind, AspirationStatus, Privacy
from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory


@dataclass
class Desk:
    coordinator: Any
    coordinator_org: Any
    opd: Any
    opd_staff: Any
    opd_head: Any
    other_opd: Any
    other_staff: Any
    category: Any


def officer(organisation: Any, role_code: str = "staf", name: str = "Petugas") -> Any:
    membership = MembershipFactory(
        person=PersonFactory(full_name=name), organisation=organisation, role=role(role_code)
    )
    return membership.person.user  # type: ignore[attr-defined]


def build_desk() -> Desk:
    coordinator_org = OrganisationFactory(slug="diskominfotik", name="Diskominfotik Kota Blitar", kind=kind("opd"))
    opd = OrganisationFactory(slug="dinas-pupr", name="Dinas PUPR", kind=kind("opd"))
    other = OrganisationFactory(slug="dinas-perkim", name="Dinas Perkim", kind=kind("opd"))
    category = CategoryFactory(slug="jalan-rusak", name="Jalan rusak", default_organisation=opd)
    return Desk(
        coordinator=officer(coordinator_org, name="Koordinator"),
        coordinator_org=coordinator_org,
        opd=opd,
        opd_staff=officer(opd, name="Staf PUPR"),
        opd_head=officer(opd, "kepala", name="Kepala PUPR"),
        other_opd=other,
        other_staff=officer(other, name="Staf Perkim"),
        category=category,
    )


def received_case(
    received_at: dt.datetime,
    *,
    kind_code: str = AspirationKind.PENGADUAN,
    category: Any = None,
    privacy: str = Privacy.PUBLIC,
    suggested_organisation: Any = None,
    **fields: Any,
) -> Aspiration:
    """A case as intake leaves it: received, with its three due moments, and a reporter identity."""
    aspiration: Aspiration = AspirationFactory(  # type: ignore[assignment]
        kind=kind_code,
        received_at=received_at,
        status=AspirationStatus.RECEIVED,
        privacy=privacy,
        category=category,
        suggested_category=category,
        suggested_organisation=suggested_organisation,
        **fields,
    )
    aspiration_set_deadlines(aspiration)
    aspiration.save()
    ReporterIdentity.objects.create(
        aspiration=aspiration,
        name="Siti Pelapor Rahasia",
        phone="+6281234567890",
        consent_version="2026-1",
        consent_text_sha256="0" * 64,
        consented_at=received_at,
    )
    return aspiration

"""A planning world: the DPRD member persona, Setwan, Bappeda, BPKAD, an OPD, kelurahan/kecamatan
offices, Kota Blitar's regions and a few categories."""

from dataclasses import dataclass
from typing import Any

import pytest

from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from sinergi.aspirations.tests.factories import CategoryFactory
from sinergi.regions.models import Region
from sinergi.regions.services import region_import_kota_blitar


@dataclass
class World:
    member: Any  # user acting for the DPRD persona organisation
    dprd: Any
    komisi: Any
    setwan: Any
    bappeda: Any
    bpkad: Any
    opd: Any  # organisation
    opd_officer: Any
    kelurahan_office: Any
    kelurahan_officer: Any
    kecamatan_office: Any
    kecamatan_officer: Any
    stranger: Any
    admin: Any
    kelurahan: Region
    kecamatan: Region


def staff_of(organisation: Any, name: str, role_code: str = "staf") -> Any:
    return MembershipFactory(
        person=PersonFactory(full_name=name), organisation=organisation, role=role(role_code)
    ).person.user


@pytest.fixture
def world(personas: Any) -> World:
    region_import_kota_blitar()
    CategoryFactory(slug="jalan-rusak", name="Jalan rusak")
    CategoryFactory(slug="drainase", name="Drainase dan banjir")
    kelurahan = Region.objects.get(code="35.72.01.1001")
    kecamatan = kelurahan.parent
    dprd_persona = personas["dprd_member"]
    komisi = OrganisationFactory(
        name="Komisi III", slug="komisi-iii-contoh", kind=kind("komisi"), parent=dprd_persona.organisation
    )
    setwan = OrganisationFactory(name="Sekretariat DPRD", slug="sekretariat-dprd", kind=kind("opd"))
    bappeda = OrganisationFactory(name="Bappeda", slug="bappeda", kind=kind("opd"))
    bpkad = OrganisationFactory(name="BPKAD", slug="bpkad", kind=kind("opd"))
    kelurahan_office = OrganisationFactory(name="Kelurahan Contoh", kind=kind("kelurahan"), region=kelurahan)
    kecamatan_office = OrganisationFactory(name="Kecamatan Contoh", kind=kind("kecamatan"), region=kecamatan)
    return World(
        member=dprd_persona.user,
        dprd=dprd_persona.organisation,
        komisi=komisi,
        setwan=staff_of(setwan, "Staf Setwan"),
        bappeda=staff_of(bappeda, "Staf Bappeda"),
        bpkad=staff_of(bpkad, "Staf BPKAD"),
        opd=personas["opd_officer"].organisation,
        opd_officer=personas["opd_officer"].user,
        kelurahan_office=kelurahan_office,
        kelurahan_officer=staff_of(kelurahan_office, "Staf Kelurahan"),
        kecamatan_office=kecamatan_office,
        kecamatan_officer=staff_of(kecamatan_office, "Staf Kecamatan"),
        stranger=personas["citizen"].user,
        admin=personas["administrator"].user,
        kelurahan=kelurahan,
        kecamatan=kecamatan,
    )

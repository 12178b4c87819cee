"""Factories for planning tests: rows written directly (no log entry); behaviour goes through services."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from sinergi.actors.tests.factories import OrganisationFactory, PersonFactory, kind
from sinergi.planning.models import Musrenbang, PokirItem, Reses
from sinergi.planning.states import MusrenbangLevel, PokirStatus, ResesStatus


class ResesFactory(DjangoModelFactory):
    class Meta:
        model = Reses

    member = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=factory.LazyFunction(lambda: kind("dprd")))
    dapil = "Dapil 1 Sukorejo"
    masa_sidang = "Masa Sidang I 2027"
    held_on = dt.date(2027, 1, 15)
    place = "Balai Kelurahan Sukorejo"
    status = ResesStatus.PLANNED


class PokirItemFactory(DjangoModelFactory):
    class Meta:
        model = PokirItem

    title = factory.Sequence(lambda n: f"Perbaikan saluran drainase {n}")
    description = "Saluran tersumbat dan meluap saat hujan."
    location_text = "Jl. Kalimantan RT 02 RW 03"
    volume = Decimal("150.00")
    unit = "meter"
    target_group = "Warga RW 03"
    opd = factory.SubFactory(OrganisationFactory, kind=factory.LazyFunction(lambda: kind("opd")))
    program_code = "1.03.02"
    program_name = "Program Pengelolaan Sumber Daya Air"
    activity_code = "1.03.02.2.01"
    activity_name = "Pengelolaan SDA dan Bangunan Pengaman Pantai"
    sub_activity_code = "1.03.02.2.01.0012"
    sub_activity_name = "Normalisasi/Restorasi Sungai"
    budget_estimate = Decimal("250000000")
    fiscal_year = 2028
    status = PokirStatus.PROPOSED


class MusrenbangFactory(DjangoModelFactory):
    class Meta:
        model = Musrenbang

    level = MusrenbangLevel.KELURAHAN
    fiscal_year = 2028
    organiser = factory.SubFactory(OrganisationFactory, kind=factory.LazyFunction(lambda: kind("kelurahan")))
    title = factory.Sequence(lambda n: f"Musrenbang Kelurahan Contoh {n}")
    place = "Balai Kelurahan"
    held_on = dt.date(2027, 1, 20)

from typing import Any

import factory
from factory.django import DjangoModelFactory

from sinergi.accounts.models import User
from sinergi.actors.models import Membership, MembershipRole, Organisation, OrganisationKind, Person, Sector

DEMO_PASSWORD = "demo-Sakti-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.test")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def persist(self: Any, create: bool, extracted: object, **kwargs: object) -> None:  # self: the built User
        if create:
            self.save()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Warga Contoh {n}")
    slug = factory.Sequence(lambda n: f"warga-contoh-{n}")
    is_listed = True


def sector(code: str) -> Sector:
    return Sector.objects.get(code=code)


def kind(code: str) -> OrganisationKind:
    return OrganisationKind.objects.get(code=code)


def role(code: str) -> MembershipRole:
    return MembershipRole.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory):
    """Needs reference data loaded (the `reference_data` fixture)."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasi Contoh {n}")
    slug = factory.Sequence(lambda n: f"organisasi-contoh-{n}")
    kind = factory.LazyFunction(lambda: kind("lsm"))
    sector = factory.LazyAttribute(lambda o: o.kind.default_sector)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyFunction(lambda: role("anggota"))

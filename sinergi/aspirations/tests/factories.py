"""Factories for aspiration tests. They write rows directly (no public-log entry, no deadlines);
tests of behaviour go through the services."""

import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from sinergi.aspirations.models import Aspiration, AspirationEvent, Category
from sinergi.aspirations.states import AspirationKind, AspirationStatus, EventKind, Privacy

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_tracking_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(12))


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kategori-{n}")
    name = factory.Sequence(lambda n: f"Kategori {n}")


class AspirationFactory(DjangoModelFactory):
    class Meta:
        model = Aspiration

    tracking_code = factory.LazyFunction(random_tracking_code)
    kind = AspirationKind.PENGADUAN
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Jalan berlubang nomor {n}")
    text = "Jalan di depan rumah berlubang besar dan membahayakan pengendara motor."
    status = AspirationStatus.RECEIVED
    privacy = Privacy.PUBLIC
    received_at = factory.LazyFunction(timezone.now)


class AspirationEventFactory(DjangoModelFactory):
    class Meta:
        model = AspirationEvent

    aspiration = factory.SubFactory(AspirationFactory)
    kind = EventKind.SUBMITTED
    to_status = AspirationStatus.RECEIVED
    created_at = factory.LazyFunction(timezone.now)

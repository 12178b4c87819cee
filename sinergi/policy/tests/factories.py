import factory
from factory.django import DjangoModelFactory

from sinergi.policy.models import PolicyObject, PolicyObjectKind


class PolicyObjectFactory(DjangoModelFactory):
    class Meta:
        model = PolicyObject

    kind = PolicyObjectKind.PROGRAM
    code = factory.Sequence(lambda n: f"1.03.02.2.01.{n:04d}")
    title = factory.Sequence(lambda n: f"Sub-kegiatan contoh {n}")

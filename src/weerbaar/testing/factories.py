from __future__ import annotations

from typing import Any

import factory

from weerbaar.core.models import Membership, Organisation, OrganisationKind, SizeClass, Unit, User
from weerbaar.core.permissions import Role

TEST_PASSWORD = "Een-lang-testwachtwoord-42"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.GEMEENTE
    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    cbs_code = factory.Sequence(lambda n: f"GM{8000 + n:04d}")
    inhabitants = 25_000
    size_class = SizeClass.SMALL
    two_factor_roles: Any = factory.LazyFunction(list)


class RiecFactory(OrganisationFactory):
    kind = OrganisationKind.RIEC
    name = factory.Sequence(lambda n: f"RIEC Testregio {n}")
    cbs_code = ""
    inhabitants = None
    size_class = ""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@testdorp.example")
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    roles: Any = factory.LazyFunction(lambda: [Role.MEDEWERKER])

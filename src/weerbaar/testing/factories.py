from __future__ import annotations

from typing import Any, Generic, TypeVar

import factory

from weerbaar.core.models import Membership, Organisation, OrganisationKind, SizeClass, Unit, User
from weerbaar.core.permissions import Role

_T = TypeVar("_T")

TEST_PASSWORD = "Een-lang-testwachtwoord-42"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    kind: Any = OrganisationKind.GEMEENTE
    name: Any = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    cbs_code: Any = factory.Sequence(lambda n: f"GM{8000 + n:04d}")
    inhabitants: Any = 25_000
    size_class: Any = SizeClass.SMALL
    two_factor_roles: Any = factory.LazyFunction(list)


class RiecFactory(OrganisationFactory):
    kind = OrganisationKind.RIEC
    name = factory.Sequence(lambda n: f"RIEC Testregio {n}")
    cbs_code = ""
    inhabitants = None
    size_class = ""


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"persoon{n}@testdorp.example")
    full_name = factory.Sequence(lambda n: f"Persoon {n}")
    password = factory.django.Password(TEST_PASSWORD)


class TenantFactory(factory.django.DjangoModelFactory[_T], Generic[_T]):
    """Creates tenant rows without a bound scope (the scoped default manager would refuse)."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: Any) -> Any:
        return model_class.cross_tenant_objects


class UnitFactory(TenantFactory[Unit]):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")


class MembershipFactory(TenantFactory[Membership]):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    roles: Any = factory.LazyFunction(lambda: [Role.MEDEWERKER])

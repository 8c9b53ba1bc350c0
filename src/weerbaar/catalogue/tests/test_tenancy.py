"""Shared-or-own rows: the managers, the effective catalogue, and the constraints behind them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from weerbaar.catalogue import selectors
from weerbaar.catalogue.models import Measure, ReferenceProcess
from weerbaar.catalogue.tests.test_pages import own_measure, own_process
from weerbaar.core.tenancy import TenantScopeMissing, TenantScopeViolation, tenant_scope
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db


def test_the_shared_manager_refuses_to_run_without_a_bound_organisation(world: World) -> None:
    with pytest.raises(TenantScopeMissing):
        list(Measure.objects.all())
    # The national rows need no scope.
    assert Measure.national_objects.count() >= 40


def test_an_own_measure_of_gemeente_b_is_invisible_to_gemeente_a(world: World) -> None:
    canary = own_measure(world.b, f"{CANARY} eigen maatregel")
    with tenant_scope(world.a.organisation):
        names = set(Measure.objects.values_list("name", flat=True))
        effective = set(selectors.measure_list(organisation=world.a.organisation).values_list("name", flat=True))
        assert not Measure.objects.filter(uuid=canary.uuid).exists()
    assert not any(CANARY in name for name in names | effective)
    assert names == set(Measure.national_objects.values_list("name", flat=True))
    with tenant_scope(world.b.organisation):
        assert Measure.objects.filter(uuid=canary.uuid).exists()
    assert not Measure.national_objects.filter(uuid=canary.uuid).exists()


def test_even_a_wrong_organisation_argument_cannot_reach_another_organisations_rows(world: World) -> None:
    own_measure(world.b, f"{CANARY} eigen maatregel")
    with tenant_scope(world.a.organisation):
        # The selector is asked for B while A is bound: the scoped manager still wins.
        names = selectors.measure_list(organisation=world.b.organisation).values_list("name", flat=True)
        assert not any(CANARY in name for name in names)


def test_saving_another_organisations_own_entry_inside_a_scope_is_refused(world: World) -> None:
    canary = own_measure(world.b, f"{CANARY} eigen maatregel")
    with tenant_scope(world.a.organisation), pytest.raises(TenantScopeViolation):
        canary.save()


def test_the_database_refuses_a_key_on_an_own_row_and_a_national_row_without_one(world: World) -> None:
    own = own_process(world.a, "Eigen proces")
    own.key = "eigen-proces"
    with transaction.atomic(), pytest.raises(IntegrityError):
        own.save()
    national = ReferenceProcess.national_objects.order_by("position").first()
    assert national is not None
    national.key = ""
    with transaction.atomic(), pytest.raises(IntegrityError):
        national.save()


def test_the_database_refuses_a_second_active_own_version(world: World) -> None:
    national = ReferenceProcess.national_objects.filter(is_active=True).order_by("position").first()
    assert national is not None
    first = own_process(world.a, "Versie één", based_on=national, category=national.category)
    second = ReferenceProcess(
        organisation=world.a.organisation, based_on=national, name="Versie twee", category=national.category
    )
    with transaction.atomic(), pytest.raises(IntegrityError):
        second.save()
    # Once the first is archived, a new own version is allowed.
    ReferenceProcess.cross_tenant_objects.filter(pk=first.pk).update(is_active=False)
    second.save()

from __future__ import annotations

from collections import Counter

import pytest

from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import verify_all
from weerbaar.catalogue.models import CircumstanceKind
from weerbaar.core.demo import load_demo
from weerbaar.core.demo_processes import OOSTERZIJL, VEENHAVEN
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import ContextItem, Executor, Position, Process

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.cross_tenant_objects.count(),
        Unit.cross_tenant_objects.count(),
        Position.cross_tenant_objects.count(),
        ContextItem.cross_tenant_objects.count(),
        Process.cross_tenant_objects.count(),
        AuditEvent.all_chains.count(),
    )


def test_the_demo_is_fictional_complete_and_loads_twice_without_change() -> None:
    large, small, riec = load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first
    assert large.inhabitants and large.inhabitants > 100_000 and small.inhabitants and small.inhabitants < 20_000
    assert large.cbs_code.startswith("GM99") and small.cbs_code.startswith("GM99")  # no real CBS code
    assert large.two_factor_roles == [] and small.two_factor_roles == []
    for gemeente in (large, small):
        roles = {role for m in Membership.cross_tenant_objects.filter(organisation=gemeente) for role in m.roles}
        assert {"secretaris", "coordinator", "proceseigenaar", "vertrouwenspersoon"} <= roles
        assert {"medewerker", "lezer", "beheerder"} <= roles
        assert Position.cross_tenant_objects.filter(organisation=gemeente).exists()
        assert ContextItem.cross_tenant_objects.filter(organisation=gemeente).exists()
    assert any("regio-analist" in m.roles for m in Membership.cross_tenant_objects.filter(organisation=riec))


def test_the_demo_registers_are_realistic_owned_and_audited() -> None:
    large, small, _riec = load_demo()
    expected = {large: (VEENHAVEN, 110, 130), small: (OOSTERZIJL, 20, 30)}
    partners: dict[Organisation, float] = {}
    for gemeente, (table, low, high) in expected.items():
        with tenant_scope(gemeente):
            processes = list(
                Process.objects.select_related("category", "owner__user", "reference_process").prefetch_related(
                    "positions", "circumstances"
                )
            )
            active = [process for process in processes if process.is_active]
            assert low <= len(processes) <= high, gemeente.name
            # Loading is stable: the codes follow the demo table, so every load gives the same register.
            by_code = [process.name for process in sorted(processes, key=lambda process: process.code)]
            assert by_code == [entry.name for entries in table.values() for entry in entries]
            assert 2 <= sum(process.owner is None for process in active) <= 3, gemeente.name
            owners = Counter(process.owner.user.email for process in processes if process.owner is not None)
            assert owners.most_common(1)[0][0].startswith("proceseigenaar@") and len(owners) >= 3, owners
            for process in active:
                assert process.category.is_active, process.name
                if process.reference_process is not None:
                    assert process.category == process.reference_process.category, process.name
                if process.owner is not None:
                    assert process.owner.organisation_id == gemeente.pk and process.owner.is_active, process.name
                assert 1 <= len(process.positions.all()) <= 3, process.name
                assert len(process.circumstances.all()) <= 3, process.name
                assert all(each.kind == CircumstanceKind.INTERNAL for each in process.circumstances.all())
            adopted = sum(process.reference_process is not None for process in processes)
            assert 0.8 * len(processes) <= adopted < len(processes), gemeente.name  # mostly adopted, a few own
            partners[gemeente] = sum(process.executor != Executor.OWN for process in processes) / len(processes)
            executors = {process.executor for process in processes}
            assert {Executor.ENVIRONMENT_SERVICE, Executor.JOINT_ARRANGEMENT} <= executors, gemeente.name
    assert Process.cross_tenant_objects.filter(organisation=large, is_active=False).count() == 2
    assert not Process.cross_tenant_objects.filter(organisation=small, is_active=False).exists()
    assert partners[small] > partners[large]  # a small gemeente leaves more to its partners
    created = AuditEvent.all_chains.filter(action="process.create")
    assert created.count() == Process.cross_tenant_objects.count()
    assert AuditEvent.all_chains.filter(action="process.archive").count() == 2
    reports = verify_all()
    assert reports and all(report.ok for report in reports), [report.problem for report in reports]

from __future__ import annotations

import pytest

from weerbaar.core.demo import load_demo
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.register.models import ContextItem, Position

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.cross_tenant_objects.count(),
        Unit.cross_tenant_objects.count(),
        Position.cross_tenant_objects.count(),
        ContextItem.cross_tenant_objects.count(),
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

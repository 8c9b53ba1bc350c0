from __future__ import annotations

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, auth, issue
from weerbaar.testing.world import Tenant, World


@pytest.fixture
def make_key(world: World) -> KeyMaker:
    """A fresh API key for the member with ``role`` in ``tenant`` (gemeente A by default)."""

    def make(role: str = "beheerder", tenant: Tenant | None = None, days: int = 30) -> str:
        return issue(tenant or world.a, role, days=days).key

    return make


@pytest.fixture
def api(make_key: KeyMaker) -> Client:
    """A client without a session that sends a beheerder's key of gemeente A."""
    return Client(headers=auth(make_key("beheerder")))

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import LazySettings

from weerbaar.testing.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: LazySettings) -> None:
    # Argon2 is deliberately slow; tests use a fast hasher (production keeps Argon2).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def expected_vendor() -> str | None:
    return os.environ.get("WEERBAAR_EXPECT_DB_VENDOR")


@pytest.fixture
def scope() -> Iterator[object]:
    from weerbaar.core.tenancy import tenant_scope

    yield tenant_scope

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from weerbaar.api.problems import PROBLEM_CONTENT_TYPE
from weerbaar.api.services import IssuedApiToken, api_token_create
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.world import Tenant

KeyMaker = Callable[..., str]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


def issue(tenant: Tenant, role: str = "beheerder", *, days: int = 30, name: str = "") -> IssuedApiToken:
    # The member makes their own key: a beheerder may not make one with rights the beheerder lacks
    # (scan results, for instance), and these tests are about using keys, not about making them.
    with tenant_scope(tenant.organisation):
        return api_token_create(
            actor=tenant.user(role),
            organisation=tenant.organisation,
            membership=tenant.members[role],
            name=name or f"Koppeling {role}",
            expires_at=timezone.now() + dt.timedelta(days=days),
        )


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """An RFC 9457 problem with a Dutch title and detail, and the version header."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert response["API-Version"] == settings.API_VERSION
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body

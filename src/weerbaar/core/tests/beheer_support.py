"""Small helpers shared by the tests of the beheerder screens (not collected: no test_ prefix)."""

from __future__ import annotations

from typing import Any

from weerbaar.audit.models import AuditEvent
from weerbaar.core.models import Organisation


def events(organisation: Organisation, action: str) -> list[AuditEvent]:
    """The audit events of one kind in the organisation's chain, oldest first."""
    from weerbaar.audit.models import chain_for

    return list(AuditEvent.all_chains.filter(chain=chain_for(organisation.uuid), action=action).order_by("sequence"))


def body(response: Any) -> str:
    return response.content.decode()


def middleware_queries(client: Any) -> int:
    """Queries every logged-in request costs before the view runs (session, user, membership, 2FA…).

    Query-count tests add the view's own budget to this, so they keep testing the view when
    middleware elsewhere changes.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    with CaptureQueriesContext(connection) as context:
        client.get(reverse("core:accessibility"))
    return len(context.captured_queries)

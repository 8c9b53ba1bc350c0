from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from weerbaar.core.models import Membership, Organisation


class AppRequest(HttpRequest):
    """What our middleware adds to every request (for type checking views)."""

    htmx: HtmxDetails
    membership: Membership | None
    organisation: Organisation | None
    memberships: list[Membership]
    user: Any


def client_ip(request: HttpRequest) -> str:
    """The client's address; X-Forwarded-For is trusted only for the configured number of proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a fragment; a history restore (back button after a cache miss) needs the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]

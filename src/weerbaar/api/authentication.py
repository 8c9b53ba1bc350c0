from __future__ import annotations

import hmac
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from weerbaar.api.models import ApiToken, hash_secret
from weerbaar.core.middleware import bind_membership

KEYWORD = "Token"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <prefix>.<secret>``; binds the token's organisation to the request."""

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1", errors="replace")
        parts = header.split()
        if not parts or parts[0] != KEYWORD:
            return None
        if len(parts) != 2 or "." not in parts[1]:
            raise exceptions.AuthenticationFailed("Ongeldige API-sleutel.")
        prefix, _, secret = parts[1].partition(".")
        # Cross-tenant by necessity: the organisation is only known once the key is found.
        token = (
            ApiToken.cross_tenant_objects.select_related("membership__organisation", "membership__user")
            .filter(prefix=prefix[:12])
            .first()
        )
        now = timezone.now()
        if (
            token is None
            or not hmac.compare_digest(token.key_hash, hash_secret(secret))
            or token.revoked_at is not None
            or (token.expires_at is not None and token.expires_at <= now)
            or not token.membership.is_active
            or not token.membership.user.is_active
            or not token.membership.organisation.is_active
        ):
            raise exceptions.AuthenticationFailed("Ongeldige API-sleutel.")
        bind_membership(request._request, token.membership)
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.cross_tenant_objects.filter(pk=token.pk).update(last_used_at=now)
        return token.membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD

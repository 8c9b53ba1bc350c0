"""One permission class for the whole API, asking the same role table as the views.

Each view declares ``required_permissions = {"list": Action..., "create": Action..., ...}``
(viewset action names, or HTTP method names in lower case for plain API views).
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class RolePermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        required: dict[str, str] | None = getattr(view, "required_permissions", None)
        if required is None:
            # A view without a declaration is closed, never open by accident.
            return False
        action = getattr(view, "action", None) or request.method.lower()  # type: ignore[union-attr]
        if action == "metadata" or request.method == "OPTIONS":
            action = "list" if "list" in required else next(iter(required), "")
        needed = required.get(action)
        if needed is None:
            return False
        if needed == "public":
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        membership = getattr(request._request, "membership", None)
        return membership is not None and membership.can(needed)

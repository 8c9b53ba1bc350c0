"""One permission class for the whole API, asking the same role table as the views.

Each view declares ``required_permissions = {"list": Action..., "create": Action..., ...}``
(viewset action names, or HTTP method names in lower case for plain API views); the value
``"public"`` opens an endpoint to everyone.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

PUBLIC = "public"


def required_action(request: Request, view: Any) -> str | None:
    """The action (or ``"public"``) the view declares for this request, None when it declares none."""
    required: dict[str, str] = getattr(view, "required_permissions", None) or {}
    method = (request.method or "").lower()
    if method == "head":
        method = "get"
    if method == "options":
        # The metadata answer describes the endpoint: reading it needs what reading the list needs.
        key = "list" if "list" in required else next(iter(required), "")
    else:
        action_map: dict[str, str] | None = getattr(view, "action_map", None)
        key = action_map.get(method, method) if action_map is not None else method
    return required.get(key)


class RolePermission(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "required_permissions", None) is None:
            # A view without a declaration is closed, never open by accident.
            return False
        if not hasattr(view, (request.method or "").lower()):
            # A method the endpoint does not offer: let DRF answer 405 with the Allow header.
            return True
        needed = required_action(request, view)
        if needed is None:
            return False
        if needed == PUBLIC:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        membership = getattr(request._request, "membership", None)
        return membership is not None and membership.can(needed)

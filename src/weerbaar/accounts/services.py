from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest

from weerbaar.audit.models import Result
from weerbaar.audit.services import record
from weerbaar.core.models import User
from weerbaar.core.selectors import active_memberships_of_user


def _organisations_of(user: User) -> list[Any]:
    return [m.organisation for m in active_memberships_of_user(user)]


def session_login(*, request: HttpRequest, user: User) -> None:
    """Log in and write the event into the chain of each organisation the user belongs to."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    for organisation in _organisations_of(user) or [None]:
        record(action="auth.login", actor=user, organisation=organisation, obj=user, object_label=user.email)


def login_failed(*, username: str, locked_out: bool) -> None:
    """A failed login goes into the system chain: it may name an address nobody owns."""
    record(
        action="auth.login_locked" if locked_out else "auth.login_failed",
        organisation=None,
        actor_label=username[:254],
        object_type="core.user",
        object_label=username[:300],
        result=Result.DENIED if locked_out else Result.FAILURE,
    )


def session_logout(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        organisation = getattr(request, "organisation", None)
        record(action="auth.logout", actor=user, organisation=organisation, obj=user, object_label=user.email)
    logout(request)

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from weerbaar.audit.services import origin_scope
from weerbaar.core.http import client_ip
from weerbaar.core.selectors import active_memberships_of_user
from weerbaar.core.tenancy import bind_organisation, tenant_scope

ACTIVE_ORGANISATION_SESSION_KEY = "weerbaar_active_organisation"


class ActiveOrganisationMiddleware:
    """Binds the request to one organisation: the single place where tenancy starts.

    The organisation is the user's chosen active membership (session), else their first one.
    Everything tenant-owned read during the request is scoped to it; nothing is bound for
    anonymous requests, so a tenant query there raises instead of returning rows.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with origin_scope(client_ip(request)), tenant_scope(None):
            request.membership = None  # type: ignore[attr-defined]
            request.organisation = None  # type: ignore[attr-defined]
            request.memberships = []  # type: ignore[attr-defined]
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                memberships = active_memberships_of_user(user)
                request.memberships = memberships  # type: ignore[attr-defined]
                wanted = request.session.get(ACTIVE_ORGANISATION_SESSION_KEY)
                chosen = next((m for m in memberships if str(m.organisation.uuid) == wanted), None)
                if chosen is None and memberships:
                    chosen = memberships[0]
                if chosen is not None:
                    bind_membership(request, chosen)
            return self.get_response(request)


def bind_membership(request: HttpRequest, membership: object) -> None:
    """Used by the middleware and by the API's token authentication."""
    request.membership = membership  # type: ignore[attr-defined]
    request.organisation = membership.organisation  # type: ignore[attr-defined]
    bind_organisation(membership.organisation)  # type: ignore[attr-defined]


class LanguageMiddleware:
    """Dutch unless the user chose otherwise with the language switch (cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a Dutch civil
    servant on an English-language laptop still gets the Dutch application.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        # override, not activate: the thread's language must not leak into the next request or task.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response

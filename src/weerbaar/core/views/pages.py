from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from weerbaar.core.permissions import Action
from weerbaar.core.policies import authenticated, public
from weerbaar.dashboards.views.home import dashboard


@require_GET
@authenticated
def home(request: HttpRequest) -> HttpResponse:
    membership = getattr(request, "membership", None)
    if membership is None:
        return TemplateResponse(request, "core/no_organisation.html", {})
    if not membership.can(Action.DASHBOARD_VIEW):
        raise Http404
    # The start page is the dashboard of the member's role.
    return dashboard(request)  # type: ignore[arg-type]


@require_POST
@authenticated
def switch_organisation(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    membership = next((m for m in request.memberships if str(m.organisation.uuid) == wanted), None)  # type: ignore[attr-defined]
    if membership is None:
        raise Http404
    request.session[ACTIVE_ORGANISATION_SESSION_KEY] = str(membership.organisation.uuid)
    messages.success(request, _("U werkt nu in %(name)s.") % {"name": membership.organisation.name})
    return redirect("core:home")


@require_GET
@public
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "core/accessibility.html", {})


@require_GET
@public
def security_txt(request: HttpRequest) -> HttpResponse:
    # RFC 9116: Expires is required and must lie less than a year ahead.
    expires = (timezone.now() + dt.timedelta(days=180)).astimezone(dt.UTC)
    body = "\n".join(
        [
            "# Meld een kwetsbaarheid in Weerbaar vertrouwelijk; wij reageren binnen vijf werkdagen.",
            f"Contact: {settings.SECURITY_CONTACT}",
            f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
            "Preferred-Languages: nl, en",
            f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
            "",
        ]
    )
    return HttpResponse(body, content_type="text/plain; charset=utf-8")

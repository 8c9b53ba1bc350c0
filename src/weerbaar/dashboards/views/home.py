"""The start page as a dashboard per role: "what needs my attention now" first.

``core:home`` ("/") hands over to :func:`dashboard` once it knows the member may see a start page.
The member sees the dashboard of their first role in ``ROLE_ORDER``; ``?rol=`` picks another role
they hold (anything else shows the default, never an error). A member without a dashboard role
(the regio-analist) gets the plain welcome.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Role
from weerbaar.dashboards.selectors.beheer import beheer_dashboard
from weerbaar.dashboards.selectors.common import DASHBOARD_LABELS, chosen_role, dashboard_roles
from weerbaar.dashboards.selectors.coordinator import coordinator_dashboard
from weerbaar.dashboards.selectors.employee import employee_dashboard
from weerbaar.dashboards.selectors.owner import owner_dashboard
from weerbaar.dashboards.selectors.reader import reader_dashboard
from weerbaar.dashboards.selectors.secretaris import secretaris_dashboard

TEMPLATES: dict[str, str] = {
    Role.SECRETARIS: "dashboards/home_secretaris.html",
    Role.COORDINATOR: "dashboards/home_coordinator.html",
    Role.PROCESEIGENAAR: "dashboards/home_owner.html",
    Role.BEHEERDER: "dashboards/home_beheer.html",
    Role.VERTROUWENSPERSOON: "dashboards/home_employee.html",
    Role.LEZER: "dashboards/home_reader.html",
    Role.MEDEWERKER: "dashboards/home_employee.html",
}


def build(role: str, request: AppRequest) -> Any:
    """The figures of one role's dashboard for the request's member (the page and the API share it)."""
    membership = request.membership
    assert membership is not None
    today = timezone.localdate()
    if role == Role.SECRETARIS:
        return secretaris_dashboard(membership, today)
    if role == Role.COORDINATOR:
        return coordinator_dashboard(membership, today)
    if role == Role.PROCESEIGENAAR:
        return owner_dashboard(membership, today)
    if role == Role.BEHEERDER:
        return beheer_dashboard(membership.organisation)
    if role == Role.LEZER:
        return reader_dashboard(today)
    return employee_dashboard(membership, today)


def dashboard(request: AppRequest) -> HttpResponse:
    """Called by ``core.views.pages.home`` (which carries the policy) for a member with a start page."""
    membership = request.membership
    assert membership is not None
    role = chosen_role(membership, request.GET.get("rol"))
    if role is None:
        return TemplateResponse(request, "dashboards/home_welcome.html", {"organisation": membership.organisation})
    home = reverse("core:home")
    roles = dashboard_roles(membership)
    others = [
        (str(DASHBOARD_LABELS[other]), home if other == roles[0] else f"{home}?rol={other}")
        for other in roles
        if other != role
    ]
    context = {
        "organisation": membership.organisation,
        "role": role,
        "role_label": str(DASHBOARD_LABELS[role]),
        "other_dashboards": others,
        "dashboard": build(role, request),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, TEMPLATES[role], context)

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weerbaar.core.permissions import Action


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


#: The main menu follows the user's roles: an item appears only when the role allows its action.
MENU: list[tuple[Any, str, str]] = [
    (_("Start"), "core:home", Action.DASHBOARD_VIEW),
    (_("Catalogus"), "catalogue:home", Action.CATALOGUE_VIEW),
    (_("Processen"), "register:process_list", Action.REGISTER_VIEW),
    (_("Functies"), "register:position_list", Action.REGISTER_VIEW),
    (_("Beoordelen"), "scans:my_ratings", Action.SCAN_RATE),
    (_("Scans"), "scans:scan_list", Action.SCAN_VIEW),
    (_("Resultaten"), "scans:results", Action.RESULTS_VIEW),
    (_("Actieplan"), "plan:plan_list", Action.PLAN_VIEW),
    (_("Mijn maatregelen"), "plan:my_measures", Action.WORK_OWN),
    (_("Aandacht"), "attention:overview", Action.ATTENTION_VIEW),
    (_("Burgemeester"), "dashboards:mayor_overview", Action.MAYOR_VIEW),
    (_("Rapportages"), "reports:published_list", Action.REPORTS_VIEW),
    (_("Afdelingen en teams"), "core:unit_list", Action.UNITS_VIEW),
    (_("Gebruikers"), "core:user_list", Action.USERS_VIEW),
    (_("Toegangscontrole"), "core:access_review", Action.ACCESS_REVIEW),
    (_("Audittrail"), "audit:event_list", Action.AUDIT_VIEW),
    (_("API-sleutels"), "api_keys:key_list", Action.API_TOKENS_MANAGE),
    (_("Instellingen"), "core:organisation_settings", Action.ORGANISATION_MANAGE),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    items: list[NavItem] = []
    if membership is not None:
        for label, url_name, action in MENU:
            if not membership.can(action):
                continue
            url = reverse(url_name)
            current = request.path == url if url == reverse("core:home") else request.path.startswith(url)
            items.append(NavItem(str(label), url, current))
    return {"nav": {"items": items, "memberships": getattr(request, "memberships", [])}}

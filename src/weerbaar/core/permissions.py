"""Roles and what each may do: the one table every view, API endpoint and template asks.

``docs/permissions.md`` is generated from this module (``manage.py permissions_doc``); a test
fails when the page is out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIS = "secretaris", _("Gemeentesecretaris")
    COORDINATOR = "coordinator", _("Coördinator ondermijning")
    PROCESEIGENAAR = "proceseigenaar", _("Proceseigenaar")
    VERTROUWENSPERSOON = "vertrouwenspersoon", _("Vertrouwenspersoon")
    MEDEWERKER = "medewerker", _("Medewerker")
    LEZER = "lezer", _("Lezer")
    REGIO_ANALIST = "regio-analist", _("Regio-analist (RIEC)")
    BEHEERDER = "beheerder", _("Functioneel beheerder")


#: Roles a member of a gemeente may hold; the regio-analist belongs to a RIEC, never a gemeente.
GEMEENTE_ROLES: frozenset[str] = frozenset(Role.values) - {Role.REGIO_ANALIST}
RIEC_ROLES: frozenset[str] = frozenset({Role.REGIO_ANALIST, Role.BEHEERDER})

#: Default roles for which two-factor authentication is mandatory (organisation setting).
DEFAULT_TWO_FACTOR_ROLES: tuple[str, ...] = (Role.BEHEERDER, Role.COORDINATOR, Role.VERTROUWENSPERSOON)


#: BIO2 asks to review access rights at least yearly, and privileged rights (beheer) quarterly.
PRIVILEGED_ROLES: frozenset[str] = frozenset({Role.BEHEERDER})
PRIVILEGED_REVIEW_INTERVAL = dt.timedelta(days=90)
REVIEW_INTERVAL = dt.timedelta(days=365)


def review_interval(roles: Iterable[str]) -> dt.timedelta:
    return PRIVILEGED_REVIEW_INTERVAL if PRIVILEGED_ROLES.intersection(roles) else REVIEW_INTERVAL


class Action(models.TextChoices):
    DASHBOARD_VIEW = "dashboard.view", _("Startpagina bekijken")
    ORGANISATION_VIEW = "organisation.view", _("Gegevens van de organisatie bekijken")
    ORGANISATION_MANAGE = "organisation.manage", _("Instellingen van de organisatie wijzigen")
    UNITS_VIEW = "units.view", _("Afdelingen en teams bekijken")
    UNITS_MANAGE = "units.manage", _("Afdelingen en teams beheren")
    USERS_VIEW = "users.view", _("Gebruikers en hun rollen bekijken")
    USERS_MANAGE = "users.manage", _("Gebruikers uitnodigen, rollen wijzigen, deactiveren")
    ACCESS_REVIEW = "access_review.perform", _("Periodieke toegangscontrole uitvoeren")
    AUDIT_VIEW = "audit.view", _("Audittrail bekijken")
    AUDIT_API = "audit.api", _("Audittrail via de API lezen")
    API_TOKENS_MANAGE = "api_tokens.manage", _("API-sleutels beheren")
    CATALOGUE_VIEW = "catalogue.view", _("Catalogus bekijken")
    CATALOGUE_MANAGE = "catalogue.manage", _("Eigen catalogusitems beheren")
    REGISTER_VIEW = "register.view", _("Procesregister, functies en externe context bekijken")
    REGISTER_EDIT = "register.edit", _("Procesregister, functies en externe context wijzigen; importeren")
    SCAN_MANAGE = "scans.manage", _("Scans aanmaken, openen en afsluiten; consensus vaststellen")
    SCAN_VIEW = "scans.view", _("Scans en hun voortgang bekijken")
    SCAN_RATE = "scans.rate", _("Toegewezen processen beoordelen")
    RESULTS_VIEW = "results.view", _("Uitkomsten van de eigen processen bekijken")
    RESULTS_VIEW_ALL = "results.view_all", _("Alle uitkomsten bekijken: heatmap en prioriteitenlijst")
    PLAN_VIEW = "plan.view", _("Het hele actieplan en de organisatiebrede maatregelen bekijken")
    PLAN_MANAGE = "plan.manage", _("Maatregelen voorstellen, inplannen, toewijzen en afwijzen")
    WORK_OWN = "work.own", _("Eigenaar zijn van maatregelen en activiteiten; eigen voortgang bijwerken")
    RISK_ACCEPT = "risk.accept", _("Het restrisico van een proces formeel accepteren")
    ATTENTION_VIEW = "attention.view", _("Aandachtsindicator, activiteiten en wat er aan werk openstaat bekijken")
    ATTENTION_MANAGE = "attention.manage", _("Terugkerende activiteiten en het communicatieplan beheren")
    REPORTS_VIEW = "reports.view", _("Gepubliceerde managementrapportages lezen en downloaden")
    REPORTS_MANAGE = "reports.manage", _("De managementrapportage samenstellen, bekijken en publiceren")
    MAYOR_VIEW = "mayor.view", _("Overleggen met de burgemeester en de afspraken daaruit bekijken")
    MAYOR_MANAGE = "mayor.manage", _("Overleggen met de burgemeester en de afspraken vastleggen")
    CAPACITY_MANAGE = "capacity.manage", _("De capaciteit per rol vastleggen die de organisatie aan dit werk geeft")


_ALL_GEMEENTE_MEMBERS = frozenset(GEMEENTE_ROLES)

#: role -> actions. Keep it readable: this table is the security model of the application.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SECRETARIS: frozenset(
        {
            Action.REPORTS_VIEW,
            Action.MAYOR_VIEW,
            Action.MAYOR_MANAGE,
            Action.PLAN_VIEW,
            Action.WORK_OWN,
            Action.RISK_ACCEPT,
            Action.ATTENTION_VIEW,
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.UNITS_VIEW,
            Action.USERS_VIEW,
            Action.CATALOGUE_VIEW,
            Action.REGISTER_VIEW,
            Action.SCAN_VIEW,
            Action.SCAN_RATE,
            Action.RESULTS_VIEW,
            Action.RESULTS_VIEW_ALL,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            Action.REPORTS_VIEW,
            Action.REPORTS_MANAGE,
            Action.MAYOR_VIEW,
            Action.CAPACITY_MANAGE,
            Action.PLAN_VIEW,
            Action.PLAN_MANAGE,
            Action.WORK_OWN,
            Action.ATTENTION_VIEW,
            Action.ATTENTION_MANAGE,
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.UNITS_VIEW,
            Action.USERS_VIEW,
            Action.AUDIT_VIEW,
            Action.CATALOGUE_VIEW,
            Action.CATALOGUE_MANAGE,
            Action.REGISTER_VIEW,
            Action.REGISTER_EDIT,
            Action.SCAN_MANAGE,
            Action.SCAN_VIEW,
            Action.SCAN_RATE,
            Action.RESULTS_VIEW,
            Action.RESULTS_VIEW_ALL,
        }
    ),
    Role.PROCESEIGENAAR: frozenset(
        {
            Action.WORK_OWN,
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.UNITS_VIEW,
            Action.CATALOGUE_VIEW,
            Action.REGISTER_VIEW,
            Action.SCAN_RATE,
            Action.RESULTS_VIEW,
        }
    ),
    Role.VERTROUWENSPERSOON: frozenset(
        {
            Action.WORK_OWN,
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.UNITS_VIEW,
            Action.CATALOGUE_VIEW,
            Action.REGISTER_VIEW,
            Action.SCAN_RATE,
        }
    ),
    Role.MEDEWERKER: frozenset(
        {Action.DASHBOARD_VIEW, Action.ORGANISATION_VIEW, Action.CATALOGUE_VIEW, Action.SCAN_RATE, Action.WORK_OWN}
    ),
    Role.LEZER: frozenset(
        {
            Action.REPORTS_VIEW,
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.UNITS_VIEW,
            Action.CATALOGUE_VIEW,
            Action.REGISTER_VIEW,
        }
    ),
    Role.REGIO_ANALIST: frozenset({Action.DASHBOARD_VIEW, Action.ORGANISATION_VIEW, Action.CATALOGUE_VIEW}),
    Role.BEHEERDER: frozenset(
        {
            Action.DASHBOARD_VIEW,
            Action.ORGANISATION_VIEW,
            Action.ORGANISATION_MANAGE,
            Action.UNITS_VIEW,
            Action.UNITS_MANAGE,
            Action.USERS_VIEW,
            Action.USERS_MANAGE,
            Action.ACCESS_REVIEW,
            Action.AUDIT_VIEW,
            Action.AUDIT_API,
            Action.API_TOKENS_MANAGE,
            Action.CATALOGUE_VIEW,
            Action.CATALOGUE_MANAGE,
            Action.REGISTER_VIEW,
            Action.REGISTER_EDIT,
        }
    ),
}


def actions_for_roles(roles: Iterable[str]) -> frozenset[str]:
    allowed: set[str] = set()
    for role in roles:
        allowed |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(allowed)


def roles_allow(roles: Iterable[str], action: str) -> bool:
    if action not in Action.values:
        raise ValueError(f"Unknown action {action!r}: add it to permissions.Action first.")
    return action in actions_for_roles(roles)


def roles_with_action(action: str) -> list[str]:
    return [role for role in Role.values if action in ROLE_ACTIONS[role]]


def permissions_markdown() -> str:
    """The matrix for docs/permissions.md, generated so it can never drift from the code."""
    roles = list(Role)
    lines = [
        "# Rechten per rol",
        "",
        "Gegenereerd uit `src/weerbaar/core/permissions.py` met `python manage.py permissions_doc`.",
        "Niet met de hand wijzigen: een test faalt als deze pagina niet overeenkomt met de code.",
        "",
        "| actie | omschrijving | " + " | ".join(f"`{role.value}`" for role in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for action in Action:
        cells = ["ja" if action.value in ROLE_ACTIONS[role.value] else "–" for role in roles]
        lines.append(f"| `{action.value}` | {action.label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Rollen: " + "; ".join(f"`{role.value}` = {role.label}" for role in roles) + ".",
        "",
        "De regio-analist is lid van een RIEC, nooit van een gemeente. Een object van een andere "
        "organisatie geeft altijd 404 (niet gevonden); een bekende pagina zonder het recht geeft 403.",
        "",
    ]
    return "\n".join(str(line) for line in lines)

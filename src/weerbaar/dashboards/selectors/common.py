"""What every dashboard shares: which dashboards a member has, and the "Nu aandacht nodig" items.

A member may hold several roles. The start page shows the dashboard of the first role they hold in
``ROLE_ORDER``; ``?rol=<role>`` chooses another role they hold. An unknown or unheld role falls back
to the default, never an error. The regio-analist has no dashboard (yet): their start page is the
plain welcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from weerbaar.core.models import Membership
from weerbaar.core.permissions import Role

#: The order in which a member's roles choose their default dashboard.
ROLE_ORDER: tuple[str, ...] = (
    Role.SECRETARIS,
    Role.COORDINATOR,
    Role.PROCESEIGENAAR,
    Role.BEHEERDER,
    Role.VERTROUWENSPERSOON,
    Role.LEZER,
    Role.MEDEWERKER,
)

#: How the "Overzicht als …" links name each dashboard.
DASHBOARD_LABELS: dict[str, Any] = {
    Role.SECRETARIS: _("gemeentesecretaris"),
    Role.COORDINATOR: _("coördinator"),
    Role.PROCESEIGENAAR: _("proceseigenaar"),
    Role.BEHEERDER: _("functioneel beheerder"),
    Role.VERTROUWENSPERSOON: _("vertrouwenspersoon"),
    Role.LEZER: _("lezer"),
    Role.MEDEWERKER: _("medewerker"),
}

#: Urgency of an attention item: the block lists the most urgent first.
URGENT, SOON, NOTE = 0, 1, 2


@dataclass(frozen=True)
class AttentionItem:
    """One concrete thing that needs someone now, with the page where it is done."""

    text: str
    url: str
    urgency: int = SOON

    @property
    def css(self) -> str:
        return {URGENT: "error", SOON: "warning"}.get(self.urgency, "neutral")

    @property
    def urgency_label(self) -> str:
        return str({URGENT: _("dringend"), SOON: _("aandacht"), NOTE: _("ter info")}[self.urgency])


def prioritised(items: Iterable[AttentionItem]) -> list[AttentionItem]:
    """Most urgent first; within an urgency the order the dashboard added them (stable sort)."""
    return sorted(items, key=lambda item: item.urgency)


def from_pairs(pairs: Iterable[tuple[str, str]], urgency: int = SOON) -> list[AttentionItem]:
    """The (text, url) pairs of the mayor and capacity summaries as attention items."""
    return [AttentionItem(str(text), url, urgency) for text, url in pairs]


def plan_items(*, not_alive: int, overdue: int) -> list[AttentionItem]:
    """The action plan's share of "Nu aandacht nodig": measures no longer alive, measures overdue."""
    plan_url = reverse("plan:plan_list")
    items = []
    if not_alive:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s maatregel is niet meer levend: de herziening is te laat.",
                    "%(count)s maatregelen zijn niet meer levend: de herziening is te laat.",
                    not_alive,
                )
                % {"count": not_alive},
                f"{plan_url}?aandacht=niet_levend",
                URGENT,
            )
        )
    if overdue:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s maatregel uit het actieplan is over de deadline.",
                    "%(count)s maatregelen uit het actieplan zijn over de deadline.",
                    overdue,
                )
                % {"count": overdue},
                f"{plan_url}?aandacht=te_laat",
            )
        )
    return items


def dashboard_roles(membership: Membership) -> list[str]:
    """The roles of this member that have a dashboard, in ``ROLE_ORDER``."""
    held = set(membership.roles) if membership.is_active else set()
    return [role for role in ROLE_ORDER if role in held]


def chosen_role(membership: Membership, wanted: str | None) -> str | None:
    """The dashboard to show: ``wanted`` when the member holds it, else their first; None without any."""
    roles = dashboard_roles(membership)
    if wanted and wanted in roles:
        return wanted
    return roles[0] if roles else None


def display_name(member: Membership) -> str:
    return member.user.full_name or member.user.email

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import Action


def active_memberships_of_user(user: User | Any) -> list[Membership]:
    """A user's own memberships across organisations (for binding and the switcher).

    Cross-tenant by nature: it is filtered on the user, never on an organisation.
    """
    return list(
        Membership.cross_tenant_objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


@dataclass(frozen=True)
class HomeOverview:
    organisation: Organisation
    role_labels: list[str]
    unit_count: int
    member_count: int
    can_manage: bool


def home_overview(*, membership: Membership) -> HomeOverview:
    organisation = membership.organisation
    return HomeOverview(
        organisation=organisation,
        role_labels=membership.role_labels(),
        unit_count=Unit.objects.filter(is_active=True).count(),
        member_count=Membership.objects.filter(is_active=True).count(),
        can_manage=membership.can(Action.USERS_MANAGE),
    )

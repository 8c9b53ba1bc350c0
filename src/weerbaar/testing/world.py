"""Shared personas: gemeente A with a member per role, and gemeente B full of canary strings.

Every test that checks tenancy logs in as someone from A and asserts that no canary of B ever
appears in a response body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import GEMEENTE_ROLES, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.factories import MembershipFactory, OrganisationFactory, RiecFactory, UnitFactory, UserFactory

CANARY = "KANARIE"


@dataclass
class Tenant:
    organisation: Organisation
    units: list[Unit]
    members: dict[str, Membership] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return self.members[role].user


@dataclass
class World:
    a: Tenant
    b: Tenant
    riec: Tenant
    extra: dict[str, Any] = field(default_factory=dict)

    def client_for(self, role: str, tenant: Tenant | None = None) -> Client:
        tenant = tenant or self.a
        return login_client(tenant.user(role), tenant.organisation)


def login_client(user: User, organisation: Organisation | None = None) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if organisation is not None:
        session = client.session
        session[ACTIVE_ORGANISATION_SESSION_KEY] = str(organisation.uuid)
        session.save()
    return client


def _tenant(organisation: Organisation, roles: list[str], label: str) -> Tenant:
    with tenant_scope(organisation):
        top = UnitFactory.create(organisation=organisation, name=f"{label} Publiekszaken")
        child = UnitFactory.create(organisation=organisation, name=f"{label} Burgerzaken", parent=top)
        tenant = Tenant(organisation=organisation, units=[top, child])
        slug = label.lower().replace(" ", "-")
        for role in roles:
            user = UserFactory.create(email=f"{role}@{slug}.example", full_name=f"{label} {role}")
            tenant.members[role] = MembershipFactory.create(organisation=organisation, user=user, roles=[role])
    return tenant


def build_world() -> World:
    riec = RiecFactory.create(name="RIEC Testregio")
    org_a = OrganisationFactory.create(name="Gemeente Aadorp", cbs_code="GM8801", riec=riec)
    org_b = OrganisationFactory.create(
        name=f"Gemeente {CANARY}stad", cbs_code="GM8802", riec=riec, inhabitants=130_000, size_class="groot"
    )
    roles = sorted(GEMEENTE_ROLES)
    return World(
        a=_tenant(org_a, roles, "Aadorp"),
        b=_tenant(org_b, roles, CANARY),
        riec=_tenant(riec, [Role.REGIO_ANALIST, Role.BEHEERDER], "Regio"),
    )

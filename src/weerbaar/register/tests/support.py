"""Helpers for the register tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from weerbaar.catalogue.models import Circumstance, CircumstanceKind
from weerbaar.register.models import Position
from weerbaar.register.services import position_create
from weerbaar.testing.world import Tenant


def make_position(tenant: Tenant, name: str = "Medewerker vergunningen", **fields: Any) -> Position:
    values: dict[str, Any] = {
        "unit": tenant.units[1],
        "screening_level": "vog_np",
        "risk_areas": ["informatie", "geld"],
        "renewal_years": 5,
        "last_screening_on": dt.date(2024, 3, 1),
    }
    values.update(fields)
    return position_create(actor=tenant.user("coordinator"), organisation=tenant.organisation, name=name, **values)


def external_circumstances() -> list[Circumstance]:
    return list(
        Circumstance.national_objects.filter(kind=CircumstanceKind.EXTERNAL, is_active=True).order_by("group", "pk")
    )


def first_category() -> Any:
    from weerbaar.catalogue.models import ProcessCategory

    return ProcessCategory.objects.filter(is_active=True).order_by("position").first()


def internal_circumstances() -> list[Circumstance]:
    return list(
        Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL, is_active=True).order_by("group", "pk")
    )


def make_process(tenant: Tenant, name: str = "Evenementenvergunning", **fields: Any) -> Any:
    from weerbaar.register.services import process_create

    values: dict[str, Any] = {
        "category": first_category(),
        "unit": tenant.units[1],
        "owner": tenant.members["proceseigenaar"],
        "yearly_volume": 120,
    }
    values.update(fields)
    return process_create(actor=tenant.user("coordinator"), organisation=tenant.organisation, name=name, **values)

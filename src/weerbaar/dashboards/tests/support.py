"""Helpers for the tests of the mayor consultations and the capacity page (not collected)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.dashboards import services
from weerbaar.dashboards.models import ConsultationAgreement, MayorConsultation
from weerbaar.testing.world import Tenant


def today() -> dt.date:
    return timezone.localdate()


def days(count: int) -> dt.date:
    return today() + dt.timedelta(days=count)


def make_consultation(tenant: Tenant, held_on: dt.date | None = None, **fields: Any) -> MayorConsultation:
    values: dict[str, Any] = {"topics": "Bibob-beleid en het ondermijningsbeeld", "next_on": None}
    values.update(fields)
    with tenant_scope(tenant.organisation):
        return services.consultation_create(
            actor=None, member=tenant.members["secretaris"], held_on=held_on or today(), **values
        )


def make_agreement(tenant: Tenant, consultation: MayorConsultation, **fields: Any) -> ConsultationAgreement:
    values: dict[str, Any] = {"description": "Bibob-beleid actualiseren", "owner": tenant.members["coordinator"]}
    values.update(fields)
    with tenant_scope(tenant.organisation):
        return services.agreement_add(
            actor=None, member=tenant.members["secretaris"], consultation=consultation, **values
        )


def set_capacity(tenant: Tenant, **hours: str) -> None:
    with tenant_scope(tenant.organisation):
        services.capacity_set(
            actor=None,
            member=tenant.members["coordinator"],
            rows=[services.CapacityRow(role=role, hours_per_week=Decimal(value)) for role, value in hours.items()],
        )


def render_card(template: str, **context: Any) -> str:
    return render_to_string(f"dashboards/{template}", context)

"""Helpers for the attention tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from weerbaar.attention import services
from weerbaar.attention.models import ActivityLog, CommunicationItem, RecurringActivity
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.world import Tenant


def today() -> dt.date:
    return timezone.localdate()


def days(count: int) -> dt.date:
    return today() + dt.timedelta(days=count)


def make_activity(tenant: Tenant, name: str = "Normgesprek Burgerzaken", **fields: Any) -> RecurringActivity:
    values: dict[str, Any] = {
        "kind": "normgesprek",
        "starts_on": today(),
        "cadence_months": 12,
        "owner": tenant.members["proceseigenaar"],
    }
    values.update(fields)
    with tenant_scope(tenant.organisation):
        return services.activity_create(actor=None, member=tenant.members["coordinator"], name=name, **values)


def backdate(activity: RecurringActivity, starts_on: dt.date) -> RecurringActivity:
    """Tests need activities that started in the past; the service refuses a past start on create."""
    with tenant_scope(activity.organisation):
        activity = RecurringActivity.objects.get(pk=activity.pk)
        activity.starts_on = starts_on
        activity.save()
    return activity


def log(tenant: Tenant, activity: RecurringActivity, done_on: dt.date, **fields: Any) -> ActivityLog:
    with tenant_scope(tenant.organisation):
        return services.activity_log(
            actor=None, member=tenant.members["coordinator"], activity=activity, done_on=done_on, **fields
        )


def make_item(tenant: Tenant, subject: str = "Nieuwsbericht weerbaarheid", **fields: Any) -> CommunicationItem:
    values: dict[str, Any] = {"planned_on": today(), "audience": "Alle medewerkers", "channel": "intranet"}
    values.update(fields)
    with tenant_scope(tenant.organisation):
        return services.communication_item_create(
            actor=None, member=tenant.members["coordinator"], subject=subject, **values
        )


def past_item(tenant: Tenant, subject: str, planned_on: dt.date) -> CommunicationItem:
    """A moment planned earlier that was not done: created in the past, so written directly."""
    with tenant_scope(tenant.organisation):
        return CommunicationItem.objects.create(
            organisation=tenant.organisation,
            planned_on=planned_on,
            subject=subject,
            audience="Leidinggevenden",
            channel="nieuwsbrief",
            owner=tenant.members["coordinator"],
        )


def position(tenant: Tenant, name: str, **fields: Any) -> Any:
    """A register position (vulnerable by default: VOG NP, renewed every 5 years)."""
    from weerbaar.register.tests.support import make_position

    with tenant_scope(tenant.organisation):
        return make_position(tenant, name, **fields)

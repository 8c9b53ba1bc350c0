"""/api/v1/activiteiten: the recurring activities with their done-log, read with attention.view."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.api.tests.utils import assert_problem
from weerbaar.attention import services
from weerbaar.attention.models import RecurringActivity
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.tests.test_api_plan import client_for
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

ACTIVITIES = "/api/v1/activiteiten"


def _activity(tenant: Tenant, name: str, *, logs: int = 0, **fields: Any) -> RecurringActivity:
    today = timezone.localdate()
    coordinator = tenant.members["coordinator"]
    with tenant_scope(tenant.organisation):
        activity = services.activity_create(
            actor=None,
            member=coordinator,
            kind=fields.pop("kind", "normgesprek"),
            name=name,
            starts_on=fields.pop("starts_on", today),
            owner=fields.pop("owner", coordinator),
            target_units=[tenant.units[1]],
            **fields,
        )
        for number in range(logs):
            services.activity_log(
                actor=None,
                member=coordinator,
                activity=activity,
                done_on=today - dt.timedelta(days=30 * (logs - number)),
                note=f"Keer {number + 1}",
                participants=10 + number,
                units=[tenant.units[number % 2]],
            )
        return RecurringActivity.objects.get(pk=activity.pk)


def test_the_secretaris_reads_activities_with_their_done_log(world: World) -> None:
    norm = _activity(world.a, "Normgesprek Burgerzaken", logs=2, cadence_months=6)
    campaign = _activity(world.a, "Campagne", kind="campagne", starts_on=timezone.localdate() + dt.timedelta(days=40))
    _activity(world.b, f"Activiteit {CANARY}")
    client = client_for(world, "secretaris")
    response = client.get(ACTIVITIES)
    assert response.status_code == 200
    body = response.json()
    assert body["aantal"] == 2 and CANARY not in response.content.decode()
    item = next(each for each in body["resultaten"] if each["uuid"] == str(norm.uuid))
    last = timezone.localdate() - dt.timedelta(days=30)
    assert item["soort"] == "normgesprek" and item["elkeMaanden"] == 6
    assert item["laatstGedaanOp"] == last.isoformat()
    assert item["volgendeKeerOp"] == norm.next_due_on().isoformat() and item["teLaat"] is False
    assert item["eigenaar"] == {"uuid": str(world.a.members["coordinator"].uuid), "naam": "Aadorp coordinator"}
    assert item["voorAfdelingen"] == [str(world.a.units[1].uuid)]
    assert [entry["toelichting"] for entry in item["uitvoeringen"]] == ["Keer 2", "Keer 1"]
    assert item["uitvoeringen"][0]["deelnemers"] == 11
    assert item["uitvoeringen"][0]["afdelingen"] == [str(world.a.units[1].uuid)]
    one = client.get(f"{ACTIVITIES}/{campaign.uuid}").json()
    assert one["laatstGedaanOp"] is None and one["uitvoeringen"] == []
    assert one["volgendeKeerOp"] == campaign.starts_on.isoformat()


def test_the_filters_and_who_may_read(world: World) -> None:
    _activity(world.a, "Normgesprek")
    campaign = _activity(world.a, "Campagne", kind="campagne")
    foreign = _activity(world.b, f"Activiteit {CANARY}")
    client = client_for(world, "coordinator")
    assert [each["uuid"] for each in client.get(f"{ACTIVITIES}?soort=campagne").json()["resultaten"]] == [
        str(campaign.uuid)
    ]
    assert client.get(f"{ACTIVITIES}?actief=false").json()["aantal"] == 0
    assert client.get(f"{ACTIVITIES}?actief=true").json()["aantal"] == 2
    assert_problem(client.get(f"{ACTIVITIES}?soort=kapot"), 400)
    assert_problem(client.get(f"{ACTIVITIES}/{foreign.uuid}"), 404)
    for role in ("proceseigenaar", "medewerker", "lezer", "beheerder"):
        assert_problem(client_for(world, role).get(ACTIVITIES), 403)
        assert_problem(client_for(world, role).get(f"{ACTIVITIES}/{campaign.uuid}"), 403)
    assert_problem(client.patch(f"{ACTIVITIES}/{campaign.uuid}", "{}", content_type="application/json"), 405)


def test_the_list_costs_the_same_for_2_and_20_activities(world: World) -> None:
    client = client_for(world, "secretaris")
    for number in range(2):
        _activity(world.a, f"Activiteit {number:02d}", logs=2)
    client.get(ACTIVITIES)  # the key's first use writes its last-used time
    with CaptureQueriesContext(connection) as small:
        assert client.get(ACTIVITIES).json()["aantal"] == 2
    for number in range(2, 20):
        _activity(world.a, f"Activiteit {number:02d}", logs=number % 4)
    with CaptureQueriesContext(connection) as large:
        assert client.get(ACTIVITIES).json()["aantal"] == 20
    assert len(small) == len(large)

"""The estimated hours of a plan line: set by the coordinator on the line's page and through the API,
audited like the other fields, optional, and guarded by the version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from weerbaar.api.tests.utils import assert_problem
from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.plan import services
from weerbaar.plan.tests.page_support import events, line_url, reload, text
from weerbaar.plan.tests.support import plan, scored_process
from weerbaar.plan.tests.test_api_plan import SAMPLE, client_for
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

PLAN_API = "/api/v1/actieplan"


def _base(planned: Any, **extra: str) -> dict[str, str]:
    data = {
        "wijzigen-owner": str(world_owner(planned)),
        "wijzigen-due_date": planned.due_date.isoformat(),
        "wijzigen-estimated_hours": "",
        "wijzigen-note": "",
        "wijzigen-review_cadence_months": "12",
        "wijzigen-version": str(planned.version),
    }
    data.update({f"wijzigen-{key}": value for key, value in extra.items()})
    return data


def world_owner(planned: Any) -> str:
    return str(planned.owner.uuid) if planned.owner else ""


def test_the_coordinator_sets_and_clears_an_estimate_and_both_are_audited(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    client = world.client_for("coordinator")
    url = line_url(planned, "measure_edit")
    assert "Geschatte uren" in body(client.get(line_url(planned)))
    response = client.post(url, _base(planned, estimated_hours="40"))
    assert response.status_code == 302
    planned = reload(world.a, planned)
    assert planned.estimated_hours == 40
    assert events(world, "plan.measure.update") == 1
    with tenant_scope(world.a.organisation):
        event = AuditEvent.all_chains.filter(action="plan.measure.update").order_by("-sequence").first()
    assert event is not None and event.changes["estimated_hours"] == [None, 40]
    assert "Geschatte uren 40 uur" in text(body(client.get(line_url(planned))))
    response = client.post(url, _base(planned, estimated_hours=""))
    assert response.status_code == 302 and reload(world.a, planned).estimated_hours is None


def test_an_estimate_out_of_range_is_refused_and_the_input_is_kept(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    client = world.client_for("coordinator")
    url = line_url(planned, "measure_edit")
    for wrong in ("0", "10001", "2,5", "veel"):
        response = client.post(url, _base(planned, estimated_hours=wrong, note="Mijn toelichting"))
        page = body(response)
        assert response.status_code != 302, wrong  # the line's page answers refused forms itself
        assert "Mijn toelichting" in page and ("10.000 uur" in page or "heel aantal uren" in page), wrong
    assert reload(world.a, planned).estimated_hours is None
    with pytest.raises(ValidationError, match=r"10\.000"), tenant_scope(world.a.organisation):
        services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            version=planned.version,
            owner=planned.owner,
            due_date=planned.due_date,
            note="",
            review_cadence_months=12,
            estimated_hours=20_000,
        )


def test_a_stale_edit_keeps_the_typed_estimate(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    stale = planned.version
    with tenant_scope(world.a.organisation):
        services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            version=stale,
            owner=planned.owner,
            due_date=planned.due_date,
            note="Tussendoor gewijzigd",
            review_cadence_months=12,
        )
    response = world.client_for("coordinator").post(
        line_url(planned, "measure_edit"), _base(planned, estimated_hours="64", version=str(stale))
    )
    page = body(response)
    assert response.status_code != 302
    assert 'value="64"' in page and "Iemand anders heeft" in page
    assert reload(world.a, planned).estimated_hours is None


def test_leaving_the_estimate_out_of_a_service_call_keeps_it(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    with tenant_scope(world.a.organisation):
        planned = services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            version=planned.version,
            owner=planned.owner,
            due_date=planned.due_date,
            note="",
            review_cadence_months=12,
            estimated_hours=30,
        )
        planned = services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            version=planned.version,
            owner=planned.owner,
            due_date=planned.due_date,
            note="Alleen de toelichting",
            review_cadence_months=12,
        )
    assert planned.estimated_hours == 30


def _patch(client: Any, url: str, data: Any) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_the_api_shows_and_patches_the_estimate_for_the_coordinator_only(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    url = f"{PLAN_API}/{planned.uuid}"
    coordinator = client_for(world, "coordinator")
    assert coordinator.get(url).json()["geschatteUren"] is None
    response = _patch(coordinator, url, {"geschatteUren": 120, "versie": planned.version})
    assert response.status_code == 200, response.content
    assert planned.due_date is not None
    assert response.json()["geschatteUren"] == 120 and response.json()["gereedOp"] == planned.due_date.isoformat()
    assert events(world, "plan.measure.update") == 1
    version = response.json()["versie"]
    body_ = assert_problem(_patch(coordinator, url, {"geschatteUren": 0, "versie": version}), 400)
    assert "geschatteUren" in [param["name"] for param in body_["invalidParams"]]
    assert_problem(_patch(client_for(world, "proceseigenaar"), url, {"geschatteUren": 5, "versie": version}), 403)
    assert_problem(_patch(coordinator, url, {"geschatteUren": 5, "versie": version - 1}), 409)
    response = _patch(coordinator, url, {"geschatteUren": None, "versie": version})
    assert response.status_code == 200 and response.json()["geschatteUren"] is None


def test_hostile_input_on_the_estimate(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    client = world.client_for("coordinator")
    submit_naughty(
        client, line_url(planned, "measure_edit"), base_data=_base(planned), fields=["wijzigen-estimated_hours"]
    )
    submit_naughty(
        client_for(world, "coordinator"),
        f"{PLAN_API}/{planned.uuid}",
        base_data={"versie": planned.version},
        fields=["geschatteUren"],
        method="patch",
        as_json=True,
        strings=SAMPLE,
    )
    hours = reload(world.a, planned).estimated_hours
    assert hours is None or 1 <= hours <= 10_000

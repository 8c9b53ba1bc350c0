from __future__ import annotations

import pytest
from django.utils.html import escape

from weerbaar.audit.models import Result
from weerbaar.audit.services import record
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _fill(world: World, count: int) -> None:
    actor = world.a.user("beheerder")
    for i in range(count):
        record(action="unit.update", actor=actor, organisation=world.a.organisation, object_label=f"Team {i}")


def test_it_lists_only_this_organisations_events_newest_first(world: World) -> None:
    _fill(world, 3)
    record(action="unit.update", organisation=world.b.organisation, object_label="KANARIE-team")
    response = world.client_for("beheerder").get("/audittrail/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Team 2") < body.index("Team 0")
    assert "KANARIE" not in body


def test_it_filters_by_who_what_when_and_object(world: World) -> None:
    _fill(world, 2)
    record(
        action="auth.login_failed",
        organisation=world.a.organisation,
        actor_label="iemand@aadorp.example",
        result=Result.FAILURE,
    )
    client = world.client_for("coordinator")
    assert "Team 1" not in client.get("/audittrail/?action=auth.").content.decode()
    assert "iemand@aadorp.example" in client.get("/audittrail/?who=iemand").content.decode()
    assert "iemand@aadorp.example" not in client.get("/audittrail/?object=Team+1").content.decode()
    assert "Team 1" in client.get("/audittrail/?result=success&object=Team+1").content.decode()


def test_a_reversed_date_range_gets_a_dutch_error_and_keeps_the_input(world: World) -> None:
    response = world.client_for("beheerder").get("/audittrail/?date_from=2026-05-01&date_to=2026-04-01&who=piet")
    body = response.content.decode()
    assert "De einddatum ligt vóór de begindatum." in body or escape("De einddatum ligt vóór de begindatum.") in body
    assert 'value="piet"' in body


def test_htmx_requests_get_only_the_results_fragment(world: World) -> None:
    _fill(world, 1)
    response = world.client_for("beheerder").get("/audittrail/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="audit-results"' in body and "<html" not in body


@pytest.mark.parametrize("size", [3, 60])
def test_the_audit_log_query_count_does_not_grow_with_the_number_of_events(
    world: World, size: int, django_assert_max_num_queries: object
) -> None:
    _fill(world, size)
    client = world.client_for("beheerder")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get("/audittrail/")
    assert response.status_code == 200


def test_the_filter_form_survives_hostile_input(world: World) -> None:
    client = world.client_for("beheerder")
    submit_naughty(
        client, "/audittrail/", base_data={}, fields=["who", "action", "object", "date_from", "result"], method="get"
    )


def test_the_back_button_gets_the_whole_page_and_responses_vary_on_htmx(world: World) -> None:
    client = world.client_for("beheerder")
    restore = client.get("/audittrail/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()
    assert "HX-Request" in restore["Vary"]

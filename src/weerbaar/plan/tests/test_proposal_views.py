"""The proposals page of a process: the ranked what-if, adopting and declining, and who may do what."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.plan.forms import default_due_date
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.proposals import Proposal, proposals_for
from weerbaar.plan.tests.page_support import (
    adopt_url,
    decline_url,
    events,
    process_measure_keys,
    proposals_url,
    queries,
    text,
)
from weerbaar.plan.tests.support import implement, measure, plan, scored_process
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans.selectors.results import whole
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _top(world: World, process: Process) -> Proposal:
    with tenant_scope(world.a.organisation):
        return proposals_for(world.a.organisation, process, timezone.localdate()).ranked[0]


def _adopt_data(world: World, **extra: str) -> dict[str, str]:
    due = timezone.localdate() + dt.timedelta(days=60)
    return {"owner": str(world.a.members["proceseigenaar"].uuid), "due_date": due.isoformat(), "note": "", **extra}


def test_the_coordinator_sees_the_ranked_what_if_with_the_characteristics_it_works_on(world: World) -> None:
    process = scored_process(world.a)
    top = _top(world, process)
    page = body(world.client_for("coordinator").get(proposals_url(process)))
    words = text(page)
    assert f"van {whole(top.from_score)} naar {whole(top.to_score)}" in words
    first = top.addressed[0]
    strength = {1: "beperkt", 2: "middel", 3: "sterk"}[first.strength]
    assert (
        f"{first.characteristic.code} {first.characteristic.name}: {strength} — dit proces scoort {first.score}"
        in words
    )
    assert "Restrisico nu" in words
    assert adopt_url(process, top.measure).replace("&", "&amp;") in page
    # The ranking on the page follows the what-if.
    names = re.findall(r'<h3 class="proposal__name">([^<]+)</h3>', page)
    assert names[0] == top.measure.name


def test_the_secretaris_reads_along_and_a_proceseigenaar_may_not_open_the_page(world: World) -> None:
    process = scored_process(world.a)
    page = body(world.client_for("secretaris").get(proposals_url(process)))
    assert "Voorgestelde maatregelen" in page and "Overnemen in het actieplan" not in page
    assert world.client_for("proceseigenaar").get(proposals_url(process)).status_code == 403
    top = _top(world, process)
    assert world.client_for("secretaris").post(adopt_url(process, top.measure), _adopt_data(world)).status_code == 403


def test_a_process_without_a_closed_scan_explains_that_proposals_come_later(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Nog niet gescand")
    words = text(body(world.client_for("coordinator").get(proposals_url(process))))
    assert "Voorstellen komen na een afgesloten scan" in words
    assert "Er staan nog geen maatregelen voor dit proces in het actieplan" in words


def test_adopting_a_proposal_plans_it_with_the_what_if_and_defaults_to_the_process_owner(world: World) -> None:
    process = scored_process(world.a)
    top = _top(world, process)
    client = world.client_for("coordinator")
    form = body(client.get(adopt_url(process, top.measure)))
    owner = world.a.members["proceseigenaar"]
    assert f'<option value="{owner.uuid}" selected>' in form
    assert f'value="{default_due_date().isoformat()}"' in form
    response = client.post(adopt_url(process, top.measure), _adopt_data(world, note="Eerst met het team bespreken"))
    assert response.status_code == 302 and response["Location"].startswith(proposals_url(process))
    with tenant_scope(world.a.organisation):
        planned = PlannedMeasure.objects.select_related("source_scan_process").get(process=process)
    assert planned.status == MeasureStatus.PLANNED and planned.owner_id == owner.pk
    assert planned.note == "Eerst met het team bespreken"
    assert (planned.expected_from, planned.expected_to) == pytest.approx((top.from_score, top.to_score))
    assert planned.source_scan_process is not None and planned.source_scan_process.process_id == process.pk
    assert events(world, "plan.measure.create") == 1
    page = body(client.get(proposals_url(process)))
    ranked, planned_part = page.split('id="ranked-heading"')[1].split('id="in-het-plan"')
    assert top.measure.name not in ranked and top.measure.name in planned_part
    assert "Gepland" in planned_part and "staat in het actieplan, met" in page


def test_a_past_due_date_is_refused_in_dutch_and_the_input_is_kept(world: World) -> None:
    process = scored_process(world.a)
    top = _top(world, process)
    past = timezone.localdate() - dt.timedelta(days=1)
    response = world.client_for("coordinator").post(
        adopt_url(process, top.measure),
        _adopt_data(world, due_date=past.isoformat(), note="Mijn eigen toelichting"),
    )
    page = body(response)
    assert response.status_code == 200
    assert "Deze datum is al voorbij. Kies een datum vanaf vandaag." in page
    assert "Mijn eigen toelichting" in page and past.isoformat() in page
    with tenant_scope(world.a.organisation):
        assert not PlannedMeasure.objects.exists()


def test_an_owner_from_another_organisation_is_refused(world: World) -> None:
    process = scored_process(world.a)
    top = _top(world, process)
    outsider = world.b.members["proceseigenaar"]
    response = world.client_for("coordinator").post(
        adopt_url(process, top.measure),
        _adopt_data(world, owner=str(outsider.uuid)),
    )
    assert response.status_code == 200
    assert "kan geen eigenaar zijn van een maatregel in deze organisatie" in body(response)
    with tenant_scope(world.a.organisation):
        assert not PlannedMeasure.objects.exists()


def test_declining_needs_a_reason_and_the_declined_proposal_can_be_adopted_later(world: World) -> None:
    process = scored_process(world.a)
    top = _top(world, process)
    client = world.client_for("coordinator")
    url = decline_url(process, top.measure)
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "Schrijf op waarom deze maatregel niet wordt genomen." in body(response)
    assert client.post(url, {"reason": "Al afgedekt door het vier-ogenbeleid van de afdeling"}).status_code == 302
    assert events(world, "plan.measure.reject") == 1
    page = body(client.get(proposals_url(process)))
    declined = page.split('id="afgewezen"')[1]
    assert "Al afgedekt door het vier-ogenbeleid van de afdeling" in declined and "Toch overnemen" in declined
    assert top.measure.name not in page.split('id="in-het-plan"')[0].split('id="ranked-heading"')[1]
    # Reconsidered: a new line next to the rejected one.
    assert client.post(adopt_url(process, top.measure), _adopt_data(world)).status_code == 302
    with tenant_scope(world.a.organisation):
        statuses = sorted(PlannedMeasure.objects.filter(process=process).values_list("status", flat=True))
    assert statuses == [MeasureStatus.REJECTED, MeasureStatus.PLANNED]
    assert "staat weer in het plan" in body(client.get(proposals_url(process)))


def test_a_measure_already_in_the_plan_cannot_be_adopted_or_declined_twice(world: World) -> None:
    process = scored_process(world.a)
    planned = plan(world.a, process)
    client = world.client_for("coordinator")
    for url, data in (
        (adopt_url(process, planned.measure), _adopt_data(world)),
        (decline_url(process, planned.measure), {"reason": "Nee"}),
    ):
        page = body(client.get(url))
        assert "Deze maatregel staat al in het actieplan voor dit proces" in page
        assert "In het actieplan zetten" not in page and "Vastleggen dat we dit niet doen" not in page
        assert client.post(url, data).status_code == 200
    with tenant_scope(world.a.organisation):
        assert PlannedMeasure.objects.count() == 1


def test_an_unknown_measure_goes_back_to_the_list_with_an_explanation(world: World) -> None:
    process = scored_process(world.a)
    client = world.client_for("coordinator")
    base = adopt_url(process, measure()).split("?")[0]
    for query in ("", "?maatregel=geen-uuid", "?maatregel=00000000-0000-0000-0000-000000000000"):
        response = client.get(base + query, follow=True)
        assert "staat niet (meer) in de catalogus" in body(response)


def test_the_adopt_and_decline_forms_survive_hostile_input(world: World) -> None:
    process = scored_process(world.a)
    keys = process_measure_keys()
    client = world.client_for("coordinator")
    submit_naughty(
        client, adopt_url(process, measure(keys[0])), base_data=_adopt_data(world), fields=["note", "due_date", "owner"]
    )
    submit_naughty(client, decline_url(process, measure(keys[1])), base_data={"reason": "Te duur"}, fields=["reason"])


def test_the_proposals_page_costs_the_same_for_2_and_20_lines_in_the_plan(world: World) -> None:
    process = scored_process(world.a)
    keys = process_measure_keys()
    assert len(keys) >= 21
    implement(world.a, plan(world.a, process, keys[0]))
    plan(world.a, process, keys[1], status=MeasureStatus.REJECTED, rejection_reason="Niet nodig")
    client = world.client_for("secretaris")
    small, small_html = queries(client, proposals_url(process))
    for number, key in enumerate(keys[2:20]):
        if number % 2:
            plan(world.a, process, key, status=MeasureStatus.REJECTED, rejection_reason=f"Reden {number}")
        else:
            plan(world.a, process, key, owner_role=("proceseigenaar", "secretaris", "medewerker")[number % 3])
    large, large_html = queries(client, proposals_url(process))
    assert "2 maatregelen voor dit proces" not in small_html and "1 maatregel voor dit proces" in small_html
    assert "10 maatregelen voor dit proces" in large_html and "10 afgewezen voorstellen" in large_html
    assert small == large

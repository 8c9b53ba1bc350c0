"""The risk acceptance page: what the secretaris sees, accepting and withdrawing through the forms, errors
that keep the input, hostile input, the query budget, and the status block for the process result page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events, middleware_queries
from weerbaar.plan.models import RiskAcceptance, add_months
from weerbaar.plan.selectors.acceptance import acceptance_status
from weerbaar.plan.services.acceptance import state_token
from weerbaar.plan.tests.support import scored_process
from weerbaar.plan.tests.test_acceptance import REASON, accept
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

SAMPLE = [
    "",
    "<script>alert('weerbaar')</script>",
    "'; DROP TABLE core_user; --",
    "99999999999999999999999999",
    "\u0000nul",
    "-1",
]


def _url(process: Process) -> str:
    return reverse("plan:acceptance", kwargs={"process_uuid": process.uuid})


def _form_data(process: Process, world: World, **extra: Any) -> dict[str, Any]:
    with tenant_scope(world.a.organisation):
        seen = state_token(process)
    expires = add_months(timezone.localdate(), 12)
    return {"reason": REASON, "expires_on": expires.isoformat(), "seen": seen, **extra}


def test_the_secretaris_sees_the_residual_risk_and_a_form_with_a_year_ahead(world: World) -> None:
    process = scored_process(world.a)
    response = world.client_for("secretaris").get(_url(process))
    assert response.status_code == 200
    html = body(response)
    assert "Restrisico vandaag" in html and "Inherent risico" in html
    assert f'value="{add_months(timezone.localdate(), 12).isoformat()}"' in html
    assert "nog nooit geaccepteerd" in html


def test_a_process_without_a_result_explains_instead_of_offering_the_form(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Nog niet gescand")
    response = world.client_for("secretaris").get(_url(process))
    assert response.status_code == 200
    html = body(response)
    assert "nog geen uitkomst van een afgesloten scan" in html
    assert 'name="reason"' not in html
    # A forged POST is refused with the same explanation, nothing stored.
    response = world.client_for("secretaris").post(_url(process), _form_data(process, world))
    assert response.status_code == 200 and "nog geen uitkomst" in body(response)
    with tenant_scope(world.a.organisation):
        assert not RiskAcceptance.objects.exists()


def test_accepting_through_the_form_redirects_and_shows_the_acceptance(world: World) -> None:
    process = scored_process(world.a)
    client = world.client_for("secretaris")
    response = client.post(_url(process), _form_data(process, world))
    assert response.status_code == 302 and response["Location"] == _url(process)
    html = body(client.get(_url(process)))
    assert "Acceptatie die nu geldt" in html and REASON in html and "Opnieuw accepteren" in html
    assert len(events(world.a.organisation, "plan.acceptance.create")) == 1


def test_bad_input_gives_dutch_errors_and_keeps_what_was_typed(world: World) -> None:
    process = scored_process(world.a)
    client = world.client_for("secretaris")
    typed = "Te kort maar bewaard"
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(_url(process), _form_data(process, world, reason=typed, expires_on=past))
    html = body(response)
    assert response.status_code == 200
    assert "Controleer de gemarkeerde velden" in html and typed in html
    assert "ten minste 20 letters of cijfers" in html
    response = client.post(_url(process), _form_data(process, world, expires_on=past))
    assert "Kies een datum na vandaag" in body(response) and REASON in body(response)
    response = client.post(_url(process), _form_data(process, world, expires_on="31-02-2027"))
    assert "Vul een geldige datum in" in body(response)
    with tenant_scope(world.a.organisation):
        assert not RiskAcceptance.objects.exists()


def test_a_stale_page_shows_a_conflict_keeps_the_input_and_the_next_save_is_deliberate(world: World) -> None:
    process = scored_process(world.a)
    client = world.client_for("secretaris")
    data = _form_data(process, world, reason=REASON + " Eigen toevoeging.")
    accept(world.a, process)
    response = client.post(_url(process), data)
    html = body(response)
    assert response.status_code == 200 and "intussen gewijzigd" in html and "Eigen toevoeging." in html
    with tenant_scope(world.a.organisation):
        token = state_token(process)
    assert f'value="{token}"' in html
    assert client.post(_url(process), {**data, "seen": token}).status_code == 302


def test_withdrawing_through_the_form(world: World) -> None:
    process = scored_process(world.a)
    acceptance = accept(world.a, process)
    client = world.client_for("secretaris")
    url = reverse("plan:acceptance_withdraw", kwargs={"acceptance_uuid": acceptance.uuid})
    assert f'action="{url}"' in body(client.get(_url(process)))
    response = client.post(url, {"version": "1", "withdrawn_reason": "kort"})
    assert response.status_code == 200 and "ten minste 10 letters" in body(response) and "kort" in body(response)
    response = client.post(url, {"version": "1", "withdrawn_reason": "De nieuwe scan laat meer risico zien"})
    assert response.status_code == 302
    assert "ingetrokken" in body(client.get(_url(process)))
    response = client.post(url, {"version": "1", "withdrawn_reason": "De nieuwe scan laat meer risico zien"})
    assert response.status_code == 200 and "intussen gewijzigd" in body(response)
    assert len(events(world.a.organisation, "plan.acceptance.withdraw")) == 1


def test_other_roles_get_403_and_another_organisations_process_404(world: World) -> None:
    process = scored_process(world.a)
    assert world.client_for("coordinator").get(_url(process)).status_code == 403
    foreign = scored_process(world.b)
    assert world.client_for("secretaris").get(_url(foreign)).status_code == 404


def test_the_forms_survive_hostile_input(world: World) -> None:
    process = scored_process(world.a)
    client = world.client_for("secretaris")
    submit_naughty(client, _url(process), base_data=_form_data(process, world), fields=["reason"])
    submit_naughty(
        client, _url(process), base_data=_form_data(process, world), fields=["expires_on", "seen"], strings=SAMPLE
    )
    with tenant_scope(world.a.organisation):
        acceptance = RiskAcceptance.objects.order_by("-pk").first() or accept(world.a, process)
        version = RiskAcceptance.objects.get(pk=acceptance.pk).version
    url = reverse("plan:acceptance_withdraw", kwargs={"acceptance_uuid": acceptance.uuid})
    base = {"version": str(version), "withdrawn_reason": "Dit proces is opnieuw ingericht"}
    submit_naughty(client, url, base_data=base, fields=["version"], strings=SAMPLE)
    submit_naughty(client, url, base_data=base, fields=["withdrawn_reason"])


def _page_queries(client: Client, url: str) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _acceptances(world: World, process: Process, count: int) -> None:
    today = timezone.localdate()
    members = [world.a.members["secretaris"], None]
    with tenant_scope(world.a.organisation):
        for number in range(count):
            RiskAcceptance.objects.create(
                organisation=world.a.organisation,
                process=process,
                reason=f"Acceptatie nummer {number} met een goede reden",
                accepted_on=today - dt.timedelta(days=400 - number),
                expires_on=today - dt.timedelta(days=30 - number) if number % 3 else today + dt.timedelta(days=number),
                vulnerability=40.0 + number,
                accepted_by=members[number % 2],
                withdrawn_at=timezone.now() if number % 4 == 0 else None,
                withdrawn_reason="Ingetrokken om een goede reden" if number % 4 == 0 else "",
            )


def test_the_page_costs_the_same_for_2_and_30_acceptances(world: World) -> None:
    small, large = scored_process(world.a, "Subsidies"), scored_process(world.a, "Vergunningen")
    _acceptances(world, small, 2)
    _acceptances(world, large, 30)
    client = world.client_for("secretaris")
    assert _page_queries(client, _url(small)) == _page_queries(client, _url(large))


def test_the_status_block_for_the_result_page(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        none = render_to_string(
            "plan/_acceptance_status.html", {"status": acceptance_status(world.a.members["secretaris"], process, today)}
        )
    assert "niet formeel geaccepteerd" in none and "Restrisico accepteren" in none
    accept(world.a, process, expires_on=today + dt.timedelta(days=30))
    with tenant_scope(world.a.organisation):
        owner_view = render_to_string(
            "plan/_acceptance_status.html",
            {"status": acceptance_status(world.a.members["proceseigenaar"], process, today)},
        )
        later = render_to_string(
            "plan/_acceptance_status.html",
            {"status": acceptance_status(world.a.members["coordinator"], process, today + dt.timedelta(days=31))},
        )
    assert "geaccepteerd" in owner_view and world.a.user("secretaris").full_name in owner_view
    assert (today + dt.timedelta(days=30)).strftime("%Y") in owner_view
    assert _url(process) not in owner_view  # only the secretaris gets the link
    assert "verlopen" in later and "opnieuw worden bekeken" in later

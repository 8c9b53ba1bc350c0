"""Residual risk on the process result page and the register's process page, need-to-know, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from weerbaar import scoring
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.plan.selectors.residual import residual_for
from weerbaar.plan.tests.page_support import line_url, process_measure_keys, proposals_url, queries, text
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, measure, plan, scored_process
from weerbaar.register.models import Process
from weerbaar.scans.selectors.results import whole
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

RESULTS = reverse("scans:results")
#: The result page with the residual, middleware included: the page itself (7 queries, see
#: scans/tests/test_results_queries.py) and the residual's fixed cost (scoring context, latest
#: result, plan lines of the process and organisation-wide ones with their effects and units).
TOTAL_BUDGET = 20


def _result_page(process: Process) -> str:
    return reverse("scans:process_result", kwargs={"process_uuid": process.uuid})


def _register_page(process: Process) -> str:
    return reverse("register:process_detail", kwargs={"process_uuid": process.uuid})


def _residual_block(html: str) -> str:
    assert 'id="residual-heading"' in html
    return html.split('id="residual-heading"', 1)[1].split("</section>", 1)[0]


def test_the_result_page_shows_inherent_at_close_and_residual_now_with_the_measures_that_count(world: World) -> None:
    process = scored_process(world.a)
    planned = implement(world.a, plan(world.a, process))
    with tenant_scope(world.a.organisation):
        residual = residual_for(world.a.organisation, process, timezone.localdate())
    assert residual is not None and whole(residual.now) < whole(residual.inherent)
    block = _residual_block(body(world.client_for("coordinator").get(_result_page(process))))
    words = text(block)
    assert f"Inherent risico kwetsbaarheid {whole(residual.inherent)} zonder maatregelen" in words
    assert f"Bij het afsluiten van de scan kwetsbaarheid {whole(residual.at_close)}" in words
    assert f"Restrisico nu {whole(residual.now)} van 100" in words
    assert f'<a href="{line_url(planned)}">{planned.measure.name}</a>' in block
    assert "dit proces levend" in words and "Niet meer levend" not in words
    assert proposals_url(process) in block


def test_a_measure_whose_review_is_overdue_is_listed_as_no_longer_alive(world: World) -> None:
    process = scored_process(world.a)
    keys = process_measure_keys()
    first = plan(world.a, process, keys[0], owner_role="secretaris")
    late = round(scoring.DEFAULT_PARAMETERS.days_per_month * first.review_cadence_months * 1.5)
    fading = implement(world.a, first, on=timezone.localdate() - dt.timedelta(days=late))
    alive = implement(world.a, plan(world.a, process, keys[1]))
    block = _residual_block(body(world.client_for("coordinator").get(_result_page(process))))
    lapsed_part = block.split('id="not-alive-heading"', 1)[1].split("</div>", 1)[0]
    assert fading.measure.name in lapsed_part and alive.measure.name not in lapsed_part
    assert "herziening viel" in lapsed_part and "geleden" in lapsed_part and "verwatert: nog 75% effect" in lapsed_part
    assert line_url(fading) in lapsed_part
    # The process owner sees the scores, but a plan line only links for who may open it.
    own = _residual_block(body(world.client_for("proceseigenaar").get(_result_page(process))))
    assert fading.measure.name in own and line_url(fading) not in own and line_url(alive) in own
    assert proposals_url(process) not in own


def test_an_organisation_wide_measure_that_reaches_the_process_counts_on_its_page(world: World) -> None:
    process = scored_process(world.a)
    wide = implement(world.a, plan(world.a, None, ORGANISATION_MEASURE, reaches_all_units=True))
    words = text(_residual_block(body(world.client_for("secretaris").get(_result_page(process)))))
    assert f"{wide.measure.name} hele organisatie levend" in words


def test_the_register_page_shows_the_residual_only_to_who_may_see_results(world: World) -> None:
    process = scored_process(world.a)
    implement(world.a, plan(world.a, process))
    assert "Restrisico nu" in body(world.client_for("coordinator").get(_register_page(process)))
    assert "Restrisico nu" in body(world.client_for("proceseigenaar").get(_register_page(process)))
    for role in ("lezer", "vertrouwenspersoon"):
        page = body(world.client_for(role).get(_register_page(process)))
        assert "Restrisico nu" not in page and "Inherent risico" not in page, role
    with tenant_scope(world.a.organisation):
        other = Process.objects.get(pk=process.pk)
        other.owner = world.a.members["secretaris"]
        other.save()
    assert "Restrisico nu" not in body(world.client_for("proceseigenaar").get(_register_page(process)))


def test_the_priority_list_links_to_the_proposals_only_for_who_may_see_the_plan(world: World) -> None:
    process = scored_process(world.a)
    assert f'href="{proposals_url(process)}"' in body(world.client_for("coordinator").get(RESULTS))
    assert f'href="{proposals_url(process)}"' in body(world.client_for("secretaris").get(RESULTS))
    page = body(world.client_for("proceseigenaar").get(RESULTS))
    assert process.name in page and proposals_url(process) not in page


def test_the_result_page_costs_the_same_for_2_and_20_measures(world: World) -> None:
    process = scored_process(world.a)
    keys = process_measure_keys()
    today = timezone.localdate()
    implement(world.a, plan(world.a, process, keys[0]))
    implement(world.a, plan(world.a, None, ORGANISATION_MEASURE, reaches_all_units=True))
    clients = {role: world.client_for(role) for role in ("coordinator", "proceseigenaar")}
    small = {role: queries(client, _result_page(process)) for role, client in clients.items()}
    for number, key in enumerate(keys[1:19]):
        cadence = measure(key).review_cadence_months
        # Some alive, some fading, some lapsed.
        age = (0, cadence * 45, cadence * 100)[number % 3]
        implement(
            world.a,
            plan(world.a, process, key, owner_role=("proceseigenaar", "secretaris")[number % 2]),
            on=today - dt.timedelta(days=min(age, 1800)),
        )
    large = {role: queries(client, _result_page(process)) for role, client in clients.items()}
    for role in clients:
        assert "2 geïmplementeerde maatregelen tellen mee" in small[role][1]
        assert "20 geïmplementeerde maatregelen tellen mee" in large[role][1] and "Niet meer levend" in large[role][1]
        assert small[role][0] == large[role][0], role
        assert large[role][0] <= TOTAL_BUDGET, (role, large[role][0])

"""One process's result: the explanation in Dutch that adds up, the raters' spread, the history."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from weerbaar.catalogue.models import Circumstance
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.models import Process
from weerbaar.register.services import context_update
from weerbaar.register.tests.support import make_process
from weerbaar.scans.explain import explain
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.selectors.process_result import characteristics_by_key, circumstance_names
from weerbaar.scans.selectors.results import whole
from weerbaar.scans.tests.results_support import scan_with_results
from weerbaar.scans.tests.support import LEVELS
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _url(process: Process, scan: Scan | None = None) -> str:
    url = reverse("scans:process_result", kwargs={"process_uuid": process.uuid})
    return f"{url}?scan={scan.uuid}" if scan else url


def _explained_process(world: World) -> tuple[Process, ScanProcess]:
    """A process with an internal circumstance ticked and an external one in the context profile."""
    discretion = Circumstance.national_objects.get(key="grote-discretionaire-ruimte")
    with tenant_scope(world.a.organisation):
        context_update(
            actor=None,
            organisation=world.a.organisation,
            circumstance=Circumstance.national_objects.get(key="sector-horeca"),
            applies=True,
            severity="hoog",
        )
        process = make_process(world.a, name="Exploitatievergunning horeca")
        scan = scan_with_results(
            world.a,
            [process],
            circumstances={process.pk: [str(discretion.uuid)]},
            rater_scores={(process.pk, "coordinator"): dict(LEVELS, **{"belang-derden": 2})},
        )
        result = ScanProcess.objects.get(scan=scan, process=process)
    return process, result


def test_the_explanation_names_every_contribution_in_dutch_and_the_whole_points_add_up(world: World) -> None:
    process, result = _explained_process(world)
    kinds = {each["kind"] for each in result.explanation["contributions"]}
    assert {"characteristic", "interaction", "circumstance", "context"} <= kinds
    with tenant_scope(world.a.organisation):
        explained = explain(
            result,
            characteristics=characteristics_by_key(),
            circumstances=circumstance_names(each["key"] for each in result.explanation["contributions"]),
        )
    assert result.vulnerability is not None
    assert explained.total == explained.sum_of_parts == whole(result.vulnerability)
    assert [part.points for part in explained.parts] == sorted((part.points for part in explained.parts), reverse=True)
    texts = {part.kind: part for part in explained.parts if part.kind != "characteristic"}
    assert texts["interaction"].text.startswith(
        f"Solistisch werken versterkt de andere kenmerken: +{texts['interaction'].points} punten."
    )
    assert "‘Grote discretionaire ruimte’ verhoogt de score met" in texts["circumstance"].text
    assert "‘Horeca’ uit het omgevingsprofiel verhoogt de score met" in texts["context"].text
    first = next(part for part in explained.parts if part.key == "belang-derden" and part.kind == "characteristic")
    assert first.text == (
        f"K1 Groot direct belang van derden bij een beslissing (score 3) draagt {first.points} punten bij."
    )

    page = body(world.client_for("coordinator").get(_url(process)))
    points = [int(n) for n in re.findall(r'<tr class="explanation__\w+"><td class="num">\+?(-?\d+)</td>', page)]
    assert sum(points) == explained.total and len(points) == len(explained.parts)
    assert f'<strong class="results__score">{explained.total}</strong>' in page
    assert f"rekenmodel versie {result.model_version}" in page
    assert "Het zwaarste gevolg als dit proces misbruikt wordt" in page and "Een score van" in page


def test_the_owner_sees_only_whether_raters_differed_and_the_coordinator_sees_each_rater(world: World) -> None:
    process, _result = _explained_process(world)
    coordinator_name = world.a.user("coordinator").full_name
    owner = body(world.client_for("proceseigenaar").get(_url(process)))
    # The owner rated too: a range would give away the colleague's score.
    assert "2 – 3" not in owner and "Laagste" not in owner and "Verschil van 2 of meer tussen beoordelaars" in owner
    assert coordinator_name not in owner
    assert "Wie welke score gaf en hoe ver de scores uiteenliepen, blijft vertrouwelijk" in owner
    coordinator = body(world.client_for("coordinator").get(_url(process)))
    assert coordinator_name in coordinator and world.a.user("proceseigenaar").full_name in coordinator
    assert "2 – 3" in coordinator


def test_history_compares_scans_and_a_process_without_results_says_so(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidies")
        bare = make_process(world.a, name="Nog niet gescand")
        first = scan_with_results(world.a, [process], name="Scan 2025", single_rater=True)
        scan_with_results(world.a, [process], name="Scan 2026", scores={process.pk: dict(LEVELS, geldstromen=4)})
        older, newer = (
            ScanProcess.objects.get(scan__name=name, process=process) for name in ("Scan 2025", "Scan 2026")
        )
    client = world.client_for("proceseigenaar")
    page = body(client.get(_url(process)))
    assert "Uitkomst in Scan 2026" in page and "2 scans met een uitkomst" in page
    assert f"↑ {whole(newer.vulnerability) - whole(older.vulnerability)} hoger" in page and "eerste uitkomst" in page
    earlier = body(client.get(_url(process, first)))
    assert "Uitkomst in Scan 2025" in earlier and "één beoordelaar" in earlier
    empty = client.get(_url(bare))
    assert empty.status_code == 200 and "nog geen uitkomst" in body(empty)

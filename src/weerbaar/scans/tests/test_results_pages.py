"""The results page: need-to-know, the heat map and its table, the priority list and its comparison."""

from __future__ import annotations

import re

import pytest
from django.db.models import F
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.selectors.results import whole
from weerbaar.scans.tests.results_support import bulk_results, scan_with_results
from weerbaar.scans.tests.support import LEVELS
from weerbaar.scans.views import results as results_views
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

RESULTS = reverse("scans:results")
EXPORT = reverse("scans:results_export")
HIGH = dict(LEVELS, **{"belang-derden": 4, "geldstromen": 4, "solistisch-werken": 4})
LOW = dict(LEVELS, **{"belang-derden": 1, "klantcontact": 0})


def _process_page(process: Process) -> str:
    return reverse("scans:process_result", kwargs={"process_uuid": process.uuid})


def _mixed_ownership(world: World) -> tuple[Process, Process, Scan]:
    """One process owned by the proceseigenaar, one by the secretaris; a closed scan of both."""
    with tenant_scope(world.a.organisation):
        own = make_process(world.a, name="Evenementenvergunning")
        other = make_process(world.a, name="Bijzondere bijstand", owner=world.a.members["secretaris"])
        scan = scan_with_results(world.a, [own, other], scores={other.pk: HIGH})
    return own, other, scan


def test_without_a_closed_scan_the_page_explains_there_is_nothing_yet(world: World) -> None:
    page = body(world.client_for("coordinator").get(RESULTS))
    assert "Er is nog geen afgesloten scan" in page
    response = world.client_for("coordinator").get(EXPORT)
    assert response.status_code == 302


def test_need_to_know_the_proceseigenaar_sees_only_own_processes_everywhere(world: World) -> None:
    own, other, _scan = _mixed_ownership(world)
    with tenant_scope(world.b.organisation):
        scan_with_results(world.b, [make_process(world.b, name=f"Proces {CANARY}")])

    for role in ("coordinator", "secretaris"):
        page = body(world.client_for(role).get(RESULTS))
        assert own.name in page and other.name in page, role
        assert "2 processen in de heatmap." in page
        assert CANARY not in page

    client = world.client_for("proceseigenaar")
    page = body(client.get(RESULTS))
    assert own.name in page and other.name not in page
    assert "1 proces in de heatmap." in page
    assert "alleen de uitkomsten van de processen waarvan u proceseigenaar bent" in page
    assert client.get(_process_page(own)).status_code == 200
    assert client.get(_process_page(other)).status_code == 404
    assert client.get(RESULTS, {"eigenaar": str(world.a.members["secretaris"].uuid)}).status_code == 200

    for role in ("medewerker", "lezer", "vertrouwenspersoon", "beheerder"):
        refused = world.client_for(role)
        assert refused.get(RESULTS).status_code == 403, role
        assert refused.get(EXPORT).status_code == 403, role
        assert refused.get(_process_page(own)).status_code == 403, role


def _svg_counts(page: str) -> list[int]:
    svg = page[page.index("<svg") : page.index("</svg>")]
    return [int(n) for n in re.findall(r'class="heatmap__count">(\d+)</text>', svg)]


def _table_counts(page: str) -> list[int]:
    table = page[page.index('class="heatmap__table"') : page.index("</table>", page.index('class="heatmap__table"'))]
    cells = re.findall(r'<td class="num">(?:<a [^>]*>)?(\d+)', table)
    return [int(n) for n in cells]


def test_the_heat_map_is_an_accessible_svg_and_its_table_has_the_same_counts(world: World) -> None:
    with tenant_scope(world.a.organisation):
        processes = [make_process(world.a, name=f"Proces {n}") for n in range(3)]
        scan_with_results(world.a, processes, scores={processes[0].pk: HIGH, processes[1].pk: LOW})
        cells = list(ScanProcess.objects.values_list("likelihood", "impact"))
    page = body(world.client_for("coordinator").get(RESULTS))
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="heatmap-title heatmap-desc"' in svg
    assert '<title id="heatmap-title">' in svg and '<desc id="heatmap-desc">3 processen in de heatmap.' in svg
    assert "style=" not in svg  # CSP: classes and presentation attributes only
    assert "Heatmap als tabel" in page and '<th scope="row">Kans 5</th>' in page
    svg_counts, table_counts = _svg_counts(page), _table_counts(page)
    assert len(svg_counts) == len(table_counts) == 25
    # The SVG and the table both run from kans 5 (top) to 1 and impact 1 to 5: the same order.
    assert svg_counts == table_counts and sum(svg_counts) == 3
    for likelihood, impact in set(cells):
        index = (5 - likelihood) * 5 + (impact - 1)
        assert table_counts[index] == cells.count((likelihood, impact))
        assert f"kans={likelihood}&amp;impact={impact}" in page
    # Every cell names its class in words, not only by colour.
    assert svg.count('class="heatmap__label"') == 25 and "zeer hoog" in svg


def test_the_priority_list_compares_with_the_previous_closed_scan(world: World) -> None:
    with tenant_scope(world.a.organisation):
        up, down, same, new = (make_process(world.a, name=name) for name in ("Omhoog", "Omlaag", "Gelijk", "Nieuw"))
        scan_with_results(world.a, [up, down, same], name="Scan 2025")
        second = scan_with_results(world.a, [up, down, same, new], name="Scan 2026", scores={up.pk: HIGH, down.pk: LOW})
        values = {sp.process_id: sp.vulnerability for sp in ScanProcess.objects.filter(scan__name__in=["Scan 2025"])}
        current = {sp.process_id: sp.vulnerability for sp in ScanProcess.objects.filter(scan=second)}
    page = body(world.client_for("coordinator").get(RESULTS))
    rises = whole(current[up.pk]) - whole(values[up.pk])
    falls = whole(values[down.pk]) - whole(current[down.pk])
    assert rises > 0 and falls > 0
    rows = {
        name: page[page.index(f">{name}</a>") :].split("</tr>")[0] for name in ("Omhoog", "Omlaag", "Gelijk", "Nieuw")
    }
    assert f"↑ {rises} hoger" in rows["Omhoog"] and "Scan 2025" in rows["Omhoog"]
    assert f"↓ {falls} lager" in rows["Omlaag"]
    assert "gelijk" in rows["Gelijk"]
    assert "nieuw" in rows["Nieuw"]
    assert page.index(">Omhoog</a>") < page.index(">Gelijk</a>") < page.index(">Omlaag</a>")  # by risk
    # The older scan can be chosen; it has nothing earlier to compare with.
    with tenant_scope(world.a.organisation):
        first = Scan.objects.get(name="Scan 2025")
    older = body(world.client_for("coordinator").get(RESULTS, {"scan": str(first.uuid)}))
    assert ">Nieuw</a>" not in older and older.count('<span class="nowrap">nieuw</span></td>') == 3


def test_filters_narrow_the_list_and_the_heat_map_and_htmx_gets_the_fragment(world: World) -> None:
    with tenant_scope(world.a.organisation):
        high = make_process(world.a, name="Hoog proces", unit=world.a.units[0], owner=world.a.members["secretaris"])
        low = make_process(world.a, name="Laag proces")
        scan_with_results(world.a, [high, low], scores={high.pk: HIGH, low.pk: LOW})
        cell = ScanProcess.objects.get(process=high)
    client = world.client_for("coordinator")
    page = body(client.get(RESULTS, {"afdeling": str(world.a.units[0].uuid)}))
    assert "Hoog proces" in page and "Laag proces" not in page and "1 proces in de heatmap." in page
    page = body(client.get(RESULTS, {"eigenaar": str(world.a.members["proceseigenaar"].uuid)}))
    assert "Laag proces" in page and "Hoog proces" not in page
    page = body(client.get(RESULTS, {"categorie": str(high.category.key)}))
    assert "Hoog proces" in page and "Laag proces" in page
    page = body(client.get(RESULTS, {"kans": cell.likelihood, "impact": cell.impact}))
    assert "Hoog proces" in page and "Laag proces" not in page
    assert "2 processen in de heatmap." in page  # the cell filter narrows the list, not the map
    assert "heatmap__cell--selected" in page and "Alle vakken tonen" in page
    fragment = client.get(RESULTS, {"kans": cell.likelihood}, headers={"HX-Request": "true"})
    assert "<html" not in body(fragment) and 'id="results-body"' in body(fragment)
    hostile = [each for each in NAUGHTY_STRINGS if each.startswith(("<", '"', "=", "\u0000", "9"))]
    submit_naughty(client, RESULTS, base_data={}, fields=["scan", "kans"], method="get", strings=hostile)


def test_a_scan_in_review_is_provisional_and_only_for_those_who_see_everything(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Voorlopig proces")
        review = scan_with_results(world.a, [process], close=False)
    coordinator = body(world.client_for("coordinator").get(RESULTS))
    assert "Er is nog geen afgesloten scan" in coordinator and f"?scan={review.uuid}" in coordinator
    chosen = body(world.client_for("coordinator").get(RESULTS, {"scan": str(review.uuid)}))
    assert "voorlopig (consensusfase)" in chosen and "Voorlopig proces" in chosen
    owner = world.client_for("proceseigenaar")
    page = body(owner.get(RESULTS, {"scan": str(review.uuid)}))
    assert "Voorlopig proces" not in page
    result_page = body(owner.get(_process_page(process)))
    assert "nog geen uitkomst" in result_page
    assert "voorlopig" in body(world.client_for("secretaris").get(_process_page(process)))


def test_the_register_process_page_shows_the_result_card_only_to_who_may_see_it(world: World) -> None:
    own, other, _scan = _mixed_ownership(world)

    def detail(role: str, process: Process) -> str:
        url = reverse("register:process_detail", kwargs={"process_uuid": process.uuid})
        return body(world.client_for(role).get(url))

    assert "Uitkomst van de laatste scan" in detail("proceseigenaar", own)
    assert _process_page(own) in detail("proceseigenaar", own)
    assert "Uitkomst van de laatste scan" not in detail("proceseigenaar", other)
    assert "Uitkomst van de laatste scan" in detail("coordinator", other)
    assert "Uitkomst van de laatste scan" not in detail("lezer", own)


def test_the_priority_list_pages_in_priority_order_and_counts_like_the_heat_map(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results_views, "PAGE_SIZE", 4)
    with tenant_scope(world.a.organisation):
        first = make_process(world.a, name="Eerste proces")
        previous = scan_with_results(world.a, [first], name="Scan 2025")
        current = scan_with_results(world.a, [first], name="Scan 2026")
        bulk_results(world.a, [current, previous], 1, 10)
        expected = list(
            ScanProcess.objects.filter(scan=current)
            .annotate(risk=F("likelihood") * F("impact"))
            .order_by("-risk", "-vulnerability", "process__code", "pk")
            .values_list("process__name", "process__uuid")
        )
        cell = ScanProcess.objects.filter(scan=current, process__name="Bulkproces 001").get()
        in_cell = ScanProcess.objects.filter(scan=current, likelihood=cell.likelihood, impact=cell.impact).count()
    client = world.client_for("coordinator")
    row = re.compile(r'<td class="num">(\d+)</td>\s*<th scope="row"><a href="([^"]+)">([^<]+)</a>')
    seen = []
    for number in (1, 2, 3):
        page = body(client.get(RESULTS, {"pagina": number}))
        assert '<caption id="priority-caption">10 processen</caption>' in page
        assert f"Pagina {number} van 3" in page
        seen.extend(row.findall(page))
    assert [int(rank) for rank, _url, _name in seen] == list(range(1, 11))
    assert [name for _rank, _url, name in seen] == [name for name, _uuid in expected]
    assert [url for _rank, url, _name in seen] == [
        f"{_process_page_of(uuid)}?scan={current.uuid}" for _name, uuid in expected
    ]
    # Past the last page: the last page, as before.
    assert row.findall(body(client.get(RESULTS, {"pagina": 99})))[-1][0] == "10"
    # A chosen cell: the list's count is that cell's count in the heat map.
    page = body(client.get(RESULTS, {"kans": cell.likelihood, "impact": cell.impact}))
    label = "1 proces" if in_cell == 1 else f"{in_cell} processen"
    assert f'<caption id="priority-caption">{label}</caption>' in page
    assert len(row.findall(page)) == min(in_cell, 4)


def _process_page_of(uuid: object) -> str:
    return reverse("scans:process_result", kwargs={"process_uuid": uuid})

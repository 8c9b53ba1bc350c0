from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.agreement import agreement
from weerbaar.scans.models import IMPACT_KEYS, Scan, ScanProcess
from weerbaar.scans.selectors import review as review_selectors
from weerbaar.scans.tests.support import (
    IMPACT,
    LEVELS,
    circumstance_uuids,
    make_scan,
    rate,
    ratings_of,
    reload,
    scan_processes,
)
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

#: K1 one rater says 3 (LEVELS), the other 1: a difference of 2, flagged.
DISPUTED = dict(LEVELS, **{"belang-derden": 1})


@pytest.fixture
def client(world: World) -> Client:
    return world.client_for("coordinator")


def scan_in_review(
    tenant: Tenant,
    plans: Sequence[Sequence[dict[str, Any] | None]],
    *,
    extra_roles: tuple[str, ...] = ("coordinator",),
    start_review: bool = True,
    name: str = "Scan 2026",
) -> Scan:
    """A scan with one process per plan; each plan gives each rater's ``rate`` keywords, or ``None``
    for a rating that is not handed in. The raters are the process owner plus ``extra_roles``."""
    with tenant_scope(tenant.organisation):
        prefix = "Proces" if name == "Scan 2026" else name
        processes = [make_process(tenant, name=f"{prefix} {number:02d}") for number in range(len(plans))]
        scan = make_scan(tenant, processes=processes, extra_roles=extra_roles, name=name)
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        by_process = {sp.process_id: sp for sp in scan_processes(scan)}
        for process, plan in zip(processes, plans, strict=True):
            for rating, how in zip(ratings_of(by_process[process.pk]), plan, strict=False):
                if how is not None:
                    rate(rating, **how)
        if start_review:
            scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
        return reload(scan)


def in_order(scan: Scan) -> list[ScanProcess]:
    return sorted(scan_processes(scan), key=lambda sp: reload(sp.process).code)


def review_url(scan: Scan) -> str:
    return reverse("scans:review", kwargs={"scan_uuid": scan.uuid})


def consensus_url(scan_process: ScanProcess, name: str = "consensus") -> str:
    return reverse(f"scans:{name}", kwargs={"scan_process_uuid": scan_process.uuid})


def consensus_data(scan_process: ScanProcess, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"score-{key}": str(level) for key, level in LEVELS.items()}
    data.update({f"impact-{key}": str(level) for key, level in IMPACT.items()})
    data.update({"note": "", "version": str(reload(scan_process).version)})
    data.update(overrides)
    return data


def checked(html: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" value="(\d)"[^>]*checked', html)
    return found.group(1) if found else None


def close(tenant: Tenant, scan: Scan) -> Scan:
    with tenant_scope(tenant.organisation):
        for scan_process in scan_processes(scan):
            if not scan_process.is_settled:
                services.consensus_set(
                    actor=None,
                    by=None,
                    scan_process=scan_process,
                    version=scan_process.version,
                    scores=LEVELS,
                    impact=IMPACT,
                    circumstances=[],
                    note="Besproken in het overleg.",
                    allowed_circumstances=circumstance_uuids(),
                )
        return services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)


# --- the overview -------------------------------------------------------------------------------


def test_the_overview_flags_differences_unsure_raters_and_a_single_rater(world: World, client: Client) -> None:
    scan = scan_in_review(
        world.a,
        [
            [{}, {}],  # agreed
            [{}, {"scores": DISPUTED}],  # K1 3 vs 1
            [{}, None],  # one rater handed in
            [{}, {"certainty": "onzeker"}],
        ],
    )
    with tenant_scope(world.b.organisation):
        make_process(world.b, name=f"Proces {CANARY}")
    page = body(client.get(review_url(scan)))
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "eens — kan in één keer worden overgenomen" in rows[0]
    assert "1 onderdeel verschilt 2 of meer" in rows[1] and "nog vast te stellen" in rows[1]
    assert "1 van 2" in rows[2] and "één beoordelaar" in rows[2]
    assert "1 onzeker" in rows[3] and "nog vast te stellen" in rows[3]
    assert CANARY not in page
    assert 'name="processen"' in page and "Overnemen waar de beoordelaars het eens zijn" in page

    attention = body(client.get(review_url(scan) + "?toon=aandacht"))
    # One hand-in where the scan asks for two raters is not an agreement to take over in bulk.
    assert "Proces 01" in attention and "Proces 02" in attention and "Proces 03" in attention
    assert "Proces 00" not in attention
    agreed = body(client.get(review_url(scan) + "?toon=eens", headers={"HX-Request": "true"}))
    assert "Proces 00" in agreed and "Proces 01" not in agreed and "<html" not in agreed
    assert client.get(review_url(scan) + "?toon=<script>").status_code == 200


def test_the_bulk_action_takes_over_only_where_raters_agree_and_says_how_many(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {}], [{}, {}], [{}, {"scores": DISPUTED}], [{}, {}]])
    agreed_a, agreed_b, disputed, agreed_c = in_order(scan)
    accept = reverse("scans:review_accept", kwargs={"scan_uuid": scan.uuid})

    response = client.post(
        accept, {"version": scan.version, "bereik": "selectie", "processen": [str(agreed_a.uuid)]}, follow=True
    )
    assert "Bij 1 proces is overgenomen" in body(response)
    assert reload(agreed_a).is_settled and not reload(agreed_b).is_settled

    stale = client.post(accept, {"version": scan.version, "bereik": "alle"}, follow=True)
    assert "Iemand anders heeft dit intussen gewijzigd" in body(stale)
    assert not reload(agreed_b).is_settled

    nothing_ticked = client.post(accept, {"version": reload(scan).version, "bereik": "selectie"}, follow=True)
    assert "Vink eerst de processen aan" in body(nothing_ticked)

    response = client.post(accept, {"version": reload(scan).version, "bereik": "alle"}, follow=True)
    assert "Bij 2 processen is overgenomen" in body(response)
    assert reload(agreed_b).is_settled and reload(agreed_c).is_settled and not reload(disputed).is_settled
    assert reload(agreed_b).consensus_scores == LEVELS

    again = client.post(accept, {"version": reload(scan).version, "bereik": "alle"}, follow=True)
    assert "Er is niets overgenomen" in body(again)


def test_the_bulk_action_returns_to_the_filter_and_page_it_came_from(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {}], [{}, {"scores": DISPUTED}]])
    accept = reverse("scans:review_accept", kwargs={"scan_uuid": scan.uuid})
    response = client.post(accept, {"version": scan.version, "bereik": "alle", "toon": "eens", "pagina": "2"})
    assert response["Location"] == review_url(scan) + "?toon=eens&pagina=2"
    # Junk is dropped, never echoed into the address.
    response = client.post(
        accept, {"version": reload(scan).version, "bereik": "alle", "toon": "<script>", "pagina": "-1"}
    )
    assert response["Location"] == review_url(scan)


def test_the_overview_judges_agreement_exactly_like_the_bulk_acceptance(world: World) -> None:
    unsure = {"certainty": "onzeker"}
    spread_one = {"scores": dict(LEVELS, **{"belang-derden": 2}), "impact": dict(IMPACT, money=1)}
    impact_apart = {"impact": dict(IMPACT, money=5)}
    plans: list[list[dict[str, Any] | None]] = [
        [{}, {}],
        [{}, {"scores": DISPUTED}],
        [{}, spread_one],
        [{}, impact_apart],
        [{}, unsure],
        [{}, None],
        [None, None],
        [{}, {"scores": DISPUTED}, impact_apart],
    ]
    scan = scan_in_review(world.a, plans, extra_roles=("coordinator", "secretaris"))
    with tenant_scope(world.a.organisation):
        keys = services.characteristic_keys()
        found = review_selectors._agreements(scan, keys)
        for scan_process in scan_processes(scan):
            submitted = services.submitted_ratings(scan_process)
            expected_flags = sum(
                agreement([rating.scores for rating in submitted], key).disagree for key in keys
            ) + sum(agreement([rating.impact for rating in submitted], key).disagree for key in IMPACT_KEYS)
            assigned, handed_in, flags, _unsure, agreed = found[scan_process.pk]
            assert (handed_in, flags) == (len(submitted), expected_flags)
            assert agreed == (services.proposal(submitted, keys, needed=scan.needed_raters) is not None)
            assert assigned == len(ratings_of(scan_process))
    # Only two raters agreeing count: one hand-in is not an agreement in a scan that asks for two.
    assert sorted(agreed for *_rest, agreed in found.values()) == [False] * 7 + [True]


def test_a_changed_rating_is_never_judged_from_an_earlier_overview(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    assert "eens — kan in één keer worden overgenomen" in body(client.get(review_url(scan)))
    with tenant_scope(world.a.organisation):
        scan = services.scan_reopen(actor=None, scan=scan, version=scan.version)
        late = ratings_of(scan_processes(scan)[0])[1]
        rate(late, scores=DISPUTED)
        scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
    page = body(client.get(review_url(scan)))
    assert "1 onderdeel verschilt 2 of meer" in page and "nog vast te stellen" in page


def test_before_review_the_pages_explain_and_show_no_scores(world: World, client: Client) -> None:
    secret = "Geheime onderbouwing van de eigenaar"
    scan = scan_in_review(world.a, [[{"note": secret}, {}]], start_review=False)
    scan_process = scan_processes(scan)[0]
    for url in (review_url(scan), consensus_url(scan_process), consensus_url(scan_process, "consensus_amend")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in body(response) and "Veel belang van derden" not in body(response)
    assert "De beoordelaars zijn nog bezig" in body(client.get(review_url(scan)))
    assert "Deze scan is nog niet afgesloten" in body(client.get(consensus_url(scan_process, "consensus_amend")))
    refused = client.post(consensus_url(scan_process), consensus_data(scan_process, note="x"), follow=True)
    assert "niet in de consensusfase" in body(refused)
    assert not reload(scan_process).is_settled
    with tenant_scope(world.a.organisation):
        draft = make_scan(world.a, processes=[make_process(world.a, name="Nog een concept")], name="Concept")
    assert "nog een concept" in body(client.get(review_url(draft)))


def test_only_the_coordinator_reviews(world: World) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    for role in ("secretaris", "proceseigenaar"):
        assert world.client_for(role).get(review_url(scan)).status_code == 403


# --- one process --------------------------------------------------------------------------------


def test_the_consensus_form_starts_from_the_proposal_and_names_every_rater(world: World, client: Client) -> None:
    impact_low = dict(IMPACT, money=1)
    scan = scan_in_review(
        world.a,
        [[{"scores": DISPUTED, "impact": impact_low}, {"note": "Veel aanvragers dringen aan"}, None]],
        extra_roles=("coordinator", "secretaris"),
    )
    scan_process = scan_processes(scan)[0]
    page = body(client.get(consensus_url(scan_process)))
    # Two raters, 1 and 3: the higher middle value. Impact "money" 1 and 3: 3.
    assert checked(page, "score-belang-derden") == "3"
    assert checked(page, "impact-money") == "3"
    assert checked(page, "score-klantcontact") == str(LEVELS["klantcontact"])
    assert "verschil van 2 of meer" in page and "Spreiding: 2" in page
    assert "Veel aanvragers dringen aan" in page and "Veel belang van derden" in page
    for role in ("proceseigenaar", "coordinator"):
        assert str(world.a.user(role)) in page
    # The third rater did not hand in: listed, without values.
    assert "niet ingeleverd" in page and "2 van 3 beoordelaars" in page
    assert "Verplicht: bij dit proces verschillen de beoordelaars" in page


def test_a_flagged_process_needs_a_note_then_saves_and_moves_on(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {"scores": DISPUTED}], [{}, {"scores": DISPUTED}]])
    first, second = in_order(scan)
    data = consensus_data(first, **{"score-belang-derden": "2"})

    refused = client.post(consensus_url(first), data)
    assert refused.status_code == 200
    assert "De beoordelaars verschillen 2 of meer punten" in body(refused)
    assert checked(body(refused), "score-belang-derden") == "2", "the input is kept"
    assert not reload(first).is_settled

    saved = client.post(consensus_url(first), {**data, "note": "Besproken: het belang is middelgroot."})
    assert saved.status_code == 302 and saved["Location"] == consensus_url(second)
    settled = reload(first)
    assert settled.consensus_scores["belang-derden"] == 2 and settled.consensus_note.startswith("Besproken")
    page = body(client.get(consensus_url(first)))
    assert "vastgesteld: 2" in page and "Kwetsbaarheid" in page and "kans" in page

    last = client.post(consensus_url(second), {**consensus_data(second), "note": "Besproken."})
    assert last["Location"] == review_url(scan)


def test_a_stale_version_shows_the_conflict_and_keeps_the_input(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    scan_process = scan_processes(scan)[0]
    data = consensus_data(scan_process, note="Mijn eigen toelichting")
    with tenant_scope(world.a.organisation):
        services.consensus_set(
            actor=None,
            by=None,
            scan_process=scan_process,
            version=scan_process.version,
            scores=LEVELS,
            impact=IMPACT,
            circumstances=[],
            note="Collega was eerder",
            allowed_circumstances=circumstance_uuids(),
        )
    response = client.post(consensus_url(scan_process), data)
    page = body(response)
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in page and "Zo staat het nu vastgesteld" in page
    assert "Mijn eigen toelichting" in page and "Collega was eerder" in page
    assert f'name="version" value="{reload(scan_process).version}"' in page
    assert reload(scan_process).consensus_note == "Collega was eerder"


def test_a_correction_only_on_a_closed_scan_with_a_reason_and_listed_afterwards(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    scan_process = scan_processes(scan)[0]
    amend = consensus_url(scan_process, "consensus_amend")
    assert "nog in de consensusfase" in body(client.get(amend))
    refused = client.post(amend, {**consensus_data(scan_process), "reason": "Waarom niet"}, follow=True)
    assert "alleen bij een afgesloten scan" in body(refused)

    close(world.a, scan)
    overview = body(client.get(review_url(scan)))
    assert "Deze scan is afgesloten" in overview and 'name="processen"' not in overview
    assert "consensus vastgesteld" in overview
    page = body(client.get(consensus_url(scan_process)))
    assert "Correctie vastleggen" in page and 'type="radio"' not in page
    assert "Er zijn nog geen correcties vastgelegd" in page
    data = consensus_data(scan_process, **{"score-geldstromen": "4"})

    no_reason = client.post(amend, data)
    assert no_reason.status_code == 200 and "Geef de reden van de correctie." in body(no_reason)

    done = client.post(amend, {**data, "reason": "Tikfout bij geldstromen"})
    assert done.status_code == 302 and done["Location"] == consensus_url(scan_process)
    assert reload(scan_process).consensus_scores["geldstromen"] == 4
    page = body(client.get(consensus_url(scan_process)))
    assert "Tikfout bij geldstromen" in page and str(world.a.user("coordinator")) in page
    assert re.search(r"K5 [^<]*</th><td[^>]*>2</td><td[^>]*>4</td>", page)

    unchanged = client.post(amend, {**consensus_data(scan_process, **{"score-geldstromen": "4"}), "reason": "Nog eens"})
    assert "Er is niets gewijzigd" in body(unchanged)


def test_naughty_input_never_breaks_the_consensus_forms(world: World, client: Client) -> None:
    scan = scan_in_review(world.a, [[{}, {"scores": DISPUTED}]])
    scan_process = scan_processes(scan)[0]
    url = consensus_url(scan_process)
    sample = [NAUGHTY_STRINGS[index] for index in (2, 3, 7, 14, 21, 24)]
    scores = ["score-belang-derden", f"impact-{IMPACT_KEYS[0]}", "circumstances"]
    submit_naughty(
        client, url, base_data=consensus_data(scan_process, note="Besproken."), fields=scores, strings=sample
    )
    assert not reload(scan_process).is_settled, "no hostile score was accepted"
    submit_naughty(client, url, base_data=consensus_data(scan_process), fields=["note"])
    note = reload(scan_process).consensus_note
    assert "\x00" not in note and note in [value.replace("\x00", "").strip() for value in NAUGHTY_STRINGS]

    close(world.a, scan)
    amend = consensus_url(scan_process, "consensus_amend")
    base = consensus_data(scan_process, **{"score-geldstromen": "0"})
    submit_naughty(client, amend, base_data=base, fields=["reason"])
    submit_naughty(client, amend, base_data={**base, "reason": "Tikfout"}, fields=["score-geldstromen"], strings=sample)
    accept = reverse("scans:review_accept", kwargs={"scan_uuid": scan.uuid})
    submit_naughty(
        client,
        accept,
        base_data={"bereik": "alle", "version": "1"},
        fields=["bereik", "processen", "version"],
        strings=sample,
    )

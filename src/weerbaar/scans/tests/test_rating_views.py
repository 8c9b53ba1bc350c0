"""The rater's pages: /beoordelen (own list) and /beoordelen/<uuid> (own rating, autosave, hand-in)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.tests.support import internal_circumstances, make_process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan, ScanState
from weerbaar.scans.selectors import rating as rating_selectors
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
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = reverse("scans:my_ratings")
OWNER = "proceseigenaar"


def _url(rating: Rating, name: str = "rating") -> str:
    return reverse(f"scans:{name}", kwargs={"rating_uuid": rating.uuid})


def _open_scan(world: World, **fields: Any) -> Scan:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, **fields)
        return services.scan_open(actor=None, scan=scan, version=scan.version)


def _own(scan: Scan, role: str = OWNER) -> list[Rating]:
    """The role's own ratings in the scan, in the order of the pages (process code)."""
    ratings = [rating for sp in scan_processes(scan) for rating in ratings_of(sp) if role in rating.rater.roles]
    return sorted(ratings, key=lambda rating: rating.scan_process.process.code)


def _full_form(rating: Rating, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"version": str(rating.version), "certainty": "redelijk", "note": "Samen besproken."}
    for key, level in LEVELS.items():
        data[f"score-{key}"] = str(level)
        data[f"rationale-{key}"] = "Veel belang van derden" if level >= 3 else ""
    for key, level in IMPACT.items():
        data[f"impact-{key}"] = str(level)
    data.update(overrides)
    return data


def _review(scan: Scan) -> Scan:
    scan = reload(scan)
    with tenant_scope(scan.organisation):
        return services.scan_start_review(actor=None, scan=scan, version=scan.version)


# --- /beoordelen ---------------------------------------------------------------------------------


def test_my_ratings_groups_own_ratings_with_progress_status_and_history(world: World) -> None:
    current = _open_scan(world, name="Scan 2026")
    done, busy = _own(current)
    with tenant_scope(world.a.organisation):
        rate(done)
        rate(busy, scores={"belang-derden": 2}, impact={}, submit=False)
        earlier = _open_scan(world, name="Scan 2025", processes=[make_process(world.a, name="Leerplicht")])
        make_scan(world.a, name="Nog in concept", processes=[make_process(world.a, name="Conceptproces")])
    _review(earlier)
    page = body(world.client_for(OWNER).get(LIST))
    assert "1 van 2 processen ingeleverd" in page
    assert "bezig (1 van 13 ingevuld)" in page and "ingeleverd" in page
    assert "Uiterste datum" in page and "Verder met beoordelen" in page
    assert page.index("Scan 2026") < page.index("Eerdere scans") < page.index("Scan 2025")
    # A scan in review is one line on the overview, with a link to its rows.
    assert "0 van 1 proces ingeleverd" in page and "Leerplicht" not in page
    assert f'href="?scan={earlier.uuid}"' in page
    assert "Conceptproces" not in page  # a draft scan is not announced yet
    assert CANARY not in page
    history = body(world.client_for(OWNER).get(f"{LIST}?scan={earlier.uuid}"))
    assert "Leerplicht" in history and "niet ingeleverd" in history and "Scan 2026" not in history
    assert "Terug naar al uw scans" in history


def test_my_ratings_pages_each_scan_with_the_unfinished_first(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rating_selectors, "PAGE_SIZE", 2)
    with tenant_scope(world.a.organisation):
        processes = [make_process(world.a, name=f"Proces {number}") for number in range(5)]
    scan = _open_scan(world, name="Scan 2026", processes=processes)
    with tenant_scope(world.a.organisation):
        for rating in _own(scan)[:2]:
            rate(rating)
    client = world.client_for(OWNER)
    first = body(client.get(LIST))
    assert "2 van 5 processen ingeleverd" in first and "pagina 1 van 3" in first
    assert first.count("nog niet begonnen") == 2 and "ingeleverd</span>" not in first
    assert f'href="?scan={scan.uuid}&amp;pagina=2"' in first
    last = body(client.get(f"{LIST}?scan={scan.uuid}&pagina=3"))
    assert "pagina 3 van 3" in last and last.count("ingeleverd</span>") == 1 and "Terug naar al uw scans" in last
    assert "Verder met beoordelen" in last  # the button always leads to the first unfinished process
    # Junk or an unknown scan never breaks the page.
    assert "pagina 1 van 3" in body(client.get(f"{LIST}?scan={scan.uuid}&pagina=x"))
    assert "pagina 3 van 3" in body(client.get(f"{LIST}?scan={scan.uuid}&pagina=99"))
    for junk in ("nee", "00000000-0000-0000-0000-000000000000"):
        page = body(client.get(f"{LIST}?scan={junk}"))
        assert "staat niet in uw lijst" in page and "pagina 1 van 3" in page
    with tenant_scope(world.b.organisation):
        foreign = make_scan(world.b, name=f"Scan {CANARY}")
        foreign = services.scan_open(actor=None, scan=foreign, version=foreign.version)
    page = body(client.get(f"{LIST}?scan={foreign.uuid}"))
    assert "staat niet in uw lijst" in page and CANARY not in page


def test_my_ratings_has_a_clear_empty_state(world: World) -> None:
    page = body(world.client_for("medewerker").get(LIST))
    assert "Er is nu niets te beoordelen" in page


def test_a_lezer_may_not_rate(world: World) -> None:
    scan = _open_scan(world)
    client = world.client_for("lezer")
    assert client.get(LIST).status_code == 403
    assert client.get(_url(_own(scan)[0])).status_code == 403


# --- /beoordelen/<uuid> ----------------------------------------------------------------------------


def test_only_the_own_rating_opens(world: World) -> None:
    scan = _open_scan(world)
    client = world.client_for(OWNER)
    assert client.get(_url(_own(scan, "coordinator")[0])).status_code == 404
    with tenant_scope(world.b.organisation):
        foreign = make_scan(world.b, name=f"Scan {CANARY}")
        foreign = services.scan_open(actor=None, scan=foreign, version=foreign.version)
    foreign_rating = _own(foreign)[0]
    response = client.get(_url(foreign_rating))
    assert response.status_code == 404 and CANARY.encode() not in response.content
    assert client.post(_url(foreign_rating, "rating_autosave"), {"field": "note", "note": "x"}).status_code == 404
    assert client.post(_url(_own(scan, "coordinator")[0], "rating_withdraw"), {"version": "1"}).status_code == 404


def test_the_page_shows_the_catalogue_scale_the_why_and_the_register_hint(world: World) -> None:
    hinted = internal_circumstances()[0]
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Evenementenvergunning", description="Vergunning voor evenementen.")
        from weerbaar.register.services import process_update

        process_update(actor=None, process=process, circumstances=[hinted])
        scan = make_scan(world.a, processes=[process], description="Denk aan het afgelopen jaar.")
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    page = body(world.client_for(OWNER).get(_url(_own(scan)[0])))
    assert '<legend class="rating-group__legend">K1 ' in page
    assert "Er wordt niet over derden beslist" in page  # the level text of K1 score 0, visible
    assert "<details" in page and "Hoeveel beoordelingsruimte" in page  # why and questions, collapsible
    assert "Vergunning voor evenementen." in page and "Denk aan het afgelopen jaar." in page
    assert "Verwaarloosbaar" in page and "Zeer ernstig" in page
    assert "staat in het register bij dit proces" in page
    assert f'value="{hinted.uuid}" id="circumstance-{hinted.uuid}">' in page  # a hint, not pre-ticked
    assert "autofocus" in page and "Toets 0–4 kiest de score" in page
    assert "Proces 1 van 1" in page


def test_a_full_form_saves_a_draft_and_hand_in_moves_to_the_next_unfinished_process(world: World) -> None:
    scan = _open_scan(world)
    first, second = _own(scan)
    client = world.client_for(OWNER)
    chosen = str(internal_circumstances()[1].uuid)
    response = client.post(_url(first), {**_full_form(first), "circumstances": [chosen], "opslaan": "1"})
    assert response.status_code == 302 and response["Location"] == _url(first)
    saved = reload(first)
    assert saved.scores == LEVELS and saved.impact == IMPACT and saved.circumstances == [chosen]
    assert saved.certainty == "redelijk" and saved.note == "Samen besproken." and not saved.is_submitted
    response = client.post(_url(first), {**_full_form(saved), "inleveren": "1"})
    assert response.status_code == 302 and response["Location"] == _url(second)
    assert reload(first).is_submitted
    assert "is ingeleverd" in body(client.get(response["Location"]))
    response = client.post(_url(second), {**_full_form(second), "inleveren": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert "alle processen van deze scan ingeleverd" in body(response)


def test_a_refused_hand_in_keeps_the_input_and_saves_nothing(world: World) -> None:
    scan = _open_scan(world)
    rating = _own(scan)[0]
    client = world.client_for(OWNER)
    data = _full_form(rating, **{"score-klantcontact": "4", "note": "Mijn eigen notitie", "inleveren": "1"})
    del data["impact-money"]
    response = client.post(_url(rating), data)
    page = body(response)
    assert response.status_code == 200
    assert "Nog niet ingeleverd" in page
    assert 'href="#id_rationale-klantcontact"' in page and 'href="#impact-money-1"' in page
    assert "Licht een score van 3 of 4 kort toe." in page and "Kies een impact van 1 tot en met 5." in page
    assert "Mijn eigen notitie" in page and 'id="score-klantcontact-4" value="4" data-key="4" checked' in page
    assert reload(rating).version == rating.version and reload(rating).scores == {}
    # A malformed score is refused by the form: again nothing is saved and the rest is kept.
    response = client.post(_url(rating), _full_form(rating, **{"score-geldstromen": "9", "opslaan": "1"}))
    assert "Niet opgeslagen" in body(response) and "Kies een score van 0 tot en met 4." in body(response)
    assert "Samen besproken." in body(response)
    assert reload(rating).version == rating.version


def test_a_stale_full_form_explains_the_conflict_and_keeps_the_input(world: World) -> None:
    scan = _open_scan(world)
    rating = _own(scan)[0]
    with tenant_scope(world.a.organisation):
        newer = rate(rating, scores={"belang-derden": 1}, impact={}, submit=False)
    client = world.client_for(OWNER)
    response = client.post(_url(rating), _full_form(rating, note="Vanuit het oude venster", opslaan="1"))
    page = body(response)
    assert response.status_code == 200 and "in een ander venster gewijzigd" in page
    assert "Vanuit het oude venster" in page
    assert f'id="rating-version" value="{newer.version}"' in page  # the next save is a deliberate choice
    assert reload(rating).note == ""


def test_autosave_saves_one_field_and_returns_the_new_version(world: World) -> None:
    scan = _open_scan(world)
    rating = _own(scan)[0]
    client = world.client_for(OWNER)
    url = _url(rating, "rating_autosave")
    data = {**_full_form(rating), "field": "score-belang-derden", "score-belang-derden": "4"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    fragment = body(response)
    saved = reload(rating)
    assert response.status_code == 200 and "<html" not in fragment
    assert saved.scores == {"belang-derden": 4} and saved.note == "" and saved.impact == {}
    assert f'id="rating-version" value="{saved.version}" hx-swap-oob="true"' in fragment
    assert "Opgeslagen om" in fragment and "Bij K1 is nog een toelichting nodig." in fragment
    assert "1 van 13 ingevuld" in fragment
    response = client.post(
        url, {"version": saved.version, "field": "rationale-belang-derden", "rationale-belang-derden": "Groot belang"}
    )
    assert reload(rating).rationales == {"belang-derden": "Groot belang"}
    # A bad value is refused for that field, with the reason next to it.
    fragment = body(client.post(url, {"version": saved.version + 1, "field": "impact-money", "impact-money": "7"}))
    assert 'id="error-impact-money"' in fragment and "Kies een impact van 1 tot en met 5." in fragment
    assert "rating-version" not in fragment and reload(rating).impact == {}
    # An unknown field is a broken request.
    assert client.post(url, {"version": "3", "field": "version"}).status_code == 400


def test_autosave_with_a_stale_version_says_so_and_overwrites_nothing(world: World) -> None:
    scan = _open_scan(world)
    rating = _own(scan)[0]
    with tenant_scope(world.a.organisation):
        rate(rating, scores={"belang-derden": 1}, impact={}, submit=False)
    fragment = body(
        world.client_for(OWNER).post(
            _url(rating, "rating_autosave"),
            {"version": rating.version, "field": "score-belang-derden", "score-belang-derden": "3"},
        )
    )
    assert "in een ander venster gewijzigd" in fragment and "uw laatste keuze is niet opgeslagen" in fragment.lower()
    assert "rating-version" not in fragment
    assert reload(rating).scores == {"belang-derden": 1}


def test_a_rating_in_a_draft_scan_is_not_there_yet_for_the_rater(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, processes=[make_process(world.a)], allow_single_rater=True, extra_roles=())
        rating = _own(scan)[0]
    assert world.client_for(OWNER).get(_url(rating)).status_code == 404


@pytest.mark.parametrize("state", [ScanState.REVIEW, ScanState.CLOSED])
def test_a_scan_that_is_not_open_shows_the_rating_read_only(world: World, state: str) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, processes=[make_process(world.a)], allow_single_rater=True, extra_roles=())
        rating = _own(scan)[0]
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        rating = rate(rating)
        scan = services.scan_start_review(actor=None, scan=scan, version=scan.version)
        if state == ScanState.CLOSED:
            services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
            services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)
    client = world.client_for(OWNER)
    response = client.get(_url(rating))
    page = body(response)
    assert response.status_code == 200 and "Alleen lezen" in page
    assert "data-rating-form" not in page and 'type="radio"' not in page
    assert "Score 3" in page and "Veel belang van derden" in page
    response = client.post(_url(rating), _full_form(rating, opslaan="1"))
    assert response.status_code == 302 and reload(rating).note == rating.note
    fragment = body(
        client.post(_url(rating, "rating_autosave"), {"version": rating.version, "field": "note", "note": "x"})
    )
    assert "niet (meer) open" in fragment and reload(rating).note == rating.note


def test_a_handed_in_rating_can_be_taken_back_while_the_scan_is_open(world: World) -> None:
    scan = _open_scan(world)
    with tenant_scope(world.a.organisation):
        rating = rate(_own(scan)[0])
    client = world.client_for(OWNER)
    assert "Terugnemen" in body(client.get(_url(rating)))
    response = client.post(_url(rating, "rating_withdraw"), {"version": rating.version - 1}, follow=True)
    assert reload(rating).is_submitted and "intussen gewijzigd" in body(response)
    response = client.post(_url(rating, "rating_withdraw"), {"version": rating.version})
    assert response.status_code == 302 and not reload(rating).is_submitted


def test_no_page_shows_another_raters_values_or_the_consensus(world: World) -> None:
    scan = _open_scan(world)
    mine, _other = _own(scan)
    theirs = _own(scan, "coordinator")
    with tenant_scope(world.a.organisation):
        for rating in theirs:
            services.rating_save(
                actor=None,
                rater=rating.rater,
                rating=rating,
                version=rating.version,
                change=services.RatingChange(
                    scores=dict(LEVELS, **{"belang-derden": 4}),
                    rationales={"belang-derden": "GEHEIM-VAN-DE-ANDER", "klantcontact": "OOK-GEHEIM"},
                    impact=IMPACT,
                    note="NOTITIE-VAN-DE-ANDER",
                ),
                submit=True,
                allowed_circumstances=circumstance_uuids(),
            )
        rate(mine)
    client = world.client_for(OWNER)
    secrets = ("GEHEIM-VAN-DE-ANDER", "OOK-GEHEIM", "NOTITIE-VAN-DE-ANDER", "CONSENSUS-NOTITIE")

    def shown() -> str:
        return body(client.get(LIST)) + body(client.get(_url(mine))) + body(client.get(_url(_other)))

    assert not any(secret in shown() for secret in secrets)
    scan = _review(scan)
    with tenant_scope(world.a.organisation):
        scan_process = reload(mine.scan_process)
        services.consensus_set(
            actor=None,
            by=None,
            scan_process=scan_process,
            version=scan_process.version,
            scores=dict(LEVELS, **{"belang-derden": 4}),
            impact=IMPACT,
            circumstances=[],
            note="CONSENSUS-NOTITIE",
            allowed_circumstances=circumstance_uuids(),
        )
    pages = shown()
    assert not any(secret in pages for secret in secrets)
    assert all(key not in pages for key in ("vulnerability", "kwetsbaarheidsscore"))


def test_the_autosave_endpoint_refuses_anything_but_post(world: World) -> None:
    scan = _open_scan(world)
    client: Client = world.client_for(OWNER)
    assert client.get(_url(_own(scan)[0], "rating_autosave")).status_code == 405

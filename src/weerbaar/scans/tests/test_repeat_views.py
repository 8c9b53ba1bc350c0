"""The repeat scan's pages: choosing the starting point, and confirming the copied values while rating."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.tests.repeat_support import PREVIOUS, PREVIOUS_IMPACT, closed_scan, first_circumstance
from weerbaar.scans.tests.support import make_scan, ratings_of, reload, scan_processes
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

OWNER = "proceseigenaar"
SAMPLE = ["", "<script>alert('weerbaar')</script>", "'; DROP TABLE core_user; --", "99999999999999999999999999"]


def _scan_form(world: World, **fields: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": "Kwetsbaarhedenscan nieuw",
        "period_start": f"{today.year}-01-01",
        "period_end": f"{today.year}-12-31",
        "deadline": (today + dt.timedelta(days=14)).isoformat(),
        "scope": "alle",
        **fields,
    }


def _two_closed(world: World) -> tuple[Scan, Scan]:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        older = closed_scan(world.a, [process], name="Scan 2024")
        newer = closed_scan(world.a, [process], name="Scan 2025")
    return older, newer


# --- choosing the starting point ------------------------------------------------------------------


def test_the_new_scan_form_proposes_the_latest_closed_scan_or_none(world: World) -> None:
    client = world.client_for("coordinator")
    first = body(client.get(reverse("scans:scan_create")))
    assert "Vorige scan als startpunt" not in first  # nothing to repeat yet
    older, newer = _two_closed(world)
    page = body(client.get(reverse("scans:scan_create")))
    assert "Vorige scan als startpunt" in page and "Niet: begin met lege beoordelingen" in page
    assert f'<option value="{newer.uuid}" selected>Scan 2025</option>' in page
    assert page.index("Scan 2025") < page.index("Scan 2024")
    response = client.post(reverse("scans:scan_create"), _scan_form(world, previous_scan=str(older.uuid)))
    assert response.status_code == 302
    created = Scan.cross_tenant_objects.get(name="Kwetsbaarhedenscan nieuw")
    assert created.previous_scan_id == older.pk
    detail = body(client.get(response["Location"]))
    assert "Startpunt" in detail and "Scan 2024" in detail
    client.post(reverse("scans:scan_create"), _scan_form(world, name="Zonder startpunt", previous_scan=""))
    assert Scan.cross_tenant_objects.get(name="Zonder startpunt").previous_scan_id is None


def test_another_organisations_scan_is_no_choice(world: World) -> None:
    _two_closed(world)
    with tenant_scope(world.b.organisation):
        foreign = closed_scan(world.b, [make_process(world.b)], name="Andere gemeente")
    client = world.client_for("coordinator")
    response = client.post(reverse("scans:scan_create"), _scan_form(world, previous_scan=str(foreign.uuid)))
    page = body(response)
    assert response.status_code == 200 and "Kies een afgesloten scan uit de lijst" in page
    assert "Kwetsbaarhedenscan nieuw" in page  # what was typed stays
    assert not Scan.cross_tenant_objects.filter(name="Kwetsbaarhedenscan nieuw").exists()


def test_the_starting_point_can_change_in_draft_but_not_once_open(world: World) -> None:
    older, newer = _two_closed(world)
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, processes=[make_process(world.a, name="Ander proces")], previous_scan=newer)
    url = reverse("scans:scan_update", kwargs={"scan_uuid": scan.uuid})
    client = world.client_for("coordinator")
    assert f'<option value="{newer.uuid}" selected>' in body(client.get(url))
    data = _scan_form(world, name="Scan 2026", previous_scan=str(older.uuid), version=str(scan.version))
    assert client.post(url, data).status_code == 302
    assert reload(scan).previous_scan_id == older.pk
    with tenant_scope(world.a.organisation):
        services.scan_open(actor=None, scan=reload(scan), version=reload(scan).version)
    assert "Vorige scan als startpunt" not in body(client.get(url))


def test_the_scan_forms_survive_hostile_starting_points(world: World) -> None:
    _older, newer = _two_closed(world)
    client = world.client_for("coordinator")
    submit_naughty(
        client,
        reverse("scans:scan_create"),
        base_data=_scan_form(world),
        fields=["previous_scan"],
        strings=[*SAMPLE, str(newer.uuid).upper(), "00000000-0000-0000-0000-000000000000"],
    )
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, processes=[make_process(world.a, name="Ander proces")])
    submit_naughty(
        client,
        reverse("scans:scan_update", kwargs={"scan_uuid": scan.uuid}),
        base_data=_scan_form(world, name="Scan 2026", version=str(scan.version)),
        fields=["previous_scan"],
        strings=SAMPLE,
    )


# --- rating a repeat scan --------------------------------------------------------------------------


def _own_rating(world: World) -> Rating:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        previous = closed_scan(world.a, [process], name="Scan 2025")
        scan = make_scan(world.a, processes=[process], name="Scan 2026", previous_scan=previous)
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    return next(r for sp in scan_processes(scan) for r in ratings_of(sp) if OWNER in r.rater.roles)


def _url(rating: Rating, name: str = "rating") -> str:
    return reverse(f"scans:{name}", kwargs={"rating_uuid": rating.uuid})


def _whole_form(rating: Rating, **overrides: Any) -> dict[str, Any]:
    """The whole form as the page posts it without JavaScript: every value, copies included."""
    rating = reload(rating)
    data: dict[str, Any] = {"version": str(rating.version), "certainty": "zeker", "note": ""}
    for key, level in rating.scores.items():
        data[f"score-{key}"] = str(level)
        data[f"rationale-{key}"] = "Nog steeds zo" if level >= 3 else ""
    for key, level in rating.impact.items():
        data[f"impact-{key}"] = str(level)
    data["circumstances"] = list(rating.circumstances)
    data.update(overrides)
    return data


def test_the_rating_page_shows_each_copied_value_and_its_state(world: World) -> None:
    rating = _own_rating(world)
    client = world.client_for(OWNER)
    page = body(client.get(_url(rating)))
    assert "Herhaalscan:" in page and "Scan 2025" in page
    assert page.count("Vorige scan (consensus):") == len(PREVIOUS) + len(PREVIOUS_IMPACT) + 1
    assert page.count('data-prefilled aria-describedby="previous-') == len(PREVIOUS) + len(PREVIOUS_IMPACT)
    assert page.count('id="confirm-state-') == len(PREVIOUS) + 2 and "nog bevestigen" in page
    assert 'name="confirm-belang-derden"' in page and 'name="confirm-impact"' in page
    assert "nog 10 onderdelen uit de vorige scan te bevestigen" in page
    assert 'name="score-belang-derden" id="score-belang-derden-4" value="4" data-key="4" checked' in page
    listing = body(client.get(reverse("scans:my_ratings")))
    assert "nog niet begonnen (vooraf ingevuld uit de vorige scan)" in listing


def test_autosave_of_the_same_value_confirms_it_and_says_so(world: World) -> None:
    rating = _own_rating(world)
    client = world.client_for(OWNER)
    data = {**_whole_form(rating), "field": "score-belang-derden"}
    response = client.post(_url(rating, "rating_autosave"), data, headers={"HX-Request": "true"})
    page = body(response)
    assert response.status_code == 200
    assert reload(rating).confirmed == ["belang-derden"]
    assert 'id="confirm-state-belang-derden" class="status status--ok' in page and 'hx-swap-oob="true"' in page
    assert "nog 9 onderdelen uit de vorige scan te bevestigen" in page
    # The confirm box of a block is its own autosave field.
    data = {**_whole_form(rating), "field": "confirm-circumstances", "confirm-circumstances": "1"}
    client.post(_url(rating, "rating_autosave"), data, headers={"HX-Request": "true"})
    assert reload(rating).confirmed == ["belang-derden", "circumstances"]
    listing = body(client.get(reverse("scans:my_ratings")))
    assert "bezig (nog 8 uit de vorige scan te bevestigen)" in listing


def test_the_whole_form_hands_in_only_once_everything_is_confirmed(world: World) -> None:
    rating = _own_rating(world)
    client = world.client_for(OWNER)
    response = client.post(_url(rating), {**_whole_form(rating), "inleveren": "1", "note": "Mijn notitie"})
    page = body(response)
    assert response.status_code == 200 and not reload(rating).is_submitted
    assert "Bevestig of wijzig de waarden uit de vorige scan bij: K1, K2" in page and "interne omstandigheden." in page
    assert 'href="#id_confirm-klantcontact"' in page and "Mijn notitie" in page  # linked, and the input is kept
    ticks = {f"confirm-{key}": "on" for key in PREVIOUS}
    # Changing a value confirms it without a tick; the others are ticked.
    ticks.pop("confirm-geldstromen")
    data = _whole_form(rating, **ticks, **{"confirm-impact": "on", "confirm-circumstances": "on"})
    data["score-geldstromen"] = "2"
    response = client.post(_url(rating), {**data, "inleveren": "1"})
    assert response.status_code == 302
    saved = reload(rating)
    assert saved.is_submitted and saved.to_confirm == [] and saved.scores["geldstromen"] == 2
    assert saved.circumstances == [first_circumstance()]


def test_the_confirm_boxes_survive_hostile_input(world: World) -> None:
    rating = _own_rating(world)
    client = world.client_for(OWNER)
    for value in SAMPLE:
        submit_naughty(
            client,
            _url(rating),
            base_data={**_whole_form(rating), "opslaan": "1"},
            fields=["confirm-impact"],
            strings=[value],
        )
        submit_naughty(
            client,
            _url(rating, "rating_autosave"),
            base_data={**_whole_form(rating), "field": "confirm-geldstromen"},
            fields=["confirm-geldstromen"],
            strings=[value],
            headers={"HX-Request": "true"},
        )
    saved = reload(rating)
    assert set(saved.confirmed) <= {"impact", "geldstromen"} and saved.scores == PREVIOUS


def test_the_api_shows_the_copies_and_confirms_a_value_sent_again(world: World) -> None:
    from weerbaar.api.tests.utils import assert_problem
    from weerbaar.scans.tests.test_api_ratings import RATINGS, _client, _patch

    rating = _own_rating(world)
    client = _client(world, OWNER)
    url = f"{RATINGS}/{rating.uuid}"
    shown = client.get(url).json()
    assert shown["vorigeScan"]["scores"] == PREVIOUS and shown["vorigeScan"]["impact"]["geld"] == 4
    assert shown["vorigeScan"]["omstandigheden"] == [first_circumstance()]
    assert "bevestigen.belang-derden" in shown["teBevestigen"] and "bevestigen.omstandigheden" in shown["teBevestigen"]
    assert {"veld": "bevestigen.impact", "reden": "Bevestig de impact uit de vorige scan, of wijzig die."} in shown[
        "ontbreekt"
    ]
    refused = _patch(client, url, {"versie": shown["versie"], "scores": {"belang-derden": 4}, "inleveren": True})
    names = {each["name"] for each in assert_problem(refused, 400)["invalidParams"]}
    assert {"bevestigen.klantcontact", "bevestigen.impact"} <= names and "bevestigen.belang-derden" not in names
    response = _patch(client, url, {"versie": shown["versie"], "scores": {"belang-derden": 4}})
    assert response.status_code == 200 and "bevestigen.belang-derden" not in response.json()["teBevestigen"]

"""/api/v1/beoordelingen: a rater reads and changes only their own ratings, through the audited service."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.api.services import api_token_create
from weerbaar.api.tests.utils import assert_problem, auth
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.tests.support import LEVELS, circumstance_uuids, make_scan, rate, ratings_of, reload, scan_processes
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

RATINGS = "/api/v1/beoordelingen"
IMPACT_API = {"geld": 3, "persoonsgegevens": 2, "veiligheid": 1, "vertrouwen": 4, "continuiteit": 2}
SECRET = "Alleen de coördinator weet dit"


def own_key(world: World, role: str) -> str:
    """A key the member makes for themselves (a beheerder may not hand out a rater's rights)."""
    member = world.a.members[role]
    with tenant_scope(world.a.organisation):
        return api_token_create(
            actor=member.user,
            organisation=world.a.organisation,
            membership=member,
            name=f"Eigen koppeling {role}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        ).key


def _client(world: World, role: str) -> Client:
    return Client(headers=auth(own_key(world, role)))


def _patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def _open_scan(world: World, **fields: Any) -> Scan:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, **fields)
        return services.scan_open(actor=None, scan=scan, version=scan.version)


def _rating_of(scan: Scan, role: str, world: World, index: int = 0) -> Rating:
    member = world.a.members[role]
    return next(r for r in ratings_of(scan_processes(scan)[index]) if r.rater_id == member.pk)


def test_a_rater_sees_only_their_own_ratings_and_never_anothers_scores(world: World) -> None:
    scan = _open_scan(world)
    with tenant_scope(world.a.organisation):
        rate(_rating_of(scan, "coordinator", world), note=SECRET)
        make_scan(world.a, processes=[make_process(world.a, name="Conceptproces")], name="Concept")
    theirs = _rating_of(scan, "coordinator", world)
    mine = _rating_of(scan, "proceseigenaar", world)
    client = _client(world, "proceseigenaar")
    response = client.get(RATINGS)
    assert response.status_code == 200
    body = response.json()
    # Two processes in the open scan; the draft scan is not announced yet.
    assert body["aantal"] == 2
    own = {str(r.uuid) for sp in scan_processes(scan) for r in ratings_of(sp) if r.rater_id == mine.rater_id}
    assert {item["uuid"] for item in body["resultaten"]} == own
    assert str(theirs.uuid) not in response.content.decode()
    assert SECRET not in response.content.decode()
    first = client.get(f"{RATINGS}/{mine.uuid}").json()
    assert first["proces"]["naam"] in {"Evenementenvergunning", "Subsidies"}
    assert first["scan"]["status"] == "open"
    assert set(first["scores"]) == set(LEVELS) and set(first["scores"].values()) == {None}
    assert set(first["impact"]) == set(IMPACT_API)
    assert {item["veld"] for item in first["ontbreekt"]} >= {"scores.belang-derden", "impact.geld"}
    assert_problem(client.get(f"{RATINGS}/{theirs.uuid}"), 404)
    assert_problem(_patch(client, f"{RATINGS}/{theirs.uuid}", {"toelichting": "x", "versie": theirs.version}), 404)
    assert reload(theirs).note == SECRET


def test_the_scan_filter_and_roles_without_the_right(world: World) -> None:
    scan = _open_scan(world)
    client = _client(world, "proceseigenaar")
    assert client.get(f"{RATINGS}?scan={scan.uuid}").json()["aantal"] == 2
    with tenant_scope(world.b.organisation):
        foreign = make_scan(world.b, name=f"Scan {CANARY}")
    body = assert_problem(client.get(f"{RATINGS}?scan={foreign.uuid}"), 400)
    assert body["invalidParams"][0]["name"] == "scan"
    assert_problem(client.get(f"{RATINGS}?scan=geen-uuid"), 400)
    assert_problem(_client(world, "lezer").get(RATINGS), 403)
    # A medewerker may rate, but was not asked to: an empty list.
    assert _client(world, "medewerker").get(RATINGS).json()["aantal"] == 0


def test_patch_saves_a_draft_then_hands_in_and_refuses_a_stale_version(world: World) -> None:
    scan = _open_scan(world)
    rating = _rating_of(scan, "proceseigenaar", world)
    url = f"{RATINGS}/{rating.uuid}"
    client = _client(world, "proceseigenaar")
    with tenant_scope(world.a.organisation):
        circumstance = sorted(circumstance_uuids())[0]
    response = _patch(
        client,
        url,
        {
            "scores": {"belang-derden": 4, "klantcontact": 2},
            "toelichtingen": {"belang-derden": "Veel druk van aanvragers"},
            "impact": {"geld": 3},
            "omstandigheden": [circumstance],
            "zekerheid": "redelijk",
            "toelichting": "Eerste indruk",
            "versie": rating.version,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scores"]["belang-derden"] == 4 and body["scores"]["geldstromen"] is None
    assert body["impact"]["geld"] == 3 and body["impact"]["veiligheid"] is None
    assert body["omstandigheden"] == [circumstance]
    assert body["ingeleverd"] is False and body["versie"] == rating.version + 1
    assert_problem(_patch(client, url, {"toelichting": "Te laat", "versie": rating.version}), 409)
    # A null clears one score; everything else stays.
    body = _patch(client, url, {"scores": {"klantcontact": None}, "versie": body["versie"]}).json()
    assert body["scores"]["klantcontact"] is None and body["scores"]["belang-derden"] == 4
    body = _patch(
        client,
        url,
        {"scores": LEVELS, "toelichtingen": {"belang-derden": "Veel belang"}, "impact": IMPACT_API}
        | {"inleveren": True, "versie": body["versie"]},
    ).json()
    assert body["ingeleverd"] is True and body["ingeleverdOp"] and body["ontbreekt"] == []
    assert len(events(world.a.organisation, "rating.submit")) == 1
    assert reload(rating).note == "Eerste indruk"


def test_hand_in_without_a_rationale_for_a_high_score_saves_nothing(world: World) -> None:
    scan = _open_scan(world)
    rating = _rating_of(scan, "proceseigenaar", world)
    body = assert_problem(
        _patch(
            _client(world, "proceseigenaar"),
            f"{RATINGS}/{rating.uuid}",
            {"scores": LEVELS, "impact": IMPACT_API, "inleveren": True, "versie": rating.version},
        ),
        400,
    )
    params = {param["name"]: param["reason"] for param in body["invalidParams"]}
    assert params == {"toelichtingen.belang-derden": "Licht een score van 3 of 4 kort toe."}
    saved = reload(rating)
    assert saved.version == rating.version and saved.scores == {} and saved.submitted_at is None


def test_invalid_values_get_dutch_messages_per_field(world: World) -> None:
    scan = _open_scan(world)
    rating = _rating_of(scan, "proceseigenaar", world)
    client = _client(world, "proceseigenaar")
    url = f"{RATINGS}/{rating.uuid}"
    body = assert_problem(
        _patch(
            client,
            url,
            {
                "scores": {"belang-derden": 7, "klantcontact": "veel"},
                "impact": {"geld": 0, "onbekend": 2},
                "zekerheid": "misschien",
                "omstandigheden": ["geen-uuid"],
                "versie": rating.version,
            },
        ),
        400,
    )
    names = {param["name"] for param in body["invalidParams"]}
    assert names == {
        "scores.belang-derden",
        "scores.klantcontact",
        "impact.onbekend",
        "zekerheid",
        "omstandigheden.0",
    }
    reasons = {param["name"]: param["reason"] for param in body["invalidParams"]}
    assert reasons["scores.klantcontact"] == "Een score is een heel getal van 0 tot en met 4."
    assert reasons["impact.onbekend"] == "Onbekende impactdimensie."
    # Shape passes, the service's rules refuse: an unknown characteristic, a circumstance not on the list.
    body = assert_problem(
        _patch(
            client,
            url,
            {
                "scores": {"bestaat-niet": 2},
                "omstandigheden": ["00000000-0000-0000-0000-000000000000"],
                "versie": rating.version,
            },
        ),
        400,
    )
    reasons = {param["name"]: param["reason"] for param in body["invalidParams"]}
    assert reasons == {
        "scores.bestaat-niet": "Onbekend kenmerk.",
        "omstandigheden": "Kies interne omstandigheden uit de lijst.",
    }
    body = assert_problem(_patch(client, url, {"toelichting": "zonder versie"}), 400)
    assert body["invalidParams"][0]["name"] == "versie"
    assert reload(rating).version == rating.version


def test_a_scan_that_is_no_longer_open_answers_409(world: World) -> None:
    scan = _open_scan(world)
    rating = _rating_of(scan, "proceseigenaar", world)
    with tenant_scope(world.a.organisation):
        services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
    client = _client(world, "proceseigenaar")
    body = assert_problem(_patch(client, f"{RATINGS}/{rating.uuid}", {"toelichting": "x", "versie": 1}), 409)
    assert "niet (meer) open" in body["detail"]
    # Still readable: the rater sees what they handed in (or not).
    assert client.get(f"{RATINGS}/{rating.uuid}").json()["scan"]["status"] == "review"


def test_hostile_input_on_the_rating_patch_gives_no_server_error(world: World) -> None:
    scan = _open_scan(world)
    rating = _rating_of(scan, "proceseigenaar", world)
    url = f"{RATINGS}/{rating.uuid}"
    headers = auth(own_key(world, "proceseigenaar"))
    # Every string in the free-text fields, a sample in the fields that only take a choice or a number.
    sample = NAUGHTY_STRINGS[::6]
    plan = [("toelichting", NAUGHTY_STRINGS)] + [
        (field, sample) for field in ("zekerheid", "omstandigheden", "inleveren", "scores", "impact")
    ]
    codes: set[int] = set()
    for field, strings in plan:
        for value in strings:
            # Fresh version each time, so the service (not the stale check) judges every value.
            base = {"versie": reload(rating).version}
            [response] = submit_naughty(
                Client(),
                url,
                base_data=base,
                fields=[field],
                method="patch",
                as_json=True,
                headers=headers,
                strings=[value],
            )
            codes.add(response.status_code)
    client = Client(headers=headers)
    nested = [{"toelichtingen": {"belang-derden": value}} for value in NAUGHTY_STRINGS] + [
        data
        for value in sample
        for data in (
            {"scores": {value or "leeg": 2}},
            {"scores": {"belang-derden": value}},
            {"impact": {"geld": value}},
        )
    ]
    for data in nested:
        response = _patch(client, url, {**data, "versie": reload(rating).version})
        assert response.status_code < 500, (data, response.status_code)
        assert response["Content-Type"].startswith(("application/json", "application/problem+json"))
        codes.add(response.status_code)
    assert codes <= {200, 400}
    saved = reload(rating)
    assert saved.rationales.get("belang-derden") == NAUGHTY_STRINGS[-1]
    assert saved.submitted_at is None


@pytest.mark.parametrize("size", [3, 30])
def test_the_rating_list_needs_the_same_queries_at_any_size(world: World, size: int) -> None:
    with tenant_scope(world.a.organisation):
        processes = [make_process(world.a, name=f"Proces {number:02d}") for number in range(size)]
    _open_scan(world, processes=processes)
    client = _client(world, "proceseigenaar")
    client.get(RATINGS)  # the key's last-used stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{RATINGS}?paginaGrootte=100")
    assert response.json()["aantal"] == size
    # key lookup, characteristic keys, count, page
    assert len(captured) == 4, [query["sql"][:120] for query in captured.captured_queries]

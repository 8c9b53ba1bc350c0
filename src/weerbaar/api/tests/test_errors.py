"""Every API error is application/problem+json with a Dutch title and detail (RFC 9457)."""

from __future__ import annotations

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db


def test_a_validation_error_lists_each_invalid_field_by_its_api_name(api: Client) -> None:
    response = api.post(
        "/api/v1/afdelingen", {"omschrijving": 5, "bovenliggendeAfdeling": "geen-uuid"}, content_type="application/json"
    )
    body = assert_problem(response, 400)
    assert body["title"] == "Ongeldige invoer"
    assert body["detail"] == "Een of meer velden zijn niet goed ingevuld."
    assert body["instance"] == "/api/v1/afdelingen"
    by_name = {param["name"]: param for param in body["invalidParams"]}
    assert by_name["naam"]["code"] == "required"
    assert by_name["naam"]["reason"] == "Dit veld is vereist."
    assert by_name["bovenliggendeAfdeling"]["reason"] == "Geef de uuid van een afdeling op."


def test_a_service_rule_is_reported_under_the_api_field_name(world: World, api: Client) -> None:
    top, child = world.a.units
    get = api.get(f"/api/v1/afdelingen/{top.uuid}").json()
    response = api.patch(
        f"/api/v1/afdelingen/{top.uuid}",
        {"bovenliggendeAfdeling": str(child.uuid), "versie": get["versie"]},
        content_type="application/json",
    )
    body = assert_problem(response, 400)
    assert [param["name"] for param in body["invalidParams"]] == ["bovenliggendeAfdeling"]
    assert "onder zichzelf" in body["invalidParams"][0]["reason"]


def test_broken_json_is_a_400_in_dutch(api: Client) -> None:
    body = assert_problem(api.post("/api/v1/afdelingen", "{naam:", content_type="application/json"), 400)
    assert body["detail"] == "De inhoud van het verzoek is geen geldige JSON."


def test_a_form_body_is_refused_with_415(api: Client) -> None:
    body = assert_problem(api.post("/api/v1/afdelingen", {"naam": "Team"}), 415)
    assert "JSON" in body["detail"]


def test_asking_for_html_is_refused_with_406(api: Client) -> None:
    assert_problem(api.get("/api/v1/organisatie", headers={"Accept": "text/html"}), 406)


def test_anonymous_gets_401_with_www_authenticate(world: World) -> None:
    for url in ("/api/v1/organisatie", "/api/v1/afdelingen", f"/api/v1/afdelingen/{world.a.units[0].uuid}"):
        response = Client().get(url)
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == "Token"


def test_a_role_without_the_right_gets_403(make_key: KeyMaker) -> None:
    body = assert_problem(Client(headers=auth(make_key("medewerker"))).get("/api/v1/afdelingen"), 403)
    assert body["detail"] == "Uw rol geeft geen recht op deze handeling."


def test_another_organisations_object_is_404_without_a_trace_of_it(world: World, api: Client) -> None:
    foreign = world.b.units[1]
    for response in (
        api.get(f"/api/v1/afdelingen/{foreign.uuid}"),
        api.patch(f"/api/v1/afdelingen/{foreign.uuid}", {"naam": "x", "versie": 1}, content_type="application/json"),
        api.put(f"/api/v1/afdelingen/{foreign.uuid}", {}, content_type="application/json"),
    ):
        body = assert_problem(response, 404)
        assert body["detail"] == "Dit gegeven bestaat niet of hoort niet bij uw organisatie."
        assert CANARY.encode() not in response.content


def test_a_session_without_csrf_token_gets_a_clear_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.user("beheerder"), backend="django.contrib.auth.backends.ModelBackend")
    body = assert_problem(client.post("/api/v1/afdelingen", {"naam": "X"}, content_type="application/json"), 403)
    assert "CSRF" in body["detail"]

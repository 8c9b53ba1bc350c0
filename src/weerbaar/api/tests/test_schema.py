"""The OpenAPI description generates without warnings and follows the API Design Rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    # --fail-on-warn turns every drf-spectacular warning (an untyped field, a guessed model) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    assert target.stat().st_size > 1000


@pytest.fixture
def schema() -> dict:
    response = Client(headers={"Authorization": "Token kapot"}).get("/api/v1/openapi.json")
    # Public, and a broken key must not stand in the way of reading the description.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["API-Version"] == settings.API_VERSION
    return response.json()


def test_it_is_published_as_json_with_version_contact_and_versioned_server(schema: dict) -> None:
    assert schema["openapi"].startswith("3.0")
    assert schema["info"]["version"] == settings.API_VERSION
    assert set(schema["info"]["contact"]) == {"name", "email", "url"}
    assert schema["servers"][0]["url"] == "/api/v1"


def test_paths_have_no_trailing_slash_and_dutch_names(schema: dict) -> None:
    assert set(schema["paths"]) == {
        "/organisatie",
        "/afdelingen",
        "/afdelingen/{uuid}",
        "/processen",
        "/processen/{process_uuid}",
        "/functies",
        "/functies/{position_uuid}",
        "/auditgebeurtenissen",
        "/auditgebeurtenissen/{id}",
        "/kenmerken",
        "/kenmerken/{kenmerk}",
        "/procescategorieen",
        "/procescategorieen/{procescategorie}",
        "/referentieprocessen",
        "/referentieprocessen/{referentieproces}",
        "/omstandigheden",
        "/omstandigheden/{omstandigheid}",
        "/maatregelen",
        "/maatregelen/{maatregel}",
        "/scans",
        "/scans/{scan_uuid}",
        "/beoordelingen",
        "/beoordelingen/{rating_uuid}",
        "/resultaten",
        "/actieplan",
        "/actieplan/{plan_line_uuid}",
        "/activiteiten",
        "/activiteiten/{recurring_activity_uuid}",
        "/overzicht",
        "/rapportages",
        "/rapportages/{report_uuid}",
        "/rapportages/{report_uuid}/pdf",
    }
    assert "delete" not in schema["paths"]["/afdelingen/{uuid}"]


def test_every_success_response_declares_the_version_header(schema: dict) -> None:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for code, response in operation["responses"].items():
                if code.startswith("2"):
                    assert "API-Version" in response["headers"], (path, method, code)


def test_errors_are_problem_json_and_versie_is_required_in_a_patch(schema: dict) -> None:
    components = schema["components"]
    for response in components["responses"].values():
        assert list(response["content"]) == ["application/problem+json"]
    patch = schema["paths"]["/afdelingen/{uuid}"]["patch"]
    assert set(patch["responses"]) >= {"200", "400", "401", "403", "404", "409"}
    assert "versie" in components["schemas"]["PatchedAfdelingWijzigingRequest"]["required"]


def test_the_api_key_scheme_is_described(schema: dict) -> None:
    scheme = schema["components"]["securitySchemes"]["apiSleutel"]
    assert scheme == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": scheme["description"],
    }
    assert "Token" in scheme["description"]
    assert {"apiSleutel": []} in schema["paths"]["/afdelingen"]["get"]["security"]

"""The OpenAPI description: the key's security scheme, and the API Design Rules conventions.

Loaded by ``ApiConfig.ready()`` so drf-spectacular finds the extension. The hook adds what the
views do not spell out one by one: the ``API-Version`` header on every response, and the
problem+json error responses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from weerbaar.api.problems import PROBLEM_CONTENT_TYPE, TITLES


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "weerbaar.api.authentication.ApiTokenAuthentication"
    name = "apiSleutel"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Een API-sleutel, aan te maken door de functioneel beheerder onder Beheer › API-sleutels. "
                "Stuur hem mee als `Authorization: Token <sleutel>`. De sleutel heeft de rechten van het lid "
                "waarvoor hij is gemaakt, in diens organisatie."
            ),
        }


VERSION_HEADER = "API-Version"
PROBLEM_SCHEMA = "Probleem"

#: status -> (name of the reusable response, description).
ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("OngeldigeInvoer", "De invoer of een filter is niet goed; zie invalidParams."),
    401: ("NietIngelogd", "Geen, een ongeldige, verlopen of ingetrokken API-sleutel."),
    403: ("GeenToegang", "De rol van het lid geeft geen recht op deze handeling."),
    404: ("NietGevonden", "Bestaat niet, of hoort niet bij de eigen organisatie."),
    409: ("Conflict", "Iemand anders heeft het gegeven intussen gewijzigd: de versie is verouderd."),
}

WRITE_METHODS = {"post", "put", "patch"}


def _problem_schema() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "description": "Een fout volgens RFC 9457 (problem details).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {**text, "example": "about:blank"},
            "title": {**text, "example": TITLES[404]},
            "status": {"type": "integer", "example": 404},
            "detail": text,
            "instance": {**text, "description": "Het pad van het verzoek."},
            "invalidParams": {
                "type": "array",
                "description": "Bij 400: per veld wat er niet klopt.",
                "items": {
                    "type": "object",
                    "required": ["name", "code", "reason"],
                    "properties": {"name": text, "code": text, "reason": text},
                },
            },
        },
    }


def _is_public(operation: dict[str, Any]) -> bool:
    return operation.get("security") == [{}] or not operation.get("security")


def add_api_design_rules(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    components = result.setdefault("components", {})
    components.setdefault("headers", {})[VERSION_HEADER] = {
        "description": "De volledige versie van de API die antwoordde.",
        "schema": {"type": "string", "example": settings.API_VERSION},
    }
    version_ref = {"$ref": f"#/components/headers/{VERSION_HEADER}"}
    components.setdefault("schemas", {})[PROBLEM_SCHEMA] = _problem_schema()
    responses = components.setdefault("responses", {})
    for name, description in ERROR_RESPONSES.values():
        responses[name] = {
            "description": description,
            "headers": {VERSION_HEADER: version_ref},
            "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA}"}}},
        }
    # Optimistic concurrency: ``versie`` is required in a PATCH body too (the serializer checks it).
    for name, schema in components["schemas"].items():
        if name.startswith("Patched") and "versie" in schema.get("properties", {}):
            schema["required"] = sorted({*schema.get("required", []), "versie"})

    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            op_responses = operation.setdefault("responses", {})
            for code, response in op_responses.items():
                if str(code).startswith(("2", "3")) and "$ref" not in response:
                    response.setdefault("headers", {})[VERSION_HEADER] = version_ref
            wanted = []
            if method in WRITE_METHODS or any(p.get("in") == "query" for p in operation.get("parameters", [])):
                wanted.append(400)
            if not _is_public(operation):
                wanted += [401, 403]
            if "{" in path:
                wanted.append(404)
            if method in {"put", "patch"}:
                wanted.append(409)
            for code in wanted:
                op_responses[str(code)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
    return result

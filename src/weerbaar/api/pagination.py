from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages with a Dutch envelope: ``aantal``, ``volgende``, ``vorige``, ``resultaten``."""

    page_query_param = "pagina"
    page_query_description = "Het paginanummer (vanaf 1)."
    page_size_query_param = "paginaGrootte"
    page_size_query_description = "Het aantal resultaten per pagina (hoogstens 200)."
    max_page_size = 200
    invalid_page_message = "Deze pagina bestaat niet."

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        return Response(
            {
                "aantal": self.page.paginator.count,
                "volgende": self.get_next_link(),
                "vorige": self.get_previous_link(),
                "resultaten": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["aantal", "volgende", "vorige", "resultaten"],
            "properties": {
                "aantal": {"type": "integer", "description": "Het totale aantal resultaten.", "example": 123},
                "volgende": {**link, "description": "De volgende pagina, of null op de laatste."},
                "vorige": {**link, "description": "De vorige pagina, of null op de eerste."},
                "resultaten": schema,
            },
        }

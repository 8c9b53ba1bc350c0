"""Hostile input for every form and API write: no 500, no unescaped echo, nothing lost.

Usage in a test::

    submit_naughty(client, url, base_data={"name": "Burgerzaken"}, fields=["name", "description"])
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpResponse
from django.test import Client

NAUGHTY_STRINGS: list[str] = [
    "",
    " ",
    "x" * 10_000,
    "<script>alert('weerbaar')</script>",
    '"><img src=x onerror=alert(1)>',
    "<b onmouseover=alert(1)>vet</b>",
    "javascript:alert(1)",
    "'; DROP TABLE core_user; --",
    "1 OR 1=1",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "{{ 7*7 }}{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "\u202egnp.exe",
    "zero\u200bwidth\u200djoiner",
    "👩‍👩‍👧‍👦 café Ĳsselmonde ‘aanhalingstekens’ – streepje",
    "Z̵̡̢͉̈́ả̷̧͎l̶̛̙g̸̨̈ò̵̝",
    "\u0000nul",
    "line\r\nbreak\rcarriage",
    "-1",
    "99999999999999999999999999",
    "NaN",
    "http://169.254.169.254/latest/meta-data/",
]

HTML_MARKERS = ("<", '"')


def assert_no_unescaped_echo(response: HttpResponse, value: str) -> None:
    content_type = response.get("Content-Type", "")
    if "html" not in content_type:
        return
    body = response.content.decode("utf-8", errors="replace")
    if any(marker in value for marker in HTML_MARKERS) and value.strip():
        assert value not in body, f"Hostile input is echoed unescaped: {value[:60]!r}"


def _send(
    client: Client, method: str, url: str, data: Mapping[str, Any], as_json: bool, headers: dict[str, str]
) -> Any:
    call = getattr(client, method.lower())
    if as_json:
        return call(url, data=json.dumps(data), content_type="application/json", headers=headers)
    return call(url, data=data, headers=headers)


def submit_naughty(
    client: Client,
    url: str,
    *,
    base_data: Mapping[str, Any],
    fields: Iterable[str],
    method: str = "post",
    as_json: bool = False,
    headers: dict[str, str] | None = None,
    strings: Iterable[str] = NAUGHTY_STRINGS,
) -> list[Any]:
    """Send each hostile string in each field; assert no server error and no raw echo."""
    responses = []
    for field in fields:
        for value in strings:
            data = {**base_data, field: value}
            response = _send(client, method, url, data, as_json, headers or {})
            assert response.status_code < 500, f"{field}={value[:40]!r} gave {response.status_code}"
            if as_json:
                assert response["Content-Type"].startswith(("application/json", "application/problem+json")), (
                    f"API answered {response['Content-Type']} for {field}={value[:40]!r}"
                )
            assert_no_unescaped_echo(response, value)
            responses.append(response)
    return responses

"""Open every page each demo role can reach and check it with axe (WCAG 2.1 A + AA): 0 violations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urlparse

import pytest

from weerbaar.core.demo import GEMEENTE_PEOPLE, LARGE, RIEC, SHARED_ADVISER
from weerbaar.e2e.axe import axe_violations, csp_errors, describe
from weerbaar.e2e.helpers import log_in

#: Links the crawl must not follow: they change state or leave the HTML app.
SKIP_PREFIXES = ("/uitloggen", "/taal", "/static/", "/api/", "/.well-known/", "/wachtwoord-herstellen")
MAX_PAGES = 40

DEMO_ACCOUNTS = [f"{role}@{LARGE.domain}" for role, _label in GEMEENTE_PEOPLE] + [
    f"regio-analist@{RIEC[1]}",
    SHARED_ADVISER[0],
]


def crawl_paths(page: Any, base_url: str, start: str) -> list[str]:
    """The same-origin pages reachable from ``start`` (breadth-first, without checks)."""
    host = urlparse(base_url).netloc
    queue: list[str] = [start]
    seen: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(base_url + path)
        queue += [target for target in _links(page, host) if target not in seen]
    return seen


def _links(page: Any, host: str) -> list[str]:
    targets = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        url = urlparse(urldefrag(href)[0])
        target = url.path + (f"?{url.query}" if url.query else "")
        if url.netloc == host and not target.startswith(SKIP_PREFIXES):
            targets.append(target)
    return targets


def crawl(page: Any, base_url: str, start: str) -> dict[str, str]:
    """Breadth-first over same-origin links; returns {path: problems} for pages with findings."""
    host = urlparse(base_url).netloc
    queue: list[str] = [start]
    seen: set[str] = set()
    findings: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base_url + path)
        problems = []
        if response is None or response.status >= 400:
            problems.append(f"HTTP {response.status if response else 'geen antwoord'}")
        violations = axe_violations(page)
        if violations:
            problems.append(describe(violations))
        if csp_errors(page):
            problems.append("CSP: " + "; ".join(csp_errors(page)))
            page.weerbaar_console.clear()
        if problems:
            findings[path] = "\n".join(problems)
        queue += [target for target in _links(page, host) if target not in seen]
    assert len(seen) >= 2, f"the crawl reached only {seen}"
    return findings


def test_the_public_pages_have_no_violations(page: Any, live_server: Any, demo: list[Any]) -> None:
    findings = crawl(page, live_server.url, "/inloggen")
    assert not findings, "\n\n".join(f"{path}:\n{problem}" for path, problem in findings.items())


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_every_page_a_demo_role_reaches_has_no_violations(
    email: str, page: Any, live_server: Any, demo: list[Any]
) -> None:
    log_in(page, live_server.url, email)
    assert "/inloggen" not in page.url, f"login failed for {email}"
    findings = crawl(page, live_server.url, "/")
    assert not findings, "\n\n".join(f"{path}:\n{problem}" for path, problem in findings.items())


def test_self_test_axe_reports_an_image_without_alt_text(page: Any) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Test</title></head><body><main><h1>Kop</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert "image-alt" in ids

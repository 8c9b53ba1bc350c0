"""Open every page each demo role can reach and check it with axe (WCAG 2.1 A + AA): 0 violations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlparse

from django.urls import Resolver404, resolve

from weerbaar.core.demo import GEMEENTE_PEOPLE, LARGE, RIEC, SHARED_ADVISER
from weerbaar.e2e.axe import axe_violations, csp_errors, describe
from weerbaar.e2e.helpers import log_in, new_page

#: Links the crawl must not follow: they change state or leave the HTML app.
SKIP_PREFIXES = ("/uitloggen", "/taal", "/static/", "/api/", "/.well-known/", "/wachtwoord-herstellen")
#: Links that download a file (exports, import templates): no page to check.
DOWNLOAD_SUFFIXES = ("/exporteren", "/sjabloon", "/pdf", "/downloaden", "/logo")
#: Pages of one kind (one URL pattern, same query parameters) come from one template: one of each
#: is followed per role, so every kind of page is reached however many processes the demo holds.
PER_KIND = 1
MAX_PAGES = 150

#: The roles with the most rights come first: they see the most buttons and forms on a page, so
#: a kind of page is checked with axe by the first role that reaches it. Later roles still walk
#: every page they can reach (a 403 or 500 counts) but only run axe on kinds not checked yet,
#: and always on their own start page, which differs per role.
_ORDER = ["beheerder", "coordinator", "secretaris", "proceseigenaar", "vertrouwenspersoon", "lezer", "medewerker"]
DEMO_ACCOUNTS = [
    f"{role}@{LARGE.domain}"
    for role, _label in sorted(GEMEENTE_PEOPLE, key=lambda item: _ORDER.index(item[0]) if item[0] in _ORDER else 99)
] + [f"regio-analist@{RIEC[1]}", SHARED_ADVISER[0]]


def page_kind(path: str) -> str:
    parsed = urlparse(path)
    try:
        route = resolve(parsed.path).route
    except Resolver404:
        route = parsed.path
    return route + "?" + ",".join(sorted(key for key, _value in parse_qsl(parsed.query, keep_blank_values=True)))


def _select(candidates: list[str], seen: list[str] | set[str], kinds: Counter[str]) -> list[str]:
    chosen = []
    for target in candidates:
        if target in seen or target in chosen or kinds[page_kind(target)] >= PER_KIND:
            continue
        kinds[page_kind(target)] += 1
        chosen.append(target)
    return chosen


def crawl_paths(
    page: Any,
    base_url: str,
    start: str,
    on_page: Callable[[str], None] | None = None,
    kinds: Counter[str] | None = None,
) -> list[str]:
    """The same-origin pages reachable from ``start`` (breadth-first); ``on_page(path)`` runs on each."""
    host = urlparse(base_url).netloc
    queue: list[str] = [start]
    seen: list[str] = []
    kinds = Counter() if kinds is None else kinds
    kinds[page_kind(start)] += 1
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        page.goto(base_url + path)
        if on_page is not None:
            on_page(path)
        queue += _select(_links(page, host), set(seen) | set(queue), kinds)
    return seen


def _links(page: Any, host: str) -> list[str]:
    targets = []
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        url = urlparse(urldefrag(href)[0])
        target = url.path + (f"?{url.query}" if url.query else "")
        if url.netloc == host and not target.startswith(SKIP_PREFIXES) and not url.path.endswith(DOWNLOAD_SUFFIXES):
            targets.append(target)
    return targets


def crawl(page: Any, base_url: str, start: str, checked: set[str] | None = None) -> dict[str, str]:
    """Breadth-first over same-origin links; returns {path: problems} for pages with findings.

    ``checked`` holds the kinds of page already checked with axe by an earlier role; the start
    page is always checked.
    """
    checked = set() if checked is None else checked
    host = urlparse(base_url).netloc
    queue: list[str] = [start]
    seen: set[str] = set()
    kinds: Counter[str] = Counter({page_kind(start): 1})
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
        kind = page_kind(path)
        if path == start or kind not in checked:
            checked.add(kind)
            violations = axe_violations(page)
            if violations:
                problems.append(describe(violations))
        if csp_errors(page):
            problems.append("CSP: " + "; ".join(csp_errors(page)))
            page.weerbaar_console.clear()
        if problems:
            findings[path] = "\n".join(problems)
        queue += _select(_links(page, host), seen | set(queue), kinds)
    assert len(seen) >= 2, f"the crawl reached only {seen}"
    return findings


def test_every_public_page_and_every_page_each_demo_role_reaches_has_no_violations(
    chromium: Any, live_server: Any, demo: list[Any]
) -> None:
    # One test for the public pages and all roles: the demo is loaded once, the kinds checked carry over.
    checked: set[str] = set()
    findings: dict[str, str] = {}
    page = new_page(chromium)
    try:
        for path, problem in crawl(page, live_server.url, "/inloggen").items():
            findings[f"anoniem {path}"] = problem
    finally:
        page.context.close()
    for email in DEMO_ACCOUNTS:
        page = new_page(chromium)
        try:
            log_in(page, live_server.url, email)
            assert "/inloggen" not in page.url, f"login failed for {email}"
            for path, problem in crawl(page, live_server.url, "/", checked).items():
                findings[f"{email} {path}"] = problem
        finally:
            page.context.close()
    assert not findings, "\n\n".join(f"{where}:\n{problem}" for where, problem in findings.items())


def test_self_test_axe_reports_an_image_without_alt_text(page: Any) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="nl"><head><title>Test</title></head><body><main><h1>Kop</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>'
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert "image-alt" in ids

"""WCAG 1.4.10 reflow: at 320 CSS pixels wide no page scrolls sideways (wide tables scroll in their own box)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from weerbaar.core.demo import LARGE
from weerbaar.e2e.helpers import log_in, new_page
from weerbaar.e2e.test_axe_crawl import crawl_paths

#: Between them these two roles reach every kind of page of a gemeente.
ROLES = ("beheerder", "coordinator")


def test_no_page_scrolls_sideways_at_320_pixels(chromium: Any, live_server: Any, demo: Any) -> None:
    too_wide: dict[str, int] = {}
    kinds: Counter[str] = Counter()
    for role in ROLES:
        page = new_page(chromium)
        try:
            page.set_viewport_size({"width": 320, "height": 700})
            log_in(page, live_server.url, f"{role}@{LARGE.domain}")

            def measure(path: str, page: Any = page, role: str = role) -> None:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 320:
                    too_wide[f"{role} {path}"] = width

            crawl_paths(page, live_server.url, "/", on_page=measure, kinds=kinds)
        finally:
            page.context.close()
    assert not too_wide, f"pages wider than the screen: {too_wide}"

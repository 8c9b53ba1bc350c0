"""WCAG 1.4.10 reflow: at 320 CSS pixels wide no page scrolls sideways (wide tables scroll in their own box)."""

from __future__ import annotations

from typing import Any

from weerbaar.core.demo import LARGE
from weerbaar.e2e.helpers import log_in
from weerbaar.e2e.test_axe_crawl import crawl_paths


def test_no_page_of_the_beheerder_scrolls_sideways_at_320_pixels(page: Any, live_server: Any, demo: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    log_in(page, live_server.url, f"beheerder@{LARGE.domain}")
    too_wide = {}
    for path in crawl_paths(page, live_server.url, "/"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width
    assert not too_wide, f"pages wider than the screen: {too_wide}"

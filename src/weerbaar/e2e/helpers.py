from __future__ import annotations

from typing import Any

from weerbaar.core.demo import DEMO_PASSWORD


def log_in(page: Any, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/inloggen")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("domcontentloaded")


def new_page(chromium: Any) -> Any:
    """A page in a fresh browser context (its own cookies), collecting console messages."""
    context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.weerbaar_console = []
    page.on("console", lambda message: page.weerbaar_console.append(message.text))
    return page

from __future__ import annotations

from typing import Any

from weerbaar.core.demo import DEMO_PASSWORD


def log_in(page: Any, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/inloggen")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("domcontentloaded")

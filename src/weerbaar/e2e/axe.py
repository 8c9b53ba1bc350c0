"""axe-core (bundled by axe-playwright-python) with the WCAG 2.1 A and AA rules."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return list(results.response.get("violations", []))


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3]]
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation.get('help')} → {targets}")
    return "\n".join(lines)


def csp_errors(page: Any) -> list[str]:
    return [text for text in getattr(page, "weerbaar_console", []) if "Content Security Policy" in text]

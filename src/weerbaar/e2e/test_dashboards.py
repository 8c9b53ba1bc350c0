"""Each role's start page answers "what needs my attention now"; the secretaris downloads the published report.

One demo load for the whole walk: every role of the large demo gemeente logs in in its own browser
context, opens "/", finds its dashboard and its attention block, and axe finds nothing. The
secretaris then opens the archive of published reports and downloads the full PDF, which is read
back: it is the confidential version, marked on every page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from weerbaar.core.demo import LARGE
from weerbaar.e2e.helpers import log_in, new_page
from weerbaar.e2e.test_journeys import assert_accessible

#: role -> a text the role's dashboard must show (its own subject, not a generic welcome).
DASHBOARD_TEXT = {
    "secretaris": "Relatie met de burgemeester",
    "coordinator": "Scans die lopen",
    "proceseigenaar": "Mijn processen en mijn werk",
    "lezer": "De laatste managementrapportage",
    "beheerder": "Gebruikers, toegang en audittrail",
    "medewerker": "Bij wie u terechtkunt",
}


def _pdf_pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def test_every_role_opens_its_dashboard_and_the_secretaris_downloads_the_published_report(
    chromium: Any, live_server: Any, demo: Any, tmp_path: Path
) -> None:
    base = live_server.url
    for role, expected in DASHBOARD_TEXT.items():
        page = new_page(chromium)
        try:
            log_in(page, base, f"{role}@{LARGE.domain}")
            page.goto(base + "/")
            assert page.get_by_role("heading", level=1).count() == 1, role
            assert page.get_by_role("heading", name="Nu aandacht nodig").count() == 1, role
            assert page.get_by_text(expected).first.is_visible(), f"{role}: {expected!r} ontbreekt"
            assert_accessible(page)
        finally:
            page.context.close()

    page = new_page(chromium)
    try:
        log_in(page, base, f"secretaris@{LARGE.domain}")
        page.goto(base + "/rapportages")
        assert_accessible(page)
        page.get_by_role("link", name="managementrapportage").first.click()
        page.wait_for_load_state("domcontentloaded")
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="PDF downloaden").click()
        target = tmp_path / "rapportage.pdf"
        download_info.value.save_as(target)
    finally:
        page.context.close()

    assert target.read_bytes().startswith(b"%PDF")
    pages = _pdf_pages(target)
    assert len(pages) >= 5
    assert all("Vertrouwelijk" in text for text in pages)
    assert LARGE.name in pages[0]

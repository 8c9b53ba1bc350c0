"""The PDF: rendered to text with pypdfium2 to find its sections, the heat map and the marking on every page;
hostile names stay text; the renderer fetches nothing from outside."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from weasyprint.urls import URLFetcherResponse

from weerbaar.core.models import Organisation, OrganisationLogo
from weerbaar.core.tenancy import tenant_scope
from weerbaar.reports import rendering
from weerbaar.reports.content import build_report
from weerbaar.reports.tests.report_support import flat, one_round, pdf_pages, today, two_rounds
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

SECTIONS = (
    "Samenvatting",
    "Werkwijze",
    "Resultaten",
    "Hoogste prioriteiten",
    "Vergelijking met de vorige scan",
    "Maatregelen en hun stand",
    "Aandacht levend houden",
    "Bijlage: de processen van de scan",
)
HOSTILE = (
    '<img src="http://evil.example/x.png">',
    "<script>alert('weerbaar')</script>",
    '=HYPERLINK("http://evil.example")',
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1+1)",
    "https://evil.example/pad?x=1",
)


def _render(organisation: Organisation, version: str = "volledig") -> rendering.RenderedReport:
    with tenant_scope(organisation):
        return rendering.render_report(organisation, version=version, today=today())


def test_the_full_pdf_has_the_sections_the_heat_map_and_vertrouwelijk_on_every_page(world: World) -> None:
    scanned = two_rounds(world)
    rendered = _render(world.a.organisation)
    assert rendered.pdf.startswith(b"%PDF")
    pages = pdf_pages(rendered.pdf)
    assert rendered.page_count == len(pages) >= 3
    text = flat(" ".join(pages))
    for title in SECTIONS:
        assert title in text, title
    # The heat map is an SVG with real text: its title, the axes and the classes in words.
    assert "Heatmap van Scan 2026: 2 processen per kans en impact" in text
    assert "Impact: 1 (klein) tot 5 (zeer groot)" in text
    assert "zeer hoog" in text
    # The comparison chart names both rounds.
    assert "Processen per risicoklasse: Scan 2025 en Scan 2026" in text
    for number, page in enumerate(pages, start=1):
        assert "Vertrouwelijk" in flat(page) or "VERTROUWELIJK" in flat(page), f"page {number}"
    assert f"pagina 2 van {len(pages)}" in flat(pages[1])
    assert world.a.organisation.name in flat(pages[0])
    for process in scanned.processes:
        assert process.name in text
    assert rendered.scan == scanned.scan
    assert rendered.version == "volledig" and rendered.model_version
    assert len(rendered.data_hash) == 64
    assert "<style>" in rendered.html and rendered.html.lstrip().startswith("<!DOCTYPE html>")


def test_the_summary_pdf_is_marked_public_and_names_no_process(world: World) -> None:
    two_rounds(world, names=(f"Proces {CANARY} een", f"Proces {CANARY} twee"))
    rendered = _render(world.a.organisation, "samenvatting")
    pages = pdf_pages(rendered.pdf)
    text = flat(" ".join(pages))
    assert CANARY not in text and CANARY not in rendered.html
    assert "Hoogste prioriteiten" not in text and "Bijlage" not in text
    assert "Heatmap van Scan 2026" in text
    for number, page in enumerate(pages, start=1):
        assert "Openbare samenvatting".upper() in flat(page).upper(), f"page {number}"
    assert "Vertrouwelijk" not in text and "VERTROUWELIJK" not in text


def test_without_a_closed_scan_the_pdf_says_so(world: World) -> None:
    rendered = _render(world.a.organisation)
    text = flat(" ".join(pdf_pages(rendered.pdf)))
    assert "Er is nog geen afgesloten scan" in text
    assert "Maatregelen en hun stand" in text and "Aandacht levend houden" in text
    assert rendered.scan is None


def test_hostile_names_render_as_text_and_nothing_is_fetched(world: World, monkeypatch: Any) -> None:
    fetched: list[str] = []
    real = rendering.url_fetcher

    def spying_fetcher() -> Any:
        fetcher = real()
        original = fetcher.fetch

        def fetch(url: str, headers: Any = None) -> Any:
            fetched.append(url)
            return original(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(rendering, "url_fetcher", spying_fetcher)
    organisation = world.a.organisation
    organisation.name = '<img src="http://evil.example/logo.png"> Gemeente'
    organisation.save()
    one_round(world.a, HOSTILE)
    rendered = _render(organisation)
    html = rendered.html
    assert '<img src="http://evil.example' not in html and "<script>" not in html
    assert "&lt;img src=&quot;http://evil.example/x.png&quot;&gt;" in html
    assert 'href="https://evil.example' not in html and 'src="https://evil.example' not in html
    text = flat(" ".join(pdf_pages(rendered.pdf)))
    for name in HOSTILE:
        assert flat(name) in text, name
    assert '<img src="http://evil.example/logo.png"> Gemeente' in text
    assert all(url.startswith(("data:", rendering.BASE_URL)) for url in fetched), fetched


def test_very_long_text_wraps_and_renders(world: World) -> None:
    one_round(world.a, ("Vergunningen",))
    with tenant_scope(world.a.organisation):
        data = build_report(world.a.organisation, version="volledig", today=today())
    long_name = "W" * 10_000
    entry = replace(data.facts.processes[0], name=long_name, reasons=["x " * 5_000])
    data = replace(data, facts=replace(data.facts, processes=[entry], organisation_name="Gemeente " + "lang" * 50))
    html = rendering.render_html(world.a.organisation, data)
    pdf, pages = rendering.render_pdf(html)
    text = "".join(pdf_pages(pdf)).replace("\r", "").replace("\n", "").replace("\ufffe", "")
    assert text.count("W") >= 10_000
    assert pages >= 3


def test_the_fetcher_serves_only_our_static_files_and_data_uris() -> None:
    fetcher = rendering.url_fetcher()
    for url in (
        "http://evil.example/x.png",
        "https://evil.example/x.png",
        "file:///etc/passwd",
        "ftp://evil.example/x",
        "http://169.254.169.254/latest/meta-data/",
        f"{rendering.BASE_URL}static/../../settings.py",
        f"{rendering.BASE_URL}geheim",
        "https://weerbaar.invalid.evil.example/static/weerbaar/report.css",
    ):
        with pytest.raises(rendering.RefusedURL):
            fetcher.fetch(url)
    response = fetcher.fetch(f"{rendering.BASE_URL}static/weerbaar/report-print.css")
    assert isinstance(response, URLFetcherResponse) and b"@page" in response.read()
    assert fetcher.fetch("data:text/plain;base64,SGFsbG8=").read() == b"Hallo"


def test_a_logo_appears_on_the_cover_as_a_data_uri_only_for_png_or_jpeg(world: World) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    organisation = world.a.organisation
    OrganisationLogo.objects.create(organisation=organisation, content=png, content_type="image/png", sha256="x")
    assert rendering.logo_uri(organisation).startswith("data:image/png;base64,")
    rendered = _render(organisation)
    assert 'src="data:image/png;base64,' in rendered.html
    OrganisationLogo.objects.filter(organisation=organisation).update(content_type="image/svg+xml")
    assert rendering.logo_uri(organisation) == ""

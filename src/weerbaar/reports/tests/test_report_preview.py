"""The preview page and its PDF download: who may open them, what they show, the audit of the download."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.reports.tests.report_support import flat, pdf_pages, two_rounds
from weerbaar.reports.views import preview as preview_views
from weerbaar.scans.tests.results_support import bulk_results
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

PREVIEW = reverse("reports:preview")
PDF = reverse("reports:preview_pdf")
#: The preview's own queries: the report's content (CONTENT_BUDGET in test_report_content); the view adds none.
PREVIEW_BUDGET = 21


def test_the_coordinator_sees_the_full_preview_with_its_links(world: World) -> None:
    scanned = two_rounds(world)
    response = world.client_for("coordinator").get(PREVIEW)
    assert response.status_code == 200
    page = body(response)
    assert page.count("<h1") == 1
    assert "Weerbaar tegen ondermijning: managementrapportage" in page
    assert "Vertrouwelijk" in page
    assert f'href="{PDF}?versie=volledig"' in page
    assert "?versie=samenvatting" in page
    assert "Heatmap van Scan 2026" in page and "<svg" in page
    for process in scanned.processes:
        assert process.name in page


def test_the_preview_uses_no_inline_style_or_script(world: World) -> None:
    two_rounds(world)
    page = body(world.client_for("coordinator").get(PREVIEW))
    assert 'style="' not in page and "<style" not in page
    assert "<script>" not in page


def test_the_summary_preview_names_no_process(world: World) -> None:
    two_rounds(world, names=(f"Proces {CANARY} een", f"Proces {CANARY} twee"))
    page = body(world.client_for("coordinator").get(f"{PREVIEW}?versie=samenvatting"))
    assert CANARY not in page
    assert "Openbare samenvatting" in page


def test_an_odd_version_shows_the_full_report_instead_of_failing(world: World) -> None:
    response = world.client_for("coordinator").get(f"{PREVIEW}?versie=%3Cb%3Ex%3C%2Fb%3E")
    assert response.status_code == 200
    assert "<b>x</b>" not in body(response)
    assert "Vertrouwelijk" in body(response)


def test_without_a_closed_scan_the_preview_explains_it(world: World) -> None:
    response = world.client_for("coordinator").get(PREVIEW)
    assert response.status_code == 200
    assert "Er is nog geen afgesloten scan" in body(response)


def test_the_publish_link_appears_only_when_publishing_exists(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(preview_views, "_publish_url", lambda: None)
    assert "Rapportage publiceren" not in body(world.client_for("coordinator").get(PREVIEW))
    monkeypatch.setattr(preview_views, "_publish_url", lambda: "/rapportage/publiceren")
    assert 'href="/rapportage/publiceren"' in body(world.client_for("coordinator").get(PREVIEW))


@pytest.mark.parametrize("role", ["proceseigenaar", "medewerker", "lezer", "vertrouwenspersoon"])
def test_other_roles_may_not_open_the_preview(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(PREVIEW).status_code == 403
    assert client.get(PDF).status_code == 403


def test_the_preview_refuses_a_post(world: World) -> None:
    assert world.client_for("coordinator").post(PREVIEW).status_code == 405
    assert world.client_for("coordinator").post(PDF).status_code == 405


def test_the_pdf_download_is_an_attachment_and_audited(world: World) -> None:
    scanned = two_rounds(world)
    response = world.client_for("coordinator").get(f"{PDF}?versie=samenvatting")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="weerbaar-rapportage-samenvatting-')
    assert response["Cache-Control"] == "no-store"
    text = flat(" ".join(pdf_pages(response.content)))
    assert "Openbare samenvatting".upper() in text.upper()
    with tenant_scope(world.a.organisation):
        event = AuditEvent.objects.filter(action="report.preview_download").get()
    assert event.actor_label == world.a.user("coordinator").email or event.actor_uuid is not None
    assert event.changes["versie"] == [None, "samenvatting"]
    assert event.object_label == str(scanned.scan) or event.object_type == "scans.scan"


def _queries(world: World) -> int:
    client = world.client_for("coordinator")
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PREVIEW)
    assert response.status_code == 200
    return len(captured)


def test_the_preview_costs_the_same_queries_for_2_or_30_processes(world: World) -> None:
    scanned = two_rounds(world)
    small = _queries(world)
    with tenant_scope(world.a.organisation):
        bulk_results(world.a, [scanned.scan, scanned.previous], 0, 28)
    large = _queries(world)
    assert small == large, f"{small} queries for 2 processes, {large} for 30"
    overhead = middleware_queries(world.client_for("coordinator"))
    assert large <= overhead + PREVIEW_BUDGET

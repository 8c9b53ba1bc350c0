"""/api/v1/rapportages: the archive for readers, the PDF audited as a download via the API."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from weerbaar.api.tests.utils import assert_problem, auth, issue
from weerbaar.audit.models import AuditEvent
from weerbaar.reports.tests.publish_support import make_reports, publish
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rapportages"
#: The list: the count and one page of reports with publisher and scan (plus the key's own lookups).
API_LIST_BUDGET = 2


def _client(world: World, role: str = "lezer") -> Client:
    return Client(headers=auth(issue(world.a, role).key))


def test_a_reader_lists_the_published_reports_newest_first(world: World) -> None:
    first = publish(world.a.members["coordinator"], version="volledig", note="Eerste")
    second = publish(world.a.members["coordinator"], version="samenvatting")
    response = _client(world).get(LIST)
    assert response.status_code == 200
    assert response["API-Version"] == settings.API_VERSION
    data = response.json()
    assert data["aantal"] == 2
    assert [item["uuid"] for item in data["resultaten"]] == [str(second.uuid), str(first.uuid)]
    item = data["resultaten"][1]
    assert item["titel"] == first.title
    assert item["versie"] == "volledig"
    assert item["scan"] is None
    assert item["peildatum"] == first.reference_date.isoformat()
    assert item["modelversie"] == "test-1.0"
    assert item["gegevenshash"] == first.data_hash
    assert item["pdfHash"] == first.pdf_sha256
    assert item["audittrailhash"] == first.audit_head_hash
    assert item["audittrailvolgnummer"] == first.audit_head_sequence
    assert item["paginas"] == 3
    assert item["toelichting"] == "Eerste"
    assert item["gepubliceerdOp"]
    assert item["gepubliceerdDoor"] == {
        "uuid": str(world.a.members["coordinator"].uuid),
        "naam": str(world.a.user("coordinator")),
    }
    assert item["pdf"] == f"http://testserver/api/v1/rapportages/{first.uuid}/pdf"


def test_one_report_and_its_pdf_each_fetch_audited_as_an_api_download(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    client = _client(world)
    detail = client.get(f"{LIST}/{report.uuid}")
    assert detail.status_code == 200 and detail.json()["uuid"] == str(report.uuid)
    assert not AuditEvent.all_chains.filter(action="report.download").exists()

    response = client.get(detail.json()["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response.content.startswith(b"%PDF-")
    [event] = AuditEvent.all_chains.filter(action="report.download")
    assert event.changes["via"] == [None, "api"]
    assert event.object_uuid == str(report.uuid)
    assert event.actor_label == world.a.user("lezer").email

    as_pdf = client.get(detail.json()["pdf"], headers={"Accept": "application/pdf"})
    assert as_pdf.status_code == 200 and as_pdf.content == response.content
    assert AuditEvent.all_chains.filter(action="report.download").count() == 2


def test_roles_without_reports_view_get_403(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    client = _client(world, "proceseigenaar")
    for url in (LIST, f"{LIST}/{report.uuid}", f"{LIST}/{report.uuid}/pdf"):
        assert_problem(client.get(url), 403)
    assert not AuditEvent.all_chains.filter(action="report.download").exists()


def test_another_organisations_report_is_a_404(world: World) -> None:
    foreign = publish(world.b.members["coordinator"])
    client = _client(world)
    for url in (f"{LIST}/{foreign.uuid}", f"{LIST}/{foreign.uuid}/pdf"):
        response = client.get(url)
        assert_problem(response, 404)
        assert CANARY.encode() not in response.content
    # Even when the client asks for a PDF, the error is a problem+json body.
    assert_problem(client.get(f"{LIST}/{foreign.uuid}/pdf", headers={"Accept": "application/pdf"}), 404)
    assert CANARY.encode() not in client.get(LIST).content
    assert not AuditEvent.all_chains.filter(action="report.download").exists()


def test_the_archive_is_read_only(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    client = Client(headers=auth(issue(world.a, "coordinator").key))
    assert client.post(LIST, data="{}", content_type="application/json").status_code == 405
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(f"{LIST}/{report.uuid}", data="{}", content_type="application/json")
        assert response.status_code == 405, method


def test_naughty_query_parameters_give_no_server_error(world: World) -> None:
    make_reports(world.a.organisation, world.a.members["coordinator"], 3)
    submit_naughty(_client(world), LIST, base_data={}, fields=["pagina", "paginaGrootte"], method="get")


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(captured)


def test_the_list_is_flat(world: World) -> None:
    client = _client(world)
    client.get(LIST)  # the key's first use is recorded once; measure the steady state
    coordinator, secretaris = world.a.members["coordinator"], world.a.members["secretaris"]
    make_reports(world.a.organisation, coordinator, 2)
    make_reports(world.a.organisation, secretaris, 1, start=2)
    small = _queries(client)
    make_reports(world.a.organisation, coordinator, 14, start=3)
    make_reports(world.a.organisation, secretaris, 13, start=17)
    large = _queries(client)
    assert small == large, f"{small} queries for 3 reports, {large} for 30"
    overhead = _baseline(client)
    assert large <= overhead + API_LIST_BUDGET, f"{large - overhead} queries of the view's own"


def _baseline(client: Client) -> int:
    """What authenticating the key costs: an endpoint with a fixed small answer."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/organisatie").status_code == 200
    # /organisatie itself reads the organisation once.
    return len(captured) - 1

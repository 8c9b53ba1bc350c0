"""The pages: publishing (coordinator), the archive, one report and its PDF (readers), all audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.audit.models import AuditEvent, chain_for
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.reports.models import PublishedReport
from weerbaar.reports.tests.publish_support import fake_renderer, make_reports, publish, rewrite_trail
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

PUBLISH = reverse("reports:publish")
LIST = reverse("reports:published_list")

#: The archive page: the count for the paginator and one page of reports with publisher and scan.
LIST_BUDGET = 2


def detail(report: PublishedReport) -> str:
    return reverse("reports:published_detail", kwargs={"report_uuid": report.uuid})


def pdf(report: PublishedReport) -> str:
    return reverse("reports:published_pdf", kwargs={"report_uuid": report.uuid})


def download(report: PublishedReport) -> str:
    return reverse("reports:published_download", kwargs={"report_uuid": report.uuid})


def _downloads(world: World) -> list[AuditEvent]:
    return list(
        AuditEvent.all_chains.filter(chain=chain_for(world.a.organisation.uuid), action="report.download").order_by(
            "sequence"
        )
    )


def test_the_publish_form_explains_what_publishing_means(world: World) -> None:
    page = body(world.client_for("coordinator").get(PUBLISH))
    assert "ongewijzigd gearchiveerd" in page
    assert "kan niet meer worden gewijzigd of verwijderd" in page
    assert "lezers" in page
    assert 'type="radio" name="version" value="volledig"' in page
    assert 'type="radio" name="version" value="samenvatting"' in page
    assert 'name="note"' in page


def test_the_coordinator_publishes_and_lands_on_the_report(world: World) -> None:
    client = world.client_for("coordinator")
    with fake_renderer():
        response = client.post(PUBLISH, {"version": "samenvatting", "note": "Voor de raad"})
    report = PublishedReport.cross_tenant_objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(report)
    assert report.version == "samenvatting" and report.note == "Voor de raad"
    page = body(client.get(response["Location"]))
    assert "is gepubliceerd en ongewijzigd gearchiveerd" in page
    assert "Voor de raad" in page
    assert report.data_hash in page and report.audit_head_hash in page


def test_a_publish_without_a_version_keeps_the_note_and_publishes_nothing(world: World) -> None:
    with fake_renderer() as renderer:
        response = world.client_for("coordinator").post(PUBLISH, {"note": "Mijn toelichting"})
    assert response.status_code == 422
    page = body(response)
    assert "Kies welke versie u publiceert." in page
    assert "Mijn toelichting" in page
    assert not renderer.called
    assert not PublishedReport.cross_tenant_objects.exists()


def test_naughty_input_on_the_publish_form(world: World) -> None:
    with fake_renderer():
        submit_naughty(
            world.client_for("coordinator"),
            PUBLISH,
            base_data={"version": "volledig", "note": "Toelichting"},
            fields=["version", "note"],
        )
    # Each accepted note is archived exactly as typed (minus surrounding spaces), never more.
    notes = set(PublishedReport.cross_tenant_objects.values_list("note", flat=True))
    assert "<script>alert('weerbaar')</script>" in notes
    assert all(len(note) <= 2000 for note in notes)


def test_readers_open_the_archive_and_a_report(world: World) -> None:
    report = publish(world.a.members["coordinator"], note="Voor het college")
    for role in ("lezer", "secretaris", "coordinator"):
        client = world.client_for(role)
        listing = client.get(LIST)
        assert listing.status_code == 200, role
        assert report.title in body(listing)
        page = client.get(detail(report))
        assert page.status_code == 200, role
        text = body(page)
        assert "test-1.0" in text  # the scoring model version
        assert report.data_hash in text and report.audit_head_hash in text
        assert "De audittrail bevat de vastgelegde stand nog ongewijzigd" in text
        assert "status--ok" in text


def test_the_lezer_reads_the_confidential_full_version_too(world: World) -> None:
    # The lezer is the college and the audit committee: the full version is written for them.
    report = publish(world.a.members["coordinator"], version="volledig")
    client = world.client_for("lezer")
    assert client.get(pdf(report)).status_code == 200
    assert "vertrouwelijke, volledige versie" in body(client.get(detail(report)))


def test_roles_without_reports_view_get_403(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    for role in ("proceseigenaar", "medewerker", "vertrouwenspersoon", "beheerder"):
        client = world.client_for(role)
        for url in (LIST, detail(report), pdf(report), download(report), PUBLISH):
            assert client.get(url).status_code == 403, (role, url)
    for role in ("lezer", "secretaris"):
        assert world.client_for(role).get(PUBLISH).status_code == 403
        assert world.client_for(role).post(PUBLISH, {"version": "volledig"}).status_code == 403
    assert _downloads(world) == []


def test_another_organisations_report_is_a_404_and_never_audited_as_ours(world: World) -> None:
    foreign = publish(world.b.members["coordinator"])
    client = world.client_for("lezer")
    for url in (detail(foreign), pdf(foreign), download(foreign)):
        response = client.get(url)
        assert response.status_code == 404
        assert CANARY.encode() not in response.content
    assert CANARY not in body(client.get(LIST))
    assert not AuditEvent.all_chains.filter(action="report.download").exists()


def test_the_pdf_opens_inline_and_downloads_as_attachment_each_audited_once(world: World) -> None:
    report = publish(world.a.members["coordinator"])
    client = world.client_for("lezer")
    inline = client.get(pdf(report))
    assert inline.status_code == 200
    assert inline["Content-Type"] == "application/pdf"
    assert inline["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in inline["Cache-Control"]
    assert inline["Content-Disposition"].startswith('inline; filename="managementrapportage-')
    assert inline.content.startswith(b"%PDF-")
    assert len(_downloads(world)) == 1

    attachment = client.get(download(report))
    assert attachment["Content-Disposition"].startswith("attachment; ")
    assert attachment.content == inline.content
    events = _downloads(world)
    assert len(events) == 2
    assert [event.changes["disposition"][1] for event in events] == ["inline", "attachment"]
    assert {event.changes["via"][1] for event in events} == {"web"}
    assert all(event.object_uuid == str(report.uuid) for event in events)
    assert events[-1].actor_label == world.a.user("lezer").email


def test_the_filename_is_safe_whatever_the_title(world: World) -> None:
    from weerbaar.reports.views.published import pdf_filename

    report = publish(world.a.members["coordinator"])
    report.title = 'Rapportage "2026"\r\n/../ Ĳsselmonde; <script>'
    name = pdf_filename(report)
    assert name.endswith(".pdf")
    assert all(ch.isalnum() or ch in "-." for ch in name), name


def test_the_detail_page_warns_in_words_when_the_trail_was_rewritten(world: World) -> None:
    from weerbaar.audit.services import record

    record(action="test.event", organisation=world.a.organisation)
    report = publish(world.a.members["coordinator"])
    rewrite_trail(world.a.organisation, 1, "vervalst@example.org")
    page = body(world.client_for("lezer").get(detail(report)))
    assert "status--danger" in page
    assert "afwijking gevonden" in page
    assert "Let op:" in page


def test_the_archive_lists_newest_first_and_pages(world: World) -> None:
    make_reports(world.a.organisation, world.a.members["coordinator"], 30)
    client = world.client_for("lezer")
    first = body(client.get(LIST))
    assert first.index("Rapportage 029") < first.index("Rapportage 028")
    assert "Rapportage 004" not in first
    assert "Pagina 1 van 2" in first
    second = body(client.get(LIST + "?pagina=2"))
    assert "Rapportage 004" in second


def test_an_empty_archive_says_so(world: World) -> None:
    page = body(world.client_for("lezer").get(LIST))
    assert "Er is nog geen rapportage gepubliceerd" in page
    assert reverse("reports:publish") not in page
    assert reverse("reports:publish") in body(world.client_for("coordinator").get(LIST))


def _queries(client: Client, url: str) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _compare(world: World, url: str, grow: Callable[[int, int], None], budget: int) -> None:
    client = world.client_for("lezer")
    grow(0, 3)
    small = _queries(client, url)
    grow(3, 30)
    large = _queries(client, url)
    assert small == large, f"{url}: {small} queries for 3 reports, {large} for 30"
    overhead = middleware_queries(client)
    assert large <= overhead + budget, f"{url}: {large - overhead} queries of the view's own, budget {budget}"


def test_the_archive_page_is_flat(world: World) -> None:
    members = [world.a.members["coordinator"], world.a.members["secretaris"]]

    def grow(start: int, stop: int) -> None:
        for number in range(start, stop):
            make_reports(world.a.organisation, members[number % 2], 1, start=number)

    _compare(world, LIST, grow, LIST_BUDGET)

"""The issue's journey: from the priority list to a measure that lives, fades and is revived.

The coordinator opens the proposals from the priority list and adopts the best one; the owner marks
it implemented with a PDF as evidence; the residual risk on the process page drops. Then time
moves on (the implementation date is moved three cadences back, which is the same to the model):
the measure is listed as no longer alive, the weekly digest names it, and a review by the owner
brings it back. axe on every page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.core import mail
from django.core.management import call_command

from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.e2e.helpers import log_in, new_page
from weerbaar.e2e.test_journeys import assert_accessible
from weerbaar.testing.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from weerbaar.testing.world import Tenant

PROCESS = "Subsidieverlening sportverenigingen"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _gemeente() -> tuple[Tenant, Any]:
    """A gemeente whose one process has a result in a closed scan (through the scan workflow)."""
    from weerbaar.register.tests.support import make_process
    from weerbaar.scans.tests.results_support import scan_with_results

    organisation = OrganisationFactory.create(name="Gemeente Beekdal", inhabitants=31_000)
    top = UnitFactory.create(organisation=organisation, name="Samenleving")
    unit = UnitFactory.create(organisation=organisation, name="Subsidies", parent=top)
    tenant = Tenant(organisation=organisation, units=[top, unit])
    for role, email in (
        (Role.COORDINATOR, "coordinator@beekdal.example"),
        (Role.PROCESEIGENAAR, "eigenaar@beekdal.example"),
    ):
        user = UserFactory.create(email=email, full_name=f"{role.label} Beekdal")
        tenant.members[role] = MembershipFactory.create(organisation=organisation, user=user, roles=[role])
    with tenant_scope(organisation):
        process = make_process(tenant, name=PROCESS)
        scan_with_results(tenant, [process], name="Kwetsbaarhedenscan 2026")
    return tenant, process


def _scores(page: Any) -> tuple[int, int]:
    """(score when the scan closed, residual risk now) from the process page."""
    section = page.locator("section.residual")
    at_close = section.locator("dt:has-text('Bij het afsluiten van de scan') + dd").inner_text()
    now = section.locator("strong.plan-score").inner_text()
    return int(re.search(r"\d+", at_close).group()), int(now)  # type: ignore[union-attr]


def test_a_measure_from_proposal_to_alive_faded_and_revived(
    chromium: Any, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    base = live_server.url
    tenant, process = _gemeente()
    process_page = f"{base}/resultaten/processen/{process.uuid}"

    # The coordinator: priority list → proposals → adopt the best one for the owner.
    page = new_page(chromium)
    log_in(page, base, "coordinator@beekdal.example", password=TEST_PASSWORD)
    page.goto(base + "/resultaten")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"Maatregelen {PROCESS}")).click()
    page.wait_for_load_state("domcontentloaded")
    assert_accessible(page)
    best = page.locator("#ranked-heading ~ *").get_by_role("link", name=re.compile("Overnemen in het actieplan")).first
    best.click()
    page.wait_for_load_state("domcontentloaded")
    assert_accessible(page)
    measure_name = re.search(r"“(.+)”", page.locator("h1").inner_text()).group(1)  # type: ignore[union-attr]
    page.get_by_role("button", name="In het actieplan zetten").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_text(measure_name).first.wait_for()
    page.close()

    # The owner: "mijn maatregelen" → the plan line → implemented, with a PDF as evidence.
    page = new_page(chromium)
    log_in(page, base, "eigenaar@beekdal.example", password=TEST_PASSWORD)
    page.goto(process_page)
    before_close, before_now = _scores(page)
    assert before_now == before_close
    page.goto(base + "/mijn-maatregelen")
    assert_accessible(page)
    page.get_by_role("link", name=measure_name).first.click()
    page.wait_for_load_state("domcontentloaded")
    assert_accessible(page)
    line_url = page.url
    page.get_by_label("Geïmplementeerd", exact=True).check()
    page.get_by_role("button", name="Status opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    evidence = tmp_path / "besluit-vier-ogen.pdf"
    evidence.write_bytes(PDF)
    page.locator("#evidence-heading ~ form textarea").fill("Besluit van het MT, werkinstructie aangepast.")
    page.locator("#evidence-heading ~ form input[type=file]").set_input_files(str(evidence))
    page.get_by_role("button", name="Bewijsstuk toevoegen").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_text("besluit-vier-ogen.pdf").first.wait_for()
    assert_accessible(page)

    # The residual risk drops on the process page.
    page.goto(process_page)
    assert_accessible(page)
    close, implemented_now = _scores(page)
    assert implemented_now < close == before_close

    # Time moves on: three cadences after the implementation nobody has reviewed it.
    from weerbaar.plan.models import PlannedMeasure

    with tenant_scope(tenant.organisation):
        planned = PlannedMeasure.objects.get(process=process)
        planned.implemented_on = planned.implemented_on - dt.timedelta(
            days=round(30.44 * 3 * planned.review_cadence_months) + 2
        )
        planned.save(update_fields=["implemented_on"])
    page.goto(process_page)
    lapsed = page.locator(".residual__lapsed")
    lapsed.get_by_text(measure_name).wait_for()
    assert_accessible(page)
    assert _scores(page)[1] == close

    # The weekly digest to the owner names the measure and links to it.
    mail.outbox.clear()
    call_command("send_digests", "--weekly")
    digests = [m for m in mail.outbox if m.to == ["eigenaar@beekdal.example"]]
    assert len(digests) == 1 and measure_name in digests[0].body
    assert line_url.removeprefix(base) in digests[0].body

    # A review brings it back to life.
    page.goto(line_url)
    page.get_by_label("Effectief", exact=True).check()
    page.get_by_role("button", name="Herziening opslaan").click()
    page.wait_for_load_state("domcontentloaded")
    page.goto(process_page)
    assert page.locator(".residual__lapsed").count() == 0
    assert _scores(page)[1] < close
    assert_accessible(page)
    page.close()

"""The issue's journey: a scan from creation to the heat map, the raters using only the keyboard.

The coordinator creates and opens a scan of one process; the owner and a colleague rate it
differently with key presses alone (counted); the review flags the difference; the coordinator
settles it and closes the scan; the heat map and the priority list show the process and its
explanation. axe on every page.
"""

from __future__ import annotations

import re
from typing import Any

from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.e2e.helpers import log_in, new_page
from weerbaar.e2e.test_journeys import assert_accessible
from weerbaar.testing.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UnitFactory, UserFactory

PROCESS = "Exploitatievergunning horeca"
#: One rater per line: the eight characteristics (K1..K8, 0-4), five impact levels (1-5), certainty
#: (1 = zeker). K1 differs by 2 between the raters, so the review must flag it.
OWNER_KEYS = "20122112" + "33233" + "1"
COLLEAGUE_KEYS = "00122112" + "33233" + "1"


def _gemeente() -> dict[str, str]:
    from weerbaar.catalogue.models import ProcessCategory
    from weerbaar.register.services import process_create

    organisation = OrganisationFactory.create(name="Gemeente Beekdal", inhabitants=31_000)
    unit = UnitFactory.create(organisation=organisation, name="Vergunningen")
    people: dict[str, str] = {}
    members = {}
    for role, email, name in (
        (Role.COORDINATOR, "coordinator@beekdal.example", "Coördinator Beekdal"),
        (Role.PROCESEIGENAAR, "eigenaar@beekdal.example", "Eigenaar Beekdal"),
        (Role.MEDEWERKER, "collega@beekdal.example", "Collega Beekdal"),
    ):
        user = UserFactory.create(email=email, full_name=name)
        members[role] = MembershipFactory.create(organisation=organisation, user=user, roles=[role])
        people[role] = email
    with tenant_scope(organisation):
        process_create(
            actor=None,
            organisation=organisation,
            name=PROCESS,
            category=ProcessCategory.objects.order_by("position")[0],
            unit=unit,
            owner=members[Role.PROCESEIGENAAR],
        )
    return people


def _rate_with_keys(page: Any, base: str, email: str, digits: str) -> int:
    """Open the first rating of ``email`` and rate it with key presses only; returns how many."""
    log_in(page, base, email, password=TEST_PASSWORD)
    page.goto(base + "/beoordelen")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(PROCESS)).first.click()
    page.wait_for_load_state("domcontentloaded")
    assert_accessible(page)
    presses = 0
    for digit in digits:
        page.keyboard.press(digit)
        presses += 1
    # After the certainty the focus is on "Opslaan en inleveren".
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Opslaan en inleveren", focused
    page.keyboard.press("Enter")
    presses += 1
    page.wait_for_url(re.compile(r"/beoordelen$"))
    page.get_by_text("1 van 1 proces ingeleverd").wait_for()
    assert_accessible(page)
    return presses


def test_a_scan_from_creation_to_the_heat_map(chromium: Any, live_server: Any, transactional_db: None) -> None:
    base = live_server.url
    people = _gemeente()

    coordinator = new_page(chromium)
    log_in(coordinator, base, people[Role.COORDINATOR], password=TEST_PASSWORD)
    coordinator.goto(base + "/scans/nieuw")
    assert_accessible(coordinator)
    coordinator.get_by_label("Naam van de scan").fill("Scan Beekdal")
    # The coordinator is offered as a rater of every process; here the colleague rates instead.
    coordinator.get_by_label("Coördinator Beekdal", exact=False).uncheck()
    coordinator.get_by_label("Collega Beekdal", exact=False).check()
    coordinator.get_by_role("button", name="Scan aanmaken als concept").click()
    coordinator.wait_for_load_state("domcontentloaded")
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Openen en beoordelaars uitnodigen").click()
    coordinator.wait_for_load_state("domcontentloaded")
    coordinator.get_by_text("Open voor beoordeling").first.wait_for()
    scan_url = coordinator.url

    presses = []
    for role, digits in ((Role.PROCESEIGENAAR, OWNER_KEYS), (Role.MEDEWERKER, COLLEAGUE_KEYS)):
        rater = new_page(chromium)
        try:
            presses.append(_rate_with_keys(rater, base, people[role], digits))
        finally:
            rater.context.close()
    # 8 characteristics + 5 impact levels + certainty + Enter: one key each, no mouse at all.
    assert presses == [15, 15]

    coordinator.goto(scan_url)
    coordinator.get_by_role("button", name="Consensusfase starten").click()
    coordinator.wait_for_load_state("domcontentloaded")
    coordinator.goto(scan_url + "/consensus")
    assert_accessible(coordinator)
    row = coordinator.get_by_role("row", name=re.compile(PROCESS))
    assert "1 onderdeel verschilt 2 of meer" in row.inner_text() and "nog vast te stellen" in row.inner_text()
    row.get_by_role("link", name=re.compile(PROCESS)).click()
    coordinator.wait_for_load_state("domcontentloaded")
    assert_accessible(coordinator)
    assert coordinator.get_by_text("verschil van 2 of meer").count() >= 1
    coordinator.get_by_label("Toelichting bij de consensus", exact=False).fill(
        "Besproken met beide beoordelaars: de aanvragers hebben groot belang bij een vergunning."
    )
    coordinator.get_by_role("button", name="Consensus vaststellen").click()
    coordinator.wait_for_load_state("domcontentloaded")
    coordinator.goto(scan_url)
    coordinator.get_by_role("button", name="Scan afsluiten").click()
    coordinator.wait_for_load_state("domcontentloaded")
    coordinator.get_by_text("Afgesloten").first.wait_for()

    coordinator.goto(base + "/resultaten")
    assert_accessible(coordinator)
    heat_map = coordinator.locator("svg[role=img]")
    assert heat_map.count() == 1 and heat_map.locator("title").count() >= 1
    coordinator.get_by_role("link", name=re.compile(PROCESS)).first.click()
    coordinator.wait_for_load_state("domcontentloaded")
    assert_accessible(coordinator)
    text = coordinator.locator("main").inner_text()
    assert "K1 Groot direct belang van derden bij een beslissing (score 2) draagt 6 punten bij" in text
    assert "Solistisch werken versterkt de andere kenmerken" in text
    assert "verschil van 2 of meer" in text
    coordinator.context.close()

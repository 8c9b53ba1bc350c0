"""A beheerder's forms, used the way a person uses them: opened, changed, saved."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from weerbaar.core.demo import LARGE
from weerbaar.e2e.helpers import log_in
from weerbaar.e2e.test_journeys import assert_accessible


def _success(page: Any) -> str:
    return page.locator(".notice--success").inner_text()


def test_a_beheerder_keeps_the_organisation_tidy(page: Any, live_server: Any, demo_without_scans: Any) -> None:
    base = live_server.url
    log_in(page, base, f"beheerder@{LARGE.domain}")
    nav = page.get_by_role("navigation", name="Hoofdmenu")

    # Settings open with the current values and save without a conflict.
    nav.get_by_role("link", name="Instellingen").click()
    assert page.locator("input[name=name]").input_value() == LARGE.name
    page.locator("input[name=inhabitants]").fill("121650")
    page.get_by_role("button", name="Opslaan").click()
    assert "Gelukt" in _success(page)
    assert_accessible(page)

    # A new team under Publiekszaken, then renamed; the edit form opens with the saved values.
    nav.get_by_role("link", name="Afdelingen en teams").click()
    page.get_by_role("link", name="Afdeling of team toevoegen").click()
    page.locator("input[name=name]").fill("Team Reisdocumenten")
    page.locator("select[name=parent]").select_option(label="Publiekszaken")
    page.get_by_role("button", name="Toevoegen").click()
    assert page.get_by_text("Team Reisdocumenten").count() >= 1
    assert_accessible(page)
    page.locator("li", has_text="Team Reisdocumenten").get_by_role("link", name="Wijzigen").last.click()
    assert page.locator("input[name=name]").input_value() == "Team Reisdocumenten"
    page.locator("input[name=name]").fill("Team Reisdocumenten en Rijbewijzen")
    page.get_by_role("button", name="Opslaan").click()
    assert page.get_by_text("Team Reisdocumenten en Rijbewijzen").count() >= 1

    # Invite a colleague; the e-mail carries a one-time link.
    nav.get_by_role("link", name="Gebruikers").click()
    page.get_by_role("link", name="Iemand uitnodigen").click()
    page.locator("input[name=email]").fill("nieuwe.collega@veenhaven.example")
    page.locator("input[name=full_name]").fill("Nieuwe Collega")
    page.get_by_label("Proceseigenaar").check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert "Gelukt" in _success(page)
    assert_accessible(page)
    assert any("nieuwe.collega@veenhaven.example" in message.to for message in mail.outbox)
    link = re.search(r"https?://\S+/uitnodiging/\S+", str(mail.outbox[-1].body))
    assert link is not None

    # Change a member's roles from the detail page; the form shows the current roles.
    page.get_by_role("link", name="Lezer Veenhaven").click()
    page.get_by_role("link", name="Rollen en afdeling wijzigen").click()
    assert page.get_by_label("Lezer").is_checked()
    page.get_by_label("Proceseigenaar").check()
    page.get_by_role("button", name="Opslaan").click()
    assert "Gelukt" in _success(page)
    assert_accessible(page)

    # The audit trail shows what happened.
    nav.get_by_role("link", name="Audittrail").click()
    for action in ("organisation.update", "unit.create", "unit.update", "invitation.create", "membership.update"):
        assert page.get_by_role("cell", name=action).count() >= 1, action

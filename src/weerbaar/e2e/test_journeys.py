"""Journeys a person makes, each page checked with axe on the way."""

from __future__ import annotations

from typing import Any

from weerbaar.core.demo import LARGE, SHARED_ADVISER, SMALL
from weerbaar.e2e.axe import axe_violations, csp_errors, describe
from weerbaar.e2e.helpers import log_in


def assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"
    assert not csp_errors(page), csp_errors(page)


def test_log_in_switch_organisation_open_the_audit_log_and_log_out(
    page: Any, live_server: Any, demo_without_scans: Any
) -> None:
    base = live_server.url
    page.goto(base + "/")
    assert "/inloggen" in page.url
    assert_accessible(page)

    log_in(page, base, SHARED_ADVISER[0])
    # The start page names the organisation under its heading; the adviser's are listed by name, Oosterzijl first.
    assert SMALL.name in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_label("Organisatie", exact=True).select_option(label=LARGE.name)
    page.get_by_role("button", name="Wissel").click()
    assert LARGE.name in page.get_by_role("main").inner_text()
    assert page.get_by_role("status").filter(has_text=LARGE.name).count() == 1
    assert_accessible(page)

    # In the large gemeente the adviser is only a reader: no audit log in the menu, and a 403 on the page.
    assert page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Audittrail").count() == 0
    response = page.goto(base + "/audittrail/")
    assert response is not None and response.status == 403
    assert_accessible(page)

    page.goto(base + "/")
    page.get_by_label("Organisatie", exact=True).select_option(label=SMALL.name)
    page.get_by_role("button", name="Wissel").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Audittrail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audittrail"
    assert page.get_by_role("cell", name="auth.login").count() >= 1
    assert_accessible(page)

    page.get_by_role("button", name="Uitloggen").click()
    assert "/inloggen" in page.url
    page.goto(base + "/audittrail/")
    assert "/inloggen" in page.url


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    page: Any, live_server: Any, demo_without_scans: Any
) -> None:
    log_in(page, live_server.url, f"beheerder@{LARGE.domain}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_log_in_with_two_factor_authentication(page: Any, live_server: Any, demo_without_scans: Any) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from weerbaar.core.models import User

    user = User.objects.get(email=f"coordinator@{LARGE.domain}")
    device = TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    base = live_server.url

    log_in(page, base, user.email)
    assert "/inloggen/verificatie" in page.url
    assert_accessible(page)
    page.locator("input[name=code]").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    assert "/inloggen/verificatie" in page.url  # a wrong code is refused, the user stays on the code step
    assert_accessible(page)

    page.wait_for_timeout(1_500)  # django-otp throttles the next try for a second after a wrong code
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.locator("input[name=code]").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Inloggen").click()
    assert LARGE.name in page.get_by_role("main").inner_text()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Audittrail").click()
    assert page.get_by_role("cell", name="auth.2fa_failed").count() >= 1
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    assert "/inloggen" in page.url

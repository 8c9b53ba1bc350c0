"""“Mijn meldingen”: which e-mails a member gets per role, switching digests, the version check, the audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weerbaar.attention.models import NotificationPreference
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

URL = "/mijn-meldingen"


def _preference(world: World, role: str) -> NotificationPreference | None:
    with tenant_scope(world.a.organisation):
        return NotificationPreference.objects.filter(membership=world.a.members[role]).first()


def test_the_url_is_the_dutch_one() -> None:
    assert reverse("attention:preferences") == URL


def test_an_owner_sees_the_weekly_digest_and_that_scan_mails_always_come(world: World) -> None:
    html = body(world.client_for("proceseigenaar").get(URL))
    assert "Wekelijks overzicht van uw werk" in html and 'name="weekly_digest"' in html
    assert "Maandelijks overzicht" not in html and 'name="monthly_digest"' not in html
    assert "Uitnodigingen en herinneringen voor een scan" in html and "niet uitzetten" in html


def test_the_coordinator_also_sees_the_monthly_digest(world: World) -> None:
    html = body(world.client_for("coordinator").get(URL))
    assert 'name="weekly_digest"' in html and 'name="monthly_digest"' in html
    assert "Maandelijks overzicht voor de coördinator" in html


def test_a_reader_gets_no_digests_and_no_form(world: World) -> None:
    response = world.client_for("lezer").get(URL)
    assert response.status_code == 200
    html = body(response)
    assert "geen overzichten per e-mail" in html and '<form method="post" novalidate>' not in html
    assert "Uitnodigingen en herinneringen voor een scan" not in html


def test_switching_the_weekly_digest_off_creates_the_row_and_is_audited(world: World) -> None:
    client = world.client_for("proceseigenaar")
    assert _preference(world, "proceseigenaar") is None
    response = client.post(URL, {"version": "1"})  # an unticked box is absent from the POST
    assert response.status_code == 302 and response["Location"] == URL
    stored = _preference(world, "proceseigenaar")
    assert stored is not None and stored.weekly_digest is False and stored.monthly_digest is True
    assert stored.version == 2
    [event] = events(world.a.organisation, "attention.preference.update")
    assert event.changes == {"weekly_digest": [True, False]}
    html = body(client.get(URL))
    assert "opgeslagen" in html and 'name="version" value="2"' in html and 'id="id_weekly_digest" checked' not in html
    # Saving the same again changes nothing and records nothing.
    client.post(URL, {"version": "2"})
    assert len(events(world.a.organisation, "attention.preference.update")) == 1


def test_a_digest_the_role_does_not_offer_cannot_be_switched(world: World) -> None:
    client = world.client_for("proceseigenaar")
    client.post(URL, {"version": "1", "weekly_digest": "on", "monthly_digest": ""})
    stored = _preference(world, "proceseigenaar")
    # No change at all: the monthly digest is not the owner's to switch.
    assert stored is None or (stored.weekly_digest and stored.monthly_digest)


def test_a_stale_form_shows_a_conflict_and_changes_nothing(world: World) -> None:
    client = world.client_for("coordinator")
    assert client.post(URL, {"version": "1", "weekly_digest": "on"}).status_code == 302  # monthly off
    response = client.post(URL, {"version": "1", "weekly_digest": "on", "monthly_digest": "on"})
    html = body(response)
    assert response.status_code == 200 and "intussen gewijzigd" in html
    stored = _preference(world, "coordinator")
    assert stored is not None and stored.monthly_digest is False and stored.version == 2
    assert 'name="version" value="2"' in html and 'id="id_monthly_digest" checked' in html


def test_the_form_survives_hostile_input(world: World) -> None:
    client = world.client_for("coordinator")
    submit_naughty(
        client,
        URL,
        base_data={"version": "1", "weekly_digest": "on"},
        fields=["version", "weekly_digest", "monthly_digest"],
    )


def test_the_security_page_links_to_the_preferences(world: World) -> None:
    html = body(world.client_for("medewerker").get(reverse("accounts:security")))
    assert f'href="{URL}"' in html

"""The communication plan: per month for a year, "niet gedaan" in words, add/edit/mark done, dates, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from weerbaar.attention.models import CommunicationItem
from weerbaar.attention.tests.support import days, make_item, past_item, today
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

PLAN = reverse("attention:communication_plan")
CREATE = reverse("attention:communication_create")


def edit(item: CommunicationItem) -> str:
    return reverse("attention:communication_update", kwargs={"communication_item_uuid": item.uuid})


def done(item: CommunicationItem) -> str:
    return reverse("attention:communication_done", kwargs={"communication_item_uuid": item.uuid})


def _data(world: World, **extra: str) -> dict[str, str]:
    data = {
        "planned_on": days(10).isoformat(),
        "subject": "Intranetbericht: wat is ondermijning?",
        "audience": "Alle medewerkers",
        "channel": "intranet",
        "owner": str(world.a.members["coordinator"].uuid),
        "done_on": "",
        "note": "",
    }
    data.update(extra)
    return data


def test_the_plan_shows_a_year_per_month_and_says_niet_gedaan_in_words(world: World) -> None:
    missed = past_item(world.a, "Nieuwsbrief over melden", days(-1))
    year = missed.planned_on.year
    make_item(world.a, "Les van vorig jaar", planned_on=dt.date(year - 1, 5, 1), done_on=dt.date(year - 1, 5, 1))
    page = body(world.client_for("secretaris").get(PLAN, {"jaar": year}))
    assert f"Communicatieplan {year}" in page
    assert "Januari" in page and "December" in page
    assert "Nieuwsbrief over melden" in page and "niet gedaan" in page
    assert "Les van vorig jaar" not in page
    assert "Moment toevoegen" not in page  # the secretaris reads only
    last_year = body(world.client_for("secretaris").get(PLAN, {"jaar": year - 1}))
    assert "Les van vorig jaar" in last_year and "gedaan" in last_year


def test_an_unusable_year_shows_this_year_with_a_notice(world: World) -> None:
    client = world.client_for("coordinator")
    for junk in ("abc", "99999", "-1", "<script>"):
        response = client.get(PLAN, {"jaar": junk})
        assert response.status_code == 200
        assert "Dat jaar kunnen we niet tonen" in body(response)


def test_the_coordinator_adds_a_moment_and_it_is_audited(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(CREATE, _data(world))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        item = CommunicationItem.objects.get()
    assert response["Location"].endswith(f"?jaar={item.planned_on.year}#moment-{item.uuid}")
    assert len(events(world.a.organisation, "attention.communication.create")) == 1


def test_a_new_moment_in_the_past_is_refused_unless_it_is_recorded_as_done(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(CREATE, _data(world, planned_on=days(-3).isoformat()))
    assert response.status_code == 422
    assert "Deze datum is al voorbij" in body(response)
    assert "Intranetbericht: wat is ondermijning?" in body(response)
    response = client.post(CREATE, _data(world, planned_on=days(-3).isoformat(), done_on=days(-3).isoformat()))
    assert response.status_code == 302


def test_done_on_in_the_future_is_refused(world: World) -> None:
    response = world.client_for("coordinator").post(CREATE, _data(world, done_on=days(2).isoformat()))
    assert response.status_code == 422
    assert "Deze datum ligt in de toekomst" in body(response)


def test_an_owner_of_another_organisation_is_refused(world: World) -> None:
    response = world.client_for("coordinator").post(
        CREATE, _data(world, owner=str(world.b.members["coordinator"].uuid))
    )
    assert response.status_code == 422
    with pytest.raises(ValidationError, match="actief lid van deze organisatie"):
        make_item(world.a, owner=world.b.members["coordinator"])


def test_edit_guards_the_version_and_mark_done_is_audited(world: World) -> None:
    item = make_item(world.a, planned_on=days(1))
    client = world.client_for("coordinator")
    assert client.post(edit(item), _data(world, subject="Nieuw onderwerp", version="1")).status_code == 302
    stale = client.post(edit(item), _data(world, subject="Ander onderwerp", version="1"))
    assert "Iemand anders heeft dit intussen gewijzigd" in body(stale) and "Ander onderwerp" in body(stale)
    assert client.post(done(item), {"version": "2"}).status_code == 302
    with tenant_scope(world.a.organisation):
        item.refresh_from_db()
    assert item.done_on == today() and item.subject == "Nieuw onderwerp"
    assert len(events(world.a.organisation, "attention.communication.update")) == 1
    assert len(events(world.a.organisation, "attention.communication.done")) == 1
    # Done twice: refused with a message, nothing changes.
    client.post(done(item), {"version": "3"})
    assert len(events(world.a.organisation, "attention.communication.done")) == 1


def test_a_moment_whose_date_passed_may_keep_it_when_edited(world: World) -> None:
    item = past_item(world.a, "Nieuwsbrief", days(-10))
    client = world.client_for("coordinator")
    data = _data(world, planned_on=days(-10).isoformat(), subject="Nieuwsbrief (verschoven)", version="1")
    assert client.post(edit(item), data).status_code == 302


def test_naughty_input_on_the_communication_forms(world: World) -> None:
    client = world.client_for("coordinator")
    fields = ["planned_on", "subject", "audience", "channel", "owner", "done_on", "note"]
    submit_naughty(client, CREATE, base_data=_data(world), fields=fields)
    item = make_item(world.a)
    submit_naughty(client, edit(item), base_data=_data(world, version="1"), fields=[*fields, "version"])
    submit_naughty(client, done(item), base_data={"version": "1"}, fields=["version"])
    with tenant_scope(world.a.organisation):
        for saved in CommunicationItem.objects.all():
            assert saved.subject.strip() and saved.audience.strip()
            assert saved.done_on is None or saved.done_on <= today()

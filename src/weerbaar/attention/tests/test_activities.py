"""Recurring activities: the pages, who may do what, dates, reach, the done-log and the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weerbaar.attention.models import ActivityLog, RecurringActivity
from weerbaar.attention.tests.support import backdate, days, log, make_activity, position, today
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

CREATE = reverse("attention:activity_create")
LIST = reverse("attention:activity_list")


def detail(activity: RecurringActivity) -> str:
    return reverse("attention:activity_detail", kwargs={"activity_uuid": activity.uuid})


def edit(activity: RecurringActivity) -> str:
    return reverse("attention:activity_update", kwargs={"activity_uuid": activity.uuid})


def _create_data(world: World, **extra: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "kind": "normgesprek",
        "name": "Normgesprek per afdeling",
        "description": "Jaarlijks gesprek over de norm.",
        "cadence_months": "12",
        "starts_on": days(7).isoformat(),
        "owner": str(world.a.members["proceseigenaar"].uuid),
        "target_units": [str(unit.uuid) for unit in world.a.units],
    }
    data.update(extra)
    return data


def test_the_coordinator_creates_an_activity_and_it_is_audited(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(CREATE, _create_data(world))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        activity = RecurringActivity.objects.get()
        assert activity.owner == world.a.members["proceseigenaar"]
        assert set(activity.target_units.all()) == set(world.a.units)
    assert response["Location"] == detail(activity)
    assert len(events(world.a.organisation, "attention.activity.create")) == 1
    page = body(client.get(LIST))
    assert "Normgesprek per afdeling" in page and "elke 12 maanden" in page


def test_a_first_date_in_the_past_is_refused_in_dutch_and_the_input_is_kept(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(CREATE, _create_data(world, starts_on=days(-1).isoformat(), name="Mijn campagne"))
    page = body(response)
    assert response.status_code == 200
    assert "Deze datum is al voorbij. Kies een datum vanaf vandaag." in page
    assert 'value="Mijn campagne"' in page
    with tenant_scope(world.a.organisation):
        assert not RecurringActivity.objects.exists()


def test_an_owner_of_another_organisation_is_refused(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(CREATE, _create_data(world, owner=str(world.b.members["proceseigenaar"].uuid)))
    assert response.status_code == 200
    assert "geldige keuze" in body(response).lower() or "Selecteer" in body(response)
    with tenant_scope(world.a.organisation):
        assert not RecurringActivity.objects.exists()


def test_the_service_refuses_an_owner_of_another_organisation_or_without_an_owner_role(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="actief lid van deze organisatie"):
        make_activity(world.a, owner=world.b.members["proceseigenaar"])
    with pytest.raises(ValidationError, match="geen rol waarmee iemand eigenaar"):
        make_activity(world.a, owner=world.a.members["lezer"])


def test_editing_keeps_a_passed_first_date_but_refuses_a_new_one_in_the_past_and_guards_the_version(
    world: World,
) -> None:
    activity = backdate(make_activity(world.a), days(-30))
    client = world.client_for("coordinator")
    data = _create_data(world, starts_on=days(-30).isoformat(), name="Nieuwe naam", version=str(activity.version))
    assert client.post(edit(activity), data).status_code == 302
    assert len(events(world.a.organisation, "attention.activity.update")) == 1
    data = _create_data(world, starts_on=days(-5).isoformat(), version="2")
    assert "Deze datum is al voorbij" in body(client.post(edit(activity), data))
    stale = client.post(edit(activity), _create_data(world, name="Oud", version="1"))
    assert "Iemand anders heeft dit intussen gewijzigd" in body(stale)
    assert "Zo staat het nu opgeslagen" in body(stale)


def test_the_owner_logs_their_own_activity_and_a_done_date_in_the_future_is_refused(world: World) -> None:
    vulnerable = position(world.a, "Vergunningverlener")
    activity = make_activity(world.a, target_positions=[vulnerable])
    client = world.client_for("proceseigenaar")
    response = client.post(detail(activity), {"done_on": days(1).isoformat(), "note": "Goed gesprek"})
    assert response.status_code == 422
    assert "Deze datum ligt in de toekomst" in body(response)
    assert "Goed gesprek" in body(response)
    response = client.post(
        detail(activity),
        {
            "done_on": today().isoformat(),
            "participants": "14",
            "note": "Goed gesprek",
            "units": [str(world.a.units[1].uuid)],
            "positions": [str(vulnerable.uuid)],
        },
    )
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        activity.refresh_from_db()
        entry = ActivityLog.objects.get()
    assert activity.last_done_on == today() and entry.participants == 14
    assert entry.recorded_by == world.a.members["proceseigenaar"]
    assert len(events(world.a.organisation, "attention.activity.log")) == 1


def test_only_the_owner_and_the_coordinator_may_log_and_other_owners_do_not_see_the_activity(world: World) -> None:
    activity = make_activity(world.a)
    assert world.client_for("medewerker").get(detail(activity)).status_code == 404
    assert world.client_for("medewerker").post(detail(activity), {"done_on": today().isoformat()}).status_code == 404
    secretaris = world.client_for("secretaris")
    page = body(secretaris.get(detail(activity)))
    assert "Uitvoering vastleggen" not in page  # sees it, but neither owner nor coordinator
    assert secretaris.post(detail(activity), {"done_on": today().isoformat()}).status_code == 403
    coordinator = world.client_for("coordinator")
    assert coordinator.post(detail(activity), {"done_on": today().isoformat()}).status_code == 302


def test_an_owner_sees_only_their_own_activities_in_the_list(world: World) -> None:
    make_activity(world.a, "Van de proceseigenaar")
    make_activity(world.a, "Van de medewerker", owner=world.a.members["medewerker"])
    page = body(world.client_for("medewerker").get(LIST))
    assert "Mijn activiteiten" in page
    assert "Van de medewerker" in page and "Van de proceseigenaar" not in page
    page = body(world.client_for("secretaris").get(LIST))
    assert "Van de medewerker" in page and "Van de proceseigenaar" in page


def test_the_detail_shows_what_was_reached_in_the_last_cadence_and_what_was_not(world: World) -> None:
    risky = position(world.a, "Medewerker subsidies")
    other = position(world.a, "Inkoper")
    activity = make_activity(world.a, target_units=world.a.units, target_positions=[risky, other])
    activity = backdate(activity, days(-800))
    log(world.a, activity, days(-500), units=[world.a.units[0]], positions=[other])  # before the window
    log(world.a, activity, days(-20), units=[world.a.units[1]], positions=[risky])
    page = body(world.client_for("coordinator").get(detail(activity)))
    reached, missing = page.split("nog niet bereikt")[0], page.split("nog niet bereikt")[1].split("</ul>")[0]
    assert "Aadorp Burgerzaken" in reached and "Medewerker subsidies" in reached
    assert "Aadorp Publiekszaken" in missing and "Inkoper" in missing
    assert "Medewerker subsidies" not in missing


def test_only_vulnerable_positions_can_be_targeted(world: World) -> None:
    plain = position(world.a, "Receptionist", screening_level="geen", risk_areas=[], renewal_years=None)
    client = world.client_for("coordinator")
    response = client.post(CREATE, _create_data(world, target_positions=[str(plain.uuid)]))
    assert response.status_code == 200
    assert "Receptionist" not in body(response)  # not offered
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="kwetsbare functies"):
        make_activity(world.a, target_positions=[plain])


def test_archive_and_reactivate_are_audited_and_an_archived_activity_cannot_be_logged(world: World) -> None:
    activity = make_activity(world.a)
    client = world.client_for("coordinator")
    archive = reverse("attention:activity_archive", kwargs={"activity_uuid": activity.uuid})
    assert client.post(archive, {"version": "1"}).status_code == 302
    with tenant_scope(world.a.organisation):
        activity.refresh_from_db()
    assert not activity.is_active
    assert "Toon de actieve activiteiten" in body(client.get(LIST + "?archief=1"))
    assert activity.name in body(client.get(LIST + "?archief=1"))
    assert activity.name not in body(client.get(LIST))
    assert client.post(detail(activity), {"done_on": today().isoformat()}).status_code == 403
    stale = client.post(
        reverse("attention:activity_reactivate", kwargs={"activity_uuid": activity.uuid}), {"version": "1"}
    )
    assert stale.status_code == 302
    with tenant_scope(world.a.organisation):
        activity.refresh_from_db()
    assert not activity.is_active  # the version was stale: nothing happened
    client.post(reverse("attention:activity_reactivate", kwargs={"activity_uuid": activity.uuid}), {"version": "2"})
    with tenant_scope(world.a.organisation):
        activity.refresh_from_db()
    assert activity.is_active
    assert len(events(world.a.organisation, "attention.activity.archive")) == 1
    assert len(events(world.a.organisation, "attention.activity.reactivate")) == 1


def test_the_list_says_how_late_an_activity_is_in_words(world: World) -> None:
    backdate(make_activity(world.a, "Campagne"), days(-3))
    page = body(world.client_for("coordinator").get(LIST))
    assert "te laat: 3 dagen" in page


def test_naughty_input_on_the_activity_forms(world: World) -> None:
    client = world.client_for("coordinator")
    submit_naughty(
        client,
        CREATE,
        base_data=_create_data(world),
        fields=[
            "kind",
            "name",
            "description",
            "cadence_months",
            "starts_on",
            "owner",
            "target_units",
            "target_positions",
        ],
    )
    activity = make_activity(world.a)
    submit_naughty(
        client,
        edit(activity),
        base_data=_create_data(world, version=str(activity.version)),
        fields=["name", "description", "starts_on", "owner", "version"],
    )
    submit_naughty(
        client,
        detail(activity),
        base_data={"done_on": today().isoformat(), "note": "x", "participants": "3"},
        fields=["done_on", "note", "participants", "units", "positions"],
    )
    with tenant_scope(world.a.organisation):
        names = list(RecurringActivity.objects.values_list("name", flat=True))
        dates = set(ActivityLog.objects.values_list("done_on", flat=True))
    assert all(name.strip() for name in names)
    assert all(done_on <= today() for done_on in dates)


def test_an_owner_without_register_access_logs_units_but_never_sees_the_positions(world: World) -> None:
    vulnerable = position(world.a, "Toezichthouder bouw")
    activity = make_activity(world.a, owner=world.a.members["medewerker"], target_positions=[vulnerable])
    client = world.client_for("medewerker")
    page = body(client.get(detail(activity)))
    assert "Uitvoering vastleggen" in page
    assert "Toezichthouder bouw" not in page and "VOG" not in page
    assert "1 kwetsbare functie" in page  # what is still to reach, as a number only
    response = client.post(
        detail(activity),
        {"done_on": today().isoformat(), "units": [str(world.a.units[0].uuid)], "positions": [str(vulnerable.uuid)]},
    )
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        entry = ActivityLog.objects.get()
        assert list(entry.units.all()) == [world.a.units[0]] and not entry.positions.exists()


def test_naughty_input_on_the_archive_buttons(world: World) -> None:
    activity = make_activity(world.a)
    client = world.client_for("coordinator")
    for name in ("attention:activity_archive", "attention:activity_reactivate"):
        url = reverse(name, kwargs={"activity_uuid": activity.uuid})
        submit_naughty(client, url, base_data={"version": "99"}, fields=["version"])
    with tenant_scope(world.a.organisation):
        activity.refresh_from_db()
    assert activity.is_active and activity.version == 1

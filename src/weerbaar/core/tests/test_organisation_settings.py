from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from weerbaar.core import services
from weerbaar.core.models import Organisation
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

URL = reverse("core:organisation_settings")


def _data(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Gemeente Aadorp",
        "inhabitants": "25000",
        "size_class": "klein",
        "riec": str(world.riec.organisation.uuid),
        "two_factor_roles": ["beheerder", "coordinator"],
        "version": "1",
    }
    data.update(overrides)
    return data


def test_the_beheerder_saves_the_settings_and_the_trail_holds_old_and_new_values(world: World) -> None:
    client = world.client_for("beheerder")
    response = client.post(URL, _data(world, name="Gemeente Aadorp-Oost", benchmark_opt_in="on"))
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=world.a.organisation.pk)
    assert organisation.name == "Gemeente Aadorp-Oost"
    assert organisation.benchmark_opt_in is True
    assert organisation.two_factor_roles == ["beheerder", "coordinator"]
    assert organisation.version == 2
    [event] = events(organisation, "organisation.update")
    assert event.changes["name"] == ["Gemeente Aadorp", "Gemeente Aadorp-Oost"]
    assert event.changes["benchmark_opt_in"] == [False, True]
    assert event.actor_label == world.a.user("beheerder").email


def test_the_form_opens_with_the_current_settings_and_version(world: World) -> None:
    organisation = world.a.organisation
    page = body(world.client_for("beheerder").get(URL))
    assert f'value="{organisation.name}"' in page
    assert 'value="25000"' in page
    assert 'name="version" value="1"' in page
    assert f'<option value="{world.riec.organisation.uuid}" selected>' in page
    assert '<option value="klein" selected>' in page


def test_the_page_explains_the_benchmark_and_the_two_factor_default(world: World) -> None:
    page = body(world.client_for("beheerder").get(URL))
    assert "k ≥ 5" in page
    assert "geanonimiseerde" in page
    assert "Standaard is tweestapsverificatie verplicht voor: Functioneel beheerder" in page
    assert "GM8801" in page  # the CBS code is shown, read-only
    assert 'name="cbs_code"' not in page


def test_only_riec_organisations_can_be_chosen_as_region(world: World) -> None:
    client = world.client_for("beheerder")
    page = body(client.get(URL))
    assert "RIEC Testregio" in page
    assert "KANARIE" not in page
    response = client.post(URL, _data(world, riec=str(world.b.organisation.uuid)))
    assert response.status_code == 200
    assert "field-error" in body(response)
    assert Organisation.objects.get(pk=world.a.organisation.pk).riec == world.riec.organisation


def test_the_cbs_code_cannot_be_changed_through_the_form(world: World) -> None:
    world.client_for("beheerder").post(URL, _data(world, cbs_code="GM0001"))
    assert Organisation.objects.get(pk=world.a.organisation.pk).cbs_code == "GM8801"


def test_it_refuses_a_benchmark_opt_in_without_a_riec(world: World) -> None:
    response = world.client_for("beheerder").post(URL, _data(world, riec="", benchmark_opt_in="on"))
    assert response.status_code == 200
    assert "Kies eerst de RIEC-regio" in body(response)
    assert Organisation.objects.get(pk=world.a.organisation.pk).benchmark_opt_in is False


def test_it_refuses_a_size_class_that_does_not_match_the_inhabitants(world: World) -> None:
    response = world.client_for("beheerder").post(URL, _data(world, inhabitants="150000", size_class="klein"))
    assert response.status_code == 200
    assert "hoort de grootteklasse" in body(response)
    assert 'value="150000"' in body(response)


def test_it_refuses_a_role_that_a_gemeente_does_not_have_in_the_two_factor_policy(world: World) -> None:
    response = world.client_for("beheerder").post(URL, _data(world, two_factor_roles=["regio-analist"]))
    assert response.status_code == 200
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=world.a.user("beheerder"), organisation=world.a.organisation, two_factor_roles=["regio-analist"]
        )


def test_a_stale_version_keeps_what_was_typed_and_explains_the_conflict(world: World) -> None:
    services.organisation_update(actor=world.a.user("beheerder"), organisation=world.a.organisation, name="Aadorp!")
    response = world.client_for("beheerder").post(URL, _data(world, name="Mijn nieuwe naam", version="1"))
    page = body(response)
    assert response.status_code == 200
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert 'value="Mijn nieuwe naam"' in page
    assert 'name="version" value="2"' in page  # the next save is deliberate and goes through
    assert "Zo staat het nu opgeslagen" in page
    assert Organisation.objects.get(pk=world.a.organisation.pk).name == "Aadorp!"


def test_the_service_refuses_a_stale_version(world: World) -> None:
    actor = world.a.user("beheerder")
    services.organisation_update(actor=actor, organisation=world.a.organisation, version=1, inhabitants=26_000)
    with pytest.raises(services.StaleVersion):
        services.organisation_update(actor=actor, organisation=world.a.organisation, version=1, inhabitants=27_000)


@pytest.mark.parametrize("role", ["coordinator", "secretaris", "medewerker"])
def test_roles_other_than_beheerder_get_403(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(world, name="Overgenomen")).status_code == 403
    assert Organisation.objects.get(pk=world.a.organisation.pk).name == "Gemeente Aadorp"


def test_a_riec_beheerder_sees_only_the_fields_of_a_riec(world: World) -> None:
    client = world.client_for("beheerder", world.riec)
    page = body(client.get(URL))
    assert 'name="inhabitants"' not in page
    assert 'name="riec"' not in page
    response = client.post(URL, {"name": "RIEC Testregio Noord", "two_factor_roles": ["beheerder"], "version": "1"})
    assert response.status_code == 302
    assert Organisation.objects.get(pk=world.riec.organisation.pk).name == "RIEC Testregio Noord"


def test_naughty_input_never_breaks_the_settings_form(world: World) -> None:
    data = _data(world)
    data.pop("version")
    submit_naughty(
        world.client_for("beheerder"),
        URL,
        base_data=data,
        fields=["name", "inhabitants", "size_class", "riec", "benchmark_opt_in", "two_factor_roles", "version"],
    )
    organisation = Organisation.objects.get(pk=world.a.organisation.pk)
    assert "\x00" not in organisation.name
    assert len(organisation.name) <= 200

"""An organisation's own entries and own versions: forms, services, audit, concurrency, hostile input."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from weerbaar.catalogue import selectors, services
from weerbaar.catalogue.models import (
    Characteristic,
    Circumstance,
    Measure,
    MeasureGroup,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.catalogue.tests.test_pages import own_circumstance, own_measure, own_process
from weerbaar.core.tenancy import TenantScopeMissing, tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db


def _characteristics(count: int = 2) -> list[Characteristic]:
    return list(Characteristic.objects.filter(is_active=True).order_by("position")[:count])


def _national(model: type[Any]) -> Any:
    return model.national_objects.filter(is_active=True).order_by("position").first()


def _process_data(**overrides: Any) -> dict[str, Any]:
    category = ProcessCategory.objects.order_by("position").first()
    assert category is not None
    first, second = _characteristics()
    return {
        "name": "Standplaatsvergunning",
        "category": category.key,
        "typical_unit": "Vergunningen",
        "description": "Een vaste plek op de markt toewijzen.",
        "characteristics": [first.key, second.key],
        **overrides,
    }


def _measure_data(**overrides: Any) -> dict[str, Any]:
    first, second = _characteristics()
    return {
        "name": "Tweede handtekening bij betalingen boven € 10.000",
        "group": MeasureGroup.BARRIERS,
        "scope": "proces",
        "review_cadence_months": "6",
        "description": "Een tweede budgethouder tekent mee.",
        f"effect_{first.key}": "3",
        f"effect_{second.key}": "1",
        **overrides,
    }


def _circumstance_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Eén medewerker doet alle evenementen",
        "group": "werkwijze",
        "description": "Niemand kijkt mee.",
        "characteristics": [_characteristics(1)[0].key],
        **overrides,
    }


# --- adding, through the pages ---------------------------------------------------------------


def test_a_coordinator_adds_an_own_reference_process(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(reverse("catalogue:process_create"), _process_data())
    with tenant_scope(world.a.organisation):
        process = ReferenceProcess.objects.get(organisation=world.a.organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:process_detail", kwargs={"process_ref": process.uuid})
    assert process.key == "" and process.based_on is None
    assert sorted(c.key for c in process.characteristics.all()) == sorted(c.key for c in _characteristics())
    [event] = events(world.a.organisation, "catalogue.reference_process.create")
    assert event.changes["name"] == [None, "Standplaatsvergunning"]
    assert event.actor_label == world.a.user("coordinator").email
    assert "Standplaatsvergunning" in body(client.get(response["Location"]))


def test_a_beheerder_adds_an_own_measure_with_its_effects(world: World) -> None:
    client = world.client_for("beheerder")
    response = client.post(reverse("catalogue:measure_create"), _measure_data())
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        measure = Measure.objects.get(organisation=world.a.organisation)
    first, second = _characteristics()
    assert {(e.characteristic_id, e.strength) for e in measure.effects.all()} == {(first.pk, 3), (second.pk, 1)}
    assert measure.review_cadence_months == 6
    [event] = events(world.a.organisation, "catalogue.measure.create")
    assert event.changes["effects"] == [None, {first.key: 3, second.key: 1}]


def test_a_measure_needs_at_least_one_effect(world: World) -> None:
    first, second = _characteristics()
    data = _measure_data(**{f"effect_{first.key}": "", f"effect_{second.key}": ""})
    response = world.client_for("beheerder").post(reverse("catalogue:measure_create"), data)
    assert response.status_code == 200
    assert "Kies bij ten minste één kenmerk hoe sterk deze maatregel het verzwakt." in body(response)
    with tenant_scope(world.a.organisation):
        assert not Measure.objects.filter(organisation=world.a.organisation).exists()


def test_an_own_circumstance_gets_its_kind_from_the_group(world: World) -> None:
    response = world.client_for("coordinator").post(reverse("catalogue:circumstance_create"), _circumstance_data())
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        circumstance = Circumstance.objects.get(organisation=world.a.organisation)
    assert (circumstance.kind, circumstance.group) == ("intern", "werkwijze")


def test_a_name_already_in_the_catalogue_is_refused(world: World) -> None:
    national = _national(ReferenceProcess)
    response = world.client_for("coordinator").post(
        reverse("catalogue:process_create"), _process_data(name=national.name.upper())
    )
    assert response.status_code == 200
    assert "staat al een item met de naam" in body(response)


# --- own versions ----------------------------------------------------------------------------


def test_the_own_version_form_is_prefilled_with_the_national_entry(world: World) -> None:
    national = _national(Measure)
    url = reverse("catalogue:measure_own_version", kwargs={"measure_key": national.key})
    html = body(world.client_for("coordinator").get(url))
    assert f"Eigen versie van “{national.name}” maken".replace("'", "&#x27;") in html.replace("&quot;", '"')
    assert f'value="{national.review_cadence_months}"' in html
    for effect in national.effects.select_related("characteristic"):
        assert f'<option value="{effect.strength}" selected>' in html


def test_an_own_version_replaces_the_national_entry_for_this_organisation_only(world: World) -> None:
    national = _national(ReferenceProcess)
    url = reverse("catalogue:process_own_version", kwargs={"process_key": national.key})
    data = _process_data(name="Onze versie", category=national.category.key)
    response = world.client_for("coordinator").post(url, data)
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        own = ReferenceProcess.objects.get(organisation=world.a.organisation)
        effective_a = set(selectors.effective(ReferenceProcess, organisation=world.a.organisation))
    assert own.based_on == national
    assert own.position == national.position
    assert own in effective_a and national not in effective_a
    with tenant_scope(world.b.organisation):
        effective_b = set(selectors.effective(ReferenceProcess, organisation=world.b.organisation))
    assert national in effective_b and own not in effective_b
    [event] = events(world.a.organisation, "catalogue.reference_process.create_own_version")
    assert event.reason == f"eigen versie van {national.key}"


def test_a_second_own_version_leads_to_the_first(world: World) -> None:
    national = _national(Circumstance)
    own = own_circumstance(world.a, "Onze versie", based_on=national, group=national.group)
    client = world.client_for("coordinator")
    url = reverse("catalogue:circumstance_own_version", kwargs={"circumstance_key": national.key})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:circumstance_update", kwargs={"circumstance_ref": own.uuid})
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="al een eigen versie"):
        services.circumstance_create(
            actor=None, organisation=world.a.organisation, name="Nog een", group="werkwijze", based_on=national
        )


def test_an_own_version_of_an_own_entry_or_a_removed_entry_is_refused(world: World) -> None:
    own = own_process(world.a, "Eigen proces")
    national = _national(ReferenceProcess)
    assert (
        world.client_for("coordinator")
        .get(reverse("catalogue:process_own_version", kwargs={"process_key": str(own.uuid)}))
        .status_code
        == 404
    )
    ReferenceProcess.national_objects.filter(pk=national.pk).update(is_active=False)
    national.refresh_from_db()
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError, match="niet meer in de landelijke"):
        services.reference_process_create(
            actor=None, organisation=world.a.organisation, name="X", category=national.category, based_on=national
        )


def test_archiving_an_own_version_brings_back_the_national_entry(world: World) -> None:
    national = _national(Measure)
    own = own_measure(world.a, "Onze versie", based_on=national)
    client = world.client_for("beheerder")
    response = client.post(
        reverse("catalogue:measure_archive", kwargs={"measure_ref": own.uuid}), {"version": own.version}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.is_active is False and own.version == 2
    with tenant_scope(world.a.organisation):
        effective = set(selectors.effective(Measure, organisation=world.a.organisation))
    assert national in effective and own not in effective
    [event] = events(world.a.organisation, "catalogue.measure.archive")
    assert event.changes == {"is_active": [True, False]}
    # An archived entry stays readable (scans point at it) but cannot be edited any more.
    html = body(client.get(reverse("catalogue:measure_detail", kwargs={"measure_ref": own.uuid})))
    assert "Dit item is gearchiveerd" in html
    response = client.get(reverse("catalogue:measure_update", kwargs={"measure_ref": own.uuid}))
    assert response.status_code == 302


# --- editing ---------------------------------------------------------------------------------


def test_editing_an_own_entry_is_audited_with_old_and_new_values(world: World) -> None:
    own = own_process(world.a, "Standplaatsvergunning", characteristics=_characteristics(1))
    url = reverse("catalogue:process_update", kwargs={"process_ref": own.uuid})
    data = _process_data(name="Standplaats toewijzen", version=own.version)
    response = world.client_for("coordinator").post(url, data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.name == "Standplaats toewijzen" and own.version == 2
    [event] = events(world.a.organisation, "catalogue.reference_process.update")
    first, second = _characteristics()
    assert event.changes["name"] == ["Standplaatsvergunning", "Standplaats toewijzen"]
    assert event.changes["characteristics"] == [[first.key], sorted([first.key, second.key])]


def test_a_stale_edit_keeps_the_input_and_shows_the_saved_state(world: World) -> None:
    own = own_measure(world.a, "Roulatie van inspecteurs")
    with tenant_scope(world.a.organisation):
        services.measure_update(actor=None, measure=own, version=1, name="Roulatie van toezichthouders")
    url = reverse("catalogue:measure_update", kwargs={"measure_ref": own.uuid})
    response = world.client_for("beheerder").post(url, _measure_data(name="Mijn naam", version="1"))
    assert response.status_code == 200
    html = body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in html
    assert "Roulatie van toezichthouders" in html  # the saved state
    assert 'value="Mijn naam"' in html  # what the user typed
    assert 'name="version" value="2"' in html
    own.refresh_from_db()
    assert own.name == "Roulatie van toezichthouders"


def test_a_stale_archive_is_refused(world: World) -> None:
    own = own_circumstance(world.a, "Lange zittingsduur")
    with tenant_scope(world.a.organisation):
        services.circumstance_update(actor=None, circumstance=own, version=1, description="Nu anders.")
    response = world.client_for("beheerder").post(
        reverse("catalogue:circumstance_archive", kwargs={"circumstance_ref": own.uuid}), {"version": "1"}, follow=True
    )
    assert "Iemand anders heeft dit intussen gewijzigd" in body(response)
    own.refresh_from_db()
    assert own.is_active


def test_national_entries_cannot_be_edited_or_archived(world: World) -> None:
    national = _national(ReferenceProcess)
    client = world.client_for("beheerder")
    assert client.get(reverse("catalogue:process_update", kwargs={"process_ref": national.key})).status_code == 404
    response = client.post(reverse("catalogue:process_archive", kwargs={"process_ref": national.key}), {"version": 1})
    assert response.status_code == 404
    with pytest.raises(ValueError, match="loader"):
        services.reference_process_archive(actor=None, process=national)
    national.refresh_from_db()
    assert national.is_active


def test_the_services_refuse_to_run_without_a_bound_organisation(world: World) -> None:
    category = ProcessCategory.objects.first()
    assert category is not None
    with pytest.raises(TenantScopeMissing):
        services.reference_process_create(actor=None, organisation=world.a.organisation, name="X", category=category)


def test_the_audit_trail_of_gemeente_a_never_holds_gemeente_bs_entries(world: World) -> None:
    own_measure(world.b, f"{CANARY} maatregel")
    assert events(world.a.organisation, "catalogue.measure.create") == []
    assert len(events(world.b.organisation, "catalogue.measure.create")) == 1


# --- hostile input on every form -------------------------------------------------------------


def test_naughty_input_never_breaks_the_process_forms(world: World) -> None:
    client = world.client_for("coordinator")
    fields = ["name", "category", "typical_unit", "description", "characteristics"]
    submit_naughty(client, reverse("catalogue:process_create"), base_data=_process_data(), fields=fields)
    national = _national(ReferenceProcess)
    submit_naughty(
        client,
        reverse("catalogue:process_own_version", kwargs={"process_key": national.key}),
        base_data=_process_data(name="Naughty versie"),
        fields=fields,
    )
    own = own_process(world.a, "Naughty eigen")
    with tenant_scope(world.a.organisation):
        own = ReferenceProcess.objects.get(pk=own.pk)
    submit_naughty(
        client,
        reverse("catalogue:process_update", kwargs={"process_ref": own.uuid}),
        base_data=_process_data(name="Naughty eigen", version=str(own.version)),
        fields=[*fields, "version"],
    )
    submit_naughty(
        client,
        reverse("catalogue:process_archive", kwargs={"process_ref": own.uuid}),
        base_data={"version": "999"},
        fields=["version"],
    )


def test_naughty_input_never_breaks_the_circumstance_forms(world: World) -> None:
    client = world.client_for("beheerder")
    fields = ["name", "group", "description", "characteristics"]
    submit_naughty(client, reverse("catalogue:circumstance_create"), base_data=_circumstance_data(), fields=fields)
    national = _national(Circumstance)
    submit_naughty(
        client,
        reverse("catalogue:circumstance_own_version", kwargs={"circumstance_key": national.key}),
        base_data=_circumstance_data(name="Naughty versie"),
        fields=fields,
    )
    own = own_circumstance(world.a, "Naughty eigen")
    submit_naughty(
        client,
        reverse("catalogue:circumstance_update", kwargs={"circumstance_ref": own.uuid}),
        base_data=_circumstance_data(name="Naughty eigen", version="1"),
        fields=[*fields, "version"],
    )
    submit_naughty(
        client,
        reverse("catalogue:circumstance_archive", kwargs={"circumstance_ref": own.uuid}),
        base_data={"version": "999"},
        fields=["version"],
    )


def test_naughty_input_never_breaks_the_measure_forms(world: World) -> None:
    client = world.client_for("coordinator")
    first = _characteristics(1)[0]
    fields = ["name", "group", "scope", "review_cadence_months", "description", f"effect_{first.key}"]
    submit_naughty(client, reverse("catalogue:measure_create"), base_data=_measure_data(), fields=fields)
    national = _national(Measure)
    submit_naughty(
        client,
        reverse("catalogue:measure_own_version", kwargs={"measure_key": national.key}),
        base_data=_measure_data(name="Naughty versie"),
        fields=fields,
    )
    own = own_measure(world.a, "Naughty eigen")
    submit_naughty(
        client,
        reverse("catalogue:measure_update", kwargs={"measure_ref": own.uuid}),
        base_data=_measure_data(name="Naughty eigen", version="1"),
        fields=[*fields, "version"],
    )
    submit_naughty(
        client,
        reverse("catalogue:measure_archive", kwargs={"measure_ref": own.uuid}),
        base_data={"version": "999"},
        fields=["version"],
    )


def test_naughty_filters_never_break_the_process_list(world: World) -> None:
    submit_naughty(
        world.client_for("lezer"),
        reverse("catalogue:process_list"),
        base_data={},
        fields=["q", "categorie", "kenmerk", "herkomst", "pagina"],
        method="get",
    )

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from weerbaar.core import services
from weerbaar.core.models import Organisation, Unit, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events, middleware_queries
from weerbaar.testing.factories import MembershipFactory, OrganisationFactory, UnitFactory, UserFactory
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World, login_client

pytestmark = pytest.mark.django_db

LIST = reverse("core:unit_list")
CREATE = reverse("core:unit_create")


def _edit_url(unit: Unit) -> str:
    return reverse("core:unit_update", kwargs={"unit_uuid": unit.uuid})


def _reload(unit: Unit) -> Unit:
    return Unit.cross_tenant_objects.get(pk=unit.pk)


# --- services ---------------------------------------------------------------------------------


def test_creating_a_unit_is_audited_with_its_values(world: World) -> None:
    top = world.a.units[0]
    with tenant_scope(world.a.organisation):
        unit = services.unit_create(
            actor=world.a.user("beheerder"), organisation=world.a.organisation, name="  Reisdocumenten ", parent=top
        )
    assert unit.name == "Reisdocumenten"
    [event] = events(world.a.organisation, "unit.create")
    assert event.changes["name"] == [None, "Reisdocumenten"]
    assert event.changes["parent"] == [None, str(top.uuid)]


def test_renaming_and_moving_is_audited_with_old_and_new_values(world: World) -> None:
    top, child = world.a.units
    with tenant_scope(world.a.organisation):
        other = services.unit_create(actor=None, organisation=world.a.organisation, name="Sociaal Domein")
        services.unit_update(
            actor=world.a.user("beheerder"), unit=child, version=1, name="Burgerzaken BRP", parent=other
        )
    [event] = events(world.a.organisation, "unit.update")
    assert event.changes == {
        "name": ["Aadorp Burgerzaken", "Burgerzaken BRP"],
        "parent": [str(top.uuid), str(other.uuid)],
    }
    assert _reload(child).version == 2


def test_it_refuses_to_move_a_unit_under_its_own_child(world: World) -> None:
    top, child = world.a.units
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as refused:
        services.unit_update(actor=world.a.user("beheerder"), unit=top, parent=child)
    assert "onder zichzelf of onder een eigen onderdeel" in str(refused.value.message_dict["parent"])
    assert _reload(top).parent is None


def test_it_refuses_to_move_a_unit_under_itself(world: World) -> None:
    top = world.a.units[0]
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.unit_update(actor=world.a.user("beheerder"), unit=top, parent=top)


def test_it_refuses_two_siblings_with_the_same_name_whatever_the_case(world: World) -> None:
    top, child = world.a.units
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as refused:
            services.unit_create(actor=None, organisation=world.a.organisation, name="aadorp burgerzaken", parent=top)
        assert "bestaat al" in str(refused.value.message_dict["name"])
        with pytest.raises(ValidationError):
            services.unit_create(actor=None, organisation=world.a.organisation, name="Aadorp Publiekszaken")
        # The same name elsewhere in the tree is fine.
        services.unit_create(actor=None, organisation=world.a.organisation, name="Aadorp Burgerzaken")
        services.unit_create(actor=None, organisation=world.a.organisation, name="Aadorp Burgerzaken", parent=child)


def test_it_refuses_a_parent_of_another_organisation(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.unit_create(actor=None, organisation=world.a.organisation, name="Team", parent=world.b.units[0])


def test_archiving_a_unit_with_active_children_is_refused_and_explained(world: World) -> None:
    top, child = world.a.units
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as refused:
            services.unit_archive(actor=actor, unit=top)
        assert "Aadorp Burgerzaken" in refused.value.messages[0]
        services.unit_archive(actor=actor, unit=child)
        services.unit_archive(actor=actor, unit=top)
    assert not _reload(top).is_active
    assert [e.changes for e in events(world.a.organisation, "unit.archive")] == [
        {"is_active": [True, False]},
        {"is_active": [True, False]},
    ]


def test_reactivating_under_an_archived_parent_is_refused(world: World) -> None:
    top, child = world.a.units
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        services.unit_archive(actor=actor, unit=child)
        services.unit_archive(actor=actor, unit=top)
        with pytest.raises(ValidationError):
            services.unit_reactivate(actor=actor, unit=child)
        services.unit_reactivate(actor=actor, unit=top)
        services.unit_reactivate(actor=actor, unit=child)
    assert _reload(child).is_active
    assert len(events(world.a.organisation, "unit.reactivate")) == 2


def test_a_stale_version_is_refused(world: World) -> None:
    child = world.a.units[1]
    actor = world.a.user("beheerder")
    with tenant_scope(world.a.organisation):
        services.unit_update(actor=actor, unit=child, version=1, description="Paspoorten en rijbewijzen")
        with pytest.raises(services.StaleVersion):
            services.unit_update(actor=actor, unit=child, version=1, name="Iets anders")
    assert _reload(child).name == "Aadorp Burgerzaken"


# --- views ------------------------------------------------------------------------------------


def test_the_tree_shows_nesting_and_marks_archived_units_in_text(world: World) -> None:
    top = world.a.units[0]
    with tenant_scope(world.a.organisation):
        old = services.unit_create(actor=None, organisation=world.a.organisation, name="Oud team", parent=top)
        services.unit_archive(actor=world.a.user("beheerder"), unit=old)
    page = body(world.client_for("lezer").get(LIST))
    start = page.index("Aadorp Publiekszaken</strong>")
    nested = page[page.index("<ul>", start) : page.index("</ul>", start)]
    assert "Aadorp Burgerzaken" in nested and "Oud team" in nested
    assert "gearchiveerd" in page
    assert "waarvan 1 gearchiveerd" in page
    assert "KANARIE" not in page
    assert "Wijzigen" not in page  # the lezer may look, not change


def test_an_organisation_without_units_gets_an_empty_state_that_says_what_to_do(world: World) -> None:
    organisation = cast(Organisation, OrganisationFactory(name="Gemeente Leegdorp", cbs_code="GM8899"))
    user = cast(User, UserFactory(email="beheer@leegdorp.example"))
    MembershipFactory(organisation=organisation, user=user, roles=["beheerder"])
    page = body(login_client(user, organisation).get(LIST))
    assert "Nog geen afdelingen of teams" in page
    assert "Voeg de eerste afdeling toe" in page


def test_the_beheerder_adds_a_unit(world: World) -> None:
    top = world.a.units[0]
    response = world.client_for("beheerder").post(CREATE, {"name": "Reisdocumenten", "parent": str(top.uuid)})
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        assert Unit.objects.get(name="Reisdocumenten").parent == top


def test_the_form_keeps_typed_values_when_the_name_is_taken(world: World) -> None:
    top = world.a.units[0]
    response = world.client_for("beheerder").post(
        CREATE, {"name": "Aadorp Burgerzaken", "parent": str(top.uuid), "description": "Mijn omschrijving"}
    )
    page = body(response)
    assert response.status_code == 200
    assert "bestaat al een afdeling" in page
    assert "Mijn omschrijving" in page
    assert f'value="{top.uuid}" selected' in page


def test_the_edit_form_offers_no_parent_that_would_make_a_cycle(world: World) -> None:
    top, child = world.a.units
    page = body(world.client_for("beheerder").get(_edit_url(top)))
    assert f'value="{child.uuid}"' not in page
    response = world.client_for("beheerder").post(_edit_url(top), {"name": top.name, "parent": str(child.uuid)})
    assert response.status_code == 200
    assert _reload(top).parent is None


def test_a_stale_edit_keeps_what_was_typed(world: World) -> None:
    child = world.a.units[1]
    with tenant_scope(world.a.organisation):
        services.unit_update(actor=world.a.user("beheerder"), unit=child, name="Burgerzaken (nieuw)")
    response = world.client_for("beheerder").post(
        _edit_url(child), {"name": "Mijn typewerk", "parent": str(world.a.units[0].uuid), "version": "1"}
    )
    page = body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert 'value="Mijn typewerk"' in page
    assert _reload(child).name == "Burgerzaken (nieuw)"


def test_archive_and_reactivate_buttons_work_and_refusals_are_explained(world: World) -> None:
    top, child = world.a.units
    client = world.client_for("beheerder")
    archive = reverse("core:unit_archive", kwargs={"unit_uuid": top.uuid})
    response = client.post(archive, {"version": "1"}, follow=True)
    assert "heeft nog actieve onderdelen" in body(response)
    assert _reload(top).is_active
    client.post(reverse("core:unit_archive", kwargs={"unit_uuid": child.uuid}), {"version": "1"})
    assert not _reload(child).is_active
    client.post(reverse("core:unit_reactivate", kwargs={"unit_uuid": child.uuid}), {"version": "2"})
    assert _reload(child).is_active


@pytest.mark.parametrize("role", ["lezer", "coordinator", "proceseigenaar"])
def test_roles_that_may_only_look_get_403_on_changes(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(LIST).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"name": "Stiekem"}).status_code == 403
    assert client.post(_edit_url(world.a.units[1]), {"name": "Stiekem"}).status_code == 403


def test_the_medewerker_may_not_see_the_units_page(world: World) -> None:
    assert world.client_for("medewerker").get(LIST).status_code == 403


def test_another_organisations_unit_is_a_404(world: World) -> None:
    client = world.client_for("beheerder")
    foreign = world.b.units[1]
    assert client.get(_edit_url(foreign)).status_code == 404
    assert client.post(_edit_url(foreign), {"name": "Overgenomen"}).status_code == 404
    assert client.post(reverse("core:unit_archive", kwargs={"unit_uuid": foreign.uuid})).status_code == 404
    assert _reload(foreign).name.startswith("KANARIE")


@pytest.mark.parametrize("extra", [1, 28])
def test_the_unit_list_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    top = world.a.units[0]
    for number in range(extra):
        UnitFactory(organisation=world.a.organisation, name=f"Team {number}", parent=top if number % 2 else None)
    client = world.client_for("beheerder")
    # The view's own: the units, and the active members per unit.
    with django_assert_max_num_queries(middleware_queries(client) + 2):
        response = client.get(LIST)
    assert body(response).count("<li>") >= extra + 2


def test_naughty_input_never_breaks_the_unit_forms(world: World) -> None:
    client = world.client_for("beheerder")
    top, child = world.a.units
    submit_naughty(
        client,
        CREATE,
        base_data={"name": "Team Naughty", "parent": str(top.uuid), "description": ""},
        fields=["name", "parent", "description"],
    )
    submit_naughty(
        client,
        _edit_url(child),
        base_data={"name": "Aadorp Burgerzaken", "parent": str(top.uuid), "description": ""},
        fields=["name", "parent", "description", "version"],
    )
    submit_naughty(
        client,
        reverse("core:unit_archive", kwargs={"unit_uuid": top.uuid}),
        base_data={},
        fields=["version"],
    )

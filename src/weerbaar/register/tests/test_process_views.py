from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.models import Process
from weerbaar.register.tests.support import first_category, internal_circumstances, make_position, make_process
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = reverse("register:process_list")
CREATE = reverse("register:process_create")


def _url(name: str, process: Process) -> str:
    return reverse(f"register:{name}", kwargs={"process_uuid": process.uuid})


def _reload(process: Process) -> Process:
    return Process.cross_tenant_objects.get(pk=process.pk)


def _form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Exploitatievergunning",
        "description": "Vergunning voor horeca en seksbedrijven.",
        "category": first_category().key,
        "unit": str(world.a.units[1].uuid),
        "owner": str(world.a.members["proceseigenaar"].uuid),
        "reference_process": "",
        "yearly_volume": "85",
        "executor": "eigen",
        "executor_name": "",
    }
    data.update(overrides)
    return data


def test_the_list_shows_the_register_with_owner_warnings_and_not_the_other_gemeente(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a)
        make_process(world.a, name="Subsidieverlening", owner=None)
    with tenant_scope(world.b.organisation):
        make_process(world.b, name=f"Proces {CANARY}")
    page = body(world.client_for("lezer").get(LIST))
    assert "Evenementenvergunning" in page and "Subsidieverlening" in page
    assert "geen eigenaar" in page
    assert CANARY not in page
    assert "Proces toevoegen" not in page  # a lezer reads, never edits


def test_search_filters_and_sorting_narrow_the_list(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a)
        make_process(world.a, name="Bijstand", unit=world.a.units[0], owner=world.a.members["coordinator"])
        archived = make_process(world.a, name="Oud proces")
        from weerbaar.register.services import process_archive

        process_archive(actor=None, process=archived, version=1)
    client = world.client_for("coordinator")
    page = body(client.get(LIST, {"q": "bijst"}))
    assert "Bijstand" in page and "Evenementenvergunning" not in page
    page = body(client.get(LIST, {"eigenaar": str(world.a.members["coordinator"].uuid)}))
    assert "Bijstand" in page and "Evenementenvergunning" not in page
    page = body(client.get(LIST, {"afdeling": str(world.a.units[1].uuid)}))
    assert "Evenementenvergunning" in page and "Bijstand" not in page
    assert "Oud proces" not in body(client.get(LIST))
    assert "Oud proces" in body(client.get(LIST, {"archief": "gearchiveerd"}))
    page = body(client.get(LIST, {"sorteer": "-naam"}))
    assert page.index("Evenementenvergunning") < page.index("Bijstand")
    fragment = client.get(LIST, {"q": "bijst"}, headers={"HX-Request": "true"})
    assert "<html" not in body(fragment) and "Bijstand" in body(fragment)


def test_a_nonsense_filter_is_ignored_not_an_error(world: World) -> None:
    response = world.client_for("coordinator").get(LIST, {"eigenaar": "geen-uuid", "sorteer": "<script>"})
    assert response.status_code == 200


def test_the_detail_page_shows_positions_and_circumstances(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a, name="Vergunningverlener")
        circumstance = internal_circumstances()[0]
        process = make_process(world.a, positions=[position], circumstances=[circumstance])
    page = body(world.client_for("secretaris").get(_url("process_detail", process)))
    assert "Vergunningverlener" in page and circumstance.name in page and "P-001" in page


def test_the_coordinator_adds_a_process_and_it_is_audited(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
    data = _form_data(world, positions=[str(position.uuid)], circumstances=[str(internal_circumstances()[0].uuid)])
    response = world.client_for("coordinator").post(CREATE, data)
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        process = Process.objects.get()
        assert list(process.positions.all()) == [position]
    assert process.code == "P-001" and process.yearly_volume == 85
    assert response["Location"] == _url("process_detail", process)


def test_a_bad_form_keeps_what_was_typed(world: World) -> None:
    data = _form_data(world, executor="omgevingsdienst", executor_name="", description="Mijn lange tekst")
    response = world.client_for("coordinator").post(CREATE, data)
    page = body(response)
    assert response.status_code == 200
    assert "Vul in welke partner dit proces uitvoert." in page
    assert "Mijn lange tekst" in page
    assert Process.cross_tenant_objects.count() == 0


def test_a_duplicate_name_is_shown_on_the_field(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a, name="Exploitatievergunning")
    page = body(world.client_for("coordinator").post(CREATE, _form_data(world)))
    assert "Er is al een proces met deze naam (P-001)." in page


def test_an_edit_saved_meanwhile_by_someone_else_is_a_conflict_not_an_overwrite(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    client = world.client_for("coordinator")
    first = client.post(_url("process_update", process), _form_data(world, name="Naam A", version="1"))
    assert first.status_code == 302
    second = client.post(_url("process_update", process), _form_data(world, name="Naam B", version="1"))
    page = body(second)
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Naam B" in page  # kept in the form
    assert _reload(process).name == "Naam A"


def test_archive_and_reactivate(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    client = world.client_for("coordinator")
    assert client.post(_url("process_archive", process), {"version": "1"}).status_code == 302
    assert not _reload(process).is_active
    assert client.post(_url("process_reactivate", process), {"version": "2"}).status_code == 302
    assert _reload(process).is_active


def test_readers_cannot_change_the_register(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    for role in ("lezer", "secretaris", "proceseigenaar"):
        client = world.client_for(role)
        assert client.get(CREATE).status_code == 403
        assert client.post(_url("process_update", process), _form_data(world, version="1")).status_code == 403
        assert client.post(_url("process_archive", process), {"version": "1"}).status_code == 403
    assert _reload(process).is_active


def test_naughty_input_never_breaks_the_process_forms(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    client = world.client_for("coordinator")
    text_fields = ["name", "description", "yearly_volume", "executor_name"]
    # Choice fields only accept listed public ids: a sample of the hostile strings shows that.
    choice_fields = ["category", "unit", "owner", "reference_process", "positions", "circumstances", "executor"]
    sample = [NAUGHTY_STRINGS[index] for index in (2, 3, 7, 9, 21, 26)]
    submit_naughty(client, CREATE, base_data=_form_data(world, name="Naughty"), fields=text_fields)
    submit_naughty(client, CREATE, base_data=_form_data(world, name="Naughty"), fields=choice_fields, strings=sample)
    edit = _url("process_update", process)
    submit_naughty(client, edit, base_data=_form_data(world), fields=[*text_fields, "version"])
    submit_naughty(client, edit, base_data=_form_data(world, version="2"), fields=choice_fields, strings=sample)
    for action in ("process_archive", "process_reactivate"):
        submit_naughty(client, _url(action, process), base_data={}, fields=["version"])
    submit_naughty(
        client, LIST, base_data={}, fields=["q", "afdeling", "categorie", "eigenaar", "sorteer"], method="get"
    )


def test_deactivating_an_owner_in_the_user_pages_asks_for_a_new_owner(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    owner = world.a.members["proceseigenaar"]
    client = world.client_for("beheerder")
    detail = reverse("core:user_detail", kwargs={"membership_uuid": owner.uuid})
    assert "eigenaar van 1 proces" in body(client.get(detail))
    url = reverse("core:user_deactivate", kwargs={"membership_uuid": owner.uuid})
    page = body(client.post(url, {"version": "1", "reason": "Uit dienst", "new_owner": ""}))
    assert "Kies eerst wie dat overneemt" in page
    assert "Uit dienst" in page
    response = client.post(
        url, {"version": "1", "reason": "Uit dienst", "new_owner": str(world.a.members["coordinator"].uuid)}
    )
    assert response.status_code == 302
    assert _reload(process).owner == world.a.members["coordinator"]

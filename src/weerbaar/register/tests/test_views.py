from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register import services
from weerbaar.register.models import ContextItem, Position
from weerbaar.register.selectors import add_years
from weerbaar.register.tests.support import external_circumstances, make_position
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

LIST = reverse("register:position_list")
CREATE = reverse("register:position_create")
DUE = reverse("register:screening_due")
CONTEXT = reverse("register:context")
CONTEXT_SAVE = reverse("register:context_save")


def _edit_url(position: Position) -> str:
    return reverse("register:position_update", kwargs={"position_uuid": position.uuid})


def _reload(position: Position) -> Position:
    return Position.cross_tenant_objects.get(pk=position.pk)


def _form_data(world: World, **overrides: str | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Handhaver",
        "unit": str(world.a.units[1].uuid),
        "fte": "3,5",
        "screening_level": "vog_np",
        "risk_areas": ["informatie", "personen"],
        "renewal_years": "5",
        "last_screening_on": "2025-01-31",
    }
    data.update(overrides)
    return data


# --- positions ----------------------------------------------------------------------------------


def test_the_coordinator_adds_a_position(world: World) -> None:
    response = world.client_for("coordinator").post(CREATE, _form_data(world))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        position = Position.objects.get()
    assert position.name == "Handhaver"
    assert str(position.fte) == "3.5"
    assert position.risk_areas == ["informatie", "personen"]
    assert position.last_screening_on == dt.date(2025, 1, 31)


def test_the_form_explains_the_screening_levels(world: World) -> None:
    page = body(world.client_for("coordinator").get(CREATE))
    for words in ("VOG NP", "politiegegevens", "Bibob", "AIVD", "Zakelijke transacties"):
        assert words in page


def test_the_form_keeps_input_when_vog_np_has_no_risk_area(world: World) -> None:
    response = world.client_for("coordinator").post(CREATE, _form_data(world, name="Mijn typewerk", risk_areas=[]))
    page = body(response)
    assert response.status_code == 200
    assert "ten minste één risicogebied" in page
    assert 'value="Mijn typewerk"' in page
    assert 'value="3,5"' in page
    with tenant_scope(world.a.organisation):
        assert not Position.objects.exists()


def test_a_stale_edit_keeps_what_was_typed(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        services.position_update(actor=world.a.user("coordinator"), position=position, version=1, name="Ander")
    response = world.client_for("beheerder").post(
        _edit_url(position), _form_data(world, name="Mijn typewerk", version="1")
    )
    page = body(response)
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert 'value="Mijn typewerk"' in page
    assert _reload(position).name == "Ander"


def test_an_edit_saves_and_archive_and_reactivate_work(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
    client = world.client_for("beheerder")
    response = client.post(
        _edit_url(position), _form_data(world, screening_level="geen", risk_areas=[], renewal_years="", version="1")
    )
    assert response.status_code == 302
    assert _reload(position).screening_level == "geen"
    archived = client.post(
        reverse("register:position_archive", kwargs={"position_uuid": position.uuid}), {"version": "2"}, follow=True
    )
    assert "“Handhaver” is gearchiveerd" in body(archived)
    assert not _reload(position).is_active
    assert "Handhaver" not in body(client.get(LIST))
    assert "Handhaver" in body(client.get(LIST, {"archief": "gearchiveerd"}))
    client.post(reverse("register:position_reactivate", kwargs={"position_uuid": position.uuid}), {"version": "3"})
    assert _reload(position).is_active


def test_the_list_filters_on_level_unit_status_and_search(world: World) -> None:
    today = dt.date.today()
    with tenant_scope(world.a.organisation):
        make_position(world.a, "Kassamedewerker", last_screening_on=today)
        make_position(world.a, "Boa", screening_level="vog_p", risk_areas=[], last_screening_on=None)
        make_position(world.a, "Bode", screening_level="geen", risk_areas=[], renewal_years=None, unit=None)
    client = world.client_for("lezer")
    page = body(client.get(LIST, {"screening": "vog_p"}))
    assert "Boa" in page and "Kassamedewerker" not in page
    page = body(client.get(LIST, {"status": "te_laat"}))
    assert "Boa" in page and "Kassamedewerker" not in page and "Bode" not in page
    page = body(client.get(LIST, {"afdeling": str(world.a.units[1].uuid)}))
    assert "Kassamedewerker" in page and "Bode" not in page
    page = body(client.get(LIST, {"q": "kassa"}))
    assert "Kassamedewerker" in page and "Boa" not in page
    page = body(client.get(LIST, {"sorteer": "-naam"}))
    assert page.index("Kassamedewerker") < page.index("Bode")
    assert "Geen functies gevonden" in body(client.get(LIST, {"q": "bestaat niet"}))


def test_an_empty_register_says_what_to_do(world: World) -> None:
    assert "Voeg de eerste functie toe" in body(world.client_for("coordinator").get(LIST))
    assert "Vraag de coördinator" in body(world.client_for("lezer").get(LIST))


def test_the_due_page_lists_only_what_needs_screening(world: World) -> None:
    today = dt.date.today()
    with tenant_scope(world.a.organisation):
        make_position(world.a, "Kassamedewerker", last_screening_on=today)
        make_position(world.a, "Boa", last_screening_on=add_years(today, -6))
    page = body(world.client_for("secretaris").get(DUE))
    assert "Boa" in page and "Te laat" in page
    assert "Kassamedewerker" not in page


@pytest.mark.parametrize("role", ["lezer", "secretaris", "proceseigenaar", "vertrouwenspersoon"])
def test_roles_that_may_only_look_get_403_on_changes(world: World, role: str) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
    client = world.client_for(role)
    assert client.get(LIST).status_code == 200
    assert client.get(CONTEXT).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _form_data(world)).status_code == 403
    assert client.post(_edit_url(position), _form_data(world, version="1")).status_code == 403
    assert client.post(CONTEXT_SAVE, {}).status_code == 403


def test_the_medewerker_may_not_see_the_register(world: World) -> None:
    client = world.client_for("medewerker")
    assert client.get(LIST).status_code == 403
    assert client.get(DUE).status_code == 403
    assert client.get(CONTEXT).status_code == 403


def test_another_organisations_position_is_a_404(world: World) -> None:
    with tenant_scope(world.b.organisation):
        foreign = make_position(world.b, "KANARIE functie")
    client = world.client_for("beheerder")
    assert client.get(_edit_url(foreign)).status_code == 404
    assert client.post(_edit_url(foreign), _form_data(world, version="1")).status_code == 404
    archive = reverse("register:position_archive", kwargs={"position_uuid": foreign.uuid})
    assert client.post(archive, {"version": "1"}).status_code == 404
    assert _reload(foreign).is_active
    assert "KANARIE" not in body(client.get(LIST))


@pytest.mark.parametrize("extra", [3, 30])
def test_the_position_list_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    with tenant_scope(world.a.organisation):
        for number in range(extra):
            make_position(world.a, f"Functie {number}", unit=world.a.units[number % 2])
    client = world.client_for("coordinator")
    # The view's own: the units for the filter, and the positions with their units.
    with django_assert_max_num_queries(middleware_queries(client) + 3):
        response = client.get(LIST, {"sorteer": "screening"})
    assert body(response).count('<th scope="row">') == extra


@pytest.mark.parametrize("extra", [3, 30])
def test_the_due_list_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    with tenant_scope(world.a.organisation):
        for number in range(extra):
            make_position(world.a, f"Functie {number}", last_screening_on=None)
    client = world.client_for("coordinator")
    with django_assert_max_num_queries(middleware_queries(client) + 1):
        response = client.get(DUE)
    assert body(response).count('<th scope="row">') == extra


def test_naughty_input_never_breaks_the_position_forms(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
    client = world.client_for("coordinator")
    fields = ["name", "unit", "fte", "screening_level", "risk_areas", "renewal_years", "last_screening_on"]
    submit_naughty(client, CREATE, base_data=_form_data(world, name="Naughty"), fields=fields)
    submit_naughty(client, _edit_url(position), base_data=_form_data(world), fields=[*fields, "version"])
    for action in ("position_archive", "position_reactivate"):
        submit_naughty(
            client,
            reverse(f"register:{action}", kwargs={"position_uuid": position.uuid}),
            base_data={},
            fields=["version"],
        )
    submit_naughty(
        client,
        LIST,
        method="get",
        base_data={},
        fields=["q", "afdeling", "screening", "status", "archief", "sorteer", "pagina"],
    )


# --- context ------------------------------------------------------------------------------------


def _context_data(circumstance: Any, **overrides: str) -> dict[str, str]:
    prefix = f"o-{circumstance.uuid}"
    data = {
        "omstandigheid": str(circumstance.uuid),
        f"{prefix}-version": "0",
        f"{prefix}-applies": "on",
        f"{prefix}-severity": "hoog",
        f"{prefix}-note": "Drie vakantieparken",
    }
    data.update({f"{prefix}-{key}" if key != "omstandigheid" else key: value for key, value in overrides.items()})
    return data


def test_the_context_page_lists_external_circumstances_grouped(world: World) -> None:
    circumstances = external_circumstances()
    page = body(world.client_for("coordinator").get(CONTEXT))
    for circumstance in circumstances:
        assert escape(circumstance.name) in page
    assert "Risicolocatie" in page and "Risicosector" in page


def test_the_coordinator_records_a_circumstance_and_the_home_page_shows_it(world: World) -> None:
    circumstance = external_circumstances()[0]
    client = world.client_for("coordinator")
    response = client.post(CONTEXT_SAVE, _context_data(circumstance))
    assert response.status_code == 302
    with tenant_scope(world.a.organisation):
        item = ContextItem.objects.get()
    assert (item.applies, item.severity, item.note) == (True, "hoog", "Drie vakantieparken")
    home = body(world.client_for("lezer").get(reverse("core:home")))
    assert circumstance.name in home and "ernst: hoog" in home
    reader_page = body(world.client_for("lezer").get(CONTEXT))
    assert "Drie vakantieparken" in reader_page and "<textarea" not in reader_page


def test_the_context_form_keeps_input_when_the_severity_is_missing(world: World) -> None:
    circumstance = external_circumstances()[1]
    response = world.client_for("beheerder").post(
        CONTEXT_SAVE, _context_data(circumstance, severity="", note="Mijn typewerk")
    )
    page = body(response)
    assert response.status_code == 200
    assert "Kies hoe ernstig" in page
    assert "Mijn typewerk</textarea>" in page
    with tenant_scope(world.a.organisation):
        assert not ContextItem.objects.exists()


def test_a_stale_context_save_keeps_what_was_typed(world: World) -> None:
    circumstance = external_circumstances()[0]
    client = world.client_for("coordinator")
    client.post(CONTEXT_SAVE, _context_data(circumstance, note="Eerste"))
    page = body(client.post(CONTEXT_SAVE, _context_data(circumstance, note="Tweede")))
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Tweede</textarea>" in page
    with tenant_scope(world.a.organisation):
        assert ContextItem.objects.get().note == "Eerste"


def test_an_unknown_or_internal_circumstance_is_a_404(world: World) -> None:
    from weerbaar.catalogue.models import Circumstance

    internal = Circumstance.national_objects.filter(kind="intern").first()
    client = world.client_for("coordinator")
    assert client.post(CONTEXT_SAVE, _context_data(internal)).status_code == 404
    assert client.post(CONTEXT_SAVE, {"omstandigheid": "geen-uuid"}).status_code == 404


@pytest.mark.parametrize("extra", [2, 20])
def test_the_context_page_needs_the_same_number_of_queries_at_any_size(
    world: World, extra: int, django_assert_max_num_queries: Any
) -> None:
    circumstances = external_circumstances()[:extra]
    with tenant_scope(world.a.organisation):
        for circumstance in circumstances:
            services.context_update(
                actor=None,
                organisation=world.a.organisation,
                circumstance=circumstance,
                applies=True,
                severity="laag",
                version=0,
            )
    client = world.client_for("coordinator")
    # The view's own: the items, and the effective external circumstances.
    with django_assert_max_num_queries(middleware_queries(client) + 2):
        response = client.get(CONTEXT)
    assert body(response).count("selected>Laag") == len(circumstances)


def test_naughty_input_never_breaks_the_context_form(world: World) -> None:
    circumstance = external_circumstances()[0]
    prefix = f"o-{circumstance.uuid}"
    submit_naughty(
        world.client_for("coordinator"),
        CONTEXT_SAVE,
        base_data=_context_data(circumstance),
        fields=["omstandigheid", f"{prefix}-version", f"{prefix}-applies", f"{prefix}-severity", f"{prefix}-note"],
    )

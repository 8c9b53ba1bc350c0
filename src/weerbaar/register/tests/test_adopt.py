"""Overnemen uit de catalogus: the service (all or nothing, audited) and the wizard page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from weerbaar.catalogue import services as catalogue_services
from weerbaar.catalogue.models import ProcessCategory, ReferenceProcess
from weerbaar.catalogue.selectors import category_list
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.register import services
from weerbaar.register.adoption import fits_unit
from weerbaar.register.models import Process
from weerbaar.register.services import AdoptionRefused, AdoptSelection
from weerbaar.register.tests.support import make_process
from weerbaar.testing.factories import UnitFactory
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

ADOPT = reverse("register:adopt")
LIST = reverse("register:process_list")


def _reference(key: str) -> ReferenceProcess:
    return ReferenceProcess.national_objects.select_related("category").get(key=key)


def _processes(tenant: Tenant) -> list[Process]:
    with tenant_scope(tenant.organisation):
        return list(Process.objects.select_related("reference_process", "owner", "unit").order_by("code"))


def _adopt(tenant: Tenant, selections: list[AdoptSelection], unit: Any = "default") -> list[Process]:
    with tenant_scope(tenant.organisation):
        return services.processes_adopt(
            actor=tenant.user("coordinator"),
            organisation=tenant.organisation,
            unit=tenant.units[1] if unit == "default" else unit,
            selections=selections,
        )


def _url(unit: Any) -> str:
    return f"{ADOPT}?{urlencode({'afdeling': unit.uuid})}"


def _row(
    reference: ReferenceProcess, *, name: str | None = None, owner: str = "", ticked: bool = True
) -> dict[str, str]:
    prefix = f"r-{reference.uuid}"
    data = {f"{prefix}-name": reference.name if name is None else name, f"{prefix}-owner": owner}
    if ticked:
        data[f"{prefix}-adopt"] = "on"
    return data


def _post(world: World, *rows: dict[str, str], **extra: str) -> dict[str, str]:
    data = {"afdeling": str(world.a.units[1].uuid), "standaard_eigenaar": ""}
    for row in rows:
        data.update(row)
    data.update(extra)
    return data


# --- fitting the typical unit ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typical_unit", "unit_name", "fits"),
    [
        ("Burgerzaken", "Aadorp Burgerzaken", True),
        ("Burgerzaken (RNI-loket)", "Team Burgerzaken", True),
        ("Vergunningen", "Vergunningverlening", True),
        ("Financiën / Burgerzaken", "Financien", True),
        ("Vakafdelingen Sport, Cultuur en Welzijn", "Sport", True),
        ("Burgerzaken / Handhaving", "Vergunningen, Toezicht en Handhaving", True),
        ("Openbare Orde en Veiligheid", "Openbare Ruimte", False),
        ("Belastingen", "Burgerzaken", False),
        ("", "Burgerzaken", False),
        ("Burgerzaken", "Team", False),
    ],
)
def test_a_typical_unit_fits_a_unit_by_its_words_not_its_exact_spelling(
    typical_unit: str, unit_name: str, fits: bool
) -> None:
    assert fits_unit(typical_unit, unit_name) is fits


# --- the service --------------------------------------------------------------------------------


def test_adopting_creates_one_audited_process_per_ticked_reference(world: World) -> None:
    references = [_reference("naturalisatie"), _reference("burgerzaken-uittreksels"), _reference("cameratoezicht")]
    owner = world.a.members["proceseigenaar"]
    created = _adopt(
        world.a,
        [
            AdoptSelection(reference_process=references[0], name="  Naturalisatie  ", owner=owner),
            AdoptSelection(reference_process=references[1], name="Uittreksels"),
            AdoptSelection(reference_process=references[2], name=references[2].name, owner=owner),
        ],
    )
    assert [process.code for process in created] == ["P-001", "P-002", "P-003"]
    stored = _processes(world.a)
    assert [process.name for process in stored] == ["Naturalisatie", "Uittreksels", references[2].name]
    for process, reference in zip(stored, references, strict=True):
        assert process.reference_process == reference
        assert process.category_id == reference.category_id
        assert process.description == reference.description
        assert process.unit == world.a.units[1]
    assert [process.owner for process in stored] == [owner, None, owner]
    audited = events(world.a.organisation, "process.create")
    assert [event.changes["code"][1] for event in audited] == ["P-001", "P-002", "P-003"]
    assert {event.actor_uuid for event in audited} == {world.a.user("coordinator").uuid}


def test_a_name_used_twice_refuses_the_whole_submission(world: World) -> None:
    first, second, third = (
        _reference("naturalisatie"),
        _reference("burgerzaken-uittreksels"),
        _reference("cameratoezicht"),
    )
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(
            world.a,
            [
                AdoptSelection(reference_process=first, name="Loket"),
                AdoptSelection(reference_process=second, name="Cameratoezicht"),
                AdoptSelection(reference_process=third, name="  loket "),
            ],
        )
    assert set(raised.value.rows) == {str(first.uuid), str(third.uuid)}
    assert "meer dan één" in raised.value.rows[str(first.uuid)]["name"][0]
    assert _processes(world.a) == []
    assert events(world.a.organisation, "process.create") == []


def test_a_clash_with_the_register_rolls_back_the_rows_that_were_fine(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a, name="Cameratoezicht")
    fine, clashing = _reference("naturalisatie"), _reference("cameratoezicht")
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(
            world.a,
            [
                AdoptSelection(reference_process=fine, name="Naturalisatie"),
                AdoptSelection(reference_process=clashing, name="cameratoezicht"),
            ],
        )
    assert list(raised.value.rows) == [str(clashing.uuid)]
    assert "P-001" in raised.value.rows[str(clashing.uuid)]["name"][0]
    assert [process.code for process in _processes(world.a)] == ["P-001"]
    assert len(events(world.a.organisation, "process.create")) == 1


def test_an_owner_from_another_organisation_is_refused_and_nothing_is_written(world: World) -> None:
    reference = _reference("naturalisatie")
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(
            world.a,
            [
                AdoptSelection(reference_process=_reference("cameratoezicht"), name="Cameratoezicht"),
                AdoptSelection(reference_process=reference, name="Naturalisatie", owner=world.b.members["coordinator"]),
            ],
        )
    assert "owner" in raised.value.rows[str(reference.uuid)]
    assert _processes(world.a) == []


def test_nothing_ticked_or_a_foreign_unit_is_refused(world: World) -> None:
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(world.a, [])
    assert raised.value.general == ["Vink ten minste één proces aan."]
    with pytest.raises(AdoptionRefused):
        _adopt(
            world.a,
            [AdoptSelection(reference_process=_reference("naturalisatie"), name="Naturalisatie")],
            unit=world.b.units[1],
        )
    assert _processes(world.a) == []


def test_an_adopted_reference_or_another_organisations_own_reference_is_refused(world: World) -> None:
    category = ProcessCategory.objects.order_by("position")[0]
    with tenant_scope(world.b.organisation):
        foreign = catalogue_services.reference_process_create(
            actor=None, organisation=world.b.organisation, name="Eigen proces van B", category=category
        )
    adopted = _reference("naturalisatie")
    _adopt(world.a, [AdoptSelection(reference_process=adopted, name="Naturalisatie")])
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(
            world.a,
            [
                AdoptSelection(reference_process=adopted, name="Naturalisatie opnieuw"),
                AdoptSelection(reference_process=foreign, name="Iets van B"),
            ],
        )
    assert "P-001" in raised.value.rows[str(adopted.uuid)]["reference_process"][0]
    assert "reference_process" in raised.value.rows[str(foreign.uuid)]
    assert len(_processes(world.a)) == 1


def test_an_own_version_counts_as_adopted_when_its_national_entry_was(world: World) -> None:
    national = _reference("naturalisatie")
    _adopt(world.a, [AdoptSelection(reference_process=national, name="Naturalisatie")])
    with tenant_scope(world.a.organisation):
        own = catalogue_services.reference_process_create(
            actor=None,
            organisation=world.a.organisation,
            name="Naturalisatie (eigen versie)",
            category=national.category,
            based_on=national,
        )
    with pytest.raises(AdoptionRefused) as raised:
        _adopt(world.a, [AdoptSelection(reference_process=own, name="Naturalisatie bij ons")])
    assert "P-001" in raised.value.rows[str(own.uuid)]["reference_process"][0]


# --- the wizard page ----------------------------------------------------------------------------


def test_the_first_step_asks_for_a_unit_and_lists_no_processes_yet(world: World) -> None:
    response = world.client_for("coordinator").get(ADOPT)
    page = body(response)
    assert response.status_code == 200
    assert 'name="afdeling"' in page
    assert "Geen afdeling (voor de hele organisatie)" in page
    assert f'href="{_url(world.a.units[1])}"' in page.replace("&amp;", "&")
    assert 'type="checkbox"' not in page
    assert CANARY not in page


def test_the_second_step_groups_the_references_by_category_with_fitting_ones_first(world: World) -> None:
    response = world.client_for("coordinator").get(_url(world.a.units[1]))
    page = body(response)
    assert response.status_code == 200
    headings = re.findall(r'<h3 id="category-([\w-]+)">', page)
    with tenant_scope(world.a.organisation):
        assert headings == [category.key for category in category_list() if category.processes.exists()]
    # "Aadorp Burgerzaken" fits the references whose typical unit is Burgerzaken: marked, first, not ticked.
    assert "past bij deze afdeling" in page
    fitting = _reference("naturalisatie")
    assert 'value="Naturalisatie en optie Nederlanderschap"' in page
    brp = page[page.index('id="category-beheer-brp"') :]
    first_row_name = re.search(r'<label for="id_r-[^"]+-adopt">([^<]+)</label>', brp)
    assert first_row_name is not None
    assert fits_unit(ReferenceProcess.national_objects.get(name=first_row_name.group(1)).typical_unit, "Burgerzaken")
    assert f'id="id_r-{fitting.uuid}-adopt"' in page
    assert "checked" not in page
    assert "Nog geen eigenaar" in page and world.a.user("proceseigenaar").email in page
    assert CANARY not in page


def test_ticked_rows_become_processes_and_the_list_opens_on_the_unit(world: World) -> None:
    naturalisation, cameras, extracts = (
        _reference("naturalisatie"),
        _reference("cameratoezicht"),
        _reference("burgerzaken-uittreksels"),
    )
    owner, default = world.a.members["proceseigenaar"], world.a.members["secretaris"]
    data = _post(
        world,
        _row(naturalisation, name="Naturalisatie Aadorp", owner=str(owner.uuid)),
        _row(cameras),
        _row(extracts, ticked=False),
        standaard_eigenaar=str(default.uuid),
    )
    client = world.client_for("coordinator")
    response = client.post(ADOPT, data)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?{urlencode({'afdeling': world.a.units[1].uuid})}"
    stored = {process.reference_process: process for process in _processes(world.a)}
    assert set(stored) == {naturalisation, cameras}
    assert (stored[naturalisation].name, stored[naturalisation].owner) == ("Naturalisatie Aadorp", owner)
    assert (stored[cameras].name, stored[cameras].owner) == (cameras.name, default)
    assert len(events(world.a.organisation, "process.create")) == 2
    page = body(client.get(_url(world.a.units[1])))
    assert "2 processen toegevoegd aan het register." in page


def test_save_and_next_goes_on_with_the_next_unit(world: World) -> None:
    with tenant_scope(world.a.organisation):
        later = UnitFactory.create(organisation=world.a.organisation, name="Aadorp Vergunningen")
    response = world.client_for("coordinator").post(ADOPT, _post(world, _row(_reference("naturalisatie")), verder="1"))
    assert response.status_code == 302
    assert response["Location"] == _url(later)


def test_a_bad_row_keeps_every_tick_and_name_and_writes_nothing(world: World) -> None:
    good, empty, twin = _reference("naturalisatie"), _reference("cameratoezicht"), _reference("burgerzaken-uittreksels")
    data = _post(
        world,
        _row(good, name="Mijn eigen naam"),
        _row(empty, name="   "),
        _row(twin, name="mijn EIGEN naam"),
    )
    response = world.client_for("coordinator").post(ADOPT, data)
    page = body(response)
    assert response.status_code == 200
    assert "Er is niets opgeslagen" in page and 'role="alert"' in page
    assert 'value="Mijn eigen naam"' in page and 'value="mijn EIGEN naam"' in page
    for reference in (good, empty, twin):
        assert re.search(rf'<input type="checkbox" name="r-{reference.uuid}-adopt"[^>]* checked', page)
    # Each wrong name points at its message, and the summary links to the input.
    assert f'aria-describedby="id_r-{empty.uuid}-name_error"' in page
    assert f'id="id_r-{empty.uuid}-name_error"' in page
    assert f'href="#id_r-{empty.uuid}-name"' in page
    assert "Vul een naam in." in page
    assert page.count("Deze naam staat bij meer dan één aangevinkt proces.") == 4  # row and summary, twice
    # Rows the browser did not send (the catalogue grew meanwhile) come back unticked with their catalogue name.
    assert 'value="Kasbeheer en contante betalingen"' in page
    assert _processes(world.a) == []


def test_an_owner_outside_the_organisation_is_refused_on_its_row(world: World) -> None:
    reference = _reference("naturalisatie")
    foreign_owner = str(world.b.members["coordinator"].uuid)
    response = world.client_for("coordinator").post(ADOPT, _post(world, _row(reference, owner=foreign_owner)))
    page = body(response)
    assert response.status_code == 200
    assert f'aria-describedby="id_r-{reference.uuid}-owner_error"' in page
    assert f'href="#id_r-{reference.uuid}-owner"' in page
    assert CANARY not in page
    assert _processes(world.a) == []


def test_nothing_ticked_is_explained(world: World) -> None:
    response = world.client_for("coordinator").post(
        ADOPT, _post(world, _row(_reference("naturalisatie"), ticked=False))
    )
    assert response.status_code == 200
    assert "Vink ten minste één proces aan." in body(response)


def test_an_adopted_reference_is_shown_disabled_with_a_link_and_cannot_be_posted(world: World) -> None:
    reference = _reference("naturalisatie")
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Naturalisatie", category=reference.category, reference_process=reference)
    client = world.client_for("coordinator")
    page = body(client.get(_url(world.a.units[1])))
    assert f'<input type="checkbox" id="adopted-{reference.uuid}" disabled' in page
    assert "al in het register (P-001)" in page
    assert reverse("register:process_detail", kwargs={"process_uuid": process.uuid}) in page
    assert f'name="r-{reference.uuid}-adopt"' not in page
    response = client.post(ADOPT, _post(world, _row(reference, name="Naturalisatie twee")))
    assert response.status_code == 200
    assert "Vink ten minste één proces aan." in body(response)
    assert len(_processes(world.a)) == 1


def test_posted_ids_outside_the_organisations_catalogue_are_ignored(world: World) -> None:
    category = ProcessCategory.objects.order_by("position")[0]
    with tenant_scope(world.b.organisation):
        foreign = catalogue_services.reference_process_create(
            actor=None, organisation=world.b.organisation, name=f"Proces van {CANARY}", category=category
        )
    client = world.client_for("coordinator")
    response = client.post(ADOPT, _post(world, _row(foreign), {"r-geen-uuid-adopt": "on", "r--name": "x"}))
    assert response.status_code == 200
    assert "Vink ten minste één proces aan." in body(response)
    assert CANARY not in body(response)
    response = client.post(
        ADOPT, {**_post(world, _row(_reference("naturalisatie"))), "afdeling": str(world.b.units[1].uuid)}
    )
    assert response.status_code == 200
    assert "Deze afdeling bestaat niet" in body(response)
    assert CANARY not in body(response)
    assert _processes(world.a) == [] and _processes(world.b) == []


def test_processes_without_a_unit_can_be_adopted_too(world: World) -> None:
    client = world.client_for("coordinator")
    page = body(client.get(f"{ADOPT}?afdeling=geen"))
    assert "Processen zonder afdeling" in page and "past bij deze afdeling" not in page
    response = client.post(ADOPT, _post(world, _row(_reference("naturalisatie")), afdeling="geen"))
    assert response.status_code == 302 and response["Location"] == LIST
    assert [process.unit for process in _processes(world.a)] == [None]


@pytest.mark.parametrize("role", ["lezer", "secretaris", "proceseigenaar", "vertrouwenspersoon", "medewerker"])
def test_roles_without_register_edit_get_403(world: World, role: str) -> None:
    client = world.client_for(role)
    assert client.get(ADOPT).status_code == 403
    assert client.get(_url(world.a.units[1])).status_code == 403
    assert client.post(ADOPT, _post(world, _row(_reference("naturalisatie")))).status_code == 403
    assert _processes(world.a) == []


def test_the_beheerder_may_adopt_and_anonymous_users_are_sent_to_log_in(world: World) -> None:
    assert world.client_for("beheerder").get(_url(world.a.units[1])).status_code == 200
    from django.test import Client

    response = Client().get(ADOPT)
    assert response.status_code == 302 and "/inloggen" in response["Location"]
    assert world.client_for("coordinator").put(ADOPT).status_code == 405


def test_hostile_names_never_break_the_page(world: World) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        references = list(ReferenceProcess.national_objects.filter(is_active=True).order_by("position", "key"))
    assert len(references) >= len(NAUGHTY_STRINGS)
    # A fresh reference per string: a stored one is adopted, and its row is gone from the next page.
    for value, reference in zip(NAUGHTY_STRINGS, references, strict=False):
        field = f"r-{reference.uuid}-name"
        (response,) = submit_naughty(
            client, ADOPT, base_data=_post(world, _row(reference)), fields=[field], strings=[value]
        )
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert "Er is niets opgeslagen" in body(response)
    with tenant_scope(world.a.organisation):
        names = list(Process.objects.values_list("name", flat=True))
    assert "<script>alert('weerbaar')</script>" in names
    assert "line break carriage" in names
    assert not any("\x00" in name or len(name) > 200 for name in names)


def test_the_first_step_counts_the_processes_each_unit_has(world: World) -> None:
    _adopt(
        world.a,
        [
            AdoptSelection(reference_process=_reference("naturalisatie"), name="Naturalisatie"),
            AdoptSelection(reference_process=_reference("cameratoezicht"), name="Cameratoezicht"),
        ],
    )
    page = body(world.client_for("coordinator").get(ADOPT))
    row = page[page.index(f"?afdeling={world.a.units[1].uuid}") :]
    assert re.match(r'[^<]*">[^<]+</a></th>\s*<td class="num">2</td>', row)


def test_the_second_step_costs_the_same_queries_however_full_the_register(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weerbaar.testing.factories import MembershipFactory, UserFactory

    client = world.client_for("coordinator")
    url = _url(world.a.units[1])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    queries()  # the first request of a session sets it up
    before = queries()
    keys = ["naturalisatie", "cameratoezicht", "burgerzaken-uittreksels"]
    _adopt(world.a, [AdoptSelection(reference_process=_reference(key), name=key) for key in keys])
    with tenant_scope(world.a.organisation):
        for number in range(3):
            user = UserFactory.create(email=f"extra{number}@aadorp.example")
            MembershipFactory.create(organisation=world.a.organisation, user=user, roles=["medewerker"])
    assert queries() == before

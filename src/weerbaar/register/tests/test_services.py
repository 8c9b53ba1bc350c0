from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from weerbaar.core.services import StaleVersion
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register import services
from weerbaar.register.models import ContextItem, Position
from weerbaar.register.tests.support import external_circumstances, make_position
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _reload(position: Position) -> Position:
    return Position.cross_tenant_objects.get(pk=position.pk)


def test_creating_a_position_is_audited_with_its_values(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a, fte=Decimal("2.5"))
    [event] = events(world.a.organisation, "position.create")
    assert event.changes["name"] == [None, "Medewerker vergunningen"]
    assert event.changes["fte"][1] in ("2.5", 2.5, Decimal("2.5"))
    assert event.changes["risk_areas"] == [None, ["informatie", "geld"]]
    assert position.version == 1


def test_an_update_is_audited_old_to_new_and_bumps_the_version(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        updated = services.position_update(
            actor=world.a.user("coordinator"),
            position=position,
            version=1,
            screening_level="vog_p",
            risk_areas=[],
            renewal_years=3,
        )
    assert updated.version == 2
    [event] = events(world.a.organisation, "position.update")
    assert event.changes["screening_level"] == ["vog_np", "vog_p"]
    assert event.changes["risk_areas"] == [["informatie", "geld"], []]
    assert event.changes["renewal_years"] == [5, 3]
    assert "name" not in event.changes


def test_saving_without_changes_records_nothing(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        services.position_update(
            actor=world.a.user("coordinator"), position=position, version=1, risk_areas=["geld", "informatie"]
        )
    assert events(world.a.organisation, "position.update") == []
    assert _reload(position).version == 1


def test_a_stale_version_is_refused(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        services.position_update(actor=world.a.user("coordinator"), position=position, version=1, name="Nieuw")
        with pytest.raises(StaleVersion):
            services.position_update(actor=world.a.user("coordinator"), position=position, version=1, name="Oud")
    assert _reload(position).name == "Nieuw"


def test_vog_np_needs_at_least_one_risk_area(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, risk_areas=[])
    assert "risk_areas" in error.value.message_dict


@pytest.mark.parametrize("level", ["geen", "vog_p", "vertrouwensfunctie"])
def test_risk_areas_belong_only_to_vog_np(world: World, level: str) -> None:
    renewal = None if level == "geen" else 5
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, screening_level=level, risk_areas=["geld"], renewal_years=renewal)
    assert "risk_areas" in error.value.message_dict


def test_unknown_risk_areas_are_refused(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, risk_areas=["geld", "kinderen"])
    assert "risk_areas" in error.value.message_dict


def test_a_screening_needs_a_renewal_cycle_and_none_has_none(world: World) -> None:
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as error:
            make_position(world.a, screening_level="vog_p", risk_areas=[], renewal_years=None)
        assert "renewal_years" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            make_position(world.a, screening_level="geen", risk_areas=[], renewal_years=3)
        assert "renewal_years" in error.value.message_dict


@pytest.mark.parametrize("years", [0, 11])
def test_the_renewal_cycle_is_one_to_ten_years(world: World, years: int) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, renewal_years=years)
    assert "renewal_years" in error.value.message_dict


def test_a_last_screening_in_the_future_is_refused(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, last_screening_on=dt.date.today() + dt.timedelta(days=2))
    assert "last_screening_on" in error.value.message_dict


def test_a_unit_of_another_organisation_is_refused(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        make_position(world.a, unit=world.b.units[1])
    assert "unit" in error.value.message_dict


def test_archive_and_reactivate_are_audited(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        services.position_archive(actor=world.a.user("coordinator"), position=position, version=1)
        assert not _reload(position).is_active
        services.position_reactivate(actor=world.a.user("coordinator"), position=position, version=2)
    assert _reload(position).is_active
    assert events(world.a.organisation, "position.archive")[0].changes == {"is_active": [True, False]}
    assert events(world.a.organisation, "position.reactivate")[0].changes == {"is_active": [False, True]}


def test_a_position_is_never_bulk_deleted(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_position(world.a)
        with pytest.raises(PermissionError):
            Position.objects.all().delete()


# --- context ------------------------------------------------------------------------------------


def test_a_context_item_is_created_then_updated_and_audited(world: World) -> None:
    circumstance = external_circumstances()[0]
    actor = world.a.user("coordinator")
    with tenant_scope(world.a.organisation):
        item = services.context_update(
            actor=actor,
            organisation=world.a.organisation,
            circumstance=circumstance,
            applies=True,
            severity="hoog",
            note="Twee bedrijventerreinen",
            version=0,
        )
        assert item.version == 1
        item = services.context_update(
            actor=actor,
            organisation=world.a.organisation,
            circumstance=circumstance,
            applies=True,
            severity="middel",
            note="Twee bedrijventerreinen",
            version=1,
        )
        assert item.version == 2
        assert ContextItem.objects.count() == 1
    first, second = events(world.a.organisation, "context.update")
    assert first.changes["severity"] == [None, "hoog"]
    assert second.changes == {"severity": ["hoog", "middel"]}


def test_a_context_item_that_applies_needs_a_severity(world: World) -> None:
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        services.context_update(
            actor=world.a.user("coordinator"),
            organisation=world.a.organisation,
            circumstance=external_circumstances()[0],
            applies=True,
            severity="",
            version=0,
        )
    assert "severity" in error.value.message_dict


def test_a_stale_context_save_is_refused(world: World) -> None:
    circumstance = external_circumstances()[0]
    actor, organisation = world.a.user("coordinator"), world.a.organisation
    with tenant_scope(organisation):
        services.context_update(
            actor=actor, organisation=organisation, circumstance=circumstance, applies=True, severity="laag", version=0
        )
        with pytest.raises(StaleVersion):
            services.context_update(
                actor=actor, organisation=organisation, circumstance=circumstance, applies=False, version=0
            )
        assert ContextItem.objects.get().applies


def test_an_internal_circumstance_is_not_context(world: World) -> None:
    from weerbaar.catalogue.models import Circumstance

    internal = Circumstance.national_objects.filter(kind="intern").first()
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError):
        services.context_update(
            actor=world.a.user("coordinator"),
            organisation=world.a.organisation,
            circumstance=internal,
            applies=True,
            severity="laag",
            version=0,
        )

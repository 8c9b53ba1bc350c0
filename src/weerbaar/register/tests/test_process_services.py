from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weerbaar.catalogue.models import ReferenceProcess
from weerbaar.core import services as core_services
from weerbaar.core.services import StaleVersion
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register import services
from weerbaar.register.models import Process
from weerbaar.register.tests.support import internal_circumstances, make_position, make_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _reload(process: Process) -> Process:
    return Process.cross_tenant_objects.get(pk=process.pk)


def test_a_new_process_gets_the_next_code_and_an_audited_snapshot(world: World) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        circumstance = internal_circumstances()[0]
        first = make_process(world.a, positions=[position], circumstances=[circumstance])
        second = make_process(world.a, name="Drank- en horecavergunning")
    assert (first.code, second.code) == ("P-001", "P-002")
    event = events(world.a.organisation, "process.create")[0]
    assert event.changes["name"] == [None, "Evenementenvergunning"]
    assert event.changes["positions"] == [None, [str(position.uuid)]]
    assert event.changes["circumstances"] == [None, [str(circumstance.uuid)]]
    assert event.changes["owner"] == [None, str(world.a.members["proceseigenaar"].uuid)]


def test_codes_continue_after_the_highest_number_and_each_organisation_counts_its_own(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a, code="P-041")
        assert make_process(world.a, name="Subsidieverlening").code == "P-042"
    with tenant_scope(world.b.organisation):
        assert make_process(world.b).code == "P-001"


def test_a_name_is_unique_in_the_register_whatever_its_case_and_spacing(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_process(world.a)
        with pytest.raises(ValidationError) as raised:
            make_process(world.a, name="  evenementen­vergunning".replace("\u00ad", ""))
    assert "P-001" in str(raised.value.message_dict["name"])
    assert Process.cross_tenant_objects.count() == 1


def test_an_archived_namesake_is_named_so_the_user_can_reactivate_it(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        services.process_archive(actor=None, process=process, version=1)
        with pytest.raises(ValidationError) as raised:
            make_process(world.a)
    assert "gearchiveerd" in raised.value.message_dict["name"][0]


def test_links_to_another_organisation_are_refused(world: World) -> None:
    with tenant_scope(world.b.organisation):
        foreign_position = make_position(world.b)
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as raised:
        make_process(
            world.a,
            unit=world.b.units[1],
            owner=world.b.members["proceseigenaar"],
            positions=[foreign_position],
        )
    assert set(raised.value.message_dict) >= {"unit", "owner", "positions"}
    assert Process.cross_tenant_objects.count() == 0


def test_only_internal_circumstances_and_an_active_owner_are_accepted(world: World) -> None:
    from weerbaar.register.tests.support import external_circumstances

    owner = world.a.members["proceseigenaar"]
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as raised:
            make_process(world.a, circumstances=[external_circumstances()[0]])
        assert "circumstances" in raised.value.message_dict
        core_services.membership_deactivate(
            actor=world.a.user("beheerder"), membership=owner, new_owner=world.a.members["coordinator"]
        )
        owner.refresh_from_db()
        with pytest.raises(ValidationError) as raised:
            make_process(world.a, owner=owner)
    assert "owner" in raised.value.message_dict


def test_a_partner_needs_a_name_and_own_execution_has_none(world: World) -> None:
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as raised:
            make_process(world.a, executor="omgevingsdienst", executor_name="  ")
        assert "executor_name" in raised.value.message_dict
        process = make_process(world.a, executor="eigen", executor_name="Omgevingsdienst Zuidwaard")
    assert process.executor_name == ""


def test_an_update_records_old_and_new_and_a_stale_version_is_refused(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        position = make_position(world.a)
        reference = ReferenceProcess.national_objects.order_by("position").first()
        updated = services.process_update(
            actor=world.a.user("coordinator"),
            process=process,
            version=1,
            positions=[position],
            reference_process=reference,
            yearly_volume=300,
        )
        with pytest.raises(StaleVersion):
            services.process_update(actor=None, process=process, version=1, yearly_volume=1)
    assert updated.version == 2
    [event] = events(world.a.organisation, "process.update")
    assert event.changes["yearly_volume"] == [120, 300]
    assert event.changes["positions"] == [[], [str(position.uuid)]]
    assert set(event.changes) == {"yearly_volume", "positions", "reference_process"}
    assert _reload(process).yearly_volume == 300


def test_saving_an_unchanged_process_records_nothing(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        services.process_update(actor=None, process=process, version=1, name="Evenementenvergunning ")
    assert events(world.a.organisation, "process.update") == []
    assert _reload(process).version == 1


def test_archive_and_reactivate_are_audited_and_not_repeated(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        services.process_archive(actor=None, process=process, version=1)
        with pytest.raises(ValidationError):
            services.process_archive(actor=None, process=process, version=2)
        services.process_reactivate(actor=None, process=process, version=2)
    assert _reload(process).is_active
    assert len(events(world.a.organisation, "process.archive")) == 1
    assert len(events(world.a.organisation, "process.reactivate")) == 1


def test_deactivating_an_owner_asks_for_a_new_owner_first(world: World) -> None:
    owner = world.a.members["proceseigenaar"]
    with tenant_scope(world.a.organisation):
        make_process(world.a)
        archived = make_process(world.a, name="Subsidieverlening")
        services.process_archive(actor=None, process=archived, version=1)
        with pytest.raises(ValidationError) as raised:
            core_services.membership_deactivate(actor=world.a.user("beheerder"), membership=owner)
        assert "2 processen" in raised.value.message_dict["new_owner"][0]
        owner.refresh_from_db()
        assert owner.is_active
        with pytest.raises(ValidationError):
            core_services.membership_deactivate(actor=world.a.user("beheerder"), membership=owner, new_owner=owner)
        core_services.membership_deactivate(
            actor=world.a.user("beheerder"), membership=owner, new_owner=world.a.members["coordinator"]
        )
    assert set(Process.cross_tenant_objects.values_list("owner", flat=True)) == {world.a.members["coordinator"].pk}
    assert len(events(world.a.organisation, "process.update")) == 2


def test_a_new_owner_from_another_organisation_is_refused(world: World) -> None:
    owner = world.a.members["proceseigenaar"]
    with tenant_scope(world.a.organisation):
        make_process(world.a)
        with pytest.raises(ValidationError) as raised:
            core_services.membership_deactivate(
                actor=world.a.user("beheerder"), membership=owner, new_owner=world.b.members["coordinator"]
            )
    assert "new_owner" in raised.value.message_dict
    assert Process.cross_tenant_objects.get().owner_id == owner.pk

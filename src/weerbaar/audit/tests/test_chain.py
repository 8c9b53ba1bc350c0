from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from weerbaar.audit.models import SYSTEM_CHAIN, AuditChainHead, AuditEvent, Result, chain_for
from weerbaar.audit.services import HIDDEN, compute_hash, diff, record, verify_all, verify_chain
from weerbaar.core.models import Organisation
from weerbaar.core.tenancy import TenantScopeMissing, tenant_scope
from weerbaar.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(organisation: Organisation, count: int) -> list[AuditEvent]:
    actor = UserFactory.create()
    return [
        record(action="unit.update", actor=actor, organisation=organisation, changes={"name": [f"v{i}", f"v{i + 1}"]})
        for i in range(count)
    ]


def _raw(sql: str, params: list[Any]) -> None:
    """Tamper directly in the database, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


def test_it_chains_each_event_to_the_previous_one() -> None:
    organisation = OrganisationFactory.create()
    first, second, third = _events(organisation, 3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert compute_hash(third) == third.hash
    report = verify_chain(chain_for(organisation.uuid))
    assert report.ok and report.length == 3


def test_each_organisation_has_its_own_chain_and_unknown_actors_go_to_the_system_chain() -> None:
    a, b = OrganisationFactory.create(), OrganisationFactory.create()
    _events(a, 2)
    _events(b, 1)
    failed = record(action="auth.login_failed", actor_label="niemand@example.org", result=Result.FAILURE)
    assert failed.chain == SYSTEM_CHAIN and failed.sequence >= 1
    assert AuditEvent.all_chains.filter(chain=chain_for(b.uuid)).count() == 1
    assert all(report.ok for report in verify_all())


def test_it_records_the_bio_fields() -> None:
    organisation = OrganisationFactory.create()
    actor = UserFactory.create(email="beheerder@aadorp.example")
    event = record(
        action="membership.update", actor=actor, organisation=organisation, obj=organisation, origin="192.0.2.7"
    )
    assert event.actor_label == "beheerder@aadorp.example"
    assert event.actor_uuid == actor.uuid
    assert event.object_uuid == str(organisation.uuid)
    assert event.origin == "192.0.2.7"
    assert event.result == Result.SUCCESS
    assert event.occurred_at is not None


def test_it_never_writes_secret_values() -> None:
    organisation = OrganisationFactory.create()
    event = record(
        action="user.update",
        organisation=organisation,
        changes=diff({"password": "oud-geheim", "full_name": "A"}, {"password": "nieuw-geheim", "full_name": "B"}),
    )
    assert event.changes["password"] == [HIDDEN, HIDDEN]
    assert event.changes["full_name"] == ["A", "B"]
    direct = record(action="x", organisation=organisation, changes={"api_token": "sleutel-123"})
    assert "sleutel-123" not in str(direct.changes)


def test_the_orm_refuses_to_change_or_delete_audit_rows() -> None:
    organisation = OrganisationFactory.create()
    (event,) = _events(organisation, 1)
    event.reason = "achteraf aangepast"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.all_chains.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.all_chains.filter(pk=event.pk).delete()


def test_the_default_manager_only_shows_the_bound_organisations_chain() -> None:
    a, b = OrganisationFactory.create(), OrganisationFactory.create()
    _events(a, 2)
    _events(b, 3)
    with pytest.raises(TenantScopeMissing):
        list(AuditEvent.objects.all())
    with tenant_scope(a):
        assert AuditEvent.objects.count() == 2


def test_verify_names_an_edited_row() -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 4)
    _raw("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["iemand-anders", events[2].pk])
    report = verify_chain(chain_for(organisation.uuid))
    assert not report.ok
    assert report.broken_event_id == events[2].pk and report.broken_sequence == 3
    assert "gewijzigd" in report.problem


def test_verify_names_a_deleted_row() -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 4)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = verify_chain(chain_for(organisation.uuid))
    assert not report.ok and report.broken_event_id == events[2].pk
    assert "ontbreekt" in report.problem


def test_verify_notices_a_deleted_tail() -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    report = verify_chain(chain_for(organisation.uuid))
    assert not report.ok and "ontbreken" in report.problem


def test_verify_names_a_reordered_row() -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 4)
    # Swap rows 2 and 3 by exchanging their sequence numbers.
    _raw("UPDATE audit_auditevent SET sequence = %s WHERE id = %s", [1000, events[1].pk])
    _raw("UPDATE audit_auditevent SET sequence = %s WHERE id = %s", [2, events[2].pk])
    _raw("UPDATE audit_auditevent SET sequence = %s WHERE id = %s", [3, events[1].pk])
    report = verify_chain(chain_for(organisation.uuid))
    assert not report.ok and report.broken_event_id == events[2].pk


def test_verify_audit_command_fails_and_names_the_broken_row(capsys: pytest.CaptureFixture[str]) -> None:
    organisation = OrganisationFactory.create()
    events = _events(organisation, 3)
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["niets.gebeurd", events[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    assert f"id={events[1].pk}" in capsys.readouterr().out


@pytest.mark.postgres_only
def test_postgresql_itself_refuses_update_and_delete() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("database trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    organisation = OrganisationFactory.create()
    (event,) = _events(organisation, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_a_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    organisation = OrganisationFactory.create()
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                record(action="unit.update", organisation=organisation, reason=f"schrijver {worker} stap {i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    chain = chain_for(organisation.uuid)
    sequences = list(AuditEvent.all_chains.filter(chain=chain).order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 61))
    assert AuditChainHead.objects.get(chain=chain).sequence == 60
    assert verify_chain(chain).ok

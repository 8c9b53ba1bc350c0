"""Risk acceptance rules: who accepts, a reason of substance, an expiry within three years, the residual
risk stored at that moment, withdrawal, the version check, the audit trail and expiry as due work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.core.services import StaleVersion
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan import services
from weerbaar.plan.models import RiskAcceptance, add_months
from weerbaar.plan.selectors.acceptance import AcceptanceState, acceptance_history, acceptance_status
from weerbaar.plan.selectors.due import expired_acceptances
from weerbaar.plan.selectors.residual import residual_for
from weerbaar.plan.services.acceptance import state_token
from weerbaar.plan.tests.support import implement, plan, scored_process
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.testing.world import Tenant, World

pytestmark = pytest.mark.django_db

REASON = "Vier-ogenprincipe werkt, meer maatregelen staan niet in verhouding tot het risico."


def accept(
    tenant: Tenant,
    process: Process,
    *,
    role: str = "secretaris",
    reason: str = REASON,
    expires_on: dt.date | None = None,
    today: dt.date | None = None,
    seen: str | None = None,
) -> RiskAcceptance:
    today = today or timezone.localdate()
    with tenant_scope(tenant.organisation):
        return services.risk_acceptance_create(
            actor=tenant.user(role),
            member=tenant.members[role],
            process=process,
            reason=reason,
            expires_on=expires_on or add_months(today, 12),
            seen=seen,
            today=today,
        )


def withdraw(
    tenant: Tenant, acceptance: RiskAcceptance, reason: str = "Nieuwe scan laat meer risico zien"
) -> RiskAcceptance:
    with tenant_scope(tenant.organisation):
        fresh = RiskAcceptance.objects.get(pk=acceptance.pk)
        return services.risk_acceptance_withdraw(
            actor=tenant.user("secretaris"),
            member=tenant.members["secretaris"],
            acceptance=fresh,
            version=fresh.version,
            reason=reason,
        )


def _events(tenant: Tenant, action: str) -> list[AuditEvent]:
    from weerbaar.core.tests.beheer_support import events

    return events(tenant.organisation, action)


def test_accepting_stores_the_residual_risk_of_that_moment_and_is_audited(world: World) -> None:
    process = scored_process(world.a)
    implement(world.a, plan(world.a, process))
    today = timezone.localdate()
    acceptance = accept(world.a, process)
    with tenant_scope(world.a.organisation):
        residual = residual_for(world.a.organisation, process, today)
    assert residual is not None and residual.now < residual.inherent
    assert acceptance.vulnerability == pytest.approx(residual.now)
    assert acceptance.accepted_on == today and acceptance.accepted_by == world.a.members["secretaris"]
    assert acceptance.expires_on == add_months(today, 12)
    [event] = _events(world.a, "plan.acceptance.create")
    assert event.changes["reason"] == [None, REASON]
    assert event.changes["process"] == [None, process.code]
    assert event.actor_uuid == world.a.user("secretaris").uuid


@pytest.mark.parametrize(
    "reason",
    ["", "   ", "Akkoord.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "!!!! ???? .... ---- ;;;; ,,,, ::::"],
)
def test_a_reason_without_substance_is_refused(world: World, reason: str) -> None:
    process = scored_process(world.a)
    with pytest.raises(ValidationError) as error:
        accept(world.a, process, reason=reason)
    assert "reason" in error.value.error_dict
    assert not _events(world.a, "plan.acceptance.create")


@pytest.mark.parametrize(("days", "ok"), [(0, False), (-3, False), (1, True)])
def test_the_expiry_must_lie_after_today(world: World, days: int, ok: bool) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    if ok:
        assert accept(world.a, process, expires_on=today + dt.timedelta(days=days)).pk
        return
    with pytest.raises(ValidationError) as error:
        accept(world.a, process, expires_on=today + dt.timedelta(days=days))
    assert "na vandaag" in str(error.value)


def test_the_expiry_is_at_most_three_years_ahead(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        accept(world.a, process, expires_on=add_months(today, 36) + dt.timedelta(days=1))
    assert "binnen drie jaar" in str(error.value)
    assert accept(world.a, process, expires_on=add_months(today, 36)).pk


def test_only_the_secretaris_accepts_or_withdraws(world: World) -> None:
    process = scored_process(world.a)
    with pytest.raises(PermissionDenied):
        accept(world.a, process, role="coordinator")
    acceptance = accept(world.a, process)
    with tenant_scope(world.a.organisation), pytest.raises(PermissionDenied):
        services.risk_acceptance_withdraw(
            actor=None,
            member=world.a.members["coordinator"],
            acceptance=acceptance,
            version=1,
            reason="Geen zin meer in",
        )


def test_a_process_without_a_closed_result_cannot_be_accepted(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Nog niet gescand")
    with pytest.raises(ValidationError) as error:
        accept(world.a, process)
    assert error.value.code == "no_result" and "nog geen uitkomst" in str(error.value)


def test_a_process_of_another_organisation_is_refused(world: World) -> None:
    foreign = scored_process(world.b)
    with pytest.raises(ValidationError):
        accept(world.a, foreign)


def test_accepting_on_a_stale_page_is_refused_and_nothing_is_stored(world: World) -> None:
    process = scored_process(world.a)
    with tenant_scope(world.a.organisation):
        seen = state_token(process)
    accept(world.a, process, seen=seen)  # someone else, with the same page open, was first
    with pytest.raises(StaleVersion):
        accept(world.a, process, seen=seen)
    with tenant_scope(world.a.organisation):
        assert RiskAcceptance.objects.count() == 1
        assert accept(world.a, process, seen=state_token(process)).pk


def test_withdrawing_needs_a_reason_the_current_version_and_is_audited(world: World) -> None:
    process = scored_process(world.a)
    acceptance = accept(world.a, process)
    with pytest.raises(ValidationError) as error:
        withdraw(world.a, acceptance, reason="nee")
    assert "withdrawn_reason" in error.value.error_dict
    with tenant_scope(world.a.organisation), pytest.raises(StaleVersion):
        services.risk_acceptance_withdraw(
            actor=None,
            member=world.a.members["secretaris"],
            acceptance=acceptance,
            version=acceptance.version + 1,
            reason="Nieuwe scan laat meer risico zien",
        )
    withdrawn = withdraw(world.a, acceptance)
    assert withdrawn.withdrawn_at is not None and withdrawn.version == 2
    assert withdrawn.withdrawn_reason == "Nieuwe scan laat meer risico zien"
    [event] = _events(world.a, "plan.acceptance.withdraw")
    assert event.changes["withdrawn_reason"] == [None, "Nieuwe scan laat meer risico zien"]
    with pytest.raises(ValidationError) as error:
        withdraw(world.a, withdrawn)
    assert "al ingetrokken" in str(error.value)


def test_an_expired_acceptance_is_due_work_until_renewed_or_withdrawn(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    first = accept(world.a, process, expires_on=today + dt.timedelta(days=10))
    later = today + dt.timedelta(days=20)
    with tenant_scope(world.a.organisation):
        assert [a.pk for a in expired_acceptances(later)] == [first.pk]
        assert acceptance_status(world.a.members["coordinator"], process, later).is_expired
    renewed = accept(world.a, process, today=later, expires_on=later + dt.timedelta(days=100))
    with tenant_scope(world.a.organisation):
        assert list(expired_acceptances(later)) == []
        status = acceptance_status(world.a.members["coordinator"], process, later)
        assert status.is_current and status.row is not None and status.row.acceptance.pk == renewed.pk
        assert not status.may_accept
        states = [row.state for row in acceptance_history(process, later)]
    assert states == [AcceptanceState.CURRENT, AcceptanceState.SUPERSEDED]
    withdraw(world.a, renewed)
    with tenant_scope(world.a.organisation):
        states = [row.state for row in acceptance_history(process, later)]
        # The older one is in force again, and expired: due work once more.
        assert states == [AcceptanceState.WITHDRAWN, AcceptanceState.EXPIRED]
        withdraw(world.a, first)
        assert list(expired_acceptances(later)) == []
        assert acceptance_status(world.a.members["secretaris"], process, later).row is None

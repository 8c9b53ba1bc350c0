"""A member who owns plan lines is not deactivated until someone takes them over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from weerbaar.audit.models import AuditEvent
from weerbaar.core import services as core_services
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.tests.support import plan, scored_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def test_deactivating_an_owner_of_plan_lines_asks_for_a_new_owner_and_moves_live_lines_only(world: World) -> None:
    process = scored_process(world.a)
    live = plan(world.a, process)
    rejected = plan(world.a, None, "normgesprek-teams", status=MeasureStatus.REJECTED, rejection_reason="Niet nu")
    owner = world.a.members["proceseigenaar"]
    beheerder = world.a.members["beheerder"]
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as error:
            core_services.membership_deactivate(actor=beheerder.user, membership=owner)
        assert "1 maatregel" in str(error.value)
        core_services.membership_deactivate(
            actor=beheerder.user, membership=owner, new_owner=world.a.members["coordinator"]
        )
        assert PlannedMeasure.objects.get(pk=live.pk).owner_id == world.a.members["coordinator"].pk
        assert PlannedMeasure.objects.get(pk=rejected.pk).owner_id == rejected.owner_id
        assert AuditEvent.objects.filter(action="plan.measure.update", reason="Vorige eigenaar gedeactiveerd").exists()

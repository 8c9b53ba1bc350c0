"""Handing over a departing member's plan lines (registered with ``core.services.ownership``).

Lines still to do and implemented lines (which need reviews) move to the new owner; rejected lines
keep no owner anyway. Each move is audited like any other change of owner.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.services.ownership import OwnershipProvider, check_new_owner, register_ownership
from weerbaar.plan.models import MeasureStatus, PlannedMeasure


def _owned(membership: Membership):  # type: ignore[no-untyped-def]
    return PlannedMeasure.objects.filter(owner=membership).exclude(status=MeasureStatus.REJECTED)


def plan_owner_transfer(*, actor: User | None, source: Membership, target: Membership) -> int:
    check_new_owner(source=source, target=target)
    moved = 0
    for planned in _owned(source).select_for_update(of=("self",)).select_related("measure").order_by("pk"):
        before = snapshot(planned, ["owner_id"])
        planned.owner = target
        planned.version += 1
        planned.save(update_fields=["owner", "version", "updated_at"])
        record(
            action="plan.measure.update",
            actor=actor,
            organisation=planned.organisation,
            obj=planned,
            object_label=planned.measure.name,
            changes=diff(before, snapshot(planned, ["owner_id"])),
            reason=_("Vorige eigenaar gedeactiveerd"),
        )
        moved += 1
    return moved


PLAN_LINES = OwnershipProvider(
    key="plan.lines",
    describe=lambda count: ngettext("%(count)d maatregel", "%(count)d maatregelen", count) % {"count": count},
    count=lambda membership: _owned(membership).count(),
    transfer=plan_owner_transfer,
)


def register_plan_ownership() -> None:
    register_ownership(PLAN_LINES)

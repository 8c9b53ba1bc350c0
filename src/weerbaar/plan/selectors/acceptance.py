"""Risk acceptances of one process: the history for the acceptance page, the status for the result page.

The newest acceptance that was not withdrawn is the one in force: current until ``expires_on``,
expired after. Older ones that were not withdrawn were renewed ("vervangen").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.plan.models import RiskAcceptance
from weerbaar.register.models import Process


class AcceptanceState:
    CURRENT = "geldig"
    EXPIRED = "verlopen"
    SUPERSEDED = "vervangen"
    WITHDRAWN = "ingetrokken"


STATE_LABELS = {
    AcceptanceState.CURRENT: _("geldig"),
    AcceptanceState.EXPIRED: _("verlopen"),
    AcceptanceState.SUPERSEDED: _("vervangen door een nieuwere"),
    AcceptanceState.WITHDRAWN: _("ingetrokken"),
}


@dataclass(frozen=True)
class AcceptanceRow:
    acceptance: RiskAcceptance
    state: str

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def in_force(self) -> bool:
        return self.state in (AcceptanceState.CURRENT, AcceptanceState.EXPIRED)


def _ordered(process: Process):  # type: ignore[no-untyped-def]
    # The acceptance page and the result page show who accepted: one join, no query per row.
    return (
        RiskAcceptance.objects.filter(process=process)
        .select_related("accepted_by__user")
        .order_by("-accepted_on", "-pk")
    )


def _state(acceptance: RiskAcceptance, today: dt.date, *, newest: bool) -> str:
    if acceptance.withdrawn_at is not None:
        return AcceptanceState.WITHDRAWN
    if not newest:
        return AcceptanceState.SUPERSEDED
    return AcceptanceState.CURRENT if acceptance.expires_on >= today else AcceptanceState.EXPIRED


def acceptance_history(process: Process, today: dt.date) -> list[AcceptanceRow]:
    """Every acceptance of ``process``, newest first, with its state today (one query)."""
    rows: list[AcceptanceRow] = []
    found_in_force = False
    for acceptance in _ordered(process):
        state = _state(acceptance, today, newest=not found_in_force)
        found_in_force = found_in_force or state in (AcceptanceState.CURRENT, AcceptanceState.EXPIRED)
        rows.append(AcceptanceRow(acceptance, state))
    return rows


@dataclass(frozen=True)
class AcceptanceStatus:
    """What the process result page says about acceptance; ``row`` is None when it was never accepted."""

    row: AcceptanceRow | None
    may_accept: bool
    url: str

    @property
    def is_current(self) -> bool:
        return self.row is not None and self.row.state == AcceptanceState.CURRENT

    @property
    def is_expired(self) -> bool:
        return self.row is not None and self.row.state == AcceptanceState.EXPIRED


def acceptance_status(membership: Membership, process: Process, today: dt.date) -> AcceptanceStatus:
    """The acceptance in force for ``process`` (one query). The caller has checked ``may_see_results``."""
    acceptance = _ordered(process).filter(withdrawn_at__isnull=True).first()
    row = AcceptanceRow(acceptance, _state(acceptance, today, newest=True)) if acceptance is not None else None
    return AcceptanceStatus(
        row=row,
        may_accept=membership.can(Action.RISK_ACCEPT),
        url=reverse("plan:acceptance", kwargs={"process_uuid": process.uuid}),
    )

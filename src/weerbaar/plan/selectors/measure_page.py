"""Reads of the plan-line page and the adopt/decline pages: who may open a line, the line with its
reviews and evidence, how alive it is in words, who may own a measure, and the what-if of one measure.

Need-to-know: the coordinator and the secretaris (``PLAN_VIEW``) see every line; anyone else sees
only the lines they own (while they may own measures). Another member's line is "not found".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from weerbaar import scoring
from weerbaar.catalogue.models import Measure, MeasureEffect
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.permissions import Action
from weerbaar.core.selectors import work_owner_options
from weerbaar.plan.models import Evidence, MeasureReview, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import liveness_of
from weerbaar.plan.selectors.proposals import Addressed, Proposal
from weerbaar.plan.selectors.residual import _score, implemented_measures, latest_consensus
from weerbaar.register.models import Process
from weerbaar.scans.models import ScanProcess
from weerbaar.scans.services.results import scoring_context

# --- who may open a line ----------------------------------------------------------------------------


def may_see_line(membership: Membership, planned: PlannedMeasure) -> bool:
    """The one visibility rule of a plan line (its page, its evidence files, links to it):
    the whole plan with plan.view, otherwise only the member's own lines."""
    if membership.can(Action.PLAN_VIEW):
        return True
    return planned.owner_id == membership.pk and membership.can(Action.WORK_OWN)


def visible_lines(membership: Membership) -> QuerySet[PlannedMeasure]:
    """:func:`may_see_line` as a queryset, for lists and the API."""
    lines = PlannedMeasure.objects.select_related("measure", "process__unit", "owner__user")
    if membership.can(Action.PLAN_VIEW):
        return lines
    return lines.filter(owner=membership) if membership.can(Action.WORK_OWN) else lines.none()


def line_for(membership: Membership, planned_uuid: Any) -> PlannedMeasure | None:
    """The plan line with what its page prints, if this member may see it (one query)."""
    planned = (
        PlannedMeasure.objects.select_related(
            "measure", "process__unit", "owner__user", "created_by__user", "source_scan_process__scan"
        )
        .filter(uuid=planned_uuid)
        .first()
    )
    if planned is None or not may_see_line(membership, planned):
        return None
    return planned


def evidence_for(membership: Membership, evidence_uuid: Any) -> Evidence | None:
    """Listed evidence of a line this member may see; withdrawn evidence is gone for everyone."""
    evidence = (
        Evidence.objects.select_related("planned_measure__measure", "planned_measure__process")
        .filter(uuid=evidence_uuid, withdrawn_at__isnull=True)
        .first()
    )
    if evidence is None or not may_see_line(membership, evidence.planned_measure):
        return None
    return evidence


owner_options = work_owner_options


# --- liveness in words ------------------------------------------------------------------------------

ALIVE, FADING, LAPSED, NOT_COUNTING = "alive", "fading", "lapsed", "not_counting"


@dataclass(frozen=True)
class Life:
    """How alive an implemented measure is today, for people: the scoring model's liveness in words."""

    state: str
    liveness: float
    review_due_on: dt.date | None
    lapsed_on: dt.date | None
    #: How long ago the review fell due ("3 maanden"); empty while it is not overdue.
    overdue_for: str

    @property
    def percent(self) -> int:
        value = round(self.liveness * 100)
        # "nog 100%" or "nog 0%" would contradict the state next to it.
        return min(99, max(1, value)) if self.state == FADING else value

    @property
    def words(self) -> str:
        if self.state == ALIVE:
            return _("levend")
        if self.state == FADING:
            return _("verwatert: nog %(percent)s%% effect") % {"percent": self.percent}
        if self.state == LAPSED:
            assert self.lapsed_on is not None
            return _("niet meer levend sinds %(day)s") % {"day": date_format(self.lapsed_on, "j F Y")}
        return _("telt nog niet mee: nog niet geïmplementeerd")

    @property
    def is_alive(self) -> bool:
        return self.state == ALIVE


def life_of(planned: PlannedMeasure, today: dt.date, params: scoring.Parameters = scoring.DEFAULT_PARAMETERS) -> Life:
    start = planned.last_check
    if start is None:
        return Life(NOT_COUNTING, 0.0, None, None, "")
    value = liveness_of(planned, today)
    due_on = planned.review_due_on()
    # The model's curve: no effect left (1 + fade_cadences) cadences after the last review.
    lapsed_on = start + dt.timedelta(
        days=math.ceil(params.days_per_month * planned.review_cadence_months * (1 + params.fade_cadences))
    )
    state = ALIVE if value >= 1.0 else FADING if value > 0.0 else LAPSED
    overdue = timesince(due_on, today, depth=1) if due_on is not None and due_on < today else ""
    return Life(state, value, due_on, lapsed_on, overdue)


# --- the plan-line page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineDetail:
    planned: PlannedMeasure
    life: Life
    reviews: list[MeasureReview]
    evidence: list[Evidence]
    units: list[Any]


def line_detail(planned: PlannedMeasure, today: dt.date) -> LineDetail:
    """Reviews, listed evidence and (organisation-wide) units: three queries whatever their number."""
    reviews = list(planned.reviews.select_related("reviewed_by__user").order_by("-reviewed_on", "-pk"))
    evidence = list(
        planned.evidence.filter(withdrawn_at__isnull=True)
        .select_related("added_by__user")
        .order_by("-created_at", "-pk")
    )
    units = list(planned.units.order_by("name", "pk")) if planned.is_organisation_wide else []
    return LineDetail(planned, life_of(planned, today), reviews, evidence, units)


# --- the what-if of one measure (adopt page) ---------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    #: The closed result the what-if starts from (stored on the plan line as its source).
    scan_process: ScanProcess
    proposal: Proposal


def what_if(organisation: Organisation, process: Process, measure: Measure, today: dt.date) -> WhatIf | None:
    """ "Van 72 naar 55" for one measure, as the proposals list computes it; also for a declined one.

    None when the process has no closed result or the measure weakens nothing the model knows.
    """
    consensus = latest_consensus([process]).get(process.pk)
    if consensus is None:
        return None
    context = scoring_context(organisation)
    known = context.characteristic_keys
    effects = list(
        MeasureEffect.objects.filter(measure=measure)
        .select_related("characteristic")
        .order_by("-strength", "characteristic__position")
    )
    strengths = {e.characteristic.key: e.strength for e in effects if e.characteristic.key in known}
    if not strengths:
        return None
    existing = implemented_measures([process], known).inputs.get(process.pk, [])
    current = _score(consensus, context, existing, today).vulnerability
    candidate = scoring.MeasureInput(
        key=f"what-if:{measure.pk}",
        effects=strengths,
        effectiveness="effectief",
        implemented=True,
        last_reviewed=today,
        cadence_months=measure.review_cadence_months,
    )
    to_score = _score(consensus, context, [*existing, candidate], today).vulnerability
    addressed = tuple(
        Addressed(e.characteristic, e.strength, int(consensus.consensus_scores.get(e.characteristic.key, 0)))
        for e in effects
        if e.characteristic.key in known
    )
    return WhatIf(consensus, Proposal(measure, current, to_score, addressed))


def other_live_line(planned: PlannedMeasure) -> PlannedMeasure | None:
    """For a rejected line: the live line of the same measure (and process) that took its place, if any."""
    if planned.status != MeasureStatus.REJECTED:
        return None
    lines = PlannedMeasure.objects.filter(measure_id=planned.measure_id).exclude(status=MeasureStatus.REJECTED)
    if planned.process_id is None:
        return lines.filter(process__isnull=True).first()
    return lines.filter(process_id=planned.process_id).first()


def live_line(process: Process, measure: Measure) -> PlannedMeasure | None:
    """The line of this measure for this process that is not rejected (at most one, by constraint)."""
    return (
        PlannedMeasure.objects.filter(process=process, measure=measure)
        .exclude(status=MeasureStatus.REJECTED)
        .select_related("owner__user")
        .first()
    )

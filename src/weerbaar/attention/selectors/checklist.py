"""The organisation-wide measures as a guided checklist, in the order of the seeds.

Every organisation-scope measure of the effective catalogue appears once, in its group and theme:
first the three organisation-wide themes of the seeds (integrity of the municipality, safety of
employees, the organisation as a joint task), then screening, training and the one organisation-wide
barrier. Within a group the themes follow the seed slides; a measure the themes do not name (an
organisation's own measure, or a new national one) lands under "Overige maatregelen" of its group.
Each item shows its plan line: status (with liveness when implemented, the reason when rejected),
owner, evidence count and how far it reaches across the units.

Four queries whatever the catalogue or plan size: the measures, the number of active units, the
organisation-wide plan lines (with owner and evidence count), and their units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.selectors.seed_structure import STRUCTURE
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Measure, MeasureGroup, MeasureScope
from weerbaar.core.models import Organisation, Unit
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import liveness_of


class ItemState:
    NOT_STARTED = "niet_gestart"
    PLANNED = "gepland"
    IN_PROGRESS = "in_uitvoering"
    IMPLEMENTED = "geimplementeerd"
    REJECTED = "afgewezen"


@dataclass
class ChecklistItem:
    measure: Measure
    planned: PlannedMeasure | None
    state: str
    state_label: str
    state_css: str
    #: For implemented lines: the scoring model's liveness today (1.0 alive, fading to 0.0).
    liveness: float | None
    liveness_label: str
    reach: str
    evidence_count: int

    @property
    def is_started(self) -> bool:
        return self.planned is not None and self.state != ItemState.REJECTED


@dataclass
class Theme:
    title: str
    why: str
    items: list[ChecklistItem] = field(default_factory=list)


@dataclass
class ChecklistGroup:
    key: str
    label: str
    why: str
    themes: list[Theme] = field(default_factory=list)

    @property
    def items(self) -> list[ChecklistItem]:
        return [item for theme in self.themes for item in theme.items]


@dataclass(frozen=True)
class Summary:
    total: int
    implemented: int
    not_alive: int
    in_progress: int
    not_started: int
    rejected: int

    @property
    def text(self) -> str:
        text = _("%(done)s van %(total)s geïmplementeerd") % {"done": self.implemented, "total": self.total}
        if self.not_alive:
            text += ", " + ngettext("%(count)s niet meer levend", "%(count)s niet meer levend", self.not_alive) % {
                "count": self.not_alive
            }
        return text


@dataclass(frozen=True)
class Checklist:
    groups: list[ChecklistGroup]
    summary: Summary
    active_units: int


def organisation_measures(organisation: Organisation) -> list[Measure]:
    return list(
        catalogue_selectors.effective(Measure, organisation=organisation)
        .filter(scope=MeasureScope.ORGANISATION)
        .select_related("based_on")
        .order_by("position", "name", "pk")
    )


def organisation_lines() -> list[PlannedMeasure]:
    """Organisation-wide plan lines with owner, units and the number of evidence items not withdrawn."""
    return list(
        PlannedMeasure.objects.filter(process__isnull=True)
        .select_related("owner__user")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.filter(is_active=True).only("pk", "name")))
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__withdrawn_at__isnull=True)))
        .order_by("pk")
    )


def reach_text(planned: PlannedMeasure, active_units: int) -> str:
    if planned.reaches_all_units:
        return _("over alle organisatieonderdelen")
    reached = len(planned.units.all())
    if not reached:
        return _("nog geen afdelingen of teams gekozen")
    return ngettext(
        "%(count)s van %(total)s afdeling of team",
        "%(count)s van %(total)s afdelingen en teams",
        active_units,
    ) % {"count": reached, "total": active_units}


def _liveness_label(value: float) -> str:
    if value >= 1.0:
        return _("levend")
    if value > 0.0:
        return _("verliest effect: herziening te laat (nog %(percent)s %%)") % {"percent": round(value * 100)}
    return _("niet meer levend: geen effect meer")


def _item(measure: Measure, planned: PlannedMeasure | None, today: dt.date, active_units: int) -> ChecklistItem:
    if planned is None:
        return ChecklistItem(measure, None, ItemState.NOT_STARTED, _("niet gestart"), "neutral", None, "", "", 0)
    status = planned.status
    liveness: float | None = None
    liveness_label = ""
    css = {"voorgesteld": "neutral", "gepland": "neutral", "in_uitvoering": "warning", "afgewezen": "neutral"}.get(
        status, "ok"
    )
    states: dict[str, str] = {
        MeasureStatus.PROPOSED: ItemState.PLANNED,
        MeasureStatus.PLANNED: ItemState.PLANNED,
        MeasureStatus.IN_PROGRESS: ItemState.IN_PROGRESS,
        MeasureStatus.IMPLEMENTED: ItemState.IMPLEMENTED,
        MeasureStatus.REJECTED: ItemState.REJECTED,
    }
    state = states[status]
    if status == MeasureStatus.IMPLEMENTED:
        liveness = liveness_of(planned, today)
        liveness_label = _liveness_label(liveness)
        css = "ok" if liveness >= 1.0 else ("warning" if liveness > 0.0 else "error")
    return ChecklistItem(
        measure=measure,
        planned=planned,
        state=state,
        state_label=str(MeasureStatus(status).label).lower(),
        state_css=css,
        liveness=liveness,
        liveness_label=liveness_label,
        reach=reach_text(planned, active_units),
        evidence_count=getattr(planned, "evidence_count", 0),
    )


def _current_lines(lines: list[PlannedMeasure]) -> dict[int, PlannedMeasure]:
    """Per measure the live line, else the newest rejected one (so "why not" stays visible)."""
    current: dict[int, PlannedMeasure] = {}
    for planned in lines:  # oldest first: a later line replaces an earlier rejected one
        known = current.get(planned.measure_id)
        if known is None or known.status == MeasureStatus.REJECTED:
            current[planned.measure_id] = planned
    return current


def _structure_key(measure: Measure) -> str:
    return measure.key or (measure.based_on.key if measure.based_on is not None else "")


def checklist(organisation: Organisation, today: dt.date) -> Checklist:
    measures = organisation_measures(organisation)
    active_units = Unit.objects.filter(is_active=True).count()
    current = _current_lines(organisation_lines())
    items = {measure.pk: _item(measure, current.get(measure.pk), today, active_units) for measure in measures}
    by_key = {_structure_key(measure): measure for measure in measures if _structure_key(measure)}
    placed: set[int] = set()
    labels = dict(MeasureGroup.choices)
    groups: list[ChecklistGroup] = []
    for spec in STRUCTURE:
        group = ChecklistGroup(spec.group, str(labels[spec.group]), str(spec.why))
        for theme_spec in spec.themes:
            theme = Theme(str(theme_spec.title), str(theme_spec.why))
            for key in theme_spec.keys:
                measure = by_key.get(key)
                if measure is not None and measure.pk not in placed:
                    theme.items.append(items[measure.pk])
                    placed.add(measure.pk)
            if theme.items:
                group.themes.append(theme)
        others = [items[m.pk] for m in measures if m.group == spec.group and m.pk not in placed]
        if others:
            group.themes.append(Theme(_("Overige maatregelen") if group.themes else "", "", others))
            placed.update(item.measure.pk for item in others)
        if group.themes:
            groups.append(group)
    every = list(items.values())
    summary = Summary(
        total=len(every),
        implemented=sum(1 for item in every if item.state == ItemState.IMPLEMENTED),
        not_alive=sum(1 for item in every if item.liveness is not None and item.liveness < 1.0),
        in_progress=sum(1 for item in every if item.state in (ItemState.PLANNED, ItemState.IN_PROGRESS)),
        not_started=sum(1 for item in every if item.state == ItemState.NOT_STARTED),
        rejected=sum(1 for item in every if item.state == ItemState.REJECTED),
    )
    return Checklist(groups, summary, active_units)


def organisation_measure(organisation: Organisation, ref: str) -> Measure | None:
    """An organisation-scope measure of the effective catalogue by its ref (national key or own uuid)."""
    try:
        measure = catalogue_selectors.get_entry(Measure, ref)
    except Http404:
        return None
    effective = catalogue_selectors.effective(Measure, organisation=organisation).filter(pk=measure.pk)
    if measure.scope != MeasureScope.ORGANISATION or not effective.exists():
        return None
    return measure


def current_line(measure: Measure) -> PlannedMeasure | None:
    """The measure's live organisation-wide plan line, if it has one (the start page explains it)."""
    return (
        PlannedMeasure.objects.filter(measure=measure, process__isnull=True)
        .exclude(status=MeasureStatus.REJECTED)
        .select_related("owner__user")
        .first()
    )


def last_rejection(measure: Measure) -> PlannedMeasure | None:
    return (
        PlannedMeasure.objects.filter(measure=measure, process__isnull=True, status=MeasureStatus.REJECTED)
        .order_by("-pk")
        .first()
    )

"""The attention indicator: is the organisation keeping its measures alive?

Three figures, each with the numbers behind it and a calm status in words (op orde, aandacht
nodig, achterstand); the page never relies on colour alone.

**Activities done on time (last 12 months).** A recurring activity follows a rolling schedule, the
same one ``RecurringActivity.next_due_on`` uses: its first occurrence is due on ``starts_on``;
each execution in the done-log closes the open occurrence, and the next one falls due one cadence
after that execution. An occurrence is *on time* when it was logged within its cadence window,
that is on or before its due date (early counts). It is *late* when it was logged after its due
date. When a further whole cadence passes without any execution, that occurrence is *missed* and
the next one falls due a cadence later (a monthly activity left alone for a year missed twelve
times, not once). Each occurrence is judged once: on the day it was done, on its due date when
it was missed, or today when it is still open past its due date — an open overdue occurrence
always counts, however long ago it fell due. An occurrence due today or later that was not done
yet is not judged. The share counts the occurrences judged in the last 12 months (after
``today − 12 months``, up to and including today) of the active activities; archived activities
no longer count.

- op orde: at least 80 % on time; aandacht nodig: at least 50 %; achterstand: below 50 %.

**Implemented measures alive.** ``plan.selectors.due.liveness_summary``: a measure is alive while
its last review (or its implementation) is less than one review cadence ago; after that it fades
(see docs/scoring.md). Thresholds: op orde ≥ 80 % alive, aandacht nodig ≥ 50 %, achterstand below.
No implemented measures yet is "aandacht nodig": nothing protects the processes.

**Days since the last closed scan.** op orde up to 365 days (the scan is repeated yearly),
aandacht nodig up to 548 days (eighteen months), achterstand after that; no closed scan at all is
"aandacht nodig".

Query cost is fixed: the active activities, their log dates, the implemented measures and the
newest closed scan (four queries) whatever the size of the organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from weerbaar.attention.models import ActivityLog, RecurringActivity
from weerbaar.plan.models import add_months
from weerbaar.plan.selectors.due import Liveness, liveness_summary
from weerbaar.scans.models import Scan, ScanState

LOOKBACK_MONTHS = 12
GOOD_SHARE = 0.8
FAIR_SHARE = 0.5
SCAN_GOOD_DAYS = 365
SCAN_FAIR_DAYS = 548


class Status:
    GOOD = "op_orde"
    ATTENTION = "aandacht"
    BEHIND = "achterstand"
    UNKNOWN = "onbekend"

    labels: dict[str, Any] = {
        GOOD: gettext_lazy("op orde"),
        ATTENTION: gettext_lazy("aandacht nodig"),
        BEHIND: gettext_lazy("achterstand"),
        UNKNOWN: gettext_lazy("nog niets te meten"),
    }
    css: dict[str, str] = {GOOD: "ok", ATTENTION: "warning", BEHIND: "error", UNKNOWN: "neutral"}


class Outcome:
    ON_TIME = "op_tijd"
    LATE = "te_laat_gedaan"
    MISSED = "gemist"
    OVERDUE = "open_te_laat"


@dataclass(frozen=True)
class Occurrence:
    due_on: dt.date
    done_on: dt.date | None
    outcome: str
    #: The day it was judged: when it was done, its due date when missed, today when still open.
    judged_on: dt.date

    @property
    def on_time(self) -> bool:
        return self.outcome == Outcome.ON_TIME


def occurrences(starts_on: dt.date, cadence_months: int, done: Iterable[dt.date], today: dt.date) -> list[Occurrence]:
    """Every judged occurrence of one activity under the rolling schedule (see the module docstring)."""
    judged: list[Occurrence] = []
    # Due dates are counted from the last execution (or the start) in whole cadences, so month-end
    # clamping (31 January → 28 February) never drifts.
    base, steps = starts_on, 0

    def due_on(step: int) -> dt.date:
        return add_months(base, step * cadence_months)

    def skip_missed(until: dt.date) -> None:
        nonlocal steps
        while due_on(steps + 1) < until:
            judged.append(Occurrence(due_on(steps), None, Outcome.MISSED, due_on(steps)))
            steps += 1

    for done_on in sorted(set(done)):
        if done_on > today:
            break
        if done_on <= due_on(steps):
            judged.append(Occurrence(due_on(steps), done_on, Outcome.ON_TIME, done_on))
        else:
            # Whole cadences that passed before this execution were missed; it closes the last one, late.
            skip_missed(done_on)
            judged.append(Occurrence(due_on(steps), done_on, Outcome.LATE, done_on))
        base, steps = add_months(done_on, cadence_months), 0
    if due_on(steps) < today:
        skip_missed(today)
        judged.append(Occurrence(due_on(steps), None, Outcome.OVERDUE, today))
    return judged


@dataclass(frozen=True)
class OnTime:
    judged: int
    on_time: int
    late: int
    missed: int
    #: Activities with at least one occurrence not on time in the period, by name.
    behind: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.on_time / self.judged if self.judged else None


def activities_on_time(today: dt.date) -> OnTime:
    """Two queries: the active activities, and the dates in their done-logs."""
    since = add_months(today, -LOOKBACK_MONTHS)
    activities = list(RecurringActivity.objects.filter(is_active=True).only("name", "starts_on", "cadence_months"))
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for activity_id, done_on in (
        ActivityLog.objects.filter(activity__is_active=True).order_by().values_list("activity_id", "done_on")
    ):
        dates[activity_id].append(done_on)
    judged = on_time = late = missed = 0
    behind: list[str] = []
    for activity in activities:
        counted = [
            each
            for each in occurrences(activity.starts_on, activity.cadence_months, dates[activity.pk], today)
            if since < each.judged_on <= today
        ]
        judged += len(counted)
        on_time += sum(1 for each in counted if each.on_time)
        late += sum(1 for each in counted if each.outcome == Outcome.LATE)
        missed += sum(1 for each in counted if each.outcome in (Outcome.MISSED, Outcome.OVERDUE))
        if any(not each.on_time for each in counted):
            behind.append(activity.name)
    behind.sort(key=str.casefold)
    return OnTime(judged, on_time, late, missed, behind)


def share_status(share: float | None) -> str:
    if share is None:
        return Status.UNKNOWN
    if share >= GOOD_SHARE:
        return Status.GOOD
    return Status.ATTENTION if share >= FAIR_SHARE else Status.BEHIND


def scan_status(days: int | None) -> str:
    if days is None:
        return Status.ATTENTION
    if days <= SCAN_GOOD_DAYS:
        return Status.GOOD
    return Status.ATTENTION if days <= SCAN_FAIR_DAYS else Status.BEHIND


def measures_status(liveness: Liveness) -> str:
    return Status.ATTENTION if not liveness.implemented else share_status(liveness.share_alive)


@dataclass(frozen=True)
class Figure:
    """One figure of the indicator: the headline, the numbers behind it in words, and its status."""

    title: str
    value: str
    explanation: str
    status: str

    @property
    def status_label(self) -> Any:
        return Status.labels[self.status]

    @property
    def status_css(self) -> str:
        return Status.css[self.status]


@dataclass(frozen=True)
class Indicator:
    activities: OnTime
    liveness: Liveness
    last_scan_closed_on: dt.date | None
    days_since_scan: int | None
    figures: list[Figure]


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(share * 100)} %"


def _activities_figure(result: OnTime) -> Figure:
    if not result.judged:
        explanation = _("In de afgelopen 12 maanden viel nog geen activiteit te doen.")
    else:
        explanation = ngettext(
            "%(on_time)s van %(judged)s keer op tijd gedaan in de afgelopen 12 maanden",
            "%(on_time)s van %(judged)s keer op tijd gedaan in de afgelopen 12 maanden",
            result.judged,
        ) % {"on_time": result.on_time, "judged": result.judged}
        explanation += "; " + _("%(late)s keer te laat, %(missed)s keer niet gedaan.") % {
            "late": result.late,
            "missed": result.missed,
        }
    return Figure(_("Activiteiten op tijd"), _percent(result.share), explanation, share_status(result.share))


def _measures_figure(liveness: Liveness) -> Figure:
    if not liveness.implemented:
        explanation = _("Er is nog geen maatregel geïmplementeerd.")
    else:
        explanation = ngettext(
            "%(alive)s van %(total)s geïmplementeerde maatregel is levend",
            "%(alive)s van %(total)s geïmplementeerde maatregelen zijn levend",
            liveness.implemented,
        ) % {"alive": liveness.alive, "total": liveness.implemented}
        explanation += "; " + _(
            "%(fading)s verliest effect omdat de herziening te laat is, %(lapsed)s heeft geen effect meer."
        ) % {"fading": liveness.fading, "lapsed": liveness.lapsed}
    return Figure(_("Maatregelen levend"), _percent(liveness.share_alive), explanation, measures_status(liveness))


def _scan_figure(closed_on: dt.date | None, days: int | None) -> Figure:
    if closed_on is None or days is None:
        return Figure(_("Dagen sinds de laatste scan"), "–", _("Er is nog geen scan afgesloten."), scan_status(None))
    explanation = _("De laatste scan is afgesloten op %(date)s. Herhaal de scan elk jaar.") % {
        "date": closed_on.strftime("%d-%m-%Y")
    }
    value = ngettext("%(days)s dag", "%(days)s dagen", days) % {"days": days}
    return Figure(_("Dagen sinds de laatste scan"), value, explanation, scan_status(days))


def attention_indicator(today: dt.date) -> Indicator:
    activities = activities_on_time(today)
    liveness = liveness_summary(today)
    closed_at = Scan.objects.filter(state=ScanState.CLOSED, closed_at__isnull=False).aggregate(last=Max("closed_at"))[
        "last"
    ]
    closed_on = timezone.localtime(closed_at).date() if closed_at is not None else None
    days = max((today - closed_on).days, 0) if closed_on is not None else None
    figures = [_activities_figure(activities), _measures_figure(liveness), _scan_figure(closed_on, days)]
    return Indicator(activities, liveness, closed_on, days, figures)

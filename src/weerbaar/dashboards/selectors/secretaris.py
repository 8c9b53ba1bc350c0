"""The gemeentesecretaris' dashboard: what needs attention now, then the five topics of the role.

The five topics come from the seed slides ("Gespreksonderwerpen"): the relation with the mayor,
signalling and countering vulnerable processes, a safe work environment, official and
administrative integrity, and the organisation structure (the joint task). Each gets a status in
words, a one-line explanation and a link to where the work is done. Then the capacity the
organisation gives this work against what the plan needs.

Aggression and intimidation incidents are not recorded by the app (yet), so topic 3 shows training
and the employee-safety measures only, never an empty incident block.

Fifteen queries whatever the size (see ``SECRETARIS_BUDGET`` in the tests): the mayor (4), the
capacity (2), the results (3), the plan (2), training and screening (3), contact people (1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import ExpressionWrapper, F, IntegerField, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.catalogue.models import MeasureGroup
from weerbaar.core.models import Membership
from weerbaar.dashboards.selectors.capacity import CapacitySummary, capacity_summary, need_counts
from weerbaar.dashboards.selectors.common import URGENT, AttentionItem, from_pairs, plan_items, prioritised
from weerbaar.dashboards.selectors.figures import (
    ContactPeople,
    GroupFigures,
    PlanFigures,
    ScreeningFigures,
    TrainingReach,
    contact_people,
    plan_figures,
    screening_figures,
    training_reach,
)
from weerbaar.dashboards.selectors.mayor import MayorSummary, mayor_summary
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.selectors.heatmap import HeatMap, heat_map
from weerbaar.scans.selectors.results import (
    PRIORITY_ORDER,
    default_scan,
    priority_list,
    result_rows,
    result_scans,
    scan_results,
    whole,
)

OK, ATTENTION, NOT_SET = "ok", "attention", "not_set"
STATUS_CSS = {OK: "ok", ATTENTION: "warning", NOT_SET: "neutral"}
#: The priority list's top on the dashboard.
TOP = 10
#: A repeat scan is due when the latest closed scan is more than a year old (as the attention indicator says).
REPEAT_AFTER_DAYS = 365


def status_label(status: str) -> str:
    return {OK: _("op orde"), ATTENTION: _("aandacht nodig"), NOT_SET: _("nog niet ingericht")}[status]


@dataclass(frozen=True)
class Topic:
    number: int
    key: str
    title: str
    status: str
    explanation: str
    url: str
    link_text: str

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def status_css(self) -> str:
        return STATUS_CSS[self.status]


@dataclass(frozen=True)
class TopRow:
    rank: int
    code: str
    name: str
    url: str
    vulnerability: int
    inherent: int | None
    risk_key: str
    risk_label: str
    change_kind: str
    change_text: str

    @property
    def lowered(self) -> bool:
        """The measures in place when the scan closed lowered the score."""
        return self.inherent is not None and self.vulnerability < self.inherent


@dataclass(frozen=True)
class Vulnerable:
    scan: Scan | None
    heat: HeatMap | None
    top: list[TopRow]

    @property
    def risen(self) -> int:
        return sum(1 for row in self.top if row.change_kind == "hoger")

    @property
    def lowered(self) -> int:
        return sum(1 for row in self.top if row.lowered)

    @property
    def url(self) -> str:
        base = reverse("scans:results")
        return f"{base}?scan={self.scan.uuid}" if self.scan is not None else base


@dataclass
class SecretarisDashboard:
    today: dt.date
    attention: list[AttentionItem]
    topics: list[Topic]
    mayor: MayorSummary
    capacity: CapacitySummary
    vulnerable: Vulnerable
    plan: PlanFigures
    training: TrainingReach
    screening: ScreeningFigures
    contacts: ContactPeople
    extra: dict[str, Any] = field(default_factory=dict)

    def group(self, key: str) -> GroupFigures:
        return self.plan.groups.get(key) or GroupFigures(key=key, label=str(dict(MeasureGroup.choices)[key]))

    @property
    def safety(self) -> GroupFigures:
        return self.group(MeasureGroup.SAFETY)

    @property
    def integrity(self) -> GroupFigures:
        return self.group(MeasureGroup.INTEGRITY)

    @property
    def cooperation(self) -> GroupFigures:
        return self.group(MeasureGroup.COOPERATION)


# --- topic 2: vulnerable processes -----------------------------------------------------------------


def top_results(membership: Membership, scan: Scan) -> QuerySet[ScanProcess]:
    """The scan's ten highest risks in the priority list's order. They are picked in a subquery, so
    only those rows get the comparison with the earlier round (the priority page does the same)."""
    chosen = (
        scan_results(membership, scan)
        .annotate(risk=ExpressionWrapper(F("likelihood") * F("impact"), output_field=IntegerField()))
        .order_by(*PRIORITY_ORDER)
        .values("pk")[:TOP]
    )
    return priority_list(membership, scan).filter(pk__in=chosen)


def vulnerable_processes(membership: Membership) -> Vulnerable:
    """The latest closed scan, its heat map and its top 10 with the change since the previous
    round and the inherent score next to the score with measures. Three queries."""
    scan = default_scan(result_scans(membership))
    if scan is None:
        return Vulnerable(scan=None, heat=None, top=[])
    heat = heat_map(scan_results(membership, scan))
    rows = result_rows(top_results(membership, scan))
    result_url = reverse("scans:process_result", kwargs={"process_uuid": "00000000-0000-0000-0000-000000000000"})
    head, _uuid, tail = result_url.partition("00000000-0000-0000-0000-000000000000")
    top = [
        TopRow(
            rank=rank,
            code=row.process.code,
            name=row.process.name,
            url=f"{head}{row.process.uuid}{tail}?scan={scan.uuid}",
            vulnerability=row.vulnerability,
            inherent=whole(row.result.inherent_vulnerability)
            if row.result.inherent_vulnerability is not None
            else None,
            risk_key=row.risk.key,
            risk_label=str(row.risk.label),
            change_kind=row.change.kind,
            change_text=row.change.text,
        )
        for rank, row in enumerate(rows, start=1)
    ]
    return Vulnerable(scan=scan, heat=heat, top=top)


# --- the topics ------------------------------------------------------------------------------------


def _group_status(group: GroupFigures) -> str:
    if not group.started:
        return NOT_SET
    return ATTENTION if group.not_alive or group.not_started else OK


def _topic_mayor(mayor: MayorSummary) -> Topic:
    status = {"ok": OK, "not_set": NOT_SET}.get(mayor.status, ATTENTION)
    if mayor.last_held_on is None:
        explanation = _("Er is nog geen overleg met de burgemeester vastgelegd.")
    else:
        explanation = ngettext(
            "%(count)s open afspraak, %(overdue)s over de deadline.",
            "%(count)s open afspraken, %(overdue)s over de deadline.",
            mayor.open_agreements,
        ) % {"count": mayor.open_agreements, "overdue": mayor.overdue_agreements}
    return Topic(
        1,
        "burgemeester",
        _("Relatie met de burgemeester"),
        status,
        explanation,
        mayor.overview_url,
        _("Naar de overleggen en afspraken"),
    )


def _topic_vulnerable(vulnerable: Vulnerable, today: dt.date) -> Topic:
    title = _("Kwetsbare processen signaleren en tegengaan")
    if vulnerable.scan is None or vulnerable.heat is None:
        return Topic(
            2,
            "kwetsbare-processen",
            title,
            NOT_SET,
            _("Er is nog geen afgesloten scan: nog geen beeld van de kwetsbare processen."),
            reverse("scans:results"),
            _("Naar de resultaten"),
        )
    parts = [
        ngettext(
            "%(scan)s: %(count)s proces beoordeeld",
            "%(scan)s: %(count)s processen beoordeeld",
            vulnerable.heat.total,
        )
        % {"scan": vulnerable.scan.name, "count": vulnerable.heat.total}
    ]
    if vulnerable.risen:
        parts.append(
            ngettext(
                "%(count)s van de top 10 is gestegen",
                "%(count)s van de top 10 zijn gestegen",
                vulnerable.risen,
            )
            % {"count": vulnerable.risen}
        )
    old = _scan_is_old(vulnerable.scan, today)
    if old:
        parts.append(_("tijd voor een herhaalonderzoek"))
    status = ATTENTION if vulnerable.risen or old else OK
    return Topic(
        2, "kwetsbare-processen", title, status, "; ".join(parts) + ".", vulnerable.url, _("Naar de resultaten")
    )


def _scan_is_old(scan: Scan, today: dt.date) -> bool:
    if scan.closed_at is None:
        return False
    return (today - timezone.localtime(scan.closed_at).date()).days > REPEAT_AFTER_DAYS


def _topic_safety(group: GroupFigures, training: TrainingReach) -> Topic:
    title = _("Veilige werkomgeving")
    if not group.started and not training.activities:
        status = NOT_SET
    elif _group_status(group) == ATTENTION or training.late or not training.complete or not training.activities:
        status = ATTENTION
    else:
        status = OK
    if training.activities:
        trained = _(
            "training bereikte %(units)s van %(units_total)s afdelingen en "
            "%(positions)s van %(positions_total)s kwetsbare functies"
        ) % {
            "units": training.units_reached,
            "units_total": training.units_total,
            "positions": training.positions_reached,
            "positions_total": training.positions_total,
        }
    else:
        trained = _("nog geen terugkerende training vastgelegd")
    explanation = _("Veiligheid van medewerkers: %(measures)s; %(training)s.") % {
        "measures": group.text,
        "training": trained,
    }
    return Topic(3, "werkomgeving", title, status, explanation, group.url, _("Naar de maatregelen voor veiligheid"))


def _topic_integrity(group: GroupFigures, screening: ScreeningFigures) -> Topic:
    title = _("Ambtelijke en bestuurlijke integriteit")
    status = _group_status(group)
    if screening.overdue or screening.never:
        status = ATTENTION
    if screening.due:
        screened = ngettext(
            "screening nodig voor %(count)s functie",
            "screening nodig voor %(count)s functies",
            screening.due,
        ) % {"count": screening.due}
    elif screening.positions:
        screened = _("screening van kwetsbare functies is bij")
    else:
        screened = _("nog geen functies met een screeningsniveau")
    explanation = _("Integriteit: %(measures)s; %(screening)s.") % {"measures": group.text, "screening": screened}
    return Topic(4, "integriteit", title, status, explanation, group.url, _("Naar de integriteitsmaatregelen"))


def _topic_cooperation(group: GroupFigures, contacts: ContactPeople) -> Topic:
    title = _("Organisatiestructuur en gezamenlijke opgave")
    status = _group_status(group)
    missing = []
    if not contacts.coordinators:
        missing.append(_("geen coördinator"))
    if not contacts.confidants:
        missing.append(_("geen vertrouwenspersoon"))
    if missing and status == OK:
        status = ATTENTION
    if missing:
        people = _("aanspreekpunten: %(missing)s") % {"missing": _(" en ").join(str(each) for each in missing)}
    else:
        people = ngettext(
            "aanspreekpunten: %(coordinators)s coördinator en %(confidants)s vertrouwenspersoon(en)",
            "aanspreekpunten: %(coordinators)s coördinatoren en %(confidants)s vertrouwenspersoon(en)",
            len(contacts.coordinators),
        ) % {"coordinators": len(contacts.coordinators), "confidants": len(contacts.confidants)}
    explanation = _("Gezamenlijke opgave: %(measures)s; %(people)s.") % {"measures": group.text, "people": people}
    return Topic(5, "organisatie", title, status, explanation, group.url, _("Naar aanspreekpunten en afstemming"))


# --- attention -------------------------------------------------------------------------------------


def _attention(dashboard: SecretarisDashboard) -> list[AttentionItem]:
    items = from_pairs(dashboard.mayor.attention_items)
    plan, today = dashboard.plan, dashboard.today
    items += plan_items(not_alive=plan.not_alive, overdue=plan.overdue)
    vulnerable = dashboard.vulnerable
    if vulnerable.risen:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s proces in de top 10 is kwetsbaarder geworden sinds de vorige scan.",
                    "%(count)s processen in de top 10 zijn kwetsbaarder geworden sinds de vorige scan.",
                    vulnerable.risen,
                )
                % {"count": vulnerable.risen},
                vulnerable.url,
            )
        )
    if vulnerable.scan is not None and _scan_is_old(vulnerable.scan, today):
        items.append(
            AttentionItem(
                _("De laatste afgesloten scan is meer dan een jaar oud: tijd voor een herhaalonderzoek."),
                vulnerable.url,
            )
        )
    screening = dashboard.screening
    if screening.overdue or screening.never:
        count = screening.overdue + screening.never
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s kwetsbare functie is te laat met screening (of nooit gescreend).",
                    "%(count)s kwetsbare functies zijn te laat met screening (of nooit gescreend).",
                    count,
                )
                % {"count": count},
                screening.url,
            )
        )
    if dashboard.training.late:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s terugkerende training is te laat.",
                    "%(count)s terugkerende trainingen zijn te laat.",
                    dashboard.training.late,
                )
                % {"count": dashboard.training.late},
                dashboard.training.url,
            )
        )
    if not dashboard.contacts.confidants:
        items.append(
            AttentionItem(
                _("Er is geen vertrouwenspersoon aangewezen: medewerkers weten niet bij wie ze terechtkunnen."),
                reverse("core:user_list"),
                URGENT,
            )
        )
    items.extend(from_pairs(dashboard.capacity.attention_items))
    return prioritised(items)


def secretaris_dashboard(membership: Membership, today: dt.date) -> SecretarisDashboard:
    organisation = membership.organisation
    training, positions, counts = training_reach(today, extra_counts=need_counts(today))
    dashboard = SecretarisDashboard(
        today=today,
        attention=[],
        topics=[],
        mayor=mayor_summary(today),
        capacity=capacity_summary(today, need=counts),
        vulnerable=vulnerable_processes(membership),
        plan=plan_figures(organisation, today),
        training=training,
        screening=screening_figures(positions, today),
        contacts=contact_people(),
    )
    dashboard.topics = [
        _topic_mayor(dashboard.mayor),
        _topic_vulnerable(dashboard.vulnerable, today),
        _topic_safety(dashboard.safety, training),
        _topic_integrity(dashboard.integrity, dashboard.screening),
        _topic_cooperation(dashboard.cooperation, dashboard.contacts),
    ]
    dashboard.attention = _attention(dashboard)
    return dashboard

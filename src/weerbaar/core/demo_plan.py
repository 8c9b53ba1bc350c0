"""The demo's action plans and attention: Veenhaven acts on its last scan, Oosterzijl has begun
organisation-wide; both have recurring activities, Veenhaven a communication plan and risk acceptances.

Built through the plan services (audited), as the coordinator and the owners would. Veenhaven's
lines come from each high-scoring process's own proposals (the what-if ranking), in every status:
alive, fading and lapsed measures, work in progress, a plan line overdue, a proposal declined with
a reason. Dates follow today. Where the services rightly refuse a date in the past (a due date),
``_backdate_due`` moves it afterwards, like the scans demo does; the audit trail keeps the real
moment the demo was loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from weerbaar.catalogue.models import Measure
from weerbaar.core.models import Membership, Organisation, Unit
from weerbaar.core.permissions import Action, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan import services
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.proposals import proposals_for
from weerbaar.plan.selectors.residual import latest_consensus
from weerbaar.register.models import Process

#: How the plan line of the n-th riskiest process is doing, in turn:
#: (status, months since implemented, months since the last review or None, effectiveness).
PROCESS_PATTERN: tuple[tuple[str, int | None, int | None, str], ...] = (
    (MeasureStatus.IMPLEMENTED, 10, 2, "effectief"),
    (MeasureStatus.IMPLEMENTED, 22, None, ""),  # not reviewed since: fading
    (MeasureStatus.IN_PROGRESS, None, None, ""),
    (MeasureStatus.IMPLEMENTED, 40, None, ""),  # lapsed: its effect is gone
    (MeasureStatus.PLANNED, None, None, ""),  # overdue (backdated)
    (MeasureStatus.IMPLEMENTED, 3, None, ""),  # fresh, not reviewed yet
    (MeasureStatus.REJECTED, None, None, ""),
    (MeasureStatus.PROPOSED, None, None, ""),
    (MeasureStatus.IMPLEMENTED, 16, 13, "deels"),  # reviewed once, review due again: fading
    (MeasureStatus.PLANNED, None, None, ""),
)

DECLINE_REASON = (
    "Past niet bij de omvang van dit team: er werken twee mensen. We vangen het risico op met een "
    "steekproef door de teamleider."
)

#: Organisation-wide measures: (catalogue key, status, months since implemented, months since review,
#: effectiveness, reach: "all" or the names of the units it reaches).
ORGANISATION_PLAN: dict[str, tuple[tuple[str, str, int | None, int | None, str, str | tuple[str, ...]], ...]] = {
    "veenhaven": (
        ("normgesprek-teams", MeasureStatus.IMPLEMENTED, 18, 4, "effectief", "all"),
        ("bibob-vergunningen", MeasureStatus.IMPLEMENTED, 30, 8, "effectief", ("Vergunningverlening",)),
        ("bibob-vastgoed", MeasureStatus.IN_PROGRESS, None, None, "", ("Vastgoed en Grondzaken",)),
        ("risicoanalyse-clientelisme", MeasureStatus.PLANNED, None, None, "", "all"),
        (
            "aanspreekpunten-ondermijning",
            MeasureStatus.IMPLEMENTED,
            14,
            14,
            "deels",
            ("Burgerzaken", "Vergunningverlening", "Toezicht en Handhaving"),
        ),
        ("training-agressie", MeasureStatus.IMPLEMENTED, 60, None, "", ("Klantcontactcentrum", "Burgerzaken")),
        ("melden-registreren-incidenten", MeasureStatus.IMPLEMENTED, 8, None, "", "all"),
        ("organisatienorm-agressie", MeasureStatus.IMPLEMENTED, 26, None, "", "all"),
        ("meldregeling-vertrouwenspersoon", MeasureStatus.IMPLEMENTED, 36, 5, "effectief", "all"),
        ("screening-kandidaat-raadsleden", MeasureStatus.PLANNED, None, None, "", "all"),
        (
            "casusafstemming-multiproblematiek",
            MeasureStatus.IN_PROGRESS,
            None,
            None,
            "",
            ("Zorg en Jeugd", "Schuldhulpverlening"),
        ),
        ("weerbaarheidsfestival", MeasureStatus.REJECTED, None, None, "", "all"),
    ),
    "oosterzijl": (
        ("normgesprek-teams", MeasureStatus.IMPLEMENTED, 7, None, "", "all"),
        ("bibob-vergunningen", MeasureStatus.PLANNED, None, None, "", "all"),
        ("meldregeling-vertrouwenspersoon", MeasureStatus.IMPLEMENTED, 30, None, "", "all"),
        ("aanspreekpunten-ondermijning", MeasureStatus.IN_PROGRESS, None, None, "", "all"),
    ),
}


def _months_ago(today: dt.date, months: int) -> dt.date:
    return today - dt.timedelta(days=round(months * 30.44))


def _members(organisation: Organisation) -> dict[str, Membership]:
    members = Membership.objects.filter(is_active=True).select_related("user").order_by("pk")
    return {role: next(m for m in members if role in m.roles) for role in (Role.COORDINATOR, Role.SECRETARIS)}


def _owner(process: Process | None, coordinator: Membership) -> Membership:
    owner = process.owner if process is not None else None
    return owner if owner is not None and owner.is_active and owner.can(Action.WORK_OWN) else coordinator


def _backdate_due(planned: PlannedMeasure, due: dt.date) -> None:
    """DEMO ONLY: an overdue line; the service refuses a due date in the past, rightly."""
    planned.due_date = due
    planned.save(update_fields=["due_date"])


def _line(
    *,
    coordinator: Membership,
    measure: Measure,
    process: Process | None,
    status: str,
    implemented: int | None,
    reviewed: int | None,
    effectiveness: str,
    units: Sequence[Unit] = (),
    all_units: bool = False,
    due_in_days: int = 60,
    expected: tuple[float | None, float | None] = (None, None),
    source: object = None,
) -> PlannedMeasure:
    today = timezone.localdate()
    owner = _owner(process, coordinator)
    rejected = status == MeasureStatus.REJECTED
    planned = services.planned_measure_create(
        actor=coordinator.user,
        member=coordinator,
        measure=measure,
        process=process,
        owner=None if rejected else owner,
        due_date=None if rejected else today + dt.timedelta(days=due_in_days),
        status=status if status in (MeasureStatus.PROPOSED, MeasureStatus.REJECTED) else MeasureStatus.PLANNED,
        rejection_reason=DECLINE_REASON if rejected else "",
        reaches_all_units=all_units,
        units=units,
        expected=expected,
        source_scan_process=source,
    )
    if status in (MeasureStatus.IN_PROGRESS, MeasureStatus.IMPLEMENTED):
        planned = services.planned_measure_set_status(
            actor=owner.user,
            member=owner,
            planned=planned,
            version=planned.version,
            status=status,
            implemented_on=_months_ago(today, implemented) if implemented is not None else None,
        )
    if status == MeasureStatus.IMPLEMENTED:
        services.evidence_add(
            actor=owner.user,
            member=owner,
            planned=planned,
            note="Ingevoerd; de werkinstructie is aangepast en met het team besproken.",
        )
        if reviewed is not None:
            planned = PlannedMeasure.objects.get(pk=planned.pk)
            services.measure_review_add(
                actor=owner.user,
                member=owner,
                planned=planned,
                version=planned.version,
                reviewed_on=_months_ago(today, reviewed),
                effectiveness=effectiveness or "effectief",
                note="Steekproef van tien dossiers: in alle gevallen toegepast."
                if effectiveness == "effectief"
                else "Wordt niet overal consequent toegepast; opnieuw onder de aandacht gebracht.",
            )
    return PlannedMeasure.objects.get(pk=planned.pk)


def _process_plan(organisation: Organisation, coordinator: Membership) -> None:
    today = timezone.localdate()
    processes = list(Process.objects.filter(is_active=True).select_related("owner__user").order_by("code"))
    latest = latest_consensus(processes)
    ranked = sorted(
        (p for p in processes if p.pk in latest), key=lambda p: (-(latest[p.pk].vulnerability or 0), p.code)
    )
    for number, process in enumerate(ranked[: 2 * len(PROCESS_PATTERN)]):
        status, implemented, reviewed, effectiveness = PROCESS_PATTERN[number % len(PROCESS_PATTERN)]
        proposals = proposals_for(organisation, process, today)
        if not proposals.ranked:
            continue
        best = proposals.ranked[number // len(PROCESS_PATTERN)]  # the second round takes the runner-up
        planned = _line(
            coordinator=coordinator,
            measure=best.measure,
            process=process,
            status=status,
            implemented=implemented,
            reviewed=reviewed,
            effectiveness=effectiveness,
            due_in_days=21 + 7 * number,
            expected=(best.from_score, best.to_score),
            source=proposals.scan_process,
        )
        if status == MeasureStatus.PLANNED and number % len(PROCESS_PATTERN) == 4:
            _backdate_due(planned, today - dt.timedelta(days=16))


def _organisation_plan(organisation: Organisation, key: str, coordinator: Membership) -> None:
    units = {unit.name: unit for unit in Unit.objects.filter(is_active=True)}
    for number, (measure_key, status, implemented, reviewed, effectiveness, reach) in enumerate(ORGANISATION_PLAN[key]):
        measure = Measure.national_objects.get(key=measure_key)
        planned = _line(
            coordinator=coordinator,
            measure=measure,
            process=None,
            status=status,
            implemented=implemented,
            reviewed=reviewed,
            effectiveness=effectiveness,
            all_units=reach == "all",
            units=[] if reach == "all" else [units[name] for name in reach if name in units],
            due_in_days=30 + 20 * number,
        )
        if status == MeasureStatus.PLANNED and number % 2:
            _backdate_due(planned, timezone.localdate() - dt.timedelta(days=9))


def load_plans(large: Organisation, small: Organisation) -> None:
    """Both gemeenten's plans; a gemeente that already has a plan is left as it is."""
    for organisation, key, with_processes in ((large, "veenhaven", True), (small, "oosterzijl", False)):
        with tenant_scope(organisation):
            if PlannedMeasure.objects.exists():
                continue
            coordinator = _members(organisation)[Role.COORDINATOR]
            if with_processes:
                _process_plan(organisation, coordinator)
            _organisation_plan(organisation, key, coordinator)


# --- keeping attention alive ---------------------------------------------------------------------

#: (kind, name, cadence in months, owner role, target unit names, months ago it was last done or None
#: (never: first time in three weeks), how many vulnerable positions it reached)
ACTIVITIES: dict[str, tuple[tuple[str, str, int, str, tuple[str, ...], int | None, int], ...]] = {
    "veenhaven": (
        ("normgesprek", "Normgesprek Burgerzaken", 12, Role.PROCESEIGENAAR, ("Burgerzaken",), 14, 1),
        ("normgesprek", "Normgesprek Vergunningverlening", 12, Role.COORDINATOR, ("Vergunningverlening",), 3, 2),
        ("campagne", "Campagne ‘Herken de verleiding’", 6, Role.COORDINATOR, (), 2, 0),
        ("intranet", "Intranetpagina weerbaarheid bijwerken", 3, Role.COORDINATOR, (), 5, 0),
        ("evenement", "Weerbaarheidsdag", 12, Role.SECRETARIS, (), 10, 4),
        (
            "training",
            "Training omgaan met agressie aan de balie",
            12,
            Role.COORDINATOR,
            ("Klantcontactcentrum", "Burgerzaken"),
            None,
            0,
        ),
    ),
    "oosterzijl": (
        ("normgesprek", "Normgesprek in het managementteam", 12, Role.COORDINATOR, (), 4, 0),
        ("intranet", "Intranetpagina ondermijning", 6, Role.COORDINATOR, (), 8, 0),
    ),
}

#: (months from now, subject, audience, channel, done)
COMMUNICATION: tuple[tuple[int, str, str, str, bool], ...] = (
    (-10, "Uitkomsten van de kwetsbaarhedenscan", "Alle medewerkers", "intranet", True),
    (-7, "Wat doe je als je onder druk wordt gezet?", "Alle medewerkers", "nieuwsbrief", True),
    (-4, "Actieplan weerbaarheid in het MT", "Managementteam", "managementoverleg", True),
    (-1, "Terugblik op de weerbaarheidsdag", "Alle medewerkers", "nieuwsbrief", False),
    (1, "Start van de nieuwe scanronde", "Proceseigenaren", "email", False),
    (3, "Cliëntelisme bespreekbaar maken", "Leidinggevenden", "bijeenkomst", False),
)


def _backdate_communication(item_pk: int, planned_on: dt.date) -> None:
    """DEMO ONLY: a moment that was planned in the past and not done (the service refuses to plan one)."""
    from weerbaar.attention.models import CommunicationItem

    item = CommunicationItem.objects.get(pk=item_pk)
    item.planned_on = planned_on
    item.save(update_fields=["planned_on"])


def _attention(organisation: Organisation, key: str, coordinator: Membership) -> None:
    from weerbaar.attention import services as attention_services
    from weerbaar.register.models import Position, ScreeningLevel

    today = timezone.localdate()
    members = Membership.objects.filter(is_active=True).select_related("user").order_by("pk")
    by_role = {role: next((m for m in members if role in m.roles), coordinator) for role in Role.values}
    units = {unit.name: unit for unit in Unit.objects.filter(is_active=True)}
    vulnerable = list(Position.objects.exclude(screening_level=ScreeningLevel.NONE).order_by("name"))
    for kind, name, cadence, role, unit_names, months_ago, reached in ACTIVITIES[key]:
        targets = [units[n] for n in unit_names if n in units]
        activity = attention_services.activity_create(
            actor=coordinator.user,
            member=coordinator,
            kind=kind,
            name=name,
            starts_on=today + dt.timedelta(days=21),
            cadence_months=cadence,
            owner=by_role[role],
            target_units=targets,
        )
        if months_ago is not None:
            attention_services.activity_log(
                actor=by_role[role].user,
                member=by_role[role] if by_role[role].can(Action.WORK_OWN) else coordinator,
                activity=activity,
                done_on=_months_ago(today, months_ago),
                note="Goed gesprek; twee dilemma's uit de praktijk besproken.",
                participants=12 + 3 * len(name) % 20,
                units=targets,
                positions=vulnerable[:reached],
            )
    if key != "veenhaven":
        return
    for months, subject, audience, channel, done in COMMUNICATION:
        planned_on = today + dt.timedelta(days=round(months * 30.44))
        past = planned_on < today
        item = attention_services.communication_item_create(
            actor=coordinator.user,
            member=coordinator,
            planned_on=planned_on if not past or done else today,
            subject=subject,
            audience=audience,
            channel=channel,
            owner=coordinator,
            done_on=planned_on if done else None,
        )
        if past and not done:
            _backdate_communication(item.pk, planned_on)


def _acceptances(organisation: Organisation, members: dict[str, Membership]) -> None:
    """One current acceptance and one that ran out two months ago (due work for the secretaris)."""
    from weerbaar.plan.models import RiskAcceptance
    from weerbaar.plan.services import risk_acceptance_create

    secretaris = members[Role.SECRETARIS]
    today = timezone.localdate()
    processes = list(Process.objects.filter(is_active=True).order_by("code"))
    latest = latest_consensus(processes)
    scored = [p for p in processes if p.pk in latest]
    if len(scored) < 2:
        return
    current, expired = scored[-1], scored[-2]
    risk_acceptance_create(
        actor=secretaris.user,
        member=secretaris,
        process=current,
        reason="Het proces is klein en de schade blijft beperkt; verdere maatregelen kosten meer dan ze opleveren.",
        expires_on=today + dt.timedelta(days=240),
    )
    old = risk_acceptance_create(
        actor=secretaris.user,
        member=secretaris,
        process=expired,
        reason="Geaccepteerd tot de nieuwe werkwijze met de omgevingsdienst is ingevoerd en geëvalueerd.",
        expires_on=today + dt.timedelta(days=30),
    )
    # DEMO ONLY: accepted fourteen months ago for a year; the services refuse dates in the past.
    old = RiskAcceptance.objects.get(pk=old.pk)
    old.accepted_on = today - dt.timedelta(days=425)
    old.expires_on = today - dt.timedelta(days=60)
    old.save(update_fields=["accepted_on", "expires_on"])


def load_attention(large: Organisation, small: Organisation) -> None:
    """Activities, the communication plan and risk acceptances; a gemeente that has activities is left alone."""
    from weerbaar.attention.models import RecurringActivity

    for organisation, key in ((large, "veenhaven"), (small, "oosterzijl")):
        with tenant_scope(organisation):
            if RecurringActivity.objects.exists():
                continue
            members = _members(organisation)
            _attention(organisation, key, members[Role.COORDINATOR])
            if key == "veenhaven":
                _acceptances(organisation, members)


# --- the secretaris' overview and the published report --------------------------------------------


def load_overview(large: Organisation, small: Organisation) -> None:
    """Consultations with the mayor and capacity for the large gemeente; a published report (both
    versions) for each gemeente, so the lezer and the secretaris have something to open."""
    from weerbaar.dashboards.demo import load_dashboards_demo
    from weerbaar.reports.demo import publish_demo_reports
    from weerbaar.reports.models import PublishedReport

    with tenant_scope(large):
        load_dashboards_demo(large, _members(large), timezone.localdate())
    for organisation in (large, small):
        with tenant_scope(organisation):
            if PublishedReport.objects.exists():
                continue
            coordinator = _members(organisation)[Role.COORDINATOR]
        publish_demo_reports(organisation, coordinator)

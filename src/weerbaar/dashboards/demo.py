"""Demo data for the consultations with the mayor and the capacity page (``make run`` loads it).

Call inside the organisation's ``tenant_scope``, after the plan is loaded::

    load_dashboards_demo(organisation, members, today)

``members`` maps a role to a member with that role (secretaris and coordinator are needed; a
proceseigenaar is used when present). A gemeente that already has a consultation is left as it is.
Everything goes through the services, so the audit trail shows it as ordinary work.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from weerbaar.core.models import Membership, Organisation
from weerbaar.core.permissions import Role
from weerbaar.dashboards import services
from weerbaar.dashboards.models import AgreementStatus, MayorConsultation
from weerbaar.plan import services as plan_services
from weerbaar.plan.models import OPEN_STATUSES, PlannedMeasure

#: (days ago, topics, notes)
CONSULTATIONS: tuple[tuple[int, str, str], ...] = (
    (
        330,
        "Bibob-beleid: herziening van de beleidslijn voor horeca en vastgoed.",
        "De burgemeester wil dat de Bibob-toets ook bij subsidies boven een drempelbedrag wordt overwogen.",
    ),
    (
        240,
        "Casusoverleg: hoe de gemeente aansluit bij het casusoverleg van het RIEC.",
        "Afgesproken dat de coördinator vast aanspreekpunt is voor het RIEC.",
    ),
    (
        130,
        "Integriteitsmeldingen: het overzicht van het afgelopen halfjaar en de nazorg aan medewerkers.",
        "Twee meldingen van intimidatie aan de balie; beide met aangifte en nazorg afgehandeld.",
    ),
    (
        40,
        "Ondermijningsbeeld: de uitkomsten van de kwetsbaarhedenscan en het actieplan.",
        "De burgemeester vraagt om een korte terugkoppeling in de driehoek.",
    ),
)

#: (consultation index, description, owner role, due days after the consultation, status, done days after it)
AGREEMENTS: tuple[tuple[int, str, str, int, str, int | None], ...] = (
    (0, "Beleidslijn Bibob voor horeca en vastgoed actualiseren", Role.COORDINATOR, 90, AgreementStatus.DONE, 75),
    (
        0,
        "Nagaan of de Bibob-toets bij subsidies kan worden ingezet",
        Role.COORDINATOR,
        120,
        AgreementStatus.LAPSED,
        110,
    ),
    (1, "Vast aanspreekpunt voor het RIEC-casusoverleg aanwijzen", Role.SECRETARIS, 30, AgreementStatus.DONE, 14),
    (2, "Nazorgprotocol na intimidatie aan de balie vastleggen", Role.PROCESEIGENAAR, 60, AgreementStatus.DONE, 50),
    (2, "Meldingen van intimidatie elk halfjaar aan de burgemeester terugkoppelen", Role.SECRETARIS, 110, "open", None),
    (3, "Terugkoppeling over het ondermijningsbeeld in de driehoek voorbereiden", Role.SECRETARIS, 60, "open", None),
    (3, "Actieplan weerbaarheid in het college bespreken", Role.COORDINATOR, 45, "open", None),
)

#: role -> (hours per week for all people in the role together, people, note)
CAPACITY: dict[str, tuple[str, int | None, str]] = {
    Role.COORDINATOR: ("24", 1, "Coördinator ondermijning, twee derde van een volle week."),
    Role.PROCESEIGENAAR: ("24", 12, "Twaalf proceseigenaren, elk ongeveer twee uur per week."),
    Role.SECRETARIS: ("2", 1, "Overleg met de burgemeester en sturing."),
    Role.VERTROUWENSPERSOON: ("4", 2, ""),
}

#: Estimated hours given to the open plan lines in turn; a zero leaves the line without an estimate.
ESTIMATES: tuple[int, ...] = (40, 16, 0, 80, 24, 120, 0, 32, 60, 0, 200, 8)


def load_dashboards_demo(organisation: Organisation, members: dict[str, Membership], today: dt.date) -> None:
    if MayorConsultation.objects.exists():
        return
    secretaris, coordinator = members[Role.SECRETARIS], members[Role.COORDINATOR]
    owners: dict[str, Membership] = {
        Role.SECRETARIS: secretaris,
        Role.COORDINATOR: coordinator,
        Role.PROCESEIGENAAR: members.get(Role.PROCESEIGENAAR, coordinator),
    }
    consultations = []
    held = [today - dt.timedelta(days=days_ago) for days_ago, _topics, _notes in CONSULTATIONS]
    for index, (_days_ago, topics, notes) in enumerate(CONSULTATIONS):
        next_on = held[index + 1] if index + 1 < len(held) else today + dt.timedelta(days=21)
        consultations.append(
            services.consultation_create(
                actor=secretaris.user,
                member=secretaris,
                held_on=held[index],
                topics=topics,
                notes=notes,
                next_on=next_on,
            )
        )
    for index, description, role, due_after, status, done_after in AGREEMENTS:
        consultation = consultations[index]
        agreement = services.agreement_add(
            actor=secretaris.user,
            member=secretaris,
            consultation=consultation,
            description=description,
            owner=owners[role],
            due_on=consultation.held_on + dt.timedelta(days=due_after),
        )
        if status != AgreementStatus.OPEN and done_after is not None:
            services.agreement_set_status(
                actor=secretaris.user,
                member=secretaris,
                agreement=agreement,
                version=agreement.version,
                status=status,
                done_on=min(consultation.held_on + dt.timedelta(days=done_after), today),
            )
    services.capacity_set(
        actor=coordinator.user,
        member=coordinator,
        rows=[
            services.CapacityRow(role=role, hours_per_week=Decimal(hours), people=people, note=note)
            for role, (hours, people, note) in CAPACITY.items()
        ],
    )
    _estimates(coordinator)


def _estimates(coordinator: Membership) -> None:
    lines = PlannedMeasure.objects.filter(status__in=OPEN_STATUSES, estimated_hours__isnull=True).order_by("pk")
    for index, line in enumerate(lines.select_related("owner").prefetch_related("units")):
        hours = ESTIMATES[index % len(ESTIMATES)]
        if not hours:
            continue
        plan_services.planned_measure_update(
            actor=coordinator.user,
            member=coordinator,
            planned=line,
            version=line.version,
            owner=line.owner,
            due_date=line.due_date,
            note=line.note,
            review_cadence_months=line.review_cadence_months,
            reaches_all_units=line.reaches_all_units,
            units=list(line.units.all()),
            estimated_hours=hours,
        )

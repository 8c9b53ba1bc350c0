"""The action plan's writes: plan a measure, change it, move its status, review it, add evidence.

Who may do what is decided here as well as in the views: the coordinator (``PLAN_MANAGE``) plans,
assigns and rejects; the owner of a measure updates its progress, reviews it and adds evidence.
Every change is audited; the version guards against two people editing the same line at once.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, save_if_changed, snapshot
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import check_version
from weerbaar.plan.models import (
    MAX_ESTIMATED_HOURS,
    OPEN_STATUSES,
    Effectiveness,
    Evidence,
    EvidenceFile,
    MeasureReview,
    MeasureStatus,
    PlannedMeasure,
)
from weerbaar.plan.uploads import check_upload
from weerbaar.register.models import Process

PLAN_FIELDS = (
    "owner_id",
    "due_date",
    "note",
    "review_cadence_months",
    "estimated_hours",
    "reaches_all_units",
    "status",
    "rejection_reason",
    "implemented_on",
)
MAX_DUE_YEARS = 5

#: Status moves an owner may make; the coordinator may make any move.
OWNER_MOVES: dict[str, frozenset[str]] = {
    MeasureStatus.PROPOSED: frozenset({MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS}),
    MeasureStatus.PLANNED: frozenset({MeasureStatus.IN_PROGRESS, MeasureStatus.IMPLEMENTED}),
    MeasureStatus.IN_PROGRESS: frozenset({MeasureStatus.PLANNED, MeasureStatus.IMPLEMENTED}),
    MeasureStatus.IMPLEMENTED: frozenset({MeasureStatus.IN_PROGRESS}),
    MeasureStatus.REJECTED: frozenset(),
}


def may_manage(member: Membership) -> bool:
    return member.can(Action.PLAN_MANAGE)


def may_update(member: Membership, planned: PlannedMeasure) -> bool:
    """The coordinator, or the measure's owner (while they may still own measures)."""
    return may_manage(member) or (planned.owner_id == member.pk and member.can(Action.WORK_OWN))


def _require_update(member: Membership, planned: PlannedMeasure) -> None:
    if not may_update(member, planned):
        raise PermissionDenied(_("Alleen de coördinator of de eigenaar van deze maatregel mag dit wijzigen."))


def check_owner(owner: Membership | None, organisation: Organisation) -> None:
    if owner is None:
        return
    if owner.organisation_id != organisation.pk or not owner.is_active:
        raise ValidationError({"owner": _("Kies als eigenaar een actief lid van deze organisatie.")})
    if not owner.can(Action.WORK_OWN):
        raise ValidationError(
            {
                "owner": _("%(name)s heeft geen rol waarmee iemand eigenaar van een maatregel kan zijn.")
                % {"name": str(owner.user)}
            }
        )


def _check_due(due_date: dt.date | None, *, new: bool, previous: dt.date | None = None) -> None:
    if due_date is None:
        return
    today = timezone.localdate()
    # An existing line may keep a date that has passed meanwhile; a new date must not lie in the past.
    if due_date < today and (new or due_date != previous):
        raise ValidationError({"due_date": _("Deze datum is al voorbij. Kies een datum vanaf vandaag.")})
    if due_date.year > today.year + MAX_DUE_YEARS:
        raise ValidationError({"due_date": _("Kies een datum binnen vijf jaar.")})


class Keep(enum.Enum):
    """Marks an optional field the caller leaves as it is (the API's partial update)."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _check_estimate(hours: int | None) -> None:
    if hours is not None and not 1 <= hours <= MAX_ESTIMATED_HOURS:
        raise ValidationError(
            {"estimated_hours": _("Vul een schatting in van 1 tot en met 10.000 uur, of laat het veld leeg.")}
        )


def _check_cadence(months: int) -> None:
    if not 1 <= months <= 60:
        raise ValidationError({"review_cadence_months": _("Kies een herzieningstermijn van 1 tot en met 60 maanden.")})


def _check_units(units: Iterable[Unit], organisation: Organisation) -> list[Unit]:
    chosen = list({unit.pk: unit for unit in units}.values())
    if any(unit.organisation_id != organisation.pk for unit in chosen):
        raise ValidationError({"units": _("Kies afdelingen en teams van deze organisatie.")})
    return chosen


def _check_measure(measure: Measure, organisation: Organisation, process: Process | None) -> None:
    if not catalogue_selectors.effective(Measure, organisation=organisation).filter(pk=measure.pk).exists():
        raise ValidationError({"measure": _("Deze maatregel staat niet (meer) in de catalogus van uw organisatie.")})
    wanted = MeasureScope.PROCESS if process is not None else MeasureScope.ORGANISATION
    if measure.scope != wanted:
        if process is not None:
            raise ValidationError(
                {"measure": _("Dit is een maatregel voor de hele organisatie, niet voor één proces.")}
            )
        raise ValidationError({"measure": _("Dit is een maatregel per proces, niet voor de hele organisatie.")})


def _audit_fields(planned: PlannedMeasure) -> dict[str, Any]:
    return {**snapshot(planned, PLAN_FIELDS), "units": sorted(str(u.uuid) for u in planned.units.all())}


@transaction.atomic
def planned_measure_create(
    *,
    actor: User | None,
    member: Membership,
    measure: Measure,
    process: Process | None = None,
    owner: Membership | None = None,
    due_date: dt.date | None = None,
    status: str = MeasureStatus.PLANNED,
    note: str = "",
    review_cadence_months: int | None = None,
    reaches_all_units: bool = False,
    units: Iterable[Unit] = (),
    rejection_reason: str = "",
    source_scan_process: Any = None,
    expected: tuple[float | None, float | None] = (None, None),
) -> PlannedMeasure:
    """Take a catalogue measure into the plan (or record why not, with ``status`` afgewezen)."""
    if not may_manage(member):
        raise PermissionDenied(_("Alleen de coördinator neemt maatregelen op in het actieplan."))
    organisation = member.organisation
    if process is not None and process.organisation_id != organisation.pk:
        raise ValidationError({"process": _("Kies een proces van deze organisatie.")})
    _check_measure(measure, organisation, process)
    check_owner(owner, organisation)
    if status not in (*OPEN_STATUSES, MeasureStatus.REJECTED):
        raise ValidationError(
            {"status": _("Een nieuwe maatregel is voorgesteld, gepland, in uitvoering of afgewezen.")}
        )
    rejection_reason = (rejection_reason or "").strip()
    if status == MeasureStatus.REJECTED and not rejection_reason:
        raise ValidationError({"rejection_reason": _("Schrijf op waarom deze maatregel niet wordt genomen.")})
    _check_due(due_date, new=True)
    cadence = review_cadence_months if review_cadence_months is not None else measure.review_cadence_months
    _check_cadence(cadence)
    chosen_units = _check_units(units, organisation) if process is None else []
    planned = PlannedMeasure(
        organisation=organisation,
        measure=measure,
        process=process,
        owner=owner,
        due_date=due_date,
        status=status,
        note=(note or "").strip(),
        review_cadence_months=cadence,
        reaches_all_units=bool(reaches_all_units) and process is None,
        rejection_reason=rejection_reason if status == MeasureStatus.REJECTED else "",
        source_scan_process=source_scan_process,
        expected_from=expected[0],
        expected_to=expected[1],
        created_by=member,
    )
    planned.full_clean(exclude=["organisation", "measure", "process", "owner", "units"], validate_constraints=False)
    try:
        with transaction.atomic():
            planned.save()
    except IntegrityError:
        raise ValidationError(
            {"measure": _("Deze maatregel staat al in het actieplan. Open die regel om hem bij te werken.")}
        ) from None
    if chosen_units:
        planned.units.set(chosen_units)
    record(
        action="plan.measure.reject" if status == MeasureStatus.REJECTED else "plan.measure.create",
        actor=actor,
        organisation=organisation,
        obj=planned,
        object_label=_label(planned),
        changes={
            **diff({}, _audit_fields(planned)),
            "measure": [None, measure.ref],
            "process": [None, _process_ref(process)],
        },
    )
    return planned


def _process_ref(process: Process | None) -> str:
    return process.code if process is not None else "organisatie"


def _label(planned: PlannedMeasure) -> str:
    where = planned.process.code if planned.process is not None else _("organisatie")
    return f"{planned.measure.name} ({where})"


def _locked(planned: PlannedMeasure, version: int | None) -> PlannedMeasure:
    locked = (
        PlannedMeasure.objects.select_for_update(of=("self",)).select_related("measure", "process").get(pk=planned.pk)
    )
    check_version(locked.version, version)
    return locked


def _save(
    locked: PlannedMeasure,
    before: dict[str, Any],
    *,
    actor: User | None,
    action: str,
    extra: dict[str, Any] | None = None,
) -> PlannedMeasure:
    changes = {**diff(before, _audit_fields(locked)), **(extra or {})}
    save_if_changed(locked, changes, action=action, actor=actor, object_label=_label(locked))
    return locked


@transaction.atomic
def planned_measure_update(
    *,
    actor: User | None,
    member: Membership,
    planned: PlannedMeasure,
    version: int | None,
    owner: Membership | None,
    due_date: dt.date | None,
    note: str,
    review_cadence_months: int,
    reaches_all_units: bool = False,
    units: Iterable[Unit] = (),
    estimated_hours: int | Keep | None = KEEP,
) -> PlannedMeasure:
    """The coordinator's edit of a plan line: owner, due date, note, cadence, the estimated hours
    (``KEEP`` leaves them as they are) and (organisation-wide) reach."""
    if not may_manage(member):
        raise PermissionDenied(_("Alleen de coördinator wijzigt eigenaar, datum en termijn."))
    locked = _locked(planned, version)
    before = _audit_fields(locked)
    check_owner(owner, locked.organisation)
    _check_due(due_date, new=False, previous=locked.due_date)
    _check_cadence(review_cadence_months)
    if not isinstance(estimated_hours, Keep):
        _check_estimate(estimated_hours)
        locked.estimated_hours = estimated_hours
    locked.owner = owner
    locked.due_date = due_date
    locked.note = (note or "").strip()
    locked.review_cadence_months = review_cadence_months
    locked.full_clean(exclude=["organisation", "measure", "process", "owner", "units"], validate_constraints=False)
    if locked.process_id is None:
        locked.reaches_all_units = bool(reaches_all_units)
        locked.units.set([] if locked.reaches_all_units else _check_units(units, locked.organisation))
    return _save(locked, before, actor=actor, action="plan.measure.update")


@transaction.atomic
def planned_measure_set_status(
    *,
    actor: User | None,
    member: Membership,
    planned: PlannedMeasure,
    version: int | None,
    status: str,
    reason: str = "",
    implemented_on: dt.date | None = None,
) -> PlannedMeasure:
    """Move a plan line on. Implemented needs a date (not in the future); rejected needs a reason."""
    locked = _locked(planned, version)
    _require_update(member, locked)
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Kies een status uit de lijst.")})
    if status == locked.status:
        return locked
    if not may_manage(member) and status not in OWNER_MOVES[locked.status]:
        raise ValidationError(
            {"status": _("Deze stap zet alleen de coördinator. Neem contact op als de maatregel moet vervallen.")}
        )
    before = _audit_fields(locked)
    today = timezone.localdate()
    reason = (reason or "").strip()
    if status == MeasureStatus.REJECTED:
        if not reason:
            raise ValidationError({"reason": _("Schrijf op waarom deze maatregel niet (meer) wordt genomen.")})
        locked.rejection_reason = reason[:2000]
    if status == MeasureStatus.IMPLEMENTED:
        implemented_on = implemented_on or today
        if implemented_on > today:
            raise ValidationError(
                {"implemented_on": _("Deze datum ligt in de toekomst. Vul de datum in waarop de maatregel werkte.")}
            )
        if today - implemented_on > dt.timedelta(days=366 * MAX_DUE_YEARS):
            raise ValidationError({"implemented_on": _("Kies een datum in de afgelopen vijf jaar.")})
        locked.implemented_on = implemented_on
    elif locked.status == MeasureStatus.IMPLEMENTED:
        # Back to work: it no longer counts in the residual risk until it is implemented again.
        locked.implemented_on = None
    if locked.status == MeasureStatus.REJECTED:
        # Taking a declined measure up again must not make a second live line for the same measure.
        live = PlannedMeasure.objects.filter(measure=locked.measure, process=locked.process).exclude(
            status=MeasureStatus.REJECTED
        )
        if live.exclude(pk=locked.pk).exists():
            raise ValidationError(
                {"status": _("Deze maatregel staat al in het actieplan. Open die regel om hem bij te werken.")}
            )
    locked.status = status
    return _save(locked, before, actor=actor, action="plan.measure.status")


@transaction.atomic
def measure_review_add(
    *,
    actor: User | None,
    member: Membership,
    planned: PlannedMeasure,
    version: int | None,
    reviewed_on: dt.date,
    effectiveness: str,
    note: str = "",
) -> MeasureReview:
    """Record that the measure was checked in practice; the newest review keeps it alive."""
    locked = _locked(planned, version)
    _require_update(member, locked)
    if locked.status != MeasureStatus.IMPLEMENTED:
        raise ValidationError(_("Alleen een geïmplementeerde maatregel kan worden herzien."), code="state")
    if effectiveness not in Effectiveness.values:
        raise ValidationError({"effectiveness": _("Kies of de maatregel effectief, deels of niet effectief is.")})
    today = timezone.localdate()
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": _("Deze datum ligt in de toekomst. Vul de datum van de herziening in.")})
    if locked.implemented_on and reviewed_on < locked.implemented_on:
        raise ValidationError({"reviewed_on": _("Deze datum ligt vóór de implementatie van de maatregel.")})
    review = MeasureReview(
        organisation=locked.organisation,
        planned_measure=locked,
        reviewed_on=reviewed_on,
        effectiveness=effectiveness,
        note=(note or "").strip(),
        reviewed_by=member,
    )
    review.full_clean(exclude=["organisation", "planned_measure", "reviewed_by"])
    review.save()
    before = _audit_fields(locked)
    before_review = {"effectiveness": locked.effectiveness, "last_reviewed_on": locked.last_reviewed_on}
    if locked.last_reviewed_on is None or reviewed_on >= locked.last_reviewed_on:
        locked.effectiveness = effectiveness
        locked.last_reviewed_on = reviewed_on
    after_review = {"effectiveness": locked.effectiveness, "last_reviewed_on": locked.last_reviewed_on}
    _save(
        locked,
        before,
        actor=actor,
        action="plan.measure.review",
        extra={**diff(before_review, after_review), "review": [None, reviewed_on.isoformat()]},
    )
    return review


@transaction.atomic
def evidence_add(
    *,
    actor: User | None,
    member: Membership,
    planned: PlannedMeasure,
    note: str = "",
    upload: UploadedFile | None = None,
) -> Evidence:
    locked = (
        PlannedMeasure.objects.select_for_update(of=("self",)).select_related("measure", "process").get(pk=planned.pk)
    )
    _require_update(member, locked)
    note = (note or "").strip()
    if not note and upload is None:
        raise ValidationError({"note": _("Schrijf een toelichting of voeg een bestand toe.")})
    checked = check_upload(upload) if upload is not None else None
    evidence = Evidence(
        organisation=locked.organisation,
        planned_measure=locked,
        note=note,
        added_by=member,
        filename=checked.filename if checked else "",
        content_type=checked.content_type if checked else "",
        size=len(checked.content) if checked else 0,
        sha256=checked.sha256 if checked else "",
    )
    evidence.full_clean(exclude=["organisation", "planned_measure", "added_by"])
    evidence.save()
    if checked is not None:
        EvidenceFile.objects.create(organisation=locked.organisation, evidence=evidence, content=checked.content)
    record(
        action="plan.evidence.add",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=_label(locked),
        changes={
            "evidence": [None, str(evidence.uuid)],
            "filename": [None, evidence.filename],
            "size": [None, evidence.size],
            "sha256": [None, evidence.sha256],
        },
    )
    return evidence


@transaction.atomic
def evidence_withdraw(*, actor: User | None, member: Membership, evidence: Evidence) -> Evidence:
    locked = (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("planned_measure__measure", "planned_measure__process")
        .get(pk=evidence.pk)
    )
    _require_update(member, locked.planned_measure)
    if locked.withdrawn_at is None:
        locked.withdrawn_at = timezone.now()
        locked.save()
        record(
            action="plan.evidence.withdraw",
            actor=actor,
            organisation=locked.organisation,
            obj=locked.planned_measure,
            object_label=_label(locked.planned_measure),
            changes={"evidence": [str(locked.uuid), None], "filename": [locked.filename, None]},
        )
    return locked


def record_evidence_download(*, actor: User | None, evidence: Evidence) -> None:
    """Reading a file is audited like an export: evidence may name people and weak spots."""
    record(
        action="plan.evidence.download",
        actor=actor,
        organisation=evidence.organisation,
        obj=evidence.planned_measure,
        object_label=evidence.filename,
        changes={"evidence": [None, str(evidence.uuid)]},
    )

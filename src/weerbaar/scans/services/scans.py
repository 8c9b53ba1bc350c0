"""Scan rounds: create, set scope and raters, open, move to review, close. Every change audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import check_version, lock_organisation
from weerbaar.register.models import Process
from weerbaar.scans.models import Rating, Scan, ScanProcess, ScanState
from weerbaar.scans.services.notices import schedule_invitations
from weerbaar.scans.services.repeat import check_previous_scan, new_rating, prefill_for, restart_ratings
from weerbaar.scans.services.results import RESULT_FIELDS, apply_result, scoring_context

SCAN_FIELDS = ("name", "period_start", "period_end", "deadline", "description", "allow_single_rater", "previous_scan")
MAX_PERIOD_DAYS = 3 * 366


def _check_scan(scan: Scan, *, new: bool) -> None:
    scan.name = " ".join((scan.name or "").split())
    scan.description = (scan.description or "").strip()
    scan.full_clean(
        exclude=["organisation", "created_by", "previous_scan"], validate_unique=False, validate_constraints=False
    )
    check_previous_scan(scan, scan.previous_scan)
    errors: dict[str, str] = {}
    if scan.period_end < scan.period_start:
        errors["period_end"] = _("Het einde van de periode ligt vóór het begin.")
    elif (scan.period_end - scan.period_start).days > MAX_PERIOD_DAYS:
        errors["period_end"] = _("Een scan beslaat hoogstens drie jaar.")
    if scan.deadline < timezone.localdate() and (new or scan.state in (ScanState.DRAFT, ScanState.OPEN)):
        errors["deadline"] = _("Deze datum is al voorbij. Kies een datum vanaf vandaag.")
    if Scan.objects.filter(name__iexact=scan.name).exclude(pk=scan.pk).exists():
        errors["name"] = _("Er is al een scan met deze naam.")
    if errors:
        raise ValidationError(errors)


def eligible_raters() -> list[Membership]:
    """Active members whose roles allow rating, by name (the rater choices)."""
    from django.db.models.functions import Lower

    from weerbaar.core.permissions import roles_with_action

    allowed = set(roles_with_action(Action.SCAN_RATE))
    members = Membership.objects.filter(is_active=True).select_related("user").order_by(Lower("user__full_name"), "pk")
    return [member for member in members if allowed.intersection(member.roles)]


def _check_raters(raters: Iterable[Membership], organisation_id: int) -> list[Membership]:
    unique = list({member.pk: member for member in raters}.values())
    for member in unique:
        if member.organisation_id != organisation_id or not member.is_active:
            raise ValidationError({"raters": _("Kies beoordelaars uit de actieve leden van deze organisatie.")})
        if not member.can(Action.SCAN_RATE):
            raise ValidationError(
                {"raters": _("%(name)s heeft geen rol waarmee beoordelen mag.") % {"name": str(member.user)}}
            )
    return unique


def _default_raters(owner: Membership | None, extra: Sequence[Membership]) -> list[Membership]:
    raters: list[Membership] = []
    if owner is not None and owner.is_active and owner.can(Action.SCAN_RATE):
        raters.append(owner)
    raters.extend(member for member in extra if member.pk not in {r.pk for r in raters})
    return raters


def _scan_processes_for(
    scan: Scan, processes: Iterable[Process], extra_raters: Sequence[Membership]
) -> tuple[int, int]:
    """Add the processes not in ``scan`` yet, each with its default raters: two inserts in all.

    Returns how many processes were added and how many ratings were prefilled from the previous scan.
    """
    existing = set(ScanProcess.objects.filter(scan=scan).values_list("process_id", flat=True))
    new = [process for process in {p.pk: p for p in processes}.values() if process.pk not in existing]
    for process in new:
        if process.organisation_id != scan.organisation_id or not process.is_active:
            raise ValidationError({"processes": _("Kies actieve processen uit het eigen register.")})
    owner_ids = {process.owner_id for process in new if process.owner_id is not None}
    owners = {member.pk: member for member in Membership.objects.filter(pk__in=owner_ids)}
    created = ScanProcess.objects.bulk_create(
        ScanProcess(organisation_id=scan.organisation_id, scan=scan, process=process) for process in new
    )
    prefill = prefill_for(scan, [process.pk for process in new])
    ratings = Rating.objects.bulk_create(
        new_rating(scan_process, member, prefill.get(process.pk))
        for scan_process, process in zip(created, new, strict=True)
        for member in _default_raters(owners.get(process.owner_id or 0), extra_raters)
    )
    return len(new), sum(1 for rating in ratings if rating.prefilled)


@transaction.atomic
def scan_create(
    *,
    actor: User | None,
    organisation: Organisation,
    created_by: Membership | None,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    deadline: dt.date,
    processes: Sequence[Process],
    extra_raters: Sequence[Membership] = (),
    description: str = "",
    allow_single_rater: bool = False,
    previous_scan: Scan | None = None,
) -> Scan:
    """A draft scan of ``processes``; each gets its owner plus ``extra_raters`` as raters.

    With ``previous_scan`` (a closed scan) the ratings start from its consensus, to be confirmed.
    """
    lock_organisation(organisation.pk)
    if not processes:
        raise ValidationError({"processes": _("Kies ten minste één proces.")})
    extra = _check_raters(extra_raters, organisation.pk)
    scan = Scan(
        organisation=organisation,
        created_by=created_by,
        name=name,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        description=description,
        allow_single_rater=allow_single_rater,
        previous_scan=previous_scan,
    )
    _check_scan(scan, new=True)
    scan.save()
    count, prefilled = _scan_processes_for(scan, processes, extra)
    changes = {**diff({}, snapshot(scan, SCAN_FIELDS)), "processes": [0, count]}
    if prefilled:
        changes["prefilled"] = [0, prefilled]
    record(action="scan.create", actor=actor, organisation=organisation, obj=scan, changes=changes)
    return scan


def _locked(scan: Scan, version: int | None, *, states: Iterable[str]) -> Scan:
    lock_organisation(scan.organisation_id)
    locked = Scan.objects.select_for_update().get(pk=scan.pk)
    check_version(locked.version, version)
    if locked.state not in states:
        raise ValidationError(
            _("Dit kan niet meer: de scan heeft nu de status '%(state)s'.") % {"state": locked.get_state_display()},
            code="state",
        )
    return locked


def _move(scan: Scan, *, actor: User | None, action: str, to: str, stamp: str, moment: Any) -> None:
    """Every state change of a scan: the new state, its time stamp, a new version, one audit event.

    The new version makes every open form and every cached overview of the scan stale.
    """
    before = scan.state
    scan.state = to
    setattr(scan, stamp, moment)
    scan.version += 1
    scan.save()
    record(action=action, actor=actor, organisation=scan.organisation, obj=scan, changes={"state": [before, to]})


@transaction.atomic
def scan_update(*, actor: User | None, scan: Scan, version: int | None, **fields: Any) -> Scan:
    unknown = set(fields) - set(SCAN_FIELDS)
    if unknown:
        raise ValueError(f"{sorted(unknown)} cannot be changed here")
    locked = _locked(scan, version, states=(ScanState.DRAFT, ScanState.OPEN))
    if locked.state == ScanState.OPEN and "previous_scan" in fields:
        chosen = fields["previous_scan"]
        if (chosen.pk if chosen is not None else None) != locked.previous_scan_id:
            raise ValidationError(
                {"previous_scan": _("Het startpunt ligt vast zodra de scan open is: de beoordelaars zijn al begonnen.")}
            )
    if locked.state == ScanState.OPEN and set(fields) - {"deadline", "description", "name"}:
        fields = {key: value for key, value in fields.items() if key in ("deadline", "description", "name")}
    before = snapshot(locked, SCAN_FIELDS)
    for field, value in fields.items():
        setattr(locked, field, value)
    _check_scan(locked, new=False)
    changes = diff(before, snapshot(locked, SCAN_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        if "previous_scan" in changes:
            changes["prefilled"] = [None, restart_ratings(locked)]
        record(action="scan.update", actor=actor, organisation=locked.organisation, obj=locked, changes=changes)
    return locked


@transaction.atomic
def scan_set_processes(
    *,
    actor: User | None,
    scan: Scan,
    version: int | None,
    processes: Sequence[Process],
    extra_raters: Sequence[Membership] = (),
) -> Scan:
    """Change a draft scan's scope: new processes get raters, dropped ones go with their (empty) ratings."""
    locked = _locked(scan, version, states=(ScanState.DRAFT,))
    if not processes:
        raise ValidationError({"processes": _("Kies ten minste één proces.")})
    extra = _check_raters(extra_raters, locked.organisation_id)
    wanted = {process.pk for process in processes}
    removed = 0
    for scan_process in ScanProcess.objects.filter(scan=locked).exclude(process_id__in=wanted).order_by("pk"):
        for rating in Rating.objects.filter(scan_process=scan_process):
            rating.delete()
        scan_process.delete()
        removed += 1
    added, _prefilled = _scan_processes_for(locked, processes, extra)
    if added or removed:
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record(
            action="scan.scope",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            changes={"added": [0, added], "removed": [0, removed]},
        )
    return locked


@transaction.atomic
def scan_assign_raters(
    *, actor: User | None, scan_process: ScanProcess, raters: Sequence[Membership], version: int | None
) -> ScanProcess:
    """Set who rates one process. A rater who already entered something can not be removed."""
    scan = _locked(scan_process.scan, None, states=(ScanState.DRAFT, ScanState.OPEN))
    locked = ScanProcess.objects.select_for_update().get(pk=scan_process.pk)
    check_version(locked.version, version)
    current = {
        rating.rater_id: rating for rating in Rating.objects.filter(scan_process=locked).select_related("rater__user")
    }
    # Only newly added raters are checked: a rater who has started and since left the organisation
    # stays on the process (their input is kept), which must not block changing the others.
    chosen = list({member.pk: member for member in raters}.values())
    _check_raters([member for member in chosen if member.pk not in current], scan.organisation_id)
    wanted = {member.pk: member for member in chosen}
    if not wanted:
        raise ValidationError({"raters": _("Kies ten minste één beoordelaar.")})
    for rater_id, rating in current.items():
        if rater_id in wanted:
            continue
        if rating.has_input:
            raise ValidationError(
                {
                    "raters": _("%(name)s heeft dit proces al (deels) beoordeeld en blijft beoordelaar.")
                    % {"name": str(rating.rater.user)}
                }
            )
        rating.delete()
    new = [member for pk, member in wanted.items() if pk not in current]
    values = prefill_for(scan, [locked.process_id]).get(locked.process_id) if new else None
    Rating.objects.bulk_create(new_rating(locked, member, values) for member in new)
    before = sorted(str(rating.rater.uuid) for rating in current.values())
    after = sorted(str(member.uuid) for member in wanted.values())
    if before != after:
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record(
            action="scan.raters",
            actor=actor,
            organisation=scan.organisation,
            obj=locked,
            changes={"raters": [before, after]},
        )
        if scan.state == ScanState.OPEN and new:
            schedule_invitations(scan, only=new)
    return locked


def _rater_counts(scan: Scan) -> dict[int, int]:
    from django.db.models import Count

    return dict(ScanProcess.objects.filter(scan=scan).annotate(raters=Count("ratings")).values_list("pk", "raters"))


@transaction.atomic
def scan_open(*, actor: User | None, scan: Scan, version: int | None) -> Scan:
    """Open for rating: checks the raters, then invites them (after commit)."""
    locked = _locked(scan, version, states=(ScanState.DRAFT,))
    counts = _rater_counts(locked)
    if not counts:
        raise ValidationError(_("Deze scan heeft nog geen processen."), code="empty")
    needed = locked.needed_raters
    short = sum(1 for count in counts.values() if count < needed)
    if short:
        raise ValidationError(
            ngettext(
                "%(count)d proces heeft nog geen %(needed)d beoordelaars. "
                "Wijs ze toe, of sta één beoordelaar per proces toe.",
                "%(count)d processen hebben nog geen %(needed)d beoordelaars. "
                "Wijs ze toe, of sta één beoordelaar per proces toe.",
                short,
            )
            % {"count": short, "needed": needed}
            if needed == 2
            else ngettext(
                "%(count)d proces heeft nog geen beoordelaar.",
                "%(count)d processen hebben nog geen beoordelaar.",
                short,
            )
            % {"count": short},
            code="raters",
        )
    if locked.deadline < timezone.localdate():
        raise ValidationError(_("De uiterste datum is al voorbij. Kies eerst een nieuwe datum."), code="deadline")
    _move(locked, actor=actor, action="scan.open", to=ScanState.OPEN, stamp="opened_at", moment=timezone.now())
    schedule_invitations(locked)
    return locked


@transaction.atomic
def scan_start_review(*, actor: User | None, scan: Scan, version: int | None) -> Scan:
    """Close rating and start the consensus. Unsubmitted ratings stay visible but do not count."""
    locked = _locked(scan, version, states=(ScanState.OPEN,))
    handed_in = (
        ScanProcess.objects.filter(scan=locked)
        .annotate(handed_in=Count("ratings", filter=Q(ratings__submitted_at__isnull=False)))
        .order_by("pk")
    )
    for scan_process in handed_in:
        # A derived marker (recomputed whenever the phase starts), not a change anyone made.
        single = scan_process.handed_in == 1
        if scan_process.single_rater != single:
            scan_process.single_rater = single
            scan_process.save(update_fields=["single_rater", "updated_at"])
    _move(
        locked, actor=actor, action="scan.review", to=ScanState.REVIEW, stamp="review_started_at", moment=timezone.now()
    )
    return locked


@transaction.atomic
def scan_reopen(*, actor: User | None, scan: Scan, version: int | None) -> Scan:
    """Back from review to rating (a late rater), as long as no consensus has been set."""
    locked = _locked(scan, version, states=(ScanState.REVIEW,))
    if ScanProcess.objects.filter(scan=locked, consensus_at__isnull=False).exists():
        raise ValidationError(
            _("Er is al consensus vastgesteld; de scan kan niet meer terug naar beoordelen."), code="settled"
        )
    _move(locked, actor=actor, action="scan.reopen", to=ScanState.OPEN, stamp="review_started_at", moment=None)
    return locked


@transaction.atomic
def scan_close(*, actor: User | None, scan: Scan, version: int | None) -> Scan:
    """Close: every process needs a consensus; the results are (re)computed with today's model."""
    locked = _locked(scan, version, states=(ScanState.REVIEW,))
    unsettled = ScanProcess.objects.filter(scan=locked, consensus_at__isnull=True).count()
    if unsettled:
        raise ValidationError(
            ngettext(
                "Bij %(count)d proces is nog geen consensus vastgesteld.",
                "Bij %(count)d processen is nog geen consensus vastgesteld.",
                unsettled,
            )
            % {"count": unsettled},
            code="unsettled",
        )
    context = scoring_context(locked.organisation)
    scan_processes = list(ScanProcess.objects.filter(scan=locked).select_related("process").order_by("pk"))
    outdated = [
        sp.process.code for sp in scan_processes if not set(context.characteristic_keys) <= set(sp.consensus_scores)
    ]
    if outdated:
        # The catalogue gained a characteristic after these were settled: they need a score for it.
        raise ValidationError(
            _("De catalogus heeft intussen een kenmerk meer. Stel de consensus opnieuw vast voor: %(codes)s.")
            % {"codes": ", ".join(outdated[:20])},
            code="outdated",
        )
    # Imported here: the plan builds on the scans app, not the other way round.
    from weerbaar.plan.selectors.residual import implemented_measures

    measures = implemented_measures([sp.process for sp in scan_processes], context.characteristic_keys).inputs
    for scan_process in scan_processes:
        before = snapshot(scan_process, RESULT_FIELDS)
        apply_result(scan_process, context, measures=measures.get(scan_process.process_id, ()))
        scan_process.version += 1
        scan_process.save()
        changes = diff(before, snapshot(scan_process, RESULT_FIELDS))
        if changes:
            record(
                action="scan.result", actor=actor, organisation=locked.organisation, obj=scan_process, changes=changes
            )
    _move(locked, actor=actor, action="scan.close", to=ScanState.CLOSED, stamp="closed_at", moment=timezone.now())
    return locked

"""The coordinator settles each process: consensus per characteristic, impact and circumstances.

During review a consensus can be set and changed freely; the result is computed at once, so the
heat map can be previewed. After closing, a change is an amendment with a reason, kept as a
:class:`ConsensusAmendment` next to the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.services.common import check_version, lock_organisation
from weerbaar.scans.agreement import agreement, ticked_by_majority
from weerbaar.scans.models import IMPACT_KEYS, Certainty, ConsensusAmendment, Rating, Scan, ScanProcess, ScanState
from weerbaar.scans.services.ratings import characteristic_keys
from weerbaar.scans.services.results import RESULT_FIELDS, ScoringContext, apply_result, scoring_context

CONSENSUS_FIELDS = ("consensus_scores", "consensus_impact", "consensus_circumstances", "consensus_note")


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and low <= int(text) <= high else None


def _validated(
    scores: Mapping[str, Any], impact: Mapping[str, Any], circumstances: Iterable[str], note: str, allowed: set[str]
) -> tuple[dict[str, int], dict[str, int], list[str], str]:
    keys = characteristic_keys()
    errors: dict[str, str] = {}
    clean_scores: dict[str, int] = {}
    for key in keys:
        level = _whole(scores.get(key), 0, 4)
        if level is None:
            errors[f"score-{key}"] = _("Kies een score van 0 tot en met 4.")
        else:
            clean_scores[key] = level
    clean_impact: dict[str, int] = {}
    for key in IMPACT_KEYS:
        level = _whole(impact.get(key), 1, 5)
        if level is None:
            errors[f"impact-{key}"] = _("Kies een impact van 1 tot en met 5.")
        else:
            clean_impact[key] = level
    ticked = sorted(set(circumstances))
    if set(ticked) - allowed:
        errors["circumstances"] = _("Kies interne omstandigheden uit de lijst.")
    note = (note or "").replace("\x00", "").strip()
    if len(note) > 4000:
        errors["note"] = _("De toelichting is hoogstens 4000 tekens.")
    if errors:
        raise ValidationError(errors)
    return clean_scores, clean_impact, ticked, note


def submitted_ratings(scan_process: ScanProcess) -> list[Rating]:
    return list(Rating.objects.filter(scan_process=scan_process, submitted_at__isnull=False).order_by("pk"))


def _set(
    *,
    actor: User | None,
    by: Membership | None,
    scan_process: ScanProcess,
    values: tuple[dict[str, int], dict[str, int], list[str], str],
    context: ScoringContext,
    action: str,
    reason: str = "",
) -> ScanProcess:
    before = snapshot(scan_process, (*CONSENSUS_FIELDS, *RESULT_FIELDS))
    (
        scan_process.consensus_scores,
        scan_process.consensus_impact,
        scan_process.consensus_circumstances,
        scan_process.consensus_note,
    ) = values
    scan_process.consensus_by = by
    scan_process.consensus_at = timezone.now()
    from weerbaar.plan.selectors.residual import implemented_measures  # the plan builds on scans

    measures = implemented_measures([scan_process.process], context.characteristic_keys).inputs
    apply_result(scan_process, context, measures=measures.get(scan_process.process_id, ()))
    after = snapshot(scan_process, (*CONSENSUS_FIELDS, *RESULT_FIELDS))
    scan_process.version += 1
    scan_process.save()
    record(
        action=action,
        actor=actor,
        organisation=scan_process.scan.organisation,
        obj=scan_process,
        changes=diff(before, after),
        reason=reason,
    )
    return scan_process


def _lock(scan_process: ScanProcess, version: int | None) -> ScanProcess:
    """Locks in the order every scan change uses: organisation, scan, then the scanned process."""
    lock_organisation(scan_process.organisation_id)
    Scan.objects.select_for_update().filter(pk=scan_process.scan_id).first()
    locked = (
        ScanProcess.objects.select_for_update(of=("self",))
        .select_related("scan__organisation", "process")
        .get(pk=scan_process.pk)
    )
    check_version(locked.version, version)
    return locked


def disagreements(ratings: list[Rating]) -> bool:
    keys = characteristic_keys()
    return any(agreement([r.scores for r in ratings], key).disagree for key in keys) or any(
        agreement([r.impact for r in ratings], key).disagree for key in IMPACT_KEYS
    )


@transaction.atomic
def consensus_set(
    *,
    actor: User | None,
    by: Membership | None,
    scan_process: ScanProcess,
    version: int | None,
    scores: Mapping[str, Any],
    impact: Mapping[str, Any],
    circumstances: Iterable[str],
    note: str,
    allowed_circumstances: set[str],
) -> ScanProcess:
    """Set (or change) the consensus during review. A note is required where raters differ by 2 or more."""
    locked = _lock(scan_process, version)
    if locked.scan.state != ScanState.REVIEW:
        raise ValidationError(
            _("Consensus vaststellen kan alleen in de consensusfase. Gebruik bij een afgesloten scan een correctie."),
            code="state",
        )
    values = _validated(scores, impact, circumstances, note, allowed_circumstances)
    ratings = submitted_ratings(locked)
    if not values[3] and disagreements(ratings):
        raise ValidationError(
            {"note": _("De beoordelaars verschillen 2 of meer punten: leg kort vast waarom deze consensus.")}
        )
    if not ratings and not values[3]:
        raise ValidationError(
            {"note": _("Niemand heeft dit proces ingeleverd: leg vast waarop deze consensus berust.")}
        )
    locked.single_rater = len(ratings) == 1
    return _set(
        actor=actor,
        by=by,
        scan_process=locked,
        values=values,
        context=scoring_context(locked.scan.organisation),
        action="consensus.set",
    )


def proposal(
    ratings: list[Rating], keys: list[str], *, needed: int = 1
) -> tuple[dict[str, int], dict[str, int], list[str]] | None:
    """The consensus the raters agree on, or ``None`` when they do not agree enough to accept in bulk:
    fewer than ``needed`` raters handed in, a difference of 2 or more anywhere, or an 'onzeker'."""
    if len(ratings) < max(needed, 1) or any(rating.certainty == Certainty.UNSURE for rating in ratings):
        return None
    scores: dict[str, int] = {}
    for key in keys:
        found = agreement([r.scores for r in ratings], key)
        if found.disagree or found.proposal is None:
            return None
        scores[key] = found.proposal
    impact: dict[str, int] = {}
    for key in IMPACT_KEYS:
        found = agreement([r.impact for r in ratings], key)
        if found.disagree or found.proposal is None:
            return None
        impact[key] = found.proposal
    return scores, impact, ticked_by_majority([r.circumstances for r in ratings])


@transaction.atomic
def consensus_accept_agreed(
    *,
    actor: User | None,
    by: Membership | None,
    scan: Scan,
    version: int | None,
    scan_process_ids: Iterable[int] | None = None,
) -> int:
    """Accept the raters' agreed values for every unsettled process where they agree; returns how many."""
    lock_organisation(scan.organisation_id)
    locked_scan = Scan.objects.select_for_update().get(pk=scan.pk)
    check_version(locked_scan.version, version)
    if locked_scan.state != ScanState.REVIEW:
        raise ValidationError(_("Consensus vaststellen kan alleen in de consensusfase."), code="state")
    keys = characteristic_keys()
    context = scoring_context(locked_scan.organisation)
    candidates = ScanProcess.objects.filter(scan=locked_scan, consensus_at__isnull=True).select_related(
        "scan__organisation"
    )
    if scan_process_ids is not None:
        candidates = candidates.filter(pk__in=list(scan_process_ids))
    ratings: dict[int, list[Rating]] = {}
    for rating in Rating.objects.filter(scan_process__scan=locked_scan, submitted_at__isnull=False).order_by("pk"):
        ratings.setdefault(rating.scan_process_id, []).append(rating)
    accepted = 0
    for scan_process in candidates.select_for_update(of=("self",)).order_by("pk"):
        found = proposal(ratings.get(scan_process.pk, []), keys, needed=locked_scan.needed_raters)
        if found is None:
            continue
        scan_process.single_rater = len(ratings.get(scan_process.pk, [])) == 1
        _set(
            actor=actor,
            by=by,
            scan_process=scan_process,
            values=(*found, ""),
            context=context,
            action="consensus.accept",
        )
        accepted += 1
    if accepted:
        locked_scan.version += 1
        locked_scan.save(update_fields=["version", "updated_at"])
    return accepted


@transaction.atomic
def consensus_amend(
    *,
    actor: User | None,
    by: Membership | None,
    scan_process: ScanProcess,
    version: int | None,
    reason: str,
    scores: Mapping[str, Any],
    impact: Mapping[str, Any],
    circumstances: Iterable[str],
    note: str,
    allowed_circumstances: set[str],
) -> ConsensusAmendment:
    """Correct a closed scan: the old and new consensus and the reason are kept; the result is recomputed."""
    locked = _lock(scan_process, version)
    if locked.scan.state != ScanState.CLOSED:
        raise ValidationError(_("Een correctie is alleen nodig bij een afgesloten scan."), code="state")
    reason = " ".join((reason or "").replace("\x00", "").split())
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de correctie.")})
    if len(reason) > 4000:
        raise ValidationError({"reason": _("De reden is hoogstens 4000 tekens.")})
    values = _validated(scores, impact, circumstances, note, allowed_circumstances)
    before = {field: getattr(locked, field) for field in (*CONSENSUS_FIELDS, *RESULT_FIELDS)}
    if (values[0], values[1], values[2], values[3]) == (
        locked.consensus_scores,
        locked.consensus_impact,
        locked.consensus_circumstances,
        locked.consensus_note,
    ):
        raise ValidationError(_("Er is niets gewijzigd."), code="unchanged")
    _set(
        actor=actor,
        by=by,
        scan_process=locked,
        values=values,
        context=scoring_context(locked.scan.organisation),
        action="consensus.amend",
        reason=reason,
    )
    after = {field: getattr(locked, field) for field in (*CONSENSUS_FIELDS, *RESULT_FIELDS)}
    amendment = ConsensusAmendment.objects.create(
        organisation_id=locked.organisation_id,
        scan_process=locked,
        amended_by=by,
        reason=reason,
        before=before,
        after=after,
    )
    record(
        action="consensus.amendment",
        actor=actor,
        organisation=locked.scan.organisation,
        obj=amendment,
        object_label=str(locked),
        changes={"reason": [None, reason]},
    )
    return amendment

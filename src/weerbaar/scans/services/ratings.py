"""A rater's own rating: saved field by field (autosave) or all at once, then handed in.

A draft may be incomplete; handing in needs every characteristic and impact dimension, and a
rationale for each characteristic rated 3 or 4. Any refused change saves nothing at all.

In a repeat scan a rating starts from the previous consensus (``Rating.prefilled``, see
``services.repeat``); handing in then also needs every copied item confirmed or changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import HIDDEN, diff, record, snapshot
from weerbaar.catalogue.models import Characteristic
from weerbaar.core.models import Membership, User
from weerbaar.core.services.common import check_version
from weerbaar.scans.models import IMPACT_KEYS, RATIONALE_FROM_LEVEL, Certainty, Rating, ScanState, prefilled_items

RATING_FIELDS = ("scores", "rationales", "impact", "circumstances", "certainty", "note", "confirmed", "submitted_at")
#: What a rater answered stays out of the audit trail: the coordinator and the beheerder read the
#: trail, and a rater's scores are nobody's business until the consensus phase. The trail records
#: that a field changed, not to what; the rating itself keeps the values.
_CONFIDENTIAL_FIELDS = frozenset(RATING_FIELDS) - {"submitted_at"}


def _audit_changes(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {field: ([HIDDEN, HIDDEN] if field in _CONFIDENTIAL_FIELDS else values) for field, values in changes.items()}


MAX_RATIONALE = 2000


@dataclass
class RatingChange:
    """What a save changes; keys absent from a mapping stay as they are. ``None`` clears a score."""

    scores: Mapping[str, int | None] = field(default_factory=dict)
    rationales: Mapping[str, str] = field(default_factory=dict)
    impact: Mapping[str, int | None] = field(default_factory=dict)
    circumstances: list[str] | None = None
    certainty: str | None = None
    note: str | None = None
    #: Prefilled items (characteristic keys, "impact", "circumstances") the rater ticked as confirmed,
    #: from the whole form (no JavaScript): there every value is posted, also the untouched copies, so
    #: only a tick or a changed value confirms. ``None`` (autosave, API): each value in this change
    #: was chosen on its own, the same or another, and so confirms the item it belongs to.
    confirm: AbstractSet[str] | None = None


def characteristic_keys() -> list[str]:
    return list(Characteristic.objects.filter(is_active=True).order_by("position").values_list("key", flat=True))


def _level(value: Any, low: int, high: int, message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(message)
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValidationError(message)
    return int(text)


def missing_for_submit(rating: Rating, keys: list[str]) -> dict[str, str]:
    """What still stands between a draft and handing it in, per field, in Dutch."""
    problems: dict[str, str] = {}
    for key in keys:
        level = rating.scores.get(key)
        if level is None:
            problems[f"score-{key}"] = _("Kies een score van 0 tot en met 4.")
        elif level >= RATIONALE_FROM_LEVEL and not rating.rationales.get(key, "").strip():
            problems[f"rationale-{key}"] = _("Licht een score van 3 of 4 kort toe.")
    for key in IMPACT_KEYS:
        if rating.impact.get(key) is None:
            problems[f"impact-{key}"] = _("Kies een impact van 1 tot en met 5.")
    pending = set(rating.to_confirm)
    for key in keys:
        if key in pending:
            problems[f"confirm-{key}"] = _("Bevestig de score uit de vorige scan, of kies een andere.")
    if "impact" in pending:
        problems["confirm-impact"] = _("Bevestig de impact uit de vorige scan, of wijzig die.")
    if "circumstances" in pending:
        problems["confirm-circumstances"] = _("Bevestig de interne omstandigheden uit de vorige scan, of wijzig ze.")
    return problems


def _confirm(rating: Rating, change: RatingChange, before: dict[str, Any]) -> None:
    """Mark the prefilled items this change confirms or changes (see ``RatingChange.confirm``)."""
    items = set(prefilled_items(rating.prefilled))
    if not items:
        return
    if change.confirm is None:
        chosen = {key for key, value in change.scores.items() if value not in (None, "")}
        if any(value not in (None, "") for value in change.impact.values()):
            chosen.add("impact")
        if change.circumstances is not None:
            chosen.add("circumstances")
    else:
        chosen = set(change.confirm)
        scores = before["scores"]
        chosen.update(key for key in set(scores) | set(rating.scores) if scores.get(key) != rating.scores.get(key))
        if before["impact"] != rating.impact:
            chosen.add("impact")
        if sorted(before["circumstances"]) != sorted(rating.circumstances):
            chosen.add("circumstances")
    added = (chosen & items) - set(rating.confirmed)
    if added:
        rating.confirmed = sorted(set(rating.confirmed) | added)


def _unconfirmed_summary(missing: dict[str, str]) -> dict[str, str]:
    """One line above the form naming every copied item still to confirm ("… bij: K3, K5, impact")."""
    items = [key.removeprefix("confirm-") for key in missing if key.startswith("confirm-")]
    if not items:
        return missing
    codes = dict(Characteristic.objects.filter(key__in=items).values_list("key", "code"))
    names = {"impact": _("impact"), "circumstances": _("interne omstandigheden")}
    listed = ", ".join(str(names.get(item) or codes.get(item, item)) for item in items)
    return {
        NON_FIELD_ERRORS: _("Bevestig of wijzig de waarden uit de vorige scan bij: %(items)s.") % {"items": listed},
        **missing,
    }


def _apply(rating: Rating, change: RatingChange, keys: list[str], allowed_circumstances: set[str]) -> None:
    errors: dict[str, str] = {}
    scores = dict(rating.scores)
    for key, value in change.scores.items():
        if key not in keys:
            errors[f"score-{key}"] = _("Onbekend kenmerk.")
            continue
        try:
            level = _level(value, 0, 4, _("Een score is een heel getal van 0 tot en met 4."))
        except ValidationError as error:
            errors[f"score-{key}"] = error.messages[0]
            continue
        if level is None:
            scores.pop(key, None)
        else:
            scores[key] = level
    rationales = dict(rating.rationales)
    for key, text in change.rationales.items():
        if key not in keys:
            errors[f"rationale-{key}"] = _("Onbekend kenmerk.")
            continue
        cleaned = str(text).replace("\x00", "").strip()
        if len(cleaned) > MAX_RATIONALE:
            errors[f"rationale-{key}"] = _("Een toelichting is hoogstens %(max)d tekens.") % {"max": MAX_RATIONALE}
        elif cleaned:
            rationales[key] = cleaned
        else:
            rationales.pop(key, None)
    impact = dict(rating.impact)
    for key, value in change.impact.items():
        if key not in IMPACT_KEYS:
            errors[f"impact-{key}"] = _("Onbekende impactdimensie.")
            continue
        try:
            level = _level(value, 1, 5, _("Impact is een heel getal van 1 tot en met 5."))
        except ValidationError as error:
            errors[f"impact-{key}"] = error.messages[0]
            continue
        if level is None:
            impact.pop(key, None)
        else:
            impact[key] = level
    if change.circumstances is not None:
        unknown = set(change.circumstances) - allowed_circumstances
        if unknown:
            errors["circumstances"] = _("Kies interne omstandigheden uit de lijst.")
        else:
            rating.circumstances = sorted(set(change.circumstances))
    if change.certainty is not None:
        if change.certainty not in ("", *Certainty.values):
            errors["certainty"] = _("Kies zeker, redelijk zeker of onzeker.")
        else:
            rating.certainty = change.certainty
    if change.note is not None:
        note = change.note.replace("\x00", "").strip()
        if len(note) > 4000:
            errors["note"] = _("De toelichting is hoogstens 4000 tekens.")
        else:
            rating.note = note
    if errors:
        raise ValidationError(errors)
    rating.scores, rating.rationales, rating.impact = scores, rationales, impact


def check_can_rate(rating: Rating, rater: Membership) -> None:
    if rating.rater_id != rater.pk:
        raise ValidationError(_("U bent voor dit proces geen beoordelaar."), code="not_assigned")
    state = rating.scan_process.scan.state
    if state != ScanState.OPEN:
        raise ValidationError(
            _("Deze scan is niet (meer) open voor beoordelen; uw beoordeling kan niet worden gewijzigd."),
            code="closed",
        )


def _lock(rating: Rating) -> Rating:
    """The rating, locked, with what the audit event names (scan, organisation, process, rater).

    Only the rating and its scan are locked: the scan so that its state cannot change between
    the check and the save (the state transitions lock it too). Without ``of`` PostgreSQL would
    also lock the joined organisation, process, member and user rows.
    """
    locked: Rating | None = (
        Rating.objects.select_for_update(of=("self", "scan_process__scan"))
        .select_related("scan_process__scan__organisation", "scan_process__process", "rater__user")
        .filter(pk=rating.pk)
        .first()
    )
    if locked is None:
        # The coordinator took this rater off the process after the page was opened.
        raise ValidationError(_("U bent voor dit proces geen beoordelaar meer."), code="not_assigned")
    return locked


@transaction.atomic
def rating_save(
    *,
    actor: User | None,
    rater: Membership,
    rating: Rating,
    version: int | None,
    change: RatingChange,
    submit: bool = False,
    allowed_circumstances: set[str],
) -> Rating:
    """Save ``change``; with ``submit`` also hand the rating in (all or nothing).

    A handed-in rating that loses a required value goes back to draft rather than refusing the
    edit: the rater sees it is no longer complete.
    """
    locked = _lock(rating)
    check_can_rate(locked, rater)
    check_version(locked.version, version)
    keys = characteristic_keys()
    before = snapshot(locked, RATING_FIELDS)
    _apply(locked, change, keys, allowed_circumstances)
    _confirm(locked, change, before)
    missing = missing_for_submit(locked, keys)
    if submit:
        if missing:
            raise ValidationError(_unconfirmed_summary(missing))
        locked.submitted_at = locked.submitted_at or timezone.now()
    elif missing and locked.submitted_at is not None:
        locked.submitted_at = None
    changes = diff(before, snapshot(locked, RATING_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(
            action="rating.submit" if submit and before["submitted_at"] is None else "rating.update",
            actor=actor,
            organisation=locked.scan_process.scan.organisation,
            obj=locked,
            changes=_audit_changes(changes),
        )
    return locked


@transaction.atomic
def rating_withdraw(*, actor: User | None, rater: Membership, rating: Rating, version: int | None) -> Rating:
    """Back to draft while the scan is open, to change it before review."""
    locked = _lock(rating)
    check_can_rate(locked, rater)
    check_version(locked.version, version)
    if locked.submitted_at is None:
        raise ValidationError(_("Deze beoordeling is nog niet ingeleverd."), code="unchanged")
    before = snapshot(locked, RATING_FIELDS)
    locked.submitted_at = None
    locked.version += 1
    locked.save()
    record(
        action="rating.withdraw",
        actor=actor,
        organisation=locked.scan_process.scan.organisation,
        obj=locked,
        changes=_audit_changes(diff(before, snapshot(locked, RATING_FIELDS))),
    )
    return locked

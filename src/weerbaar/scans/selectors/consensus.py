"""Reads for one process's consensus page (the overview of a whole scan: ``selectors.review``).

The coordinator sees every handed-in rating here (with the rater's name): resolving differences is
their job. Spreads and proposals are computed in Python from one ratings query: for one process
with the functions of ``weerbaar.scans.agreement`` that the bulk acceptance uses; for the overview
of a whole scan with the same rule in a tight loop over plain values (its tests compare the two).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext as _

from weerbaar.catalogue.models import Characteristic, Circumstance
from weerbaar.core.models import Organisation
from weerbaar.register import selectors as register_selectors
from weerbaar.scans.agreement import Agreement, agreement, ticked_by_majority
from weerbaar.scans.models import (
    IMPACT_DIMENSIONS,
    Certainty,
    ConsensusAmendment,
    Rating,
    Scan,
    ScanProcess,
)
from weerbaar.scans.selectors.review import active_characteristics

# --- one process --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterValue:
    rating: Rating
    value: int | None
    rationale: str = ""


@dataclass(frozen=True)
class ItemReview:
    """A characteristic or an impact dimension: what every rater said, and the consensus."""

    key: str
    code: str
    name: str
    values: list[RaterValue]
    agreement: Agreement
    #: the stored consensus, when there is one
    settled: int | None
    #: level texts of a characteristic ("0".."4"), empty for impact
    scale: list[tuple[str, str]] = field(default_factory=list)

    @property
    def proposal(self) -> int | None:
        return self.agreement.proposal

    @property
    def flagged(self) -> bool:
        return self.agreement.disagree

    @property
    def initial(self) -> int | None:
        return self.settled if self.settled is not None else self.proposal

    @property
    def field_name(self) -> str:
        return f"{'score' if self.code else 'impact'}-{self.key}"


@dataclass(frozen=True)
class CircumstanceReview:
    circumstance: Circumstance
    ticked_by: int
    proposed: bool
    settled: bool

    @property
    def uuid(self) -> str:
        return str(self.circumstance.uuid)


@dataclass(frozen=True)
class AmendmentChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AmendmentView:
    amendment: ConsensusAmendment
    changes: list[AmendmentChange]


@dataclass(frozen=True)
class ConsensusReview:
    scan_process: ScanProcess
    #: every assigned rating, handed in or not, in a fixed order
    ratings: list[Rating]
    characteristics: list[ItemReview]
    impact: list[ItemReview]
    circumstances: list[CircumstanceReview]
    amendments: list[AmendmentView]

    @property
    def scan(self) -> Scan:
        return self.scan_process.scan

    @property
    def submitted(self) -> list[Rating]:
        return [rating for rating in self.ratings if rating.is_submitted]

    @property
    def not_submitted(self) -> list[Rating]:
        return [rating for rating in self.ratings if not rating.is_submitted]

    @property
    def single_rater(self) -> bool:
        return len(self.submitted) == 1

    @property
    def ticked_circumstances(self) -> list[CircumstanceReview]:
        """The read-only list: what is in the consensus or was ticked by at least one rater."""
        return [each for each in self.circumstances if each.settled or each.ticked_by]

    @property
    def unsure(self) -> int:
        return sum(1 for rating in self.submitted if rating.certainty == Certainty.UNSURE)

    @property
    def flags(self) -> int:
        return sum(item.flagged for item in (*self.characteristics, *self.impact))

    @property
    def note_required(self) -> bool:
        return self.flags > 0 or not self.submitted

    def initial(self) -> dict[str, Any]:
        """The form's starting point: the stored consensus, or else the raters' proposal."""
        values: dict[str, Any] = {
            item.field_name: str(item.initial)
            for item in (*self.characteristics, *self.impact)
            if item.initial is not None
        }
        settled = self.scan_process.is_settled
        values["circumstances"] = [
            each.uuid for each in self.circumstances if (each.settled if settled else each.proposed)
        ]
        values["note"] = self.scan_process.consensus_note
        values["version"] = self.scan_process.version
        return values


def _items(
    submitted: list[Rating], characteristics: list[Characteristic], scan_process: ScanProcess
) -> tuple[list[ItemReview], list[ItemReview]]:
    scores = [rating.scores for rating in submitted]
    impacts = [rating.impact for rating in submitted]
    characteristic_items = [
        ItemReview(
            key=each.key,
            code=each.code,
            name=each.name,
            values=[RaterValue(r, r.scores.get(each.key), r.rationales.get(each.key, "")) for r in submitted],
            agreement=agreement(scores, each.key),
            settled=scan_process.consensus_scores.get(each.key),
            scale=each.scale_items(),
        )
        for each in characteristics
    ]
    impact_items = [
        ItemReview(
            key=key,
            code="",
            name=str(label),
            values=[RaterValue(r, r.impact.get(key)) for r in submitted],
            agreement=agreement(impacts, key),
            settled=scan_process.consensus_impact.get(key),
        )
        for key, label in IMPACT_DIMENSIONS
    ]
    return characteristic_items, impact_items


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return str(round(value))
    return str(value)


def _amendment_changes(
    amendment: ConsensusAmendment, characteristics: list[Characteristic], circumstance_names: Mapping[str, str]
) -> list[AmendmentChange]:
    before, after = amendment.before, amendment.after
    changes = []
    for each in characteristics:
        old, new = before.get("consensus_scores", {}).get(each.key), after.get("consensus_scores", {}).get(each.key)
        if old != new:
            changes.append(AmendmentChange(f"{each.code} {each.name}", _plain(old), _plain(new)))
    for key, label in IMPACT_DIMENSIONS:
        old, new = before.get("consensus_impact", {}).get(key), after.get("consensus_impact", {}).get(key)
        if old != new:
            changes.append(AmendmentChange(_("Impact: %(name)s") % {"name": label}, _plain(old), _plain(new)))
    old_ticks = set(before.get("consensus_circumstances", []))
    new_ticks = set(after.get("consensus_circumstances", []))
    unknown = _("(niet meer in de lijst)")
    changes.extend(
        AmendmentChange(circumstance_names.get(key, unknown), _("niet aangevinkt"), _("aangevinkt"))
        for key in sorted(new_ticks - old_ticks)
    )
    changes.extend(
        AmendmentChange(circumstance_names.get(key, unknown), _("aangevinkt"), _("niet aangevinkt"))
        for key in sorted(old_ticks - new_ticks)
    )
    if before.get("consensus_note", "") != after.get("consensus_note", ""):
        changes.append(
            AmendmentChange(_("Toelichting"), _plain(before.get("consensus_note")), _plain(after.get("consensus_note")))
        )
    for key, label in (
        ("vulnerability", _("Kwetsbaarheid")),
        ("likelihood", _("Kans")),
        ("impact", _("Impact (totaal)")),
    ):
        if _plain(before.get(key)) != _plain(after.get(key)):
            changes.append(AmendmentChange(str(label), _plain(before.get(key)), _plain(after.get(key))))
    return changes


def consensus_review(scan_process_uuid: Any, *, organisation: Organisation) -> ConsensusReview | None:
    """Everything the consensus page shows. Five queries for a closed scan, four before (plus the
    catalogue's replaced-entry subquery), whatever the number of raters or amendments."""
    # The public id is unique: no ordering (and no ``first()``, which would add one through the joins).
    found = list(
        ScanProcess.objects.select_related("scan", "process__unit", "consensus_by__user")
        .filter(uuid=scan_process_uuid)
        .order_by()
    )
    if not found:
        return None
    scan_process = found[0]
    # The page names every rater; ordered by pk so each rater keeps the same place in every table.
    ratings = list(Rating.objects.filter(scan_process=scan_process).select_related("rater__user").order_by("pk"))
    submitted = [rating for rating in ratings if rating.is_submitted]
    characteristics = active_characteristics()
    characteristic_items, impact_items = _items(submitted, characteristics, scan_process)
    options = register_selectors.internal_circumstances(organisation=organisation)
    ticks = [rating.circumstances for rating in submitted]
    proposed = set(ticked_by_majority(ticks))
    settled = set(scan_process.consensus_circumstances)
    circumstances = [
        CircumstanceReview(
            circumstance=each,
            ticked_by=sum(1 for ticked in ticks if str(each.uuid) in ticked),
            proposed=str(each.uuid) in proposed,
            settled=str(each.uuid) in settled,
        )
        for each in options
    ]
    names = {str(each.uuid): each.name for each in options}
    # Corrections exist only after closing, and a closed scan never reopens: no query before that.
    amendments = (
        [
            AmendmentView(amendment, _amendment_changes(amendment, characteristics, names))
            for amendment in ConsensusAmendment.objects.filter(scan_process=scan_process)
            .select_related("amended_by__user")
            .order_by("-created_at", "-pk")
        ]
        if scan_process.scan.is_closed
        else []
    )
    return ConsensusReview(
        scan_process=scan_process,
        ratings=ratings,
        characteristics=characteristic_items,
        impact=impact_items,
        circumstances=circumstances,
        amendments=amendments,
    )


def next_unsettled(scan_process: ScanProcess) -> ScanProcess | None:
    """The next process of the same scan (in the overview's order) still without consensus; wraps around.

    One query returning one row, however many processes the scan has."""
    code = scan_process.process.code
    later = Q(process__code__gt=code) | Q(process__code=code, pk__gt=scan_process.pk)
    found: ScanProcess | None = (
        ScanProcess.objects.filter(scan_id=scan_process.scan_id, consensus_at__isnull=True)
        .exclude(pk=scan_process.pk)
        # Those after this one first, then from the top of the list.
        .annotate(wrapped=Case(When(later, then=Value(0)), default=Value(1)))
        .order_by("wrapped", "process__code", "pk")
        .first()
    )
    return found

"""Reads for the consensus pages: the review overview of a scan and one process's consensus.

The coordinator sees every handed-in rating here (with the rater's name): resolving differences is
their job. Spreads and proposals are computed in Python from one ratings query: for one process
with the functions of ``weerbaar.scans.agreement`` that the bulk acceptance uses; for the overview
of a whole scan with the same rule in a tight loop over plain values (its tests compare the two).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q
from django.utils.translation import gettext as _

from weerbaar.catalogue.models import Characteristic, Circumstance
from weerbaar.core.models import Organisation
from weerbaar.register import selectors as register_selectors
from weerbaar.scans.agreement import Agreement, agreement, ticked_by_majority
from weerbaar.scans.models import (
    DISAGREEMENT_SPREAD,
    IMPACT_DIMENSIONS,
    IMPACT_KEYS,
    Certainty,
    ConsensusAmendment,
    Rating,
    Scan,
    ScanProcess,
)


def scan_for_review(scan_uuid: Any) -> Scan | None:
    return Scan.objects.filter(uuid=scan_uuid).first()


def _active_characteristics() -> list[Characteristic]:
    return list(Characteristic.objects.filter(is_active=True).order_by("position", "key"))


# --- the overview -------------------------------------------------------------------------------

SETTLED = "vastgesteld"
AGREED = "eens"
OPEN = "open"
#: The overview's filters (the ``toon`` query parameter); ``aandacht`` is every row the
#: coordinator still has to settle by hand.
FILTERS = ("alle", "aandacht", AGREED, SETTLED)
#: Rows per page of the overview.
PAGE_SIZE = 50


class ReviewStatus(NamedTuple):
    """Where one process of the scan stands: enough for the filters and counts, without loading it.

    A named tuple: the overview makes one per process on every request, so it must be cheap."""

    scan_process_id: int
    assigned: int
    handed_in: int
    #: characteristics and impact dimensions where the raters differ by 2 or more
    flags: int
    #: raters who marked their rating "onzeker"
    unsure: int
    #: the raters agree enough for the bulk acceptance (``services.consensus.proposal``)
    agreed: bool
    #: SETTLED, AGREED or OPEN
    status: str

    @property
    def settled(self) -> bool:
        return self.status == SETTLED

    def shown_by(self, choice: str) -> bool:
        if choice == "aandacht":
            return self.status == OPEN
        return choice not in (AGREED, SETTLED) or self.status == choice


@dataclass(frozen=True)
class ReviewRow:
    """A row on the current page: the process (with its unit) and where it stands."""

    scan_process: ScanProcess
    state: ReviewStatus

    @property
    def assigned(self) -> int:
        return self.state.assigned

    @property
    def handed_in(self) -> int:
        return self.state.handed_in

    @property
    def flags(self) -> int:
        return self.state.flags

    @property
    def unsure(self) -> int:
        return self.state.unsure

    @property
    def single_rater(self) -> bool:
        return self.state.handed_in == 1

    @property
    def status(self) -> str:
        return self.state.status


@dataclass(frozen=True)
class ReviewOverview:
    #: every process of the scan, in process code order
    statuses: list[ReviewStatus]

    def counts(self) -> dict[str, int]:
        by_status = {SETTLED: 0, AGREED: 0, OPEN: 0}
        for each in self.statuses:
            by_status[each.status] += 1
        return {
            "alle": len(self.statuses),
            "aandacht": by_status[OPEN],
            AGREED: by_status[AGREED],
            SETTLED: by_status[SETTLED],
        }

    def filtered(self, choice: str) -> list[ReviewStatus]:
        return [each for each in self.statuses if each.shown_by(choice)]

    @property
    def agreed(self) -> int:
        return sum(1 for each in self.statuses if each.status == AGREED)

    @property
    def unsettled(self) -> int:
        return sum(1 for each in self.statuses if each.status != SETTLED)


#: Per process: (assigned, handed in, flags, unsure, agreed).
Agreements = dict[int, tuple[int, int, int, int, bool]]
#: How long a computed agreement may be reused. Its cache key changes with every saved rating, so
#: this only bounds how long an unused entry takes up room.
AGREEMENT_CACHE_SECONDS = 60 * 60


def _agreements(scan: Scan, keys: Sequence[str]) -> Agreements:
    """Every process's agreement, from one query of plain values (no model instances, only the
    fields the rule needs) and a tight loop with the rule of ``agreement`` / ``proposal``."""
    scores: dict[int, list[dict[str, Any]]] = {}
    impacts: dict[int, list[dict[str, Any]]] = {}
    unsure: dict[int, int] = {}
    assigned: dict[int, int] = {}
    unsure_value = str(Certainty.UNSURE)
    ratings = (
        Rating.objects.filter(scan_process__scan=scan)
        .order_by()
        .annotate(handed_in=ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField()))
        .values_list("scan_process_id", "handed_in", "certainty", "scores", "impact")
    )
    for scan_process_id, handed_in, certainty, rated, impact in ratings:
        assigned[scan_process_id] = assigned.get(scan_process_id, 0) + 1
        if handed_in:
            scores.setdefault(scan_process_id, []).append(rated)
            impacts.setdefault(scan_process_id, []).append(impact)
            unsure[scan_process_id] = unsure.get(scan_process_id, 0) + (certainty == unsure_value)
    found: Agreements = {}
    for scan_process_id, count in assigned.items():
        handed = scores.get(scan_process_id, [])
        flags = 0
        complete = True
        for rated_by_each, names in ((handed, keys), (impacts.get(scan_process_id, []), IMPACT_KEYS)):
            for key in names:
                values = [value for each in rated_by_each if (value := each.get(key)) is not None]
                if not values:
                    complete = False
                elif max(values) - min(values) >= DISAGREEMENT_SPREAD:
                    flags += 1
        doubts = unsure.get(scan_process_id, 0)
        # The bulk acceptance's rule (``services.consensus.proposal``): enough raters handed in,
        # all complete, no difference of 2 or more, nobody unsure.
        agreed = len(handed) >= scan.needed_raters and complete and not flags and not doubts
        found[scan_process_id] = (count, len(handed), flags, doubts, agreed)
    return found


def _cached_agreements(scan: Scan, keys: Sequence[str]) -> Agreements:
    """``_agreements``, reused until a rating of the scan changes.

    Reading and judging every rating is the expensive part of the overview (thousands of JSON
    values), while ratings are frozen from the start of review on. The key holds the number of
    ratings and the last time one was saved (one cheap aggregate query), so a saved, added or
    removed rating (a reopened scan) is a new key; the settled state is never cached.
    """
    mark = (
        Rating.objects.filter(scan_process__scan=scan).order_by().aggregate(count=Count("pk"), last=Max("updated_at"))
    )
    last = mark["last"].isoformat() if mark["last"] is not None else ""
    fingerprint = "|".join((str(scan.uuid), str(scan.needed_raters), str(mark["count"]), last, *keys))
    cache_key = "scans:review-agreement:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    found: Agreements | None = cache.get(cache_key)
    if found is None:
        found = _agreements(scan, keys)
        cache.set(cache_key, found, AGREEMENT_CACHE_SECONDS)
    return found


def review_overview(scan: Scan) -> ReviewOverview:
    """Where every process of ``scan`` stands, in process code order, for the filters and counts.

    Four queries (five when the agreement is not cached), however many processes or raters;
    ``review_page`` then loads the processes of one page.
    """
    keys = list(Characteristic.objects.filter(is_active=True).order_by("position").values_list("key", flat=True))
    order = (
        ScanProcess.objects.filter(scan=scan)
        .annotate(settled=ExpressionWrapper(Q(consensus_at__isnull=False), output_field=BooleanField()))
        .order_by("process__code", "pk")
        .values_list("pk", "settled")
    )
    agreements = _cached_agreements(scan, keys)
    nothing = (0, 0, 0, 0, False)
    statuses = []
    for pk, settled in order:
        found = agreements.get(pk, nothing)
        status = SETTLED if settled else AGREED if found[4] else OPEN
        statuses.append(ReviewStatus(pk, *found, status))
    return ReviewOverview(statuses)


def review_page(overview: ReviewOverview, *, choice: str, number: Any) -> Page[ReviewRow]:
    """Page ``number`` of the rows ``choice`` shows, with their processes loaded (one query)."""
    page = Paginator(overview.filtered(choice), PAGE_SIZE).get_page(number)
    states = {each.scan_process_id: each for each in page.object_list}
    loaded = (
        ScanProcess.objects.filter(pk__in=list(states))
        .select_related("process__unit")
        .only("uuid", "consensus_at", "process__code", "process__name", "process__unit__name")
        .in_bulk()
    )
    rows = [ReviewRow(scan_process=loaded[pk], state=state) for pk, state in states.items() if pk in loaded]
    # The paginator counts the statuses; the page holds the rows made from them.
    return Page(rows, page.number, cast(Any, page.paginator))


def scan_process_ids(scan: Scan) -> dict[str, int]:
    """Public id → primary key of the processes in ``scan`` (the bulk acceptance's checkboxes)."""
    return {str(uuid): pk for uuid, pk in ScanProcess.objects.filter(scan=scan).values_list("uuid", "pk")}


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
    """Everything the consensus page shows. Five queries (plus the catalogue's replaced-entry
    subquery), whatever the number of raters or amendments."""
    scan_process = (
        ScanProcess.objects.select_related("scan", "process__unit", "consensus_by__user")
        .filter(uuid=scan_process_uuid)
        .first()
    )
    if scan_process is None:
        return None
    # The page names every rater; ordered by pk so each rater keeps the same place in every table.
    ratings = list(Rating.objects.filter(scan_process=scan_process).select_related("rater__user").order_by("pk"))
    submitted = [rating for rating in ratings if rating.is_submitted]
    characteristics = _active_characteristics()
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
    amendments = [
        AmendmentView(amendment, _amendment_changes(amendment, characteristics, names))
        for amendment in ConsensusAmendment.objects.filter(scan_process=scan_process)
        .select_related("amended_by__user")
        .order_by("-created_at", "-pk")
    ]
    return ConsensusReview(
        scan_process=scan_process,
        ratings=ratings,
        characteristics=characteristic_items,
        impact=impact_items,
        circumstances=circumstances,
        amendments=amendments,
    )


def next_unsettled(scan_process: ScanProcess) -> ScanProcess | None:
    """The next process of the same scan (in the overview's order) still without consensus; wraps around."""
    candidates = list(
        ScanProcess.objects.filter(scan_id=scan_process.scan_id, consensus_at__isnull=True)
        .exclude(pk=scan_process.pk)
        .select_related("process")
        .order_by("process__code", "pk")
    )
    current = (scan_process.process.code, scan_process.pk)
    later = [each for each in candidates if (each.process.code, each.pk) > current]
    return (later or candidates or [None])[0]

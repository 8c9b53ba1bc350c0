"""Reads for the consensus overview of a scan (one process's consensus: ``selectors.consensus``).

The coordinator sees every handed-in rating here (with the rater's name): resolving differences is
their job. Spreads and proposals are computed in Python from one ratings query: for one process
with the functions of ``weerbaar.scans.agreement`` that the bulk acceptance uses; for the overview
of a whole scan with the same rule in a tight loop over plain values (its tests compare the two).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypedDict, cast
from uuid import UUID

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.catalogue.models import Characteristic
from weerbaar.scans.models import (
    DISAGREEMENT_SPREAD,
    IMPACT_KEYS,
    Certainty,
    Rating,
    Scan,
    ScanProcess,
)


def scan_for_review(scan_uuid: Any) -> Scan | None:
    return Scan.objects.filter(uuid=scan_uuid).first()


def active_characteristics() -> list[Characteristic]:
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


class ReviewRow(TypedDict):
    """A row on the current page, as plain values: the template only prints them.

    The sentences are made here rather than with a {% blocktranslate %} per cell (those were most
    of the page's time); the same messages, as plain text that the template escapes."""

    uuid: str
    url: str
    code: str
    name: str
    unit: str
    status: str
    assigned: int
    handed_in: int
    handed_in_text: str
    single_rater: bool
    flags: int
    flags_text: str
    unsure: int
    unsure_text: str
    select_label: str


def _review_row(state: ReviewStatus, uuid: Any, code: str, name: str, unit: str | None, url: str) -> ReviewRow:
    return {
        "uuid": str(uuid),
        "url": url,
        "code": code,
        "name": name,
        "unit": unit or "",
        "status": state.status,
        "assigned": state.assigned,
        "handed_in": state.handed_in,
        "handed_in_text": _("%(n)s van %(m)s") % {"n": state.handed_in, "m": state.assigned},
        "single_rater": state.handed_in == 1,
        "flags": state.flags,
        "flags_text": ngettext(
            "%(counter)s onderdeel verschilt 2 of meer", "%(counter)s onderdelen verschillen 2 of meer", state.flags
        )
        % {"counter": state.flags},
        "unsure": state.unsure,
        "unsure_text": ngettext("%(counter)s onzeker", "%(counter)s onzeker", state.unsure) % {"counter": state.unsure},
        "select_label": _("%(code)s %(name)s selecteren") % {"code": code, "name": name},
    }


@dataclass(frozen=True)
class ReviewOverview:
    #: every process of the scan, in process code order
    statuses: list[ReviewStatus]

    @cached_property
    def _by_status(self) -> dict[str, int]:
        by_status = {SETTLED: 0, AGREED: 0, OPEN: 0}
        for each in self.statuses:
            by_status[each.status] += 1
        return by_status

    def counts(self) -> dict[str, int]:
        by_status = self._by_status
        return {
            "alle": len(self.statuses),
            "aandacht": by_status[OPEN],
            AGREED: by_status[AGREED],
            SETTLED: by_status[SETTLED],
        }

    def filtered(self, choice: str) -> list[ReviewStatus]:
        """The statuses a filter shows: "aandacht" the open ones, "eens" and "vastgesteld" their own, else all."""
        if choice not in ("aandacht", AGREED, SETTLED):
            return self.statuses
        wanted = OPEN if choice == "aandacht" else choice
        return [each for each in self.statuses if each.status == wanted]

    @property
    def agreed(self) -> int:
        return self._by_status[AGREED]

    @property
    def unsettled(self) -> int:
        return len(self.statuses) - self._by_status[SETTLED]


#: Per process: (assigned, handed in, flags, unsure, agreed).
Agreements = dict[int, tuple[int, int, int, int, bool]]
#: How long a computed agreement may be reused. Its cache key changes with every change of state of
#: the scan, so this only bounds how long an unused entry takes up room.
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
    """``_agreements``, reused while the scan's ratings cannot have changed.

    Reading and judging every rating is the expensive part of the overview (thousands of JSON
    values). Ratings are written only while a scan is open (``services.ratings.check_can_rate``,
    and the scope and raters only change in draft or open), and every change of state of a scan
    raises its version: so from the start of review on, the scan's version (already in hand, no
    query) marks its ratings. A reopened scan that goes back into review has a new version, hence a
    new key. The settled state is never cached.
    """
    fingerprint = "|".join((str(scan.uuid), str(scan.version), scan.state, str(scan.needed_raters), *keys))
    cache_key = "scans:review-agreement:" + hashlib.sha256(fingerprint.encode()).hexdigest()
    found: Agreements | None = cache.get(cache_key)
    if found is None:
        found = _agreements(scan, keys)
        cache.set(cache_key, found, AGREEMENT_CACHE_SECONDS)
    return found


def review_overview(scan: Scan) -> ReviewOverview:
    """Where every process of ``scan`` stands, in process code order, for the filters and counts.

    Two queries (three when the agreement is not cached), however many processes or raters;
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


def review_page(
    overview: ReviewOverview, *, choice: str, number: Any, url_for: Callable[[UUID], str]
) -> Page[ReviewRow]:
    """Page ``number`` of the rows ``choice`` shows, with their processes' code, name and unit (one
    query); ``url_for`` gives a process's consensus page."""
    page = Paginator(overview.filtered(choice), PAGE_SIZE).get_page(number)
    states = {each.scan_process_id: each for each in page.object_list}
    loaded = {
        pk: (uuid, code, name, unit)
        for pk, uuid, code, name, unit in ScanProcess.objects.filter(pk__in=list(states)).values_list(
            "pk", "uuid", "process__code", "process__name", "process__unit__name"
        )
    }
    rows = []
    for pk, state in states.items():
        if pk in loaded:
            uuid, code, name, unit = loaded[pk]
            rows.append(_review_row(state, uuid, code, name, unit, url_for(uuid)))
    # The paginator counts the statuses; the page holds the rows made from them.
    return Page(rows, page.number, cast(Any, page.paginator))


def scan_process_ids(scan: Scan) -> dict[str, int]:
    """Public id → primary key of the processes in ``scan`` (the bulk acceptance's checkboxes)."""
    return {str(uuid): pk for uuid, pk in ScanProcess.objects.filter(scan=scan).values_list("uuid", "pk")}

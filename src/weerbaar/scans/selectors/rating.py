"""Reads behind /beoordelen: a rater's own ratings and the rating page, never anyone else's values.

Independence: nothing here reads another rater's rating or a consensus. Every query filters on
the rater; the page shows only the rater's own scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.catalogue.models import Characteristic
from weerbaar.core.models import Membership
from weerbaar.scans.models import IMPACT_KEYS, Rating, Scan, ScanProcess, ScanState

#: Open scans first (work to do), then those in review, then the closed history.
STATE_ORDER: dict[str, int] = {ScanState.OPEN: 0, ScanState.REVIEW: 1, ScanState.CLOSED: 2}
#: A rater's processes in a scan, in the order the list and the previous/next links use.
PROCESS_ORDER = ("scan_process__process__code", "scan_process__process__name", "pk")
#: Rows per scan per page on /beoordelen.
PAGE_SIZE = 50
#: The fields a row on /beoordelen shows (its status counts the filled-in scores and impact; in a
#: repeat scan it tells a prefilled rating nobody touched from one being confirmed: ``has_input``).
ROW_FIELDS = (
    "uuid",
    "scores",
    "impact",
    "submitted_at",
    "prefilled",
    "confirmed",
    "circumstances",
    "rationales",
    "certainty",
    "note",
    "scan_process__scan_id",
    "scan_process__process__code",
    "scan_process__process__name",
    "scan_process__process__unit__name",
)


def characteristics() -> list[Characteristic]:
    """The active characteristics in catalogue order (K1..K8): the rows of the rating form."""
    return list(Characteristic.objects.filter(is_active=True).order_by("position", "key"))


def filled_count(rating: Rating, keys: list[str]) -> int:
    """How many of the required values (characteristic scores and impact dimensions) are filled in."""
    return sum(1 for key in keys if rating.scores.get(key) is not None) + sum(
        1 for key in IMPACT_KEYS if rating.impact.get(key) is not None
    )


@dataclass(frozen=True)
class RatingRow:
    rating: Rating
    filled: int
    total: int
    scan_open: bool

    @property
    def status(self) -> str:
        if self.rating.is_submitted:
            return "submitted"
        if self.rating.prefilled:
            return "started" if self.rating.has_input else "new"
        return "started" if self.filled else "new"

    @property
    def status_label(self) -> str:
        if self.rating.is_submitted:
            return _("ingeleverd")
        if not self.scan_open:
            return _("niet ingeleverd")
        if self.rating.prefilled:
            # Copied from the previous scan: "filled" says nothing until the rater has looked.
            to_confirm = len(self.rating.to_confirm)
            if not self.rating.has_input:
                return _("nog niet begonnen (vooraf ingevuld uit de vorige scan)")
            if to_confirm:
                return _("bezig (nog %(count)d uit de vorige scan te bevestigen)") % {"count": to_confirm}
        if self.filled:
            return _("bezig (%(filled)d van %(total)d ingevuld)") % {"filled": self.filled, "total": self.total}
        return _("nog niet begonnen")


@dataclass
class ScanRatings:
    """One scan on /beoordelen: the rater's progress (counted in SQL) and, when shown, one page of rows."""

    scan: Scan
    total: int
    submitted: int
    first_unfinished: UUID | None
    page: Page[RatingRow] | None = None

    @property
    def rows(self) -> list[RatingRow]:
        return list(self.page.object_list) if self.page is not None else []

    @property
    def overdue(self) -> bool:
        return self.scan.is_open and self.scan.deadline < timezone.localdate()

    @property
    def query(self) -> str:
        """The query string that shows this scan alone (its pagination links add ``pagina``)."""
        return f"scan={self.scan.uuid}"


@dataclass
class MyRatings:
    open_groups: list[ScanRatings]
    past_groups: list[ScanRatings]
    #: ``?scan=<uuid>``: this one scan with its rows page by page; ``None`` on the overview
    chosen: ScanRatings | None


def _scans(rater: Membership) -> list[ScanRatings]:
    """Every scan the rater rates in (not drafts) with their progress, in one query, in page order."""
    mine = Q(scan_processes__ratings__rater=rater)
    unfinished = Rating.objects.filter(
        rater=rater, scan_process__scan=OuterRef("pk"), submitted_at__isnull=True
    ).order_by(*PROCESS_ORDER)
    # The filter on the rater comes before the counts, so they count this rater's ratings only.
    scans = (
        Scan.objects.filter(mine, state__in=list(STATE_ORDER))
        .annotate(
            rating_total=Count("scan_processes__ratings"),
            rating_submitted=Count(
                "scan_processes__ratings", filter=Q(scan_processes__ratings__submitted_at__isnull=False)
            ),
            first_unfinished=Subquery(unfinished.values("uuid")[:1]),
        )
        .order_by()
    )
    groups = [
        ScanRatings(
            scan=scan,
            total=scan.rating_total,
            submitted=scan.rating_submitted,
            first_unfinished=scan.first_unfinished,
        )
        for scan in scans
    ]

    def order(group: ScanRatings) -> tuple[Any, ...]:
        scan = group.scan
        rank = STATE_ORDER.get(scan.state, 3)
        # Open: the nearest deadline first; history: the most recent round first.
        when = scan.deadline.toordinal() if rank == 0 else -scan.period_end.toordinal()
        return (rank, when, scan.name, scan.pk)

    return sorted(groups, key=order)


def _paginator(total: int) -> Any:
    """Pages of ``total`` rows; the count is known from the scan query, so it costs no query."""
    return Paginator(range(total), PAGE_SIZE)


def _page_number(number: Any, total: int) -> int:
    """The page asked for, within range: junk is the first page, past the end the last (as ``get_page``)."""
    page: int = _paginator(total).get_page(number).number
    return page


def _attach_rows(rater: Membership, groups: list[ScanRatings], number: int) -> None:
    """Page ``number`` of each group's rows, in one query whatever the number of scans or ratings.

    Within a scan the rows are numbered in list order (unfinished first, then by process); the
    query keeps the numbers of one page, so every scan costs the same and no row is loaded twice.
    """
    if not groups:
        return
    keys = [each.key for each in characteristics()]
    first = (number - 1) * PAGE_SIZE
    ratings = (
        Rating.objects.filter(rater=rater, scan_process__scan__in=[group.scan.pk for group in groups])
        .select_related("scan_process__process__unit")
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=F("scan_process__scan_id"),
                order_by=[
                    Case(When(submitted_at__isnull=True, then=Value(0)), default=Value(1)),
                    *PROCESS_ORDER,
                ],
            )
        )
        .filter(position__gt=first, position__lte=first + PAGE_SIZE)
        .order_by("position")
        # Only what the rows show: the window numbers every rating of the scan before the page is cut.
        .only(*ROW_FIELDS)
    )
    rows: dict[int, list[RatingRow]] = {group.scan.pk: [] for group in groups}
    by_pk = {group.scan.pk: group for group in groups}
    for rating in ratings:
        group = by_pk[rating.scan_process.scan_id]
        rating.scan_process.scan = group.scan
        rows[group.scan.pk].append(
            RatingRow(
                rating=rating,
                filled=filled_count(rating, keys),
                total=len(keys) + len(IMPACT_KEYS),
                scan_open=group.scan.is_open,
            )
        )
    for group in groups:
        group.page = Page(rows[group.scan.pk], number, _paginator(group.total))


def my_ratings(*, rater: Membership, scan_uuid: UUID | None = None, page: Any = None) -> MyRatings:
    """The /beoordelen page: every scan the rater rates in, counted in SQL, with one page of rows
    for each open scan; or, with ``scan_uuid``, that one scan with page ``page`` of its rows.

    A draft scan is not shown: the coordinator has not opened the round yet. Three queries,
    however many ratings or scans.
    """
    groups = _scans(rater)
    chosen = next((group for group in groups if group.scan.uuid == scan_uuid), None) if scan_uuid else None
    if chosen is not None:
        _attach_rows(rater, [chosen], _page_number(page, chosen.total))
    else:
        _attach_rows(rater, [group for group in groups if group.scan.is_open], 1)
    return MyRatings(
        open_groups=[group for group in groups if group.scan.is_open],
        past_groups=[group for group in groups if not group.scan.is_open],
        chosen=chosen,
    )


def rating_for_rater(*, rating_uuid: UUID, rater: Membership) -> Rating | None:
    """The rater's own rating with what the page shows; someone else's rating, or one in a scan
    that is still a draft (not yet given to the raters), is ``None`` (a 404)."""
    # The public id is unique: no ordering (and no ``first()``, which would add one through the joins).
    found: list[Rating] = list(
        Rating.objects.select_related(
            # The previous scan: a repeat scan's rating names the round it starts from.
            "scan_process__scan__previous_scan",
            "scan_process__process__unit",
            "scan_process__process__owner__user",
        )
        .filter(uuid=rating_uuid, rater=rater)
        .exclude(scan_process__scan__state=ScanState.DRAFT)
        .order_by()
    )
    return found[0] if found else None


@dataclass(frozen=True)
class SequenceItem:
    uuid: UUID
    code: str
    name: str
    submitted: bool


@dataclass(frozen=True)
class RatingSequence:
    """The rater's processes in the same scan: where this one stands, previous and next."""

    position: int
    total: int
    submitted: int
    previous_item: SequenceItem | None
    next_item: SequenceItem | None


def rating_sequence(*, rating: Rating) -> RatingSequence:
    """One query, whatever the number of processes the rater has in the scan.

    Only the plain values the pager needs come back, one small row per process: no model instances
    and no date or UUID parsed per row (the public id comes as text; only the neighbours' are
    parsed). The query starts from the scan's processes, so the rater's other scans are not read.
    """
    rows = list(
        ScanProcess.objects.filter(scan_id=rating.scan_process.scan_id, ratings__rater_id=rating.rater_id)
        .annotate(
            rating_pk=F("ratings__pk"),
            handed_in=ExpressionWrapper(Q(ratings__submitted_at__isnull=False), output_field=BooleanField()),
            public_id=Cast("ratings__uuid", output_field=CharField()),
        )
        .order_by("process__code", "process__name", "ratings__pk")
        .values_list("rating_pk", "handed_in", "public_id", "process__code", "process__name")
    )
    index = next((number for number, row in enumerate(rows) if row[0] == rating.pk), 0)

    def item(number: int) -> SequenceItem | None:
        if not 0 <= number < len(rows):
            return None
        _pk, handed_in, public_id, code, name = rows[number]
        return SequenceItem(uuid=UUID(public_id), code=code, name=name, submitted=bool(handed_in))

    return RatingSequence(
        position=index + 1,
        total=len(rows),
        submitted=sum(1 for row in rows if row[1]),
        previous_item=item(index - 1),
        next_item=item(index + 1),
    )


def next_unfinished(*, rating: Rating) -> SequenceItem | None:
    """The rater's first process after this one in list order (wrapping around) not handed in yet. One query."""
    process = rating.scan_process.process
    code, name = process.code, process.name
    after = (
        Q(scan_process__process__code__gt=code)
        | Q(scan_process__process__code=code, scan_process__process__name__gt=name)
        | Q(scan_process__process__code=code, scan_process__process__name=name, pk__gt=rating.pk)
    )
    found = (
        Rating.objects.filter(
            rater_id=rating.rater_id, scan_process__scan_id=rating.scan_process.scan_id, submitted_at__isnull=True
        )
        .exclude(pk=rating.pk)
        # Those after this one first, then from the top of the list.
        .annotate(wrapped=Case(When(after, then=Value(0)), default=Value(1)))
        .order_by("wrapped", *PROCESS_ORDER)
        .values_list("uuid", "scan_process__process__code", "scan_process__process__name")
        .first()
    )
    if found is None:
        return None
    uuid, code, name = found
    return SequenceItem(uuid=uuid, code=code, name=name, submitted=False)


def register_circumstances(*, rating: Rating) -> set[str]:
    """The internal circumstances the register lists for the rated process (shown as a hint only)."""
    process = rating.scan_process.process
    return {str(uuid) for uuid in process.circumstances.values_list("uuid", flat=True)}

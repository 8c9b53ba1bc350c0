"""Scans benchmarks: recomputing 1,000 processes rated by 5 raters, and the scan pages at 10 vs 1,000.

- Recompute, pure Python (no database): the consensus of five ratings per process with
  ``weerbaar.scans.agreement``, the scoring inputs with ``scans.services.results.process_input`` and
  ``weerbaar.scoring.score_many``; each step and the total (issue 5's goal: ≤ 50 ms).
- Recompute from the database: the same, reading the 5,000 ratings of a scan in review; and closing
  a scan of 1,000 settled processes with ``scan_close`` (every result saved and audited).
- Pages: the rating page, my ratings, the review overview, the consensus page, the results page
  (heat map and priority list) and a process's results, at 10 and 1,000 processes: query counts and
  p50/p95 server time (goal p95 ≤ 50 ms), measured like the process pages in ``run.py``.

Figures only; nothing passes or fails. A page whose URL does not resolve yet, or that does not
answer 200, is skipped with a note. Run with ``make bench``, or alone: ``python benchmarks/bench_scans.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SIZES = (10, 1_000)
RECOMPUTE_PROCESSES = 1_000
RATERS = 5
REPEATS = 10
PAGE_REPEATS = 40
#: A page slower than this (seconds) gets fewer requests, so one slow page does not hold up `make bench`.
SLOW_PAGE = 0.5
SLOW_REPEATS = 10
#: (result key, URL name, which seeded object fills the URL, query string)
PAGES = (
    ("scans_rating", "scans:rating", "rating", ""),
    ("scans_my_ratings", "scans:my_ratings", "", ""),
    ("scans_review", "scans:review", "review_scan", ""),
    ("scans_consensus", "scans:consensus", "scan_process", ""),
    ("scans_results", "scans:results", "", "?scan={closed_scan}"),
    ("scans_process_result", "scans:process_result", "process", ""),
)
KWARGS = {
    "rating": "rating_uuid",
    "review_scan": "scan_uuid",
    "scan_process": "scan_process_uuid",
    "process": "process_uuid",
}


def _level(i: int, rater: int, k: int) -> int:
    """A rater's level 0..4 for characteristic ``k`` of process ``i``: raters at most one apart,
    except in one process in seven, where the fifth rater sees much more on one characteristic (a flag)."""
    if i % 7 == 0 and k == i % 8:
        return 4 if rater == RATERS - 1 else 1
    return 1 + (i * 7 + k * 3) % 3 + (1 if (i * 5 + rater * 7 + k * 3) % 10 >= 7 else 0)


def _impact(i: int, rater: int, k: int) -> int:
    return min(5, max(1, 1 + (i * 3 + k) % 4 + (1 if (i + rater + k) % 9 == 0 else 0)))


def _rating_data(i: int, rater: int, keys: list[str], impact_keys: tuple[str, ...], ticks: list[str]) -> dict[str, Any]:
    return {
        "scores": {key: _level(i, rater, k) for k, key in enumerate(keys)},
        "impact": {key: _impact(i, rater, k) for k, key in enumerate(impact_keys)},
        "circumstances": [ticks[(i + rater + n) % len(ticks)] for n in range((i + rater) % 3)],
    }


def _consensus(ratings: list[dict[str, Any]], keys: list[str], impact_keys: tuple[str, ...]) -> tuple[Any, ...]:
    from weerbaar.scans.agreement import agreement, ticked_by_majority

    scores_of = [rating["scores"] for rating in ratings]
    impact_of = [rating["impact"] for rating in ratings]
    scores, impact, flagged = {}, {}, False
    for key in keys:
        found = agreement(scores_of, key)
        scores[key], flagged = found.proposal, flagged or found.disagree
    for key in impact_keys:
        found = agreement(impact_of, key)
        impact[key], flagged = found.proposal, flagged or found.disagree
    return scores, impact, ticked_by_majority([rating["circumstances"] for rating in ratings]), flagged


def _best_of(repeats: int, run: Callable[[], Any]) -> tuple[float, Any]:
    timings, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = run()
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings), value


def bench_recompute_pure(results: dict[str, Any]) -> None:
    """No database: a hand-built scoring context and 5,000 ratings as plain dicts."""
    from weerbaar import scoring
    from weerbaar.scans.models import IMPACT_KEYS
    from weerbaar.scans.services.results import ScoringContext, process_input
    from weerbaar.scoring.examples import _scores

    keys = list(_scores())
    ticks = [f"omstandigheid-{n}" for n in range(6)]
    context = ScoringContext(
        characteristic_keys=tuple(keys),
        circumstances={tick: (keys[n % 8], keys[(n + 3) % 8]) for n, tick in enumerate(ticks)},
        context=(
            scoring.ContextInput("bedrijventerrein", "hoog", (keys[0], keys[3])),
            scoring.ContextInput("horeca", "middel", (keys[0],)),
        ),
    )
    today = dt.date(2026, 11, 23)
    ratings = [
        [_rating_data(i, rater, keys, IMPACT_KEYS, ticks) for rater in range(RATERS)]
        for i in range(RECOMPUTE_PROCESSES)
    ]

    def consensus() -> list[tuple[Any, ...]]:
        return [_consensus(each, keys, IMPACT_KEYS) for each in ratings]

    def inputs(agreed: list[tuple[Any, ...]]) -> list[Any]:
        return [
            process_input(scores=s, impact=m, circumstances=c, context=context, today=today) for s, m, c, _f in agreed
        ]

    def everything() -> list[Any]:
        return scoring.score_many(inputs(consensus()))

    everything()  # warm-up
    agreed_ms, agreed = _best_of(REPEATS, consensus)
    inputs_ms, built = _best_of(REPEATS, lambda: inputs(agreed))
    score_ms, _scored = _best_of(REPEATS, lambda: scoring.score_many(built))
    total_ms, _all = _best_of(REPEATS, everything)
    flagged = sum(1 for *_rest, flag in agreed if flag)
    results["scans_recompute_1000x5_pure_consensus"] = (round(agreed_ms, 1), "ms")
    results["scans_recompute_1000x5_pure_inputs"] = (round(inputs_ms, 1), "ms")
    results["scans_recompute_1000x5_pure_score_many"] = (round(score_ms, 1), "ms")
    results["scans_recompute_1000x5_pure_total"] = (round(total_ms, 1), "ms")
    results["scans_recompute_1000x5_pure_goal_ratio"] = (round(total_ms / 50, 2), "ratio")
    results["scans_recompute_1000x5_flagged"] = (flagged, "processes")


@dataclass
class Seeded:
    organisation: Any
    coordinator: Any  # the user every page is requested as: coordinator and one of the raters
    closed_scan: Any
    review_scan: Any
    scan_process: Any  # in review, with five handed-in ratings
    rating: Any  # the coordinator's own, in the open scan
    process: Any  # rated in every scan


def seed_scans(size: int, *, label: str = "Scans", code_prefix: str = "GM6") -> Seeded:
    """An organisation with ``size`` processes in three scans, written in bulk (not audited).

    Closed (last year): every process with a consensus, a result and two ratings. In review: five
    handed-in ratings per process, one in ten settled. Open: the coordinator and the process owner
    rate every process; the coordinator has handed in a third and started a third.
    """
    from django.utils import timezone

    from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
    from weerbaar.core.models import Membership, Organisation, Unit, User
    from weerbaar.core.permissions import Role
    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.register.models import Process
    from weerbaar.scans.models import IMPACT_KEYS, Rating, Scan, ScanProcess, ScanState
    from weerbaar.scans.services.ratings import characteristic_keys
    from weerbaar.scans.services.results import apply_result, scoring_context

    organisation = Organisation.objects.create(
        kind="gemeente",
        name=f"Gemeente {label} {size}",
        cbs_code=f"{code_prefix}{size % 1000:03d}"[:6],
        size_class="groot",
        two_factor_roles=[],  # the benchmark measures the page, not the enrolment redirect
    )
    roles = (Role.COORDINATOR, Role.PROCESEIGENAAR, Role.MEDEWERKER, Role.VERTROUWENSPERSOON, Role.SECRETARIS)
    members = []
    for role in roles:
        user = User.objects.create_user(
            email=f"{role}-{size}@{label.lower()}.example", password="x", full_name=f"{role} {size}"
        )
        members.append(Membership.cross_tenant_objects.create(organisation=organisation, user=user, roles=[role]))
    coordinator, owner = members[0], members[1]
    units = Unit.cross_tenant_objects.bulk_create(
        Unit(organisation=organisation, name=f"Afdeling {i:02d}") for i in range(10)
    )
    references = list(ReferenceProcess.national_objects.filter(is_active=True).select_related("category"))
    processes = Process.cross_tenant_objects.bulk_create(
        (
            Process(
                organisation=organisation,
                code=f"P-{i + 1:04d}",
                name=f"{references[i % len(references)].name} {i:04d}",
                category=references[i % len(references)].category,
                reference_process=references[i % len(references)],
                unit=units[i % len(units)],
                owner=owner,
            )
            for i in range(size)
        ),
        batch_size=500,
    )
    today = timezone.localdate()
    now = timezone.now()
    with tenant_scope(organisation):
        keys = characteristic_keys()
        ticks = [
            str(each.uuid)
            for each in Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL, is_active=True)[:6]
        ]
        context = scoring_context(organisation)

        def scan(name: str, state: str, year: int) -> Any:
            return Scan.cross_tenant_objects.create(
                organisation=organisation,
                name=name,
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
                deadline=today + dt.timedelta(days=14),
                state=state,
                created_by=coordinator,
                opened_at=now,
                review_started_at=None if state == ScanState.OPEN else now,
                closed_at=now if state == ScanState.CLOSED else None,
            )

        closed = scan("Scan vorig jaar", ScanState.CLOSED, today.year - 1)
        review = scan("Scan dit jaar", ScanState.REVIEW, today.year)
        open_scan = scan("Scan open", ScanState.OPEN, today.year)

        def scan_processes(target: Any, settle: Callable[[int], bool]) -> list[Any]:
            rows = []
            for i, process in enumerate(processes):
                row = ScanProcess(organisation=organisation, scan=target, process=process)
                if settle(i):
                    data = _rating_data(i, 0, keys, IMPACT_KEYS, ticks)
                    row.consensus_scores, row.consensus_impact = data["scores"], data["impact"]
                    row.consensus_circumstances, row.consensus_at, row.consensus_by = (
                        data["circumstances"],
                        now,
                        coordinator,
                    )
                    apply_result(row, context, today=today)
                rows.append(row)
            return ScanProcess.cross_tenant_objects.bulk_create(rows, batch_size=500)

        def ratings(rows: list[Any], raters: list[Any], filled: Callable[[int, int], int]) -> None:
            """``filled``: 2 handed in, 1 half done, 0 empty, per (process index, rater index)."""
            batch = []
            for i, row in enumerate(rows):
                for r, rater in enumerate(raters):
                    state = filled(i, r)
                    data = _rating_data(i, r, keys, IMPACT_KEYS, ticks) if state else {}
                    scores = data.get("scores", {})
                    if state == 1:
                        scores = dict(list(scores.items())[:4])
                    batch.append(
                        Rating(
                            organisation=organisation,
                            scan_process=row,
                            rater=rater,
                            scores=scores,
                            rationales={
                                key: "Toelichting bij deze score." for key, level in scores.items() if level >= 3
                            },
                            impact=data.get("impact", {}) if state == 2 else {},
                            circumstances=data.get("circumstances", []),
                            certainty="zeker" if state == 2 else "",
                            submitted_at=now if state == 2 else None,
                        )
                    )
            Rating.cross_tenant_objects.bulk_create(batch, batch_size=1000)

        closed_rows = scan_processes(closed, lambda i: True)
        ratings(closed_rows, members[:2], lambda i, r: 2)
        review_rows = scan_processes(review, lambda i: i % 10 == 9)
        ratings(review_rows, members, lambda i, r: 2)
        open_rows = scan_processes(open_scan, lambda i: False)
        ratings(open_rows, members[:2], lambda i, r: (2 - i % 3) if r == 0 else i % 2 * 2)
        rating = Rating.cross_tenant_objects.get(scan_process=open_rows[0], rater=coordinator)
    return Seeded(organisation, coordinator.user, closed, review, review_rows[0], rating, processes[0])


def bench_pages(results: dict[str, Any], logged_in: Callable[..., Any], measure_spread: Callable[..., Any]) -> None:
    from django.urls import NoReverseMatch, reverse

    skipped: set[str] = set()
    for size in SIZES:
        seeded = seed_scans(size)
        client = logged_in(seeded.coordinator, seeded.organisation)
        objects = {"rating": seeded.rating, "review_scan": seeded.review_scan, "scan_process": seeded.scan_process}
        objects["process"] = seeded.process
        for name, url_name, kind, query in PAGES:
            if name in skipped:
                continue
            kwargs = {KWARGS[kind]: objects[kind].uuid} if kind else {}
            try:
                url = reverse(url_name, kwargs=kwargs) + query.format(closed_scan=seeded.closed_scan.uuid)
            except NoReverseMatch:
                print(f"{name}: {url_name} does not resolve yet; skipped", file=sys.stderr)
                skipped.add(name)
                continue
            start = time.perf_counter()
            client.get(url)
            repeats = PAGE_REPEATS if time.perf_counter() - start < SLOW_PAGE else SLOW_REPEATS
            if repeats != PAGE_REPEATS:
                print(
                    f"{name} at n={size} takes over {SLOW_PAGE:.1f} s: {repeats} requests, not {PAGE_REPEATS}",
                    file=sys.stderr,
                )
            queries, p50, p95, status = measure_spread(client, url, repeats)
            if status != 200:
                print(f"{name} at n={size} answered HTTP {status}; skipped", file=sys.stderr)
                skipped.add(name)
                continue
            results[f"{name}_n{size}_queries"] = (queries, "queries")
            results[f"{name}_n{size}_p50"] = (round(p50, 1), "ms")
            results[f"{name}_n{size}_p95"] = (round(p95, 1), "ms")
    small, large = SIZES
    for name, *_rest in PAGES:
        if name in skipped:
            results.pop(f"{name}_n{small}_queries", None)
            results.pop(f"{name}_n{small}_p50", None)
            results.pop(f"{name}_n{small}_p95", None)
            continue
        q_small, q_large = results[f"{name}_n{small}_queries"][0], results[f"{name}_n{large}_queries"][0]
        t_small, t_large = results[f"{name}_n{small}_p95"][0], results[f"{name}_n{large}_p95"][0]
        results[f"{name}_query_ratio"] = (round(q_large / max(q_small, 1), 2), "ratio")
        results[f"{name}_time_ratio"] = (round(t_large / max(t_small, 0.001), 2), "ratio")


def bench_recompute_db(results: dict[str, Any]) -> None:
    """From the database: the 5,000 ratings of the 1,000-process review scan to scores; then closing
    a scan of 1,000 settled processes (each result saved and audited, as ``scan_close`` does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from weerbaar import scoring
    from weerbaar.core.models import Organisation, User
    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.scans import services
    from weerbaar.scans.models import IMPACT_KEYS, Rating, Scan, ScanProcess, ScanState
    from weerbaar.scans.services.results import process_input, scoring_context

    organisation = Organisation.objects.get(name=f"Gemeente Scans {RECOMPUTE_PROCESSES}")
    today = timezone.localdate()
    with tenant_scope(organisation):
        review = Scan.objects.get(state=ScanState.REVIEW)

        def recompute() -> int:
            context = scoring_context(organisation)
            by_process: dict[int, list[dict[str, Any]]] = {}
            rows = Rating.objects.filter(scan_process__scan=review, submitted_at__isnull=False).order_by("pk")
            for scan_process_id, scores, impact, ticks in rows.values_list(
                "scan_process_id", "scores", "impact", "circumstances"
            ):
                by_process.setdefault(scan_process_id, []).append(
                    {"scores": scores, "impact": impact, "circumstances": ticks}
                )
            keys = list(context.characteristic_keys)
            inputs = []
            for ratings in by_process.values():
                scores, impact, ticks, _flagged = _consensus(ratings, keys, IMPACT_KEYS)
                inputs.append(
                    process_input(scores=scores, impact=impact, circumstances=ticks, context=context, today=today)
                )
            return len(scoring.score_many(inputs))

        recompute()  # warm-up
        with CaptureQueriesContext(connection) as captured:
            millis, count = _best_of(REPEATS, recompute)
        results["scans_recompute_1000x5_db_total"] = (round(millis, 1), "ms")
        results["scans_recompute_1000x5_db_queries"] = (len(captured) // REPEATS, "queries")
        results["scans_recompute_1000x5_db_processes"] = (count, "processes")

        # A scan in review with every process settled (copied from the closed one), then closed for real.
        closed = Scan.objects.get(state=ScanState.CLOSED)
        last = Scan.objects.get(state=ScanState.OPEN)  # only for its dates
        target = Scan.cross_tenant_objects.create(
            organisation=organisation,
            name="Scan om te sluiten",
            period_start=last.period_start,
            period_end=last.period_end,
            deadline=last.deadline,
            state=ScanState.REVIEW,
        )
        ScanProcess.cross_tenant_objects.bulk_create(
            (
                ScanProcess(
                    organisation=organisation,
                    scan=target,
                    process_id=row.process_id,
                    consensus_scores=row.consensus_scores,
                    consensus_impact=row.consensus_impact,
                    consensus_circumstances=row.consensus_circumstances,
                    consensus_at=row.consensus_at,
                )
                for row in ScanProcess.objects.filter(scan=closed).order_by("pk")
            ),
            batch_size=500,
        )
        actor = User.objects.get(email=f"coordinator-{RECOMPUTE_PROCESSES}@scans.example")
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            services.scan_close(actor=actor, scan=target, version=target.version)
            millis = (time.perf_counter() - start) * 1000
    results["scans_close_1000_with_audit"] = (round(millis, 1), "ms")
    results["scans_close_1000_queries"] = (len(captured), "queries")


def bench_scans(results: dict[str, Any], logged_in: Callable[..., Any], measure_spread: Callable[..., Any]) -> bool:
    bench_recompute_pure(results)
    bench_pages(results, logged_in, measure_spread)
    bench_recompute_db(results)
    return True


if __name__ == "__main__":
    from run import logged_in, measure_spread, setup_django

    setup_django()
    figures: dict[str, Any] = {}
    bench_scans(figures, logged_in, measure_spread)
    for key, (value, unit) in figures.items():
        print(f"{key} {value} {unit}")

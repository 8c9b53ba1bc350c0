from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from weerbaar.attention.models import CommunicationItem, RecurringActivity
from weerbaar.attention.selectors.due import screening_due
from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import verify_all
from weerbaar.catalogue.models import CircumstanceKind
from weerbaar.core.demo import load_demo
from weerbaar.core.demo_processes import OOSTERZIJL, VEENHAVEN
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import due_measures, expired_acceptances, liveness_summary
from weerbaar.register.models import ContextItem, Executor, Position, Process
from weerbaar.scans.models import Certainty, Rating, Scan, ScanProcess, ScanState
from weerbaar.scans.selectors.results import result_scans
from weerbaar.scans.selectors.trend import scan_trend
from weerbaar.scans.services.consensus import disagreements

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.cross_tenant_objects.count(),
        Unit.cross_tenant_objects.count(),
        Position.cross_tenant_objects.count(),
        ContextItem.cross_tenant_objects.count(),
        Process.cross_tenant_objects.count(),
        Scan.cross_tenant_objects.count(),
        ScanProcess.cross_tenant_objects.count(),
        Rating.cross_tenant_objects.count(),
        AuditEvent.all_chains.count(),
        PlannedMeasure.cross_tenant_objects.count(),
        RecurringActivity.cross_tenant_objects.count(),
    )


def test_the_demo_is_fictional_complete_and_loads_twice_without_change() -> None:
    large, small, riec = load_demo()
    first = _counts()
    load_demo()
    assert _counts() == first
    assert large.inhabitants and large.inhabitants > 100_000 and small.inhabitants and small.inhabitants < 20_000
    assert large.cbs_code.startswith("GM99") and small.cbs_code.startswith("GM99")  # no real CBS code
    assert large.two_factor_roles == [] and small.two_factor_roles == []
    for gemeente in (large, small):
        roles = {role for m in Membership.cross_tenant_objects.filter(organisation=gemeente) for role in m.roles}
        assert {"secretaris", "coordinator", "proceseigenaar", "vertrouwenspersoon"} <= roles
        assert {"medewerker", "lezer", "beheerder"} <= roles
        assert Position.cross_tenant_objects.filter(organisation=gemeente).exists()
        assert ContextItem.cross_tenant_objects.filter(organisation=gemeente).exists()
    assert any("regio-analist" in m.roles for m in Membership.cross_tenant_objects.filter(organisation=riec))
    # The scans are checked on this same load: loading the demo is the slow part of these tests.
    _check_veenhaven_scans(large)
    _check_oosterzijl_scan(small)
    _check_plans_and_attention(large, small)


def test_the_demo_registers_are_realistic_owned_and_audited() -> None:
    large, small, _riec = load_demo()
    expected = {large: (VEENHAVEN, 110, 130), small: (OOSTERZIJL, 20, 30)}
    partners: dict[Organisation, float] = {}
    for gemeente, (table, low, high) in expected.items():
        with tenant_scope(gemeente):
            processes = list(
                Process.objects.select_related("category", "owner__user", "reference_process").prefetch_related(
                    "positions", "circumstances"
                )
            )
            active = [process for process in processes if process.is_active]
            assert low <= len(processes) <= high, gemeente.name
            # Loading is stable: the codes follow the demo table, so every load gives the same register.
            by_code = [process.name for process in sorted(processes, key=lambda process: process.code)]
            assert by_code == [entry.name for entries in table.values() for entry in entries]
            assert 2 <= sum(process.owner is None for process in active) <= 3, gemeente.name
            owners = Counter(process.owner.user.email for process in processes if process.owner is not None)
            assert owners.most_common(1)[0][0].startswith("proceseigenaar@") and len(owners) >= 3, owners
            for process in active:
                assert process.category.is_active, process.name
                if process.reference_process is not None:
                    assert process.category == process.reference_process.category, process.name
                if process.owner is not None:
                    assert process.owner.organisation_id == gemeente.pk and process.owner.is_active, process.name
                assert 1 <= len(process.positions.all()) <= 3, process.name
                assert len(process.circumstances.all()) <= 3, process.name
                assert all(each.kind == CircumstanceKind.INTERNAL for each in process.circumstances.all())
            adopted = sum(process.reference_process is not None for process in processes)
            assert 0.8 * len(processes) <= adopted < len(processes), gemeente.name  # mostly adopted, a few own
            partners[gemeente] = sum(process.executor != Executor.OWN for process in processes) / len(processes)
            executors = {process.executor for process in processes}
            assert {Executor.ENVIRONMENT_SERVICE, Executor.JOINT_ARRANGEMENT} <= executors, gemeente.name
    assert Process.cross_tenant_objects.filter(organisation=large, is_active=False).count() == 2
    assert not Process.cross_tenant_objects.filter(organisation=small, is_active=False).exists()
    assert partners[small] > partners[large]  # a small gemeente leaves more to its partners
    created = AuditEvent.all_chains.filter(action="process.create")
    assert created.count() == Process.cross_tenant_objects.count()
    assert AuditEvent.all_chains.filter(action="process.archive").count() == 2
    reports = verify_all()
    assert reports and all(report.ok for report in reports), [report.problem for report in reports]


def _ratings(scan: Scan) -> dict[int, list[Rating]]:
    ratings: dict[int, list[Rating]] = {}
    for rating in Rating.objects.filter(scan_process__scan=scan).select_related("rater__user").order_by("pk"):
        ratings.setdefault(rating.scan_process_id, []).append(rating)
    return ratings


def _check_veenhaven_scans(large: Organisation) -> None:
    """Two closed rounds, this year's in review with flagged disagreements and a comparison."""
    today = timezone.localdate()
    with tenant_scope(large):
        earlier, closed, review = Scan.objects.order_by("period_end")
        assert (earlier.state, closed.state, review.state) == (ScanState.CLOSED, ScanState.CLOSED, ScanState.REVIEW)
        _check_repeat_scans(earlier, closed, review)
        assert closed.period_start.year == closed.period_end.year == today.year - 1
        assert closed.deadline < today and closed.closed_at is not None and closed.closed_at.year == today.year - 1
        assert review.period_end.year == today.year and review.deadline < today

        last = {sp.process_id: sp for sp in ScanProcess.objects.filter(scan=closed)}
        assert 40 <= len(last) <= 60
        assert all(sp.is_settled and sp.has_result and sp.model_version for sp in last.values())
        closed_ratings = _ratings(closed)
        assert all(len(each) == 2 and all(r.is_submitted for r in each) for each in closed_ratings.values())
        assert sum(bool(sp.consensus_note) for sp in last.values()) >= 2  # disputes settled with a note
        likelihoods = Counter(sp.likelihood for sp in last.values())
        assert len(likelihoods) >= 3, likelihoods  # a heat map with some spread, not one hot cell

        now = list(ScanProcess.objects.filter(scan=review))
        ratings = _ratings(review)
        submitted = {sp.pk: [r for r in ratings[sp.pk] if r.is_submitted] for sp in now}
        flagged = [sp for sp in now if disagreements(submitted[sp.pk])]
        settled = [sp for sp in now if sp.is_settled]
        assert len(flagged) >= 5
        assert 5 <= len(settled) < len(now) / 2
        assert any(sp.consensus_note for sp in settled if sp in flagged)
        assert sum(r.certainty == Certainty.UNSURE for each in ratings.values() for r in each) >= 2
        assert any(sp.single_rater for sp in now)  # a colleague who did not hand in
        assert {sp.process_id for sp in now} - set(last), "a few processes are new this year"
        moves = Counter(
            (sp.vulnerability > last[sp.process_id].vulnerability)
            - (sp.vulnerability < last[sp.process_id].vulnerability)
            for sp in settled
            if sp.process_id in last
        )
        assert moves[1] and moves[-1] and moves[0], moves  # the comparison shows up, down and unchanged

        owner_ratings = [
            r for each in ratings.values() for r in each if r.rater.user.email.startswith("proceseigenaar@")
        ]
        assert owner_ratings and all(r.is_submitted for r in owner_ratings)
        owned = ScanProcess.objects.filter(scan=closed, process__owner__user__email__startswith="proceseigenaar@")
        assert owned.filter(vulnerability__isnull=False).count() >= 10  # the proceseigenaar sees own results


def _check_repeat_scans(earlier: Scan, closed: Scan, review: Scan) -> None:
    """Each round starts from the one before; last year's results show a trend against two years ago."""
    today = timezone.localdate()
    assert earlier.name == f"Kwetsbaarhedenscan {today.year - 2}" and earlier.previous_scan_id is None
    assert (closed.previous_scan_id, review.previous_scan_id) == (earlier.pk, closed.pk)
    assert earlier.closed_at is not None and closed.closed_at is not None and earlier.closed_at < closed.closed_at
    secretaris = next(m for m in Membership.objects.select_related("user") if m.user.email.startswith("secretaris@"))
    trend = scan_trend(secretaris, closed, result_scans(secretaris))
    assert trend is not None and trend.previous == earlier
    # Mostly a little better than two years ago, a few worse, some the same, a few processes new.
    assert trend.lower > trend.processes_now / 2 and trend.higher and trend.equal and trend.new, trend
    assert trend.average_now is not None and trend.average_before is not None
    assert trend.average_now < trend.average_before
    # This year's ratings began from last year's consensus: confirmed where handed in, partly where not.
    ratings = [r for each in _ratings(review).values() for r in each]
    in_both = ScanProcess.objects.filter(scan=closed).values("process_id")
    repeated = set(ScanProcess.objects.filter(scan=review, process_id__in=in_both).values_list("pk", flat=True))
    assert repeated and all(bool(r.prefilled) == (r.scan_process_id in repeated) for r in ratings)
    assert all(not r.to_confirm for r in ratings if r.is_submitted)
    assert any(r.prefilled and r.confirmed and r.to_confirm and not r.is_submitted for r in ratings)


def _check_oosterzijl_scan(small: Organisation) -> None:
    """Open, one rater per process (the owner); the proceseigenaar has handed in, half done and not begun."""
    today = timezone.localdate()
    with tenant_scope(small):
        (scan,) = Scan.objects.all()
        assert scan.state == ScanState.OPEN and scan.allow_single_rater and scan.deadline > today
        ratings = _ratings(scan)
        assert all(len(each) == 1 for each in ratings.values())
        for sp in ScanProcess.objects.filter(scan=scan).select_related("process"):
            assert ratings[sp.pk][0].rater_id == sp.process.owner_id
        mine = [r for each in ratings.values() for r in each if r.rater.user.email.startswith("proceseigenaar@")]
        handed_in = sum(r.is_submitted for r in mine)
        half_done = sum(not r.is_submitted and bool(r.scores) for r in mine)
        untouched = sum(not r.scores for r in mine)
        assert handed_in >= 3 and half_done >= 2 and untouched >= 5, (handed_in, half_done, untouched)


def _check_plans_and_attention(large: Organisation, small: Organisation) -> None:
    """Plans in every status, some measures no longer alive, overdue work, screening due."""
    today = timezone.localdate()
    with tenant_scope(large):
        statuses = set(PlannedMeasure.objects.values_list("status", flat=True))
        assert statuses == set(MeasureStatus.values)
        lives = liveness_summary(today)
        assert lives.alive and lives.fading and lives.lapsed
        assert any(item.is_overdue for item in due_measures(today))
        assert PlannedMeasure.objects.filter(process__isnull=True, reaches_all_units=False).exists()
        assert any(activity.next_due_on() < today for activity in RecurringActivity.objects.all())
        assert CommunicationItem.objects.filter(planned_on__lt=today, done_on__isnull=True).exists()
        assert expired_acceptances(today).exists()
        assert screening_due(today)
    with tenant_scope(small):
        assert PlannedMeasure.objects.filter(process__isnull=True).exists()
        assert RecurringActivity.objects.exists()

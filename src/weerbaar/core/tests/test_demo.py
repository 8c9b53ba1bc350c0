from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import verify_all
from weerbaar.catalogue.models import CircumstanceKind
from weerbaar.core.demo import load_demo
from weerbaar.core.demo_processes import OOSTERZIJL, VEENHAVEN
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import ContextItem, Executor, Position, Process
from weerbaar.scans.models import Certainty, Rating, Scan, ScanProcess, ScanState
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
    """Last year's scan closed, this year's in review with flagged disagreements and a comparison."""
    today = timezone.localdate()
    with tenant_scope(large):
        closed, review = Scan.objects.order_by("period_end")
        assert (closed.state, review.state) == (ScanState.CLOSED, ScanState.REVIEW)
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

"""The action plan's rules: who plans and updates, dates, evidence checks, reviews, and the audit trail."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan import services
from weerbaar.plan.models import EvidenceFile, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.proposals import proposals_for
from weerbaar.plan.selectors.residual import residual_for
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, measure, pdf, plan, scored_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _events(world: World, action: str) -> int:
    with tenant_scope(world.a.organisation):
        return AuditEvent.objects.filter(action=action).count()


def test_planning_a_measure_is_audited_and_a_second_live_line_for_the_same_measure_is_refused(world: World) -> None:
    process = scored_process(world.a)
    plan(world.a, process)
    assert _events(world, "plan.measure.create") == 1
    with pytest.raises(ValidationError) as error:
        plan(world.a, process)
    assert "staat al in het actieplan" in str(error.value)


def test_a_due_date_in_the_past_and_an_owner_of_another_organisation_are_refused(world: World) -> None:
    process = scored_process(world.a)
    with pytest.raises(ValidationError) as error:
        plan(world.a, process, due_in_days=-1)
    assert "al voorbij" in str(error.value)
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        services.planned_measure_create(
            actor=None,
            member=world.a.members["coordinator"],
            measure=measure(),
            process=process,
            owner=world.b.members["proceseigenaar"],
        )
    assert "actief lid van deze organisatie" in str(error.value)


def test_only_the_coordinator_plans_and_only_owner_or_coordinator_update(world: World) -> None:
    process = scored_process(world.a)
    with tenant_scope(world.a.organisation), pytest.raises(PermissionDenied):
        services.planned_measure_create(
            actor=None, member=world.a.members["proceseigenaar"], measure=measure(), process=process
        )
    planned = plan(world.a, process, owner_role="secretaris")
    with tenant_scope(world.a.organisation), pytest.raises(PermissionDenied):
        services.planned_measure_set_status(
            actor=None,
            member=world.a.members["proceseigenaar"],
            planned=planned,
            version=planned.version,
            status=MeasureStatus.IN_PROGRESS,
        )


def test_the_owner_moves_on_but_cannot_reject_and_rejecting_needs_a_reason(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    owner = world.a.members["proceseigenaar"]
    with tenant_scope(world.a.organisation):
        planned = services.planned_measure_set_status(
            actor=None, member=owner, planned=planned, version=planned.version, status=MeasureStatus.IN_PROGRESS
        )
        with pytest.raises(ValidationError):
            services.planned_measure_set_status(
                actor=None,
                member=owner,
                planned=planned,
                version=planned.version,
                status=MeasureStatus.REJECTED,
                reason="Te duur",
            )
        with pytest.raises(ValidationError) as error:
            services.planned_measure_set_status(
                actor=None,
                member=world.a.members["coordinator"],
                planned=planned,
                version=planned.version,
                status=MeasureStatus.REJECTED,
            )
        assert "waarom" in str(error.value)


def test_an_implemented_measure_lowers_the_residual_risk_and_fades_without_review(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        before = residual_for(world.a.organisation, process, today)
    assert before is not None and before.now == pytest.approx(before.inherent)
    planned = implement(world.a, plan(world.a, process))
    with tenant_scope(world.a.organisation):
        after = residual_for(world.a.organisation, process, today)
        assert after is not None and after.now < before.now
        assert [life.status for life in after.measures] == ["alive"]
        # Two cadences past the review date the effect is gone: back at the inherent risk.
        later = today + dt.timedelta(days=31 * planned.review_cadence_months * 3 + 5)
        faded = residual_for(world.a.organisation, process, later)
        assert faded is not None and faded.now == pytest.approx(before.now)
        assert [life.status for life in faded.not_alive] == ["lapsed"]


def test_a_review_keeps_the_measure_alive(world: World) -> None:
    process = scored_process(world.a)
    planned = implement(world.a, plan(world.a, process), on=timezone.localdate() - dt.timedelta(days=400))
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        fading = residual_for(world.a.organisation, process, today)
        assert fading is not None and [m.status for m in fading.measures] == ["fading"]
        planned = PlannedMeasure.objects.get(pk=planned.pk)
        services.measure_review_add(
            actor=None,
            member=world.a.members["proceseigenaar"],
            planned=planned,
            version=planned.version,
            reviewed_on=today,
            effectiveness="effectief",
        )
        alive = residual_for(world.a.organisation, process, today)
    assert alive is not None and [m.status for m in alive.measures] == ["alive"] and alive.now < fading.now
    assert _events(world, "plan.measure.review") == 1


def test_proposals_are_ranked_by_the_what_if_and_exclude_measures_already_planned(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        first = proposals_for(world.a.organisation, process, today)
    drops = [p.drop for p in first.ranked]
    assert drops == sorted(drops, reverse=True) and drops[0] > 0
    assert all(p.to_score <= p.from_score for p in first.ranked)
    top = first.ranked[0].measure
    plan(world.a, process, top.key)
    with tenant_scope(world.a.organisation):
        second = proposals_for(world.a.organisation, process, today)
    assert top.pk not in {p.measure.pk for p in second.ranked}
    assert [line.measure.pk for line in second.planned] == [top.pk]


def _docx_bytes() -> bytes:
    # A fixed date in the zip entries: with the current time, two calls a second apart differ.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.exe", b"MZ\x90\x00", "Dit soort bestand"),
        ("nep.pdf", b"<html><script>alert(1)</script></html>", "past niet bij de extensie"),
        ("nep.docx", b"%PDF-1.4 pretending", "past niet bij de extensie"),
        ("leeg.txt", b"", "leeg"),
        ("groot.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "groter dan 10 MB"),
    ],
)
def test_evidence_files_that_are_too_large_forbidden_or_lying_are_refused(
    world: World, name: str, content: bytes, message: str
) -> None:
    planned = plan(world.a, scored_process(world.a))
    with tenant_scope(world.a.organisation):
        with pytest.raises(ValidationError) as error:
            services.evidence_add(
                actor=None,
                member=world.a.members["proceseigenaar"],
                planned=planned,
                upload=SimpleUploadedFile(name, content),
            )
        assert message in str(error.value)
        assert not EvidenceFile.objects.exists()


def test_good_evidence_is_stored_in_the_database_with_its_hash_and_audited(world: World) -> None:
    planned = plan(world.a, scored_process(world.a))
    with tenant_scope(world.a.organisation):
        first = services.evidence_add(
            actor=None,
            member=world.a.members["proceseigenaar"],
            planned=planned,
            upload=pdf("../../etc/Verslag\x00.pdf"),
        )
        second = services.evidence_add(
            actor=None,
            member=world.a.members["coordinator"],
            planned=planned,
            note="Zie verslag",
            upload=SimpleUploadedFile("plan.docx", _docx_bytes()),
        )
        assert first.filename == "Verslag.pdf" and len(first.sha256) == 64
        assert EvidenceFile.objects.get(evidence=second).content == _docx_bytes()
    assert _events(world, "plan.evidence.add") == 2


def test_an_organisation_wide_measure_counts_for_the_processes_it_reaches(world: World) -> None:
    process = scored_process(world.a)
    today = timezone.localdate()
    with tenant_scope(world.a.organisation):
        base = residual_for(world.a.organisation, process, today)
    other_unit = next(unit for unit in world.a.units if unit.pk != process.unit_id)
    wide = implement(world.a, plan(world.a, None, ORGANISATION_MEASURE, units=[other_unit]))
    with tenant_scope(world.a.organisation):
        elsewhere = residual_for(world.a.organisation, process, today)
        assert elsewhere is not None and base is not None and elsewhere.now == pytest.approx(base.now)
        wide = PlannedMeasure.objects.get(pk=wide.pk)
        services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=wide,
            version=wide.version,
            owner=wide.owner,
            due_date=wide.due_date,
            note="",
            review_cadence_months=12,
            reaches_all_units=True,
        )
        everywhere = residual_for(world.a.organisation, process, today)
    assert everywhere is not None and everywhere.now < base.now


def test_taking_up_a_declined_measure_again_is_refused_while_another_line_for_it_lives(world: World) -> None:
    process = scored_process(world.a)
    declined = plan(world.a, process, status=MeasureStatus.REJECTED, rejection_reason="Te duur voor nu")
    plan(world.a, process)
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as error:
        services.planned_measure_set_status(
            actor=None,
            member=world.a.members["coordinator"],
            planned=declined,
            version=declined.version,
            status=MeasureStatus.PLANNED,
        )
    assert "staat al in het actieplan" in str(error.value)

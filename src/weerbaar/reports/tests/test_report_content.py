"""The report's content: figures from the scan, the plan and the attention indicator, in Dutch sentences."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from weerbaar.core.tenancy import tenant_scope
from weerbaar.reports.content import ReportData, build_report, canonical_json, data_hash
from weerbaar.reports.content.processes import first_sentence
from weerbaar.reports.tests.report_support import one_round, today, two_rounds
from weerbaar.scans.tests.results_support import bulk_results
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

#: The report's own reads: closed scans, plan counts, results, the previous round, raters, plan
#: summary, liveness, residual risk (context, consensus, measures with effects and units), the
#: checklist (measures, units, plan lines, their units), characteristics, circumstance names and the
#: indicator (activities, logs, measures, last scan). 21 today.
CONTENT_BUDGET = 21


def _text(report: ReportData) -> str:
    return " ".join(paragraph for section in report.sections for paragraph in section.paragraphs)


def test_without_a_closed_scan_it_says_so_and_keeps_measures_and_attention(world: World) -> None:
    with tenant_scope(world.a.organisation):
        report = build_report(world.a.organisation, version="volledig", today=today())
    assert report.facts.scan is None and report.facts.heat is None
    assert "Er is nog geen afgesloten scan" in report.section["samenvatting"].paragraphs[0]
    assert report.section["maatregelen"].paragraphs, "the plan is reported without a scan"
    assert report.section["aandacht"].paragraphs
    assert "Dit is de eerste" not in _text(report)
    assert [s.key for s in report.sections] == [
        "samenvatting",
        "werkwijze",
        "resultaten",
        "prioriteiten",
        "vergelijking",
        "maatregelen",
        "aandacht",
        "bijlage",
    ]


def test_it_words_the_scan_the_raters_and_the_comparison(world: World) -> None:
    scanned = two_rounds(world)
    with tenant_scope(world.a.organisation):
        report = build_report(world.a.organisation, version="volledig", today=today())
    facts = report.facts
    assert facts.scan is not None and facts.scan.name == "Scan 2026"
    assert facts.scan.processes == 2 and facts.scan.raters == 2 and facts.scan.ratings == 4
    assert facts.heat is not None and facts.heat.total == 2
    assert sum(each.now for each in facts.heat.classes) == 2
    assert facts.trend is not None and facts.trend.previous_name == "Scan 2025"
    summary = " ".join(report.section["samenvatting"].paragraphs)
    assert "In de scan ‘Scan 2026’ zijn 2 processen beoordeeld door 2 beoordelaars." in summary
    assert "Elk proces had 2 beoordelaars." in " ".join(report.section["werkwijze"].paragraphs)
    assert "versie 2026.1" in " ".join(report.section["werkwijze"].paragraphs) or facts.model_version in _text(report)
    comparison = " ".join(report.section["vergelijking"].paragraphs)
    assert "‘Scan 2025’" in comparison and "2 processen kwamen in beide scans voor" in comparison
    # The full version names the processes, highest risk first, each with its reasons in words.
    assert facts.processes[0].name == scanned.processes[-1].name
    assert all(entry.reasons and entry.short_reasons for entry in facts.processes)
    assert all(entry.raters == 2 for entry in facts.processes)
    assert report.marking == "Vertrouwelijk"


def test_the_summary_version_names_no_process(world: World) -> None:
    names = (f"Proces {CANARY} een", f"Proces {CANARY} twee")
    two_rounds(world, names=names)
    with tenant_scope(world.a.organisation):
        report = build_report(world.a.organisation, version="samenvatting", today=today())
    assert report.facts.processes == []
    assert "prioriteiten" not in report.section and "bijlage" not in report.section
    assert CANARY not in canonical_json(report)
    assert report.facts.heat is not None and report.facts.heat.total == 2
    assert report.marking == "Openbare samenvatting"


def test_the_summary_merges_categories_too_small_to_stay_anonymous(world: World) -> None:
    two_rounds(world)  # two processes: every category holds fewer than three
    with tenant_scope(world.a.organisation):
        full = build_report(world.a.organisation, version="volledig", today=today())
        summary = build_report(world.a.organisation, version="samenvatting", today=today())
    assert sum(row.processes for row in full.facts.categories) == 2
    assert all(row.processes >= 3 for row in summary.facts.categories)
    full_names = {row.name for row in full.facts.categories}
    assert not any(name in _text(summary) for name in full_names)


def test_an_unknown_version_falls_back_to_the_full_report(world: World) -> None:
    with tenant_scope(world.a.organisation):
        report = build_report(world.a.organisation, version="<b>onzin</b>", today=today())
    assert report.version == "volledig" and report.is_full


def test_the_data_hash_is_stable_and_follows_the_data(world: World) -> None:
    two_rounds(world)
    with tenant_scope(world.a.organisation):
        first = build_report(world.a.organisation, version="volledig", today=today())
        again = build_report(world.a.organisation, version="volledig", today=today())
    assert data_hash(first) == data_hash(again)
    assert len(data_hash(first)) == 64
    json.loads(canonical_json(first))  # valid JSON
    changed = replace(first, title=first.title + " ")
    assert data_hash(changed) != data_hash(first)


def test_another_organisations_scan_never_shows(world: World) -> None:
    one_round(world.b, (f"Proces {CANARY}",))
    with tenant_scope(world.a.organisation):
        report = build_report(world.a.organisation, version="volledig", today=today())
    assert report.facts.scan is None
    assert CANARY not in canonical_json(report)


def test_first_sentence_keeps_only_the_first() -> None:
    assert first_sentence("Een. Twee. Drie.") == "Een."
    assert first_sentence("Alleen dit") == "Alleen dit"


def _queries(world: World) -> int:
    with tenant_scope(world.a.organisation), CaptureQueriesContext(connection) as captured:
        build_report(world.a.organisation, version="volledig", today=today())
    return len(captured)


def test_the_content_costs_the_same_queries_for_2_or_30_processes(world: World) -> None:
    scanned = two_rounds(world)
    small = _queries(world)
    with tenant_scope(world.a.organisation):
        bulk_results(world.a, [scanned.scan, scanned.previous], 0, 28)
    large = _queries(world)
    assert small == large, f"{small} queries for 2 processes, {large} for 30"
    assert large <= CONTENT_BUDGET

"""Management report benchmark: the full PDF of the large demo gemeente (Veenhaven).

Loads the demo (as ``make run`` does) into the benchmark's temporary database, then renders the
confidential full report and the public summary of Veenhaven. Prints the best wall-clock time
of three runs (goal ≤ 2 s for the full PDF), the processor time of that run (the machine may be
busy with other work) and the page count. Figures only; nothing passes or fails.
"""

from __future__ import annotations

import logging
import time
from typing import Any

REPEATS = 3


def _best(organisation: Any, version: str) -> tuple[float, float, int]:
    from django.utils import timezone

    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.reports.rendering import render_report

    today = timezone.localdate()
    with tenant_scope(organisation):
        render_report(organisation, version=version, today=today)  # warm-up: fonts and templates load once
        best: tuple[float, float, int] = (float("inf"), 0.0, 0)
        for _ in range(REPEATS):
            wall, cpu = time.perf_counter(), time.process_time()
            rendered = render_report(organisation, version=version, today=today)
            timing = (time.perf_counter() - wall, time.process_time() - cpu, rendered.page_count)
            best = min(best, timing)
    return best


def bench_report(results: dict[str, Any]) -> None:
    from weerbaar.core.demo import LARGE, load_demo
    from weerbaar.core.models import Organisation

    # WeasyPrint logs every layout step at INFO; the benchmark prints figures only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    if not Organisation.objects.filter(name=LARGE.name).exists():
        load_demo()
    organisation = Organisation.objects.get(name=LARGE.name)
    for version, key in (("volledig", "report_pdf_full"), ("samenvatting", "report_pdf_summary")):
        wall, cpu, pages = _best(organisation, version)
        results[f"{key}_s"] = (round(wall, 2), "s")
        results[f"{key}_cpu_s"] = (round(cpu, 2), "s")
        results[f"{key}_pages"] = (pages, "pages")
    results["report_pdf_full_goal_ratio"] = (round(results["report_pdf_full_s"][0] / 2.0, 2), "ratio")


if __name__ == "__main__":
    from run import setup_django

    setup_django()
    figures: dict[str, Any] = {}
    bench_report(figures)
    for name, (value, unit) in figures.items():
        print(f"{name} {value} {unit}")

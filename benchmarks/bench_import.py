"""Import benchmarks: the preview page at 10 vs 1,000 processes, and a 1,000-row import.

For the 1,000-row file: openpyxl's bare read (load and iterate the values), our dry run (safe
read, checks, plan) and its ratio to the bare read (goal ≤ 2×), and the write with every check
and audit event, separately. Figures only; nothing passes or fails on time.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from typing import Any

IMPORT_ROWS = 1_000
IMPORT_REPEATS = 5


def _best_of(repeats: int, run: Callable[[], Any]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    return min(timings)


def _new_rows(size: int) -> list[tuple[object, ...]]:
    """Rows for processes that do not exist yet, naming what `seed_processes` created."""
    from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess

    references = list(ReferenceProcess.national_objects.filter(is_active=True).select_related("category"))
    circumstances = list(Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL, is_active=True))
    rows: list[tuple[object, ...]] = []
    for i in range(IMPORT_ROWS):
        reference = references[i % len(references)]
        owner = i % 40 if i % 40 % 13 != 5 else 0  # only active owners
        rows.append(
            (
                "",
                f"Geïmporteerd proces {i:04d}",
                "Uit het jaarlijkse overzicht van de afdeling.",
                reference.category.name,
                f"Afdeling {i % 15:02d}",
                f"eigenaar{owner}-{size}@register.example",
                f"Functie {i % 30:02d}; Functie {(i + 1) % 30:02d}",
                reference.name,
                circumstances[i % len(circumstances)].name,
                (i * 13) % 4_000,
                "Eigen organisatie",
                "",
                "Actief",
            )
        )
    return rows


def bench_import(results: dict[str, Any], seed_processes: Callable[[int], Any], logged_in: Callable[..., Any]) -> bool:
    import openpyxl
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from weerbaar.core.models import Organisation, User
    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.register.transfer import processes as process_kind
    from weerbaar.register.transfer import services
    from weerbaar.spreadsheets import Sheet, write_xlsx

    for size in (10, 1_000):
        # The gemeenten the process pages were measured on.
        organisation = Organisation.objects.get(name=f"Gemeente Register {size}")
        coordinator = User.objects.get(email=f"coordinator-{size}@register.example")
        with tenant_scope(organisation):
            exported = write_xlsx([Sheet("Processen", process_kind.COLUMNS, list(process_kind.export_rows()))])
        client = logged_in(coordinator, organisation)
        timings, counts = [], set()
        for _ in range(IMPORT_REPEATS):
            upload = io.BytesIO(exported)
            upload.name = "processen.xlsx"
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.post("/register/processen/importeren", {"file": upload})
                timings.append((time.perf_counter() - start) * 1000)
            counts.add(len(captured))
            if response.status_code != 200 or "verandert niets" not in response.content.decode():
                print(f"import preview at n={size} did not show an unchanged register", file=sys.stderr)
                return False
        results[f"import_preview_n{size}_queries"] = (min(counts), "queries")
        results[f"import_preview_n{size}_time"] = (round(min(timings), 1), "ms")
    results["import_preview_query_ratio"] = (
        round(results["import_preview_n1000_queries"][0] / max(results["import_preview_n10_queries"][0], 1), 2),
        "ratio",
    )

    organisation, coordinator, _detail = seed_processes(13)
    with tenant_scope(organisation):
        content = write_xlsx([Sheet("Processen", process_kind.COLUMNS, _new_rows(13))])
        kind = services.KINDS["processen"]

        def bare_read() -> None:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            for _row in workbook.worksheets[0].iter_rows(values_only=True):
                pass
            workbook.close()

        def dry_run() -> Any:
            return services._plan(kind, services._read(kind, content, "processen.xlsx"))

        bare = _best_of(IMPORT_REPEATS, bare_read)
        dry = _best_of(IMPORT_REPEATS, dry_run)
        plan = dry_run()
        if not plan.ok or plan.count("nieuw") != IMPORT_ROWS:
            print(f"the benchmark file does not plan cleanly: {plan.issues[:3]}", file=sys.stderr)
            return False
        _preview, batch = services.import_preview(
            actor=coordinator, organisation=organisation, kind=kind, content=content, filename="processen.xlsx"
        )
        assert batch is not None
        start = time.perf_counter()
        services.import_confirm(actor=coordinator, organisation=organisation, batch=batch)
        write = (time.perf_counter() - start) * 1000
    results["import_1000_openpyxl_read"] = (round(bare, 1), "ms")
    results["import_1000_dry_run"] = (round(dry, 1), "ms")
    results["import_1000_dry_run_ratio"] = (round(dry / bare, 2), "ratio")
    results["import_1000_write_with_audit"] = (round(write, 1), "ms")
    return True

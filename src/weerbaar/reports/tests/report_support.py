"""Helpers for the report tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans.models import Scan
from weerbaar.scans.tests.repeat_support import closed_scan
from weerbaar.scans.tests.results_support import scan_with_results
from weerbaar.scans.tests.support import LEVELS
from weerbaar.testing.world import Tenant, World

HIGH = dict(LEVELS, **{"belang-derden": 4, "geldstromen": 4, "solistisch-werken": 4})


@dataclass
class Scanned:
    processes: list[Process]
    previous: Scan
    scan: Scan


def two_rounds(world: World, *, names: tuple[str, ...] = ("Evenementenvergunning", "Bijzondere bijstand")) -> Scanned:
    """Gemeente A with two closed scans of the same processes: 2025 and then 2026 (one process rated high)."""
    tenant = world.a
    with tenant_scope(tenant.organisation):
        processes = [make_process(tenant, name=name) for name in names]
        previous = closed_scan(tenant, processes, name="Scan 2025")
        scan = scan_with_results(tenant, processes, name="Scan 2026", scores={processes[-1].pk: HIGH})
    return Scanned(processes, previous, scan)


def one_round(tenant: Tenant, names: tuple[str, ...]) -> Scan:
    with tenant_scope(tenant.organisation):
        processes = [make_process(tenant, name=name) for name in names]
        return scan_with_results(tenant, processes, name="Scan 2026")


def today() -> dt.date:
    return timezone.localdate()


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of every page of ``pdf``."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def flat(text: str) -> str:
    """PDF text with its line breaks and hyphenation undone, for searching phrases."""
    return " ".join(text.replace("\r", " ").replace("\n", " ").replace("\ufffe", "").split())

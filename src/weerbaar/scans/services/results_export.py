"""The priority list as an .xlsx file, recorded in the audit trail.

An export only reads, but it is the map of the organisation's weak spots leaving the application:
the trail shows who took it, of which scan, with which filters and how many rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.audit.services import record
from weerbaar.core.models import Organisation, User
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors.results import ResultRow
from weerbaar.spreadsheets import Column, Sheet, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[Column]:
    return [
        Column("rank", _("Prioriteit")),
        Column("code", _("Code")),
        Column("name", _("Proces")),
        Column("unit", _("Afdeling")),
        Column("category", _("Categorie")),
        Column("owner", _("Eigenaar")),
        Column("vulnerability", _("Kwetsbaarheid (0-100)")),
        Column("likelihood", _("Kans (1-5)")),
        Column("impact", _("Impact (1-5)")),
        Column("risk", _("Risicoklasse")),
        Column("single_rater", _("Eén beoordelaar")),
        Column("change", _("Verschil met vorige scan")),
        Column("previous_scan", _("Vorige scan")),
    ]


def _cells(rank: int, row: ResultRow) -> list[object]:
    process = row.process
    owner = (process.owner.user.full_name or process.owner.user.email) if process.owner else ""
    return [
        rank,
        process.code,
        process.name,
        process.unit.name if process.unit else "",
        process.category.name,
        owner,
        row.vulnerability,
        row.likelihood,
        row.impact,
        str(row.risk.label),
        row.single_rater,
        row.change.text,
        row.change.previous_scan,
    ]


def _filename(organisation: Organisation) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in organisation.name.lower()).strip("-")
    return f"weerbaar-prioriteitenlijst-{slug}-{timezone.localdate().isoformat()}.xlsx"


def results_export(
    *,
    actor: User,
    organisation: Organisation,
    scan: Scan,
    rows: Sequence[ResultRow],
    filters: Sequence[str] = (),
) -> tuple[bytes, str]:
    """(content, file name) of the priority list; the export is audited as ``results.export``."""
    now = timezone.localtime()
    name = actor.full_name or actor.email
    preamble = [
        _("Prioriteitenlijst kwetsbare processen"),
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _("Scan: %(name)s") % {"name": scan.name} + ("" if scan.is_closed else " – " + _("voorlopig (consensusfase)")),
        _("Geëxporteerd door %(name)s op %(moment)s")
        % {"name": name, "moment": date_format(now, "j F Y") + " " + now.strftime("%H:%M")},
        _("Filters: %(filters)s") % {"filters": "; ".join(filters)} if filters else _("Filters: geen"),
        _("Vertrouwelijk: dit overzicht laat zien waar de organisatie kwetsbaar is. Deel het niet verder dan nodig."),
    ]
    sheet = Sheet(
        title=_("Prioriteitenlijst"),
        columns=_columns(),
        rows=[_cells(rank, row) for rank, row in enumerate(rows, start=1)],
        preamble=preamble,
    )
    content = write_xlsx([sheet], title=_("Weerbaar – prioriteitenlijst – %(name)s") % {"name": organisation.name})
    record(
        action="results.export",
        actor=actor,
        organisation=organisation,
        obj=scan,
        changes={
            "scan": [None, scan.name],
            "formaat": [None, "xlsx"],
            "regels": [None, len(rows)],
            "filters": [None, "; ".join(filters)],
        },
    )
    return content, _filename(organisation)


def record_results_read(*, actor: User, organisation: Organisation, scan: Scan | None, count: int, page: str) -> None:
    """The API hands out the same map of weak spots as the export: each page read is in the trail."""
    record(
        action="results.api",
        actor=actor,
        organisation=organisation,
        obj=scan,
        object_type="" if scan is not None else "scans.scan",
        object_label="" if scan is not None else _("laatste afgesloten scan"),
        changes={"regels": [None, count], "pagina": [None, page]},
    )

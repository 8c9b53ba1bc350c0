"""One scan's consensus and every rater's rating as an .xlsx file, recorded in the audit trail.

Three sheets: "Consensus" (a row per process: the settled values, the score and the consensus
note), "Per beoordelaar" (a row per handed-in rating: the rater's name, values and rationales) and
"Verschillen" (where raters differ by 2 or more). The file names raters and shows where the
organisation is weak, so it says "Vertrouwelijk" and the trail records who took it and how many
rows. Every text goes through ``weerbaar.spreadsheets.write_xlsx``: text stays text.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.audit.services import record
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.scans.agreement import agreement
from weerbaar.scans.models import IMPACT_DIMENSIONS, Rating, Scan, ScanProcess
from weerbaar.scans.selectors.ratings_export import RatingsExportData
from weerbaar.scans.selectors.results import risk_class, whole
from weerbaar.spreadsheets import Column, Sheet, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(member: Membership | None) -> str:
    if member is None:
        return ""
    return member.user.full_name or member.user.email


def _process_columns() -> list[Column]:
    return [Column("code", _("Code")), Column("process", _("Proces")), Column("unit", _("Afdeling"))]


def _process_cells(scan_process: ScanProcess) -> list[object]:
    process = scan_process.process
    return [process.code, process.name, process.unit.name if process.unit else ""]


def _impact_columns() -> list[Column]:
    return [Column(f"impact-{key}", _("Impact: %(name)s (1-5)") % {"name": label}) for key, label in IMPACT_DIMENSIONS]


def _consensus_sheet(data: RatingsExportData, preamble: list[str]) -> Sheet:
    columns = [
        *_process_columns(),
        Column("status", _("Consensus")),
        *[Column(f"k-{each.key}", f"{each.code} {each.name} (0-4)") for each in data.characteristics],
        *_impact_columns(),
        Column("vulnerability", _("Kwetsbaarheid (0-100)")),
        Column("likelihood", _("Kans (1-5)")),
        Column("impact", _("Impact (1-5)")),
        Column("risk", _("Risicoklasse")),
        Column("single_rater", _("Eén beoordelaar")),
        Column("note", _("Toelichting bij de consensus")),
        Column("settled_by", _("Vastgesteld door")),
        Column("settled_at", _("Vastgesteld op")),
    ]
    settled, open_ = _("vastgesteld"), _("nog niet vastgesteld")
    rows = []
    for scan_process in data.scan_processes:
        likelihood, impact = scan_process.likelihood, scan_process.impact
        risk = str(risk_class(likelihood, impact).label) if likelihood and impact else ""
        rows.append(
            [
                *_process_cells(scan_process),
                settled if scan_process.is_settled else open_,
                *[scan_process.consensus_scores.get(each.key) for each in data.characteristics],
                *[scan_process.consensus_impact.get(key) for key, _label in IMPACT_DIMENSIONS],
                whole(scan_process.vulnerability) if scan_process.vulnerability is not None else None,
                likelihood,
                impact,
                risk,
                scan_process.single_rater,
                scan_process.consensus_note,
                _person(scan_process.consensus_by),
                scan_process.consensus_at,
            ]
        )
    return Sheet(title=_("Consensus"), columns=columns, rows=rows, preamble=preamble)


def _rater_sheet(data: RatingsExportData, preamble: list[str]) -> Sheet:
    columns = [*_process_columns(), Column("rater", _("Beoordelaar"))]
    for each in data.characteristics:
        columns.append(Column(f"k-{each.key}", f"{each.code} {each.name} (0-4)"))
        columns.append(Column(f"r-{each.key}", _("%(code)s toelichting") % {"code": each.code}))
    columns += [
        *_impact_columns(),
        Column("certainty", _("Hoe zeker")),
        Column("note", _("Algemene toelichting")),
        Column("submitted_at", _("Ingeleverd op")),
    ]
    rows = []
    for scan_process, ratings in _grouped(data):
        for rating in ratings:
            values: list[object] = [*_process_cells(scan_process), _person(rating.rater)]
            for each in data.characteristics:
                values += [rating.scores.get(each.key), rating.rationales.get(each.key, "")]
            values += [rating.impact.get(key) for key, _label in IMPACT_DIMENSIONS]
            values += [rating.get_certainty_display() if rating.certainty else "", rating.note, rating.submitted_at]
            rows.append(values)
    return Sheet(title=_("Per beoordelaar"), columns=columns, rows=rows, preamble=preamble)


def _differences_sheet(data: RatingsExportData, preamble: list[str]) -> Sheet:
    columns = [
        *_process_columns(),
        Column("item", _("Onderdeel")),
        Column("lowest", _("Laagste score")),
        Column("highest", _("Hoogste score")),
        Column("spread", _("Spreiding")),
        Column("consensus", _("Consensus")),
    ]
    items: list[tuple[str, str, str]] = [
        ("scores", each.key, f"{each.code} {each.name}") for each in data.characteristics
    ] + [("impact", key, _("Impact: %(name)s") % {"name": label}) for key, label in IMPACT_DIMENSIONS]
    rows = []
    for scan_process, ratings in _grouped(data):
        for field, key, label in items:
            found = agreement([getattr(rating, field) for rating in ratings], key)
            if not found.disagree:
                continue
            settled = (scan_process.consensus_scores if field == "scores" else scan_process.consensus_impact).get(key)
            rows.append(
                [*_process_cells(scan_process), label, found.values[0], found.values[-1], found.spread, settled]
            )
    return Sheet(title=_("Verschillen"), columns=columns, rows=rows, preamble=preamble)


def _grouped(data: RatingsExportData) -> list[tuple[ScanProcess, list[Rating]]]:
    by_process = data.ratings_by_process()
    return [(scan_process, by_process[scan_process.pk]) for scan_process in data.scan_processes]


def _filename(organisation: Organisation, scan: Scan) -> str:
    def slug(text: str) -> str:
        return "".join(char if char.isascii() and char.isalnum() else "-" for char in text.lower()).strip("-")

    day = timezone.localdate().isoformat()
    return f"weerbaar-beoordelingen-{slug(organisation.name)}-{slug(scan.name)[:60]}-{day}.xlsx"


def ratings_export(
    *, actor: User, organisation: Organisation, scan: Scan, data: RatingsExportData
) -> tuple[bytes, str]:
    """(content, file name) of the scan's consensus and ratings; audited as ``results.export_ratings``."""
    now = timezone.localtime()
    state = _("afgesloten") if scan.is_closed else _("consensusfase, nog niet afgesloten")
    preamble = [
        _("Beoordelingen en consensus van een scan"),
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _("Scan: %(name)s (%(state)s)") % {"name": scan.name, "state": state},
        _("Geëxporteerd door %(name)s op %(moment)s")
        % {"name": actor.full_name or actor.email, "moment": date_format(now, "j F Y") + " " + now.strftime("%H:%M")},
        _("Alleen ingeleverde beoordelingen; verschillen zijn scores die 2 of meer uit elkaar liggen."),
        _(
            "Vertrouwelijk: dit bestand noemt beoordelaars bij naam en laat zien waar de organisatie kwetsbaar is. "
            "Deel het niet verder dan nodig."
        ),
    ]
    differences = _differences_sheet(data, preamble)
    sheets = [_consensus_sheet(data, preamble), _rater_sheet(data, preamble), differences]
    content = write_xlsx(
        sheets,
        title=_("Weerbaar – beoordelingen – %(scan)s – %(name)s") % {"scan": scan.name, "name": organisation.name},
    )
    record(
        action="results.export_ratings",
        actor=actor,
        organisation=organisation,
        obj=scan,
        changes={
            "scan": [None, scan.name],
            "formaat": [None, "xlsx"],
            "processen": [None, len(data.scan_processes)],
            "beoordelingen": [None, len(data.ratings)],
            "verschillen": [None, len(list(differences.rows))],
        },
    )
    return content, _filename(organisation, scan)

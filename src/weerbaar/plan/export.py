"""The action plan as an .xlsx file, recorded in the audit trail.

The plan says which weak spots a municipality is still working on and which measures have quietly
died: the trail shows who took it, when, with which filters and how many lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.audit.services import record
from weerbaar.core.models import Organisation, User
from weerbaar.plan.models import PlannedMeasure
from weerbaar.plan.selectors.plan_list import plan_row
from weerbaar.spreadsheets import Column, Sheet, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[Column]:
    return [
        Column("measure", _("Maatregel")),
        Column("code", _("Procescode")),
        Column("process", _("Proces")),
        Column("unit", _("Afdeling")),
        Column("owner", _("Eigenaar")),
        Column("status", _("Status")),
        Column("due_date", _("Gereed op")),
        Column("overdue", _("Te laat")),
        Column("implemented_on", _("Geïmplementeerd op")),
        Column("life", _("Levendigheid")),
        Column("liveness", _("Levendigheid (%)")),
        Column("effectiveness", _("Effectiviteit")),
        Column("last_reviewed_on", _("Laatst herzien op")),
        Column("cadence", _("Herzien elke (maanden)")),
        Column("review_due_on", _("Volgende herziening")),
        Column("note", _("Toelichting")),
    ]


def _cells(line: PlannedMeasure, today: dt.date) -> list[object]:
    row = plan_row(line, today)
    process = line.process
    owner = line.owner.user if line.owner is not None else None
    return [
        line.measure.name,
        process.code if process is not None else "",
        process.name if process is not None else _("Hele organisatie"),
        process.unit.name if process is not None and process.unit is not None else "",
        (owner.full_name or owner.email) if owner is not None else "",
        line.get_status_display(),
        line.due_date,
        _("ja, %(days)s dagen") % {"days": row.overdue_days} if row.overdue_days else _("nee"),
        line.implemented_on,
        row.life_label,
        row.liveness_percent,
        line.get_effectiveness_display() if line.effectiveness else "",
        line.last_reviewed_on,
        line.review_cadence_months,
        row.review_due_on,
        line.note,
    ]


def _filename(organisation: Organisation) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in organisation.name.lower()).strip("-")
    return f"weerbaar-actieplan-{slug}-{timezone.localdate().isoformat()}.xlsx"


def plan_export(
    *,
    actor: User,
    organisation: Organisation,
    lines: Iterable[PlannedMeasure],
    filters: Sequence[str] = (),
) -> tuple[bytes, str]:
    """(content, file name) of the action plan; audited as ``plan.export``."""
    now = timezone.localtime()
    today = timezone.localdate()
    rows = [_cells(line, today) for line in lines]
    preamble = [
        _("Actieplan weerbaarheid"),
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _("Geëxporteerd door %(name)s op %(moment)s")
        % {"name": actor.full_name or actor.email, "moment": date_format(now, "j F Y") + " " + now.strftime("%H:%M")},
        _("Filters: %(filters)s") % {"filters": "; ".join(filters)} if filters else _("Filters: geen"),
        _(
            "Vertrouwelijk: dit actieplan laat zien waar de organisatie kwetsbaar is en welke maatregelen niet "
            "meer leven. Deel het niet verder dan nodig."
        ),
    ]
    sheet = Sheet(title=_("Actieplan"), columns=_columns(), rows=rows, preamble=preamble)
    content = write_xlsx([sheet], title=_("Weerbaar – actieplan – %(name)s") % {"name": organisation.name})
    record(
        action="plan.export",
        actor=actor,
        organisation=organisation,
        obj=None,
        object_type="plan.plannedmeasure",
        object_label=_("actieplan"),
        changes={
            "formaat": [None, "xlsx"],
            "regels": [None, len(rows)],
            "filters": [None, "; ".join(filters)],
        },
    )
    return content, _filename(organisation)

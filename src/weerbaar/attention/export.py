"""The due list as an .xlsx file, recorded in the audit trail (``attention.export``).

The same rows as the page, with the same filters. Every text cell goes through
``weerbaar.spreadsheets.write_xlsx``, which stores text as text so a subject like "=1+1" stays
literal (see ``spreadsheets/writing.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from weerbaar.attention.selectors.due import DueRow
from weerbaar.audit.services import record
from weerbaar.core.models import Organisation, User
from weerbaar.spreadsheets import Column, Sheet, write_xlsx

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _columns() -> list[Column]:
    return [
        Column("kind", _("Soort")),
        Column("what", _("Wat")),
        Column("detail", _("Toelichting")),
        Column("owner", _("Eigenaar")),
        Column("due_on", _("Uiterlijk op")),
        Column("days_late", _("Dagen te laat")),
        Column("state", _("Stand")),
    ]


def _cells(row: DueRow) -> list[object]:
    owner = ""
    if row.owner is not None:
        owner = row.owner.user.full_name or row.owner.user.email
    return [
        str(row.kind_label),
        row.what,
        row.detail,
        owner,
        row.due_on,
        row.days_late,
        row.lateness,
    ]


def _filename(organisation: Organisation) -> str:
    slug = "".join(char if char.isalnum() else "-" for char in organisation.name.lower()).strip("-")
    return f"weerbaar-te-doen-{slug}-{timezone.localdate().isoformat()}.xlsx"


def due_export(
    *, actor: User, organisation: Organisation, rows: Sequence[DueRow], filters: Sequence[str] = ()
) -> tuple[bytes, str]:
    """(content, file name) of the due list; the export is audited as ``attention.export``."""
    now = timezone.localtime()
    name = actor.full_name or actor.email
    preamble = [
        _("Wat er te doen is: openstaand en te laat"),
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _("Geëxporteerd door %(name)s op %(moment)s")
        % {"name": name, "moment": date_format(now, "j F Y") + " " + now.strftime("%H:%M")},
        _("Filters: %(filters)s") % {"filters": "; ".join(filters)} if filters else _("Filters: geen"),
        _("Vertrouwelijk: dit overzicht noemt kwetsbare processen en functies. Deel het niet verder dan nodig."),
    ]
    sheet = Sheet(title=_("Te doen"), columns=_columns(), rows=[_cells(row) for row in rows], preamble=preamble)
    content = write_xlsx([sheet], title=_("Weerbaar – te doen – %(name)s") % {"name": organisation.name})
    record(
        action="attention.export",
        actor=actor,
        organisation=organisation,
        object_type="attention.due_list",
        object_label=_("lijst van wat er te doen is"),
        changes={"formaat": [None, "xlsx"], "regels": [None, len(rows)], "filters": [None, "; ".join(filters)]},
    )
    return content, _filename(organisation)

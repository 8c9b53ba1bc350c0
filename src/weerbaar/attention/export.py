"""The attention lists as .xlsx files, each recorded in the audit trail (``attention.export``).

Three lists: what is due (the same rows and filters as the page), the recurring activities (with
last done, next due, owner and how far each reached in its last cadence window) and the
organisation-wide measures checklist (group, measure, status, liveness, owner, reach). The audit
event's object type tells them apart. Every text cell goes through
``weerbaar.spreadsheets.write_xlsx``, which stores text as text so a subject like "=1+1" stays
literal (see ``spreadsheets/writing.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.models import ActivityLog
from weerbaar.attention.selectors.activities import (
    ActivityRow,
    Reach,
    activity_reach,
    activity_state,
    visible_activities,
)
from weerbaar.attention.selectors.checklist import Checklist, ItemState
from weerbaar.attention.selectors.due import DueRow
from weerbaar.audit.services import record
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.plan.models import add_months
from weerbaar.register.models import Position
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


# --- shared ----------------------------------------------------------------------------------------


def _exported_by(actor: User) -> str:
    now = timezone.localtime()
    return _("Geëxporteerd door %(name)s op %(moment)s") % {
        "name": actor.full_name or actor.email,
        "moment": date_format(now, "j F Y") + " " + now.strftime("%H:%M"),
    }


def _person(member: Membership | None) -> str:
    return (member.user.full_name or member.user.email) if member is not None else ""


def _names(*groups: Iterable[Unit] | Iterable[Position]) -> str:
    return "; ".join(item.name for group in groups for item in group)


def _slug(organisation: Organisation) -> str:
    return "".join(char if char.isascii() and char.isalnum() else "-" for char in organisation.name.lower()).strip("-")


# --- recurring activities ----------------------------------------------------------------------------

#: The longest cadence an activity may have (the model's check constraint): the export reads the
#: done-log this far back, once for all activities, and each activity keeps its own window.
LONGEST_CADENCE_MONTHS = 60


@dataclass(frozen=True)
class ActivityExportRow:
    row: ActivityRow
    reach: Reach


def activity_export_rows(member: Membership, today: dt.date, *, archived: bool = False) -> list[ActivityExportRow]:
    """The activity list with each activity's reach, in the list's order; six queries for any number.

    The activities (with owner), their target units and positions, the done-log of the longest
    cadence window, and that log's units and positions. The need-to-know rule is the list's
    (`visible_activities`): an owner who is not the coordinator or secretaris gets only their own.
    """
    recent = ActivityLog.objects.filter(
        done_on__gt=add_months(today, -LONGEST_CADENCE_MONTHS), done_on__lte=today
    ).prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by(Lower("name"), "pk")),
        Prefetch("positions", queryset=Position.objects.order_by(Lower("name"), "pk")),
    )
    activities = (
        visible_activities(member)
        .filter(is_active=not archived)
        .select_related("owner__user")
        .prefetch_related(
            Prefetch("target_units", queryset=Unit.objects.order_by(Lower("name"), "pk")),
            Prefetch("target_positions", queryset=Position.objects.order_by(Lower("name"), "pk")),
            Prefetch("log", queryset=recent, to_attr="recent_log"),
        )
    )
    rows = [
        ActivityExportRow(
            activity_state(activity, today), activity_reach(activity, getattr(activity, "recent_log", []), today)
        )
        for activity in activities
    ]
    rows.sort(key=lambda each: (each.row.next_due_on, each.row.activity.name.casefold(), each.row.activity.pk))
    return rows


def _activity_columns() -> list[Column]:
    return [
        Column("name", _("Activiteit")),
        Column("kind", _("Soort")),
        Column("cadence", _("Herhaling")),
        Column("owner", _("Eigenaar")),
        Column("last_done_on", _("Laatst gedaan")),
        Column("next_due_on", _("Volgende keer")),
        Column("state", _("Stand")),
        Column("days_late", _("Dagen te laat")),
        Column("targets", _("Bedoeld voor")),
        Column("since", _("Bereik gemeten vanaf")),
        Column("reached", _("Bereikt")),
        Column("missing", _("Nog niet bereikt")),
        Column("description", _("Omschrijving")),
    ]


def _activity_cells(each: ActivityExportRow) -> list[object]:
    activity, reach = each.row.activity, each.reach
    targets = _names(activity.target_units.all(), activity.target_positions.all())
    months = activity.cadence_months
    return [
        activity.name,
        activity.get_kind_display(),
        ngettext("elke maand", "elke %(count)s maanden", months) % {"count": months},
        _person(activity.owner),
        activity.last_done_on,
        each.row.next_due_on,
        str(each.row.state_label),
        each.row.days_late,
        targets or _("niet vastgelegd"),
        reach.since,
        _names(reach.units, reach.positions),
        _names(reach.missing_units, reach.missing_positions),
        activity.description,
    ]


def activities_export(
    *, actor: User, organisation: Organisation, rows: Sequence[ActivityExportRow], archived: bool, sees_all: bool
) -> tuple[bytes, str]:
    """(content, file name) of the activity list; audited as ``attention.export`` of ``attention.activities``."""
    title = _("Terugkerende activiteiten") if sees_all else _("Mijn activiteiten")
    preamble = [
        title,
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _exported_by(actor),
        _("Getoond: de gearchiveerde activiteiten") if archived else _("Getoond: de actieve activiteiten"),
        _(
            "Bereik: de afdelingen, teams en functies die een activiteit bereikte in haar laatste periode "
            "(één herhaling terug), naast wie zij moet bereiken."
        ),
        _("Vertrouwelijk: dit overzicht noemt kwetsbare functies. Deel het niet verder dan nodig."),
    ]
    sheet = Sheet(
        title=_("Activiteiten"),
        columns=_activity_columns(),
        rows=[_activity_cells(row) for row in rows],
        preamble=preamble,
    )
    content = write_xlsx([sheet], title=_("Weerbaar – activiteiten – %(name)s") % {"name": organisation.name})
    record(
        action="attention.export",
        actor=actor,
        organisation=organisation,
        object_type="attention.activities",
        object_label=_("terugkerende activiteiten"),
        changes={
            "formaat": [None, "xlsx"],
            "regels": [None, len(rows)],
            "filters": [None, _("gearchiveerd") if archived else _("actief")],
        },
    )
    return content, f"weerbaar-activiteiten-{_slug(organisation)}-{timezone.localdate().isoformat()}.xlsx"


# --- the organisation-wide measures checklist --------------------------------------------------------


def _checklist_columns() -> list[Column]:
    return [
        Column("group", _("Groep")),
        Column("theme", _("Thema")),
        Column("measure", _("Maatregel")),
        Column("own", _("Eigen maatregel")),
        Column("status", _("Status")),
        Column("liveness", _("Levendigheid")),
        Column("liveness_percent", _("Levendigheid (%)")),
        Column("owner", _("Eigenaar")),
        Column("due_date", _("Gereed op")),
        Column("implemented_on", _("Geïmplementeerd op")),
        Column("last_reviewed_on", _("Laatst herzien op")),
        Column("reach", _("Bereik")),
        Column("units", _("Afdelingen en teams")),
        Column("evidence", _("Bewijsstukken")),
        Column("note", _("Toelichting of reden van afwijzen")),
    ]


def _checklist_rows(checklist: Checklist) -> list[list[object]]:
    rows: list[list[object]] = []
    for group in checklist.groups:
        for theme in group.themes:
            for item in theme.items:
                planned = item.planned
                rejected = item.state == ItemState.REJECTED
                rows.append(
                    [
                        group.label,
                        theme.title,
                        item.measure.name,
                        not item.measure.is_national,
                        item.state_label,
                        item.liveness_label,
                        round(item.liveness * 100) if item.liveness is not None else None,
                        _person(planned.owner) if planned is not None else "",
                        planned.due_date if planned is not None else None,
                        planned.implemented_on if planned is not None else None,
                        planned.last_reviewed_on if planned is not None else None,
                        item.reach,
                        _names(planned.units.all()) if planned is not None and not planned.reaches_all_units else "",
                        item.evidence_count if planned is not None else None,
                        (planned.rejection_reason if rejected else planned.note) if planned is not None else "",
                    ]
                )
    return rows


def checklist_export(*, actor: User, organisation: Organisation, checklist: Checklist) -> tuple[bytes, str]:
    """(content, file name) of the checklist; audited as ``attention.export`` of ``attention.checklist``."""
    summary = checklist.summary
    preamble = [
        _("Organisatiebrede maatregelen"),
        _("Organisatie: %(name)s") % {"name": organisation.name},
        _exported_by(actor),
        _("Voortgang: %(summary)s") % {"summary": summary.text},
        _(
            "Vertrouwelijk: dit overzicht laat zien welke maatregelen niet (meer) leven. "
            "Deel het niet verder dan nodig."
        ),
    ]
    rows = _checklist_rows(checklist)
    sheet = Sheet(title=_("Organisatiebreed"), columns=_checklist_columns(), rows=rows, preamble=preamble)
    content = write_xlsx(
        [sheet], title=_("Weerbaar – organisatiebrede maatregelen – %(name)s") % {"name": organisation.name}
    )
    record(
        action="attention.export",
        actor=actor,
        organisation=organisation,
        object_type="attention.checklist",
        object_label=_("organisatiebrede maatregelen"),
        changes={"formaat": [None, "xlsx"], "regels": [None, len(rows)]},
    )
    return content, f"weerbaar-organisatiebreed-{_slug(organisation)}-{timezone.localdate().isoformat()}.xlsx"

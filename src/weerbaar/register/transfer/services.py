"""Import (preview, then confirm) and export of the register; every write audited.

The preview stores the uploaded file as an ``ImportBatch`` with the digest of the plan it showed.
The confirmation reads the file again, plans again and writes only if the plan is still the one
the user saw (someone may have changed the register meanwhile), in one transaction: a row the
services refuse rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import record
from weerbaar.core.models import Organisation, User
from weerbaar.core.services.common import lock_organisation
from weerbaar.register.models import IMPORT_BATCH_HOURS, ImportBatch
from weerbaar.register.transfer import positions, processes, units
from weerbaar.register.transfer.common import UNCHANGED, ImportPlan, Issue, Kind, validation_messages
from weerbaar.spreadsheets import SpreadsheetError, Table, read_table, write_csv, write_xlsx

KINDS: dict[str, Kind] = {kind.key: kind for kind in (processes.KIND, positions.KIND, units.KIND)}

#: A register has hundreds of rows; a file with more is a mistake (or an attack), refused before parsing.
MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024

XLSX = "xlsx"
CSV = "csv"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


class ImportRefused(Exception):
    """The confirmation found errors (the services refused rows); nothing was written."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("import refused")
        self.plan = plan


class PlanChanged(Exception):
    """The register changed between preview and confirmation; the new plan must be shown first."""


def _read(kind: Kind, content: bytes, filename: str) -> Table:
    return read_table(
        content, filename=filename, columns=kind.columns, max_rows=MAX_IMPORT_ROWS, max_bytes=MAX_IMPORT_BYTES
    )


def _plan(kind: Kind, table: Table) -> ImportPlan:
    plan = kind.plan(table)
    formula_issues = [
        Issue(row.number, column.header, _("Formules worden niet overgenomen; typ de waarde zelf."))
        for row in table.rows
        for column in kind.columns
        if column.key in row.formulas
    ]
    plan.issues = sorted([*formula_issues, *plan.issues], key=lambda issue: issue.row)
    if table.ignored_headers:
        plan.notices.append(
            _("Deze kolommen kent Weerbaar niet; ze worden overgeslagen: %(columns)s.")
            % {"columns": ", ".join(table.ignored_headers)}
        )
    if not table.rows:
        plan.notices.append(_("Het bestand bevat geen regels onder de kopjes."))
    return plan


def read_upload(upload: IO[bytes]) -> bytes:
    """The upload's bytes, one byte past the limit at most (the reader then refuses it clearly)."""
    return upload.read(MAX_IMPORT_BYTES + 1)


@transaction.atomic
def import_preview(
    *, actor: User, organisation: Organisation, kind: Kind, content: bytes, filename: str
) -> tuple[ImportPlan, ImportBatch | None]:
    """The dry run. Raises ``SpreadsheetError`` for a file that cannot be read at all.

    Returns the plan, and the stored batch to confirm when the plan is clean and changes something.
    """
    table = _read(kind, content, filename)
    plan = _plan(kind, table)
    cutoff = timezone.now() - dt.timedelta(hours=IMPORT_BATCH_HOURS)
    # Expired batches, and this person's earlier preview of the same kind, in one statement.
    ImportBatch.objects.filter(Q(created_at__lt=cutoff) | Q(created_by=actor, kind=kind.key)).delete()
    if not plan.ok or not plan.has_changes:
        return plan, None
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=kind.key,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        plan_digest=plan.digest(),
        created_by=actor,
    )
    return plan, batch


@transaction.atomic
def import_confirm(*, actor: User, organisation: Organisation, batch: ImportBatch) -> ImportPlan:
    """Write the previewed import, all or nothing; the batch is used up."""
    lock_organisation(organisation.pk)
    kind = KINDS[batch.kind]
    plan = _plan(kind, _read(kind, bytes(batch.content), batch.filename))
    if not plan.ok or plan.digest() != batch.plan_digest:
        raise PlanChanged
    created: dict[str, Any] = {}
    for row in plan.rows:
        if row.action == UNCHANGED:
            continue
        try:
            with transaction.atomic():
                kind.apply_row(row, actor=actor, organisation=organisation, created=created)
        except ValidationError as error:
            for column, message in validation_messages(error, kind.headers):
                plan.issues.append(Issue(row.number, column, message))
    if plan.issues:
        raise ImportRefused(plan)
    record(
        action="register.import",
        actor=actor,
        organisation=organisation,
        object_type="register.importbatch",
        object_label=batch.filename,
        changes={
            "soort": [None, kind.key],
            "bestand": [None, batch.filename],
            "sha256": [None, batch.sha256],
            "nieuw": [None, plan.count("nieuw")],
            "gewijzigd": [None, plan.count("wijzigen")],
        },
    )
    batch.delete()
    return plan


def _filename(kind: Kind, organisation: Organisation, extension: str, *, suffix: str = "") -> str:
    day = timezone.localdate().isoformat()
    slug = "".join(char if char.isalnum() else "-" for char in organisation.name.lower()).strip("-")
    return f"weerbaar-{kind.key}{suffix}-{slug}-{day}.{extension}"


def export_file(
    *,
    actor: User,
    organisation: Organisation,
    kind: Kind,
    file_format: str,
    rows: Iterable[Sequence[object]] | None = None,
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an export; recorded in the audit trail (it is sensitive)."""
    data_rows = list(rows if rows is not None else kind.export_rows())
    sheet = kind.sheet(data_rows, with_choices=file_format == XLSX)
    if file_format == CSV:
        content = write_csv(sheet)
    else:
        file_format = XLSX
        content = write_xlsx([sheet], title=f"Weerbaar – {kind.label} – {organisation.name}")
    record(
        action="register.export",
        actor=actor,
        organisation=organisation,
        object_type="register.export",
        object_label=str(kind.label),
        changes={"soort": [None, kind.key], "formaat": [None, file_format], "regels": [None, len(data_rows)]},
    )
    return content, CONTENT_TYPES[file_format], _filename(kind, organisation, file_format)


def template_file(*, organisation: Organisation, kind: Kind) -> tuple[bytes, str, str]:
    """An empty workbook with the instructions and the drop-down lists: no register data in it."""
    content = write_xlsx(
        [kind.sheet([])], instructions=kind.instructions(), title=_("Importsjabloon %(kind)s") % {"kind": kind.label}
    )
    return content, CONTENT_TYPES[XLSX], _filename(kind, organisation, XLSX, suffix="-sjabloon")


__all__ = [
    "CSV",
    "KINDS",
    "XLSX",
    "ImportRefused",
    "PlanChanged",
    "SpreadsheetError",
    "export_file",
    "import_confirm",
    "import_preview",
    "read_upload",
    "template_file",
]

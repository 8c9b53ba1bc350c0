"""Safe reading and writing of tabular files (.xlsx and .csv) for imports and exports.

Plain Python over openpyxl and the csv module; no models, not a Django app. Importers call
`read_table` and turn its text rows into service calls; exports build `Sheet` objects and call
`write_xlsx` or `write_csv`. The rules (what is refused, how formulas are defused, how values
become text) are in the docstrings of `weerbaar.spreadsheets.reading` and
`weerbaar.spreadsheets.writing`.

Example::

    columns = [Column("name", "Naam", required=True, aliases=("Procesnaam",)), Column("code", "Code")]
    try:
        table = read_table(upload, filename=upload.name, columns=columns)
    except SpreadsheetError as error:
        form.add_error("file", error.message)
    errors = table.formula_errors()
    for row in table.rows:
        ...  # row.number, row.values["name"], row.formulas

    data = write_xlsx([Sheet(title="Processen", columns=columns, rows=[("Burgerzaken", "P-1")])])
"""

from .reading import (
    CHOICES_SHEET,
    INSTRUCTIONS_SHEET,
    MAX_CELL_LENGTH,
    Column,
    FileFormat,
    RowData,
    SpreadsheetError,
    Table,
    read_table,
)
from .writing import TEMPLATE_ROWS, Sheet, neutralise, write_csv, write_xlsx

__all__ = [
    "CHOICES_SHEET",
    "INSTRUCTIONS_SHEET",
    "MAX_CELL_LENGTH",
    "TEMPLATE_ROWS",
    "Column",
    "FileFormat",
    "RowData",
    "Sheet",
    "SpreadsheetError",
    "Table",
    "neutralise",
    "read_table",
    "write_csv",
    "write_xlsx",
]

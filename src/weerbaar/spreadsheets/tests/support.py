from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.spreadsheets import Column

FILES = Path(__file__).resolve().parent / "files"

PROCESS_COLUMNS = (
    Column("name", "Naam", required=True, aliases=("Procesnaam",)),
    Column("code", "Code"),
    Column("description", "Omschrijving"),
)


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


def xlsx(
    rows: Iterable[Sequence[object]],
    *,
    title: str = "Processen",
    adjust: Callable[[Workbook, Worksheet], None] | None = None,
) -> bytes:
    """A workbook as a user's Excel would hand it to us, built with plain openpyxl."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    if adjust:
        adjust(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, (replace or {}).get(name, source.read(name)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def member(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()

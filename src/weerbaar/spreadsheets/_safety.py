"""The checks an upload passes before openpyxl or the CSV reader sees it.

Reading the bytes within ``max_bytes``, deciding the format from the content (OLE2 → old .xls
or a password-protected workbook, zip → .xlsx after the zip-bomb, .ods, macro and .xlsb
checks, known binary signatures → refused, anything else → CSV), and checking that the file
name agrees with that format. The rules are described in `weerbaar.spreadsheets.reading`.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zipfile
from typing import IO, Protocol

from django.utils.translation import gettext as _

from ._table import _CONTROL_CHARACTERS, FileFormat, SpreadsheetError

# Named after the public module rather than this one: log filters (and a test) select on it.
logger = logging.getLogger("weerbaar.spreadsheets.reading")

MAX_ZIP_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small parts of a real workbook (styles, an empty sheet) pack far better than 1:100 and are
# harmless; the ratio only matters where the size does.
RATIO_CHECK_FROM_BYTES = 1024 * 1024

XLSX_EXTENSIONS = frozenset({".xlsx"})
CSV_EXTENSIONS = frozenset({".csv", ".txt"})

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Files people pick by mistake, recognised so the message can say what they look like. Only
# signatures no CSV starts with ("BM" or "MZ" could be a header); other binaries fail the
# control-byte check.
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
PDF_SIGNATURE = b"%PDF-"
OTHER_BINARY_SIGNATURES = (b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"\x7fELF", b"{\\rtf")


class BinaryReadable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def _display_name(filename: str) -> str:
    base = re.split(r"[\\/]", str(filename))[-1]
    base = _CONTROL_CHARACTERS.sub("", base).strip()
    if len(base) > 80:
        base = base[:77] + "…"
    return base or _("(zonder naam)")


def _extension(name: str) -> str:
    if "." not in name:
        return ""
    return "." + name.rsplit(".", 1)[1].lower()


def _read_bytes(upload: IO[bytes] | BinaryReadable | bytes, *, max_bytes: int, name: str) -> bytes:
    if isinstance(upload, bytes | bytearray | memoryview):
        data = bytes(upload)
    else:
        seek = getattr(upload, "seek", None)
        if callable(seek):
            with contextlib.suppress(OSError, ValueError):  # not every stream can rewind
                seek(0)
        data = upload.read(max_bytes + 1)
    if not data.strip():
        raise SpreadsheetError(_("Het bestand '%(name)s' is leeg.") % {"name": name}, code="empty")
    if len(data) > max_bytes:
        raise SpreadsheetError(
            _("Het bestand '%(name)s' is groter dan %(size)s. Splits het in kleinere bestanden.")
            % {"name": name, "size": _format_size(max_bytes)},
            code="too_large",
        )
    return data


def _format_size(size: int) -> str:
    megabytes = size / (1024 * 1024)
    if megabytes < 1:
        return f"{max(1, round(size / 1024))} kB"
    if megabytes == int(megabytes):
        return f"{int(megabytes)} MB"
    return f"{megabytes:.1f}".replace(".", ",") + " MB"


def _not_a_spreadsheet(name: str, hint: str = "") -> SpreadsheetError:
    message = _("Het bestand '%(name)s' is geen Excel- of CSV-bestand.") % {"name": name}
    if hint:
        message = f"{message} {hint}"
    message = f"{message} {_('Kies een Excel-werkmap (.xlsx) of een CSV-bestand (.csv).')}"
    return SpreadsheetError(message, code="not_a_spreadsheet")


# --- format detection ----------------------------------------------------------------------


def _detect_format(data: bytes, *, name: str, extension: str) -> FileFormat:
    if data.startswith(OLE2_SIGNATURE):
        raise _ole2_error(data, name=name)
    if data.startswith(ZIP_SIGNATURES):
        _check_zip(data, name=name, extension=extension)
        return "xlsx"
    if data.startswith(IMAGE_SIGNATURES):
        raise _not_a_spreadsheet(name, _("Het lijkt een afbeelding."))
    if data.startswith(PDF_SIGNATURE):
        raise _not_a_spreadsheet(name, _("Het lijkt een PDF-document."))
    if data.startswith(OTHER_BINARY_SIGNATURES):
        raise _not_a_spreadsheet(name)
    return "csv"


def _ole2_error(data: bytes, *, name: str) -> SpreadsheetError:
    # Office keeps a password-protected .xlsx inside an OLE2 container as "EncryptedPackage";
    # without that stream, an OLE2 file from Excel is the pre-2007 .xls format.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return SpreadsheetError(
            _(
                "Het bestand '%(name)s' is beveiligd met een wachtwoord. Haal de beveiliging eraf "
                "(in Excel: Bestand › Info › Werkmap beveiligen), sla het op en probeer het opnieuw."
            )
            % {"name": name},
            code="encrypted",
        )
    return SpreadsheetError(
        _(
            "Het bestand '%(name)s' is in het oude Excel-formaat (.xls). Open het in Excel, sla het op als "
            "Excel-werkmap (.xlsx) en probeer het opnieuw."
        )
        % {"name": name},
        code="legacy_xls",
    )


def _check_zip(data: bytes, *, name: str, extension: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _unreadable(name, exc) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise SpreadsheetError(
                _("Het bestand '%(name)s' bestaat uit te veel onderdelen om veilig te openen.") % {"name": name},
                code="too_complex",
            )
        total = 0
        for member in members:
            total += member.file_size
            packed = max(member.compress_size, 1)
            too_dense = member.file_size > RATIO_CHECK_FROM_BYTES and member.file_size / packed > MAX_COMPRESSION_RATIO
            if total > MAX_UNCOMPRESSED_BYTES or too_dense:
                raise SpreadsheetError(
                    _(
                        "Het bestand '%(name)s' pakt uit tot veel meer gegevens dan een lijst kan bevatten "
                        "en wordt daarom niet geopend. Kies het goede bestand of sla het opnieuw op in Excel."
                    )
                    % {"name": name},
                    code="zip_bomb",
                )
        names = {member.filename for member in members}
        lowered = {member_name.lower() for member_name in names}
        if "mimetype" in names and b"opendocument.spreadsheet" in _read_member(archive, "mimetype", name):
            raise SpreadsheetError(
                _(
                    "Het bestand '%(name)s' is een OpenDocument-rekenblad (.ods). Sla het op als Excel-werkmap "
                    "(.xlsx) of als CSV-bestand en probeer het opnieuw."
                )
                % {"name": name},
                code="ods",
            )
        if "[Content_Types].xml" not in names:
            raise _not_a_spreadsheet(name)
        content_types = _read_member(archive, "[Content_Types].xml", name)
        has_macros = (
            b"macroenabled" in content_types.lower()
            or any(member_name.rsplit("/", 1)[-1] == "vbaproject.bin" for member_name in lowered)
            or any(member_name.startswith("xl/macrosheets/") for member_name in lowered)
        )
        if has_macros or extension == ".xlsm":
            raise SpreadsheetError(
                _(
                    "Het bestand '%(name)s' bevat macro's. Die nemen we niet over: sla het in Excel op als "
                    "gewone Excel-werkmap (.xlsx) en probeer het opnieuw."
                )
                % {"name": name},
                code="macros",
            )
        if "xl/workbook.bin" in names:
            raise SpreadsheetError(
                _(
                    "Het bestand '%(name)s' is een binaire Excel-werkmap (.xlsb). Sla het op als gewone "
                    "Excel-werkmap (.xlsx) en probeer het opnieuw."
                )
                % {"name": name},
                code="xlsb",
            )
        if "xl/workbook.xml" not in names:
            raise _not_a_spreadsheet(name, _("Het lijkt een ander soort Office-document."))


def _read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        return archive.read(member)
    except Exception as exc:  # corrupt, encrypted or unsupported compression
        raise _unreadable(name, exc) from None


def _check_extension(file_format: FileFormat, *, name: str, extension: str) -> None:
    if file_format == "xlsx" and extension not in XLSX_EXTENSIONS:
        raise SpreadsheetError(
            _(
                "Het bestand '%(name)s' is geen Excel- of CSV-bestand zoals de naam zegt: de inhoud is een "
                "Excel-werkmap. Geef het de extensie .xlsx of sla het in Excel opnieuw op."
            )
            % {"name": name},
            code="extension_mismatch",
        )
    if file_format == "csv" and extension not in CSV_EXTENSIONS:
        if extension == ".xls":
            raise _ole2_error(b"", name=name)
        raise SpreadsheetError(
            _(
                "Het bestand '%(name)s' is geen Excel- of CSV-bestand zoals de naam zegt: de inhoud is platte "
                "tekst. Sla het in Excel op als Excel-werkmap (.xlsx) of als CSV-bestand (.csv)."
            )
            % {"name": name},
            code="extension_mismatch",
        )


def _unreadable(name: str, exc: BaseException) -> SpreadsheetError:
    causes = [type(exc).__name__]
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(causes) < 5:
        causes.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    logger.info("Unreadable spreadsheet upload: %s", " <- ".join(causes))
    return SpreadsheetError(
        _(
            "Het bestand '%(name)s' kan niet worden gelezen; het is mogelijk beschadigd. Open het in Excel, "
            "sla het opnieuw op als .xlsx en probeer het nog eens."
        )
        % {"name": name},
        code="unreadable",
    )

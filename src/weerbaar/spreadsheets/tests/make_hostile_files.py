"""Make the hostile and awkward upload files in ``files/`` that the reader tests use.

Run ``.venv/bin/python src/weerbaar/spreadsheets/tests/make_hostile_files.py`` after changing a
recipe; the output is committed so the tests read real files, as an upload would be. Zip entries
get a fixed date so a rerun changes only what a recipe changed. Every file stays well under 1 MB;
the zip bomb is about 250 kB on disk and declares 256 MB inside.

Needs only openpyxl (no Django), so it runs anywhere the venv does.
"""

from __future__ import annotations

import datetime
import io
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook

FILES = Path(__file__).resolve().parent / "files"
FIXED_DATE = (2026, 1, 1, 0, 0, 0)
FIXED_MOMENT = datetime.datetime(2026, 1, 1, 0, 0, 0)  # workbook properties are naive
HEADERS = ("Naam", "Code", "Omschrijving")
MANY_ROWS = 10_001
BOMB_BYTES = 256 * 1024 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- helpers -------------------------------------------------------------------------------


def _workbook_bytes(fill: Callable[[Workbook], None]) -> bytes:
    workbook = Workbook()
    fill(workbook)
    workbook.properties.creator = "Weerbaar tests"
    workbook.properties.created = FIXED_MOMENT
    workbook.properties.modified = FIXED_MOMENT
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    # openpyxl stamps the save moment as "modified"; pin it so reruns give the same bytes.
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*", r"\g<1>2026-01-01T00:00:00Z", core)
    return _repack(data, replace={"docProps/core.xml": core.encode()})


def _repack(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    stream: tuple[str, Callable[[], Iterable[bytes]]] | None = None,
) -> bytes:
    """Copy a zip with fixed dates, swapping or adding members; ``stream`` writes one member in chunks."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if stream and info.filename == stream[0]:
                member = zipfile.ZipInfo(info.filename, FIXED_DATE)
                member.compress_type = zipfile.ZIP_DEFLATED
                with target.open(member, "w", force_zip64=True) as handle:
                    for chunk in stream[1]():
                        handle.write(chunk)
                continue
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(_info(info.filename), content)
        for name, content in (add or {}).items():
            target.writestr(_info(name), content)
    return output.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _simple_sheet(workbook: Workbook) -> None:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Processen"
    sheet.append(HEADERS)
    sheet.append(("Vergunningverlening horeca", "P-1", "Aanvragen en verlengen"))
    sheet.append(("Inkoop en aanbesteding", "P-2", "Opdrachten boven de drempel"))


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal but well-formed OLE2 compound file (the container of .xls and encrypted .xlsx).

    Every stream is padded to at least 4096 bytes so it lives in regular 512-byte sectors and
    no mini stream is needed.
    """
    sector = 512
    end_of_chain, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    padded = {name: content.ljust(max(4096, len(content)), b"\x00") for name, content in streams.items()}
    names = sorted(padded, key=lambda name: (len(name), name.upper()))  # the order the tree needs
    fat: list[int] = [fat_sector, end_of_chain]  # sector 0: the FAT itself; sector 1: the directory
    body = b""
    starts: dict[str, int] = {}
    for name in names:
        content = padded[name].ljust(-(-len(padded[name]) // sector) * sector, b"\x00")
        count = len(content) // sector
        starts[name] = len(fat)
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end_of_chain)
        body += content
    assert len(fat) <= sector // 4, "keep the fixture within one FAT sector"
    fat_bytes = b"".join(struct.pack("<I", entry) for entry in fat).ljust(sector, b"\xff")

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)  # 1 = black in the red-black tree
            + struct.pack("<III", free, right, child)  # left sibling, right sibling, child
            + b"\x00" * 16  # class id
            + b"\x00" * 4  # state bits
            + b"\x00" * 16  # created, modified
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if names else free, free, end_of_chain, 0)
    for position, name in enumerate(names, start=1):
        right = position + 1 if position < len(names) else free
        directory += entry(name, 2, free, right, starts[name], len(padded[name]))
    directory = directory.ljust(sector, b"\x00")
    assert len(directory) == sector, "keep the fixture within one directory sector"

    header = (
        OLE2_SIGNATURE
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    assert len(header) == sector
    return header + fat_bytes + directory + body


# --- the recipes ---------------------------------------------------------------------------


def renamed_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8 bits, RGB
    pixels = zlib.compress(b"\x00\xc8\x10\x2e")  # one orange-red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def renamed_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def macro_workbook() -> bytes:
    plain = _workbook_bytes(_simple_sheet)
    archive = zipfile.ZipFile(io.BytesIO(plain))
    content_types = archive.read("[Content_Types].xml").decode()
    content_types = content_types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    relations = archive.read("xl/_rels/workbook.xml.rels").decode()
    relations = relations.replace(
        "</Relationships>",
        '<Relationship Id="rIdVba" Target="vbaProject.bin" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>',
    )
    module = b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\n    MsgBox "macro"\r\nEnd Sub\r\n'
    vba_project = _compound_file({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n', "Module1": module})
    return _repack(
        plain,
        replace={"[Content_Types].xml": content_types.encode(), "xl/_rels/workbook.xml.rels": relations.encode()},
        add={"xl/vbaProject.bin": vba_project},
    )


def zip_bomb() -> bytes:
    plain = _workbook_bytes(_simple_sheet)

    def sheet_xml() -> Iterable[bytes]:
        yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
        yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        spaces = b" " * (1024 * 1024)
        for _ in range(BOMB_BYTES // len(spaces)):
            yield spaces
        yield b"</sheetData></worksheet>"

    return _repack(plain, stream=("xl/worksheets/sheet1.xml", sheet_xml))


def entity_expansion() -> bytes:
    """Shared strings with a 'billion laughs' DTD; defusedxml must refuse to expand it."""

    def fill(workbook: Workbook) -> None:
        _simple_sheet(workbook)

    plain = _workbook_bytes(fill)
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + "".join(f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
        + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    archive = zipfile.ZipFile(io.BytesIO(plain))
    content_types = (
        archive.read("[Content_Types].xml")
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    )
    relations = (
        archive.read("xl/_rels/workbook.xml.rels")
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdStrings" Target="sharedStrings.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            "</Relationships>",
        )
    )
    return _repack(
        plain,
        replace={"[Content_Types].xml": content_types.encode(), "xl/_rels/workbook.xml.rels": relations.encode()},
        add={"xl/sharedStrings.xml": laughs.encode()},
    )


def old_format() -> bytes:
    # BIFF8 starts its Workbook stream with a BOF record (0x0809).
    bof = struct.pack("<HHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0)
    return _compound_file({"Workbook": bof, "\x05SummaryInformation": b"\xfe\xff"})


def encrypted() -> bytes:
    # What Office writes for "Werkmap beveiligen met wachtwoord": the real .xlsx, encrypted, in an OLE2 file.
    noise = random.Random(7).randbytes(4096)
    return _compound_file(
        {
            "EncryptionInfo": struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>',
            "EncryptedPackage": struct.pack("<Q", 2048) + noise,
        }
    )


def formulas() -> bytes:
    def fill(workbook: Workbook) -> None:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Processen"
        sheet.append(HEADERS)
        sheet.append(("Vergunningverlening horeca", "P-1", "Gewone tekst"))
        sheet.append(("=1+1", "P-2", '=HYPERLINK("https://example.invalid/","Klik hier")'))
        sheet.append(("Inkoop", '=CONCATENATE("P-",3)', "=SUM(1,2)"))
        literal = sheet.cell(row=5, column=1, value="=tekst die geen formule is")
        literal.data_type = "s"
        literal.quotePrefix = True
        sheet.cell(row=5, column=2, value="P-4")

    return _workbook_bytes(fill)


def empty_sheet() -> bytes:
    def fill(workbook: Workbook) -> None:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Processen"

    return _workbook_bytes(fill)


def many_rows_csv() -> bytes:
    lines = [";".join(HEADERS)]
    lines.extend(f"Proces {number};P-{number};" for number in range(1, MANY_ROWS + 1))
    return ("\r\n".join(lines) + "\r\n").encode()


def many_rows_xlsx() -> bytes:
    def fill(workbook: Workbook) -> None:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Processen"
        sheet.append(HEADERS)
        for number in range(1, MANY_ROWS + 1):
            sheet.append((f"Proces {number}", f"P-{number}"))

    return _workbook_bytes(fill)


def cp1252_csv() -> bytes:
    text = (
        "Naam;Code;Omschrijving\r\n"
        "Café-vergunning;P-1;Exploitatie van cafés – ‘horeca’\r\n"
        "Coördinatie evenementen;P-2;Kosten € 1.250,50\r\n"
    )
    return text.encode("cp1252")


def inconsistent_csv() -> bytes:
    return b"Naam;Code;Omschrijving\r\nProces 1;P-1;Goed\r\nProces 2;P-2;x;y;z;nog meer;\r\n"


def binary_noise_csv() -> bytes:
    return random.Random(42).randbytes(2048).replace(b"\x00", b"\x01")


RECIPES: dict[str, Callable[[], bytes]] = {
    "renamed-png.xlsx": renamed_png,
    "renamed-pdf.csv": renamed_pdf,
    "macros.xlsm": macro_workbook,
    "macros-renamed.xlsx": macro_workbook,
    "zipbomb.xlsx": zip_bomb,
    "entities.xlsx": entity_expansion,
    "old-format.xls": old_format,
    "encrypted.xlsx": encrypted,
    "empty.xlsx": lambda: b"",
    "empty-sheet.xlsx": empty_sheet,
    "formulas.xlsx": formulas,
    "many-rows.csv": many_rows_csv,
    "many-rows.xlsx": many_rows_xlsx,
    "cp1252.csv": cp1252_csv,
    "inconsistent.csv": inconsistent_csv,
    "binary-noise.csv": binary_noise_csv,
}


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, recipe in RECIPES.items():
        data = recipe()
        assert len(data) < 1024 * 1024, f"{name} is {len(data)} bytes; fixtures stay under 1 MB"
        (FILES / name).write_bytes(data)
        sys.stdout.write(f"{name}: {len(data):,} bytes\n")


if __name__ == "__main__":
    main()

"""Checking an evidence upload: size, allowed type, and whether the bytes are what the name says.

The extension alone is not trusted: a ``.pdf`` must start like a PDF, a ``.docx`` must be a zip with
the parts of an Office document, a ``.txt`` must be text. Anything else is refused with a Dutch
message. Files are only ever served back as downloads (see the evidence download view).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

#: extension -> (content type served, how to recognise the bytes)
ALLOWED_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml:word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml:ppt/"),
    "odt": ("application/vnd.oasis.opendocument.text", "odf:application/vnd.oasis.opendocument.text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "odf:application/vnd.oasis.opendocument.spreadsheet"),
    "txt": ("text/plain; charset=utf-8", "text"),
    "csv": ("text/csv; charset=utf-8", "text"),
}
ALLOWED_LABEL = "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx), OpenDocument (odt, ods), PNG, JPEG, txt, csv"


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def clean_filename(name: str) -> str:
    """A name safe to show and to put in a download header: no path, no control characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 150 - len(ext) - 1] + dot + ext) if dot else name[:150]
    return name or "bestand"


def _looks_like(kind: str, content: bytes) -> bool:
    if kind == "pdf":
        return content.startswith(b"%PDF-")
    if kind == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return content.startswith(b"\xff\xd8\xff")
    if kind == "text":
        if b"\x00" in content:
            return False
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if kind.startswith("ooxml:"):
                prefix = kind.removeprefix("ooxml:")
                return "[Content_Types].xml" in names and any(n.startswith(prefix) for n in names)
            if kind.startswith("odf:"):
                return "mimetype" in names and archive.read("mimetype").decode("ascii", "replace") == kind[4:]
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return False


def check_upload(upload: UploadedFile) -> CheckedUpload:
    filename = clean_filename(upload.name or "")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _("Dit soort bestand kan niet worden toegevoegd. Toegestaan zijn: %(types)s.")
                % {"types": ALLOWED_LABEL}
            }
        )
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 10 MB. Voeg een kleiner bestand toe.")})
    content = upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 10 MB. Voeg een kleiner bestand toe.")})
    if not content:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    content_type, kind = ALLOWED_TYPES[extension]
    if not _looks_like(kind, content):
        raise ValidationError(
            {
                "file": _(
                    "De inhoud van dit bestand past niet bij de extensie .%(ext)s. Sla het opnieuw op in het "
                    "juiste formaat en voeg het dan toe."
                )
                % {"ext": extension}
            }
        )
    return CheckedUpload(filename, content_type, content, hashlib.sha256(content).hexdigest())

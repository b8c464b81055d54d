"""Checking an uploaded file before anything is stored: not empty, not too large, and of an allowed
kind judged by its content (its first bytes and, for Office files, the parts inside), never by its
name or the type the browser claims. Returns its kind, size and SHA-256."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

# Messages (GOV.UK file upload wording): tests import these and assert them exactly.
UPLOAD_MISSING = "Select a file"
UPLOAD_EMPTY = "The selected file is empty"
UPLOAD_TOO_BIG = "The selected file must be smaller than {limit}"
UPLOAD_WRONG_KIND = "The selected file must be a {kinds}"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    content_type: str
    extension: str


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("pdf", "PDF", "application/pdf", "pdf"),
        Kind(
            "docx",
            "Word document (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Kind(
            "xlsx",
            "spreadsheet (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    )
}
# The part an Office Open XML package of each kind must hold.
_OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedUpload:
    kind: Kind
    size: int
    sha256: str


def size_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)}MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)}KB"


def kind_of(upload: Any) -> str | None:
    """The kind of an uploaded file by its content: 'pdf', 'docx', 'xlsx', or None for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for key, part in _OFFICE_PARTS.items():
                if part in names:
                    return key
    return None


def check_upload(
    upload: Any, *, kinds: tuple[str, ...], max_bytes: int, field: str = "file"
) -> CheckedUpload:
    """Check `upload` (a Django UploadedFile) or raise ValidationError({field: message})."""
    if upload is None:
        raise ValidationError({field: UPLOAD_MISSING})
    size = int(upload.size or 0)
    if size == 0:
        raise ValidationError({field: UPLOAD_EMPTY})
    if size > max_bytes:
        raise ValidationError({field: UPLOAD_TOO_BIG.format(limit=size_text(max_bytes))})
    found = kind_of(upload)
    if found is None or found not in kinds:
        labels = [KINDS[k].label for k in kinds]
        text = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        raise ValidationError({field: UPLOAD_WRONG_KIND.format(kinds=text)})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(kind=KINDS[found], size=size, sha256=digest.hexdigest())

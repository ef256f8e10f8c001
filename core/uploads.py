"""Checks on uploaded evidence: size and a type read from the file's content, never its name."""

import zipfile
from pathlib import Path

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# What people attach as evidence, by the MIME type libmagic reads from the bytes,
# with the extension the stored file gets (the uploaded name is not trusted).
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "text/csv": ".csv",
    "text/plain": ".txt",
}

# Office files are zip archives; libmagic sometimes only sees "a zip" when the telling entry
# is not near the start. Then the archive's own listing decides.
_OFFICE_ZIP_MARKERS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_SNIFF_BYTES = 256 * 1024

ALLOWED_LABEL = _("PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, OpenDocument, CSV or text")


def _zip_office_type(f) -> str | None:
    """The Office Open XML type of a zip archive, from its entries, or None."""
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        f.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, mime in _OFFICE_ZIP_MARKERS.items():
        if any(name.startswith(prefix) for name in names):
            return mime
    return None


def detect_type(f) -> str:
    """The MIME type read from the first bytes of an uploaded file."""
    f.seek(0)
    head = f.read(_SNIFF_BYTES)
    f.seek(0)
    mime = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    if mime in {"application/zip", "application/octet-stream"}:
        mime = _zip_office_type(f) or mime
    return mime


def validate_evidence_file(f) -> str:
    """Refuse a file that is too large or not an allowed type; return its real MIME type.

    The type comes from the content (python-magic): a program or a web page renamed to
    ``report.pdf`` is refused.
    """
    limit = settings.MAX_UPLOAD_SIZE
    if f.size is None or f.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(f.size or 0), "limit": filesizeformat(limit)},
        )
    if f.size == 0:
        raise ValidationError(_("This file is empty."), code="file_empty")
    mime = detect_type(f)
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept (its content reads as %(type)s). "
                "Please attach a %(allowed)s file."
            ),
            code="file_type",
            params={"name": Path(f.name or "").name, "type": mime, "allowed": ALLOWED_LABEL},
        )
    return mime


def safe_filename(original: str, mime: str) -> str:
    """A name for storage whose extension matches the real content type."""
    stem = Path(original or "evidence").stem[:80] or "evidence"
    return f"{stem}{ALLOWED_TYPES.get(mime, '')}"

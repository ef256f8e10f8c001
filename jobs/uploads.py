"""Guards run on an uploaded spreadsheet before any parsing: size, unpacked size, rows.

`check_spreadsheet` reads only what it must: the file size, the zip directory of an .xlsx (the
declared sizes of its parts, nothing decompressed), then the rows of the first sheet streamed
with openpyxl's read-only reader, stopping one row past the limit. A zip bomb is refused from
its directory in milliseconds, a sheet with too many rows after reading max_rows + 1 of them.
Python's zipfile never inflates a part beyond its declared size, so the declared sizes bound the
work of whatever reads the file afterwards.
"""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# An .xlsx part unpacks to 3-20 times its packed size; a zip bomb to hundreds or thousands.
MAX_COMPRESSION_RATIO = 100
# Below this many unpacked bytes the ratio does not matter (tiny, very regular files).
RATIO_APPLIES_ABOVE = 1024 * 1024


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _too_many_rows(max_rows: int) -> ValidationError:
    return ValidationError(
        _(
            "This file has more than %(max)s rows; import at most %(max)s at a time (split the file)."
        )
        % {"max": max_rows},
        code="too_many_rows",
    )


def _check_zip(file, *, max_uncompressed: int) -> None:
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("This file cannot be read as a spreadsheet."), code="unreadable"
        ) from error
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if unpacked > max_uncompressed or (
        unpacked > RATIO_APPLIES_ABOVE and unpacked / packed > MAX_COMPRESSION_RATIO
    ):
        raise ValidationError(
            _(
                "This spreadsheet unpacks to %(size)s, more than a spreadsheet of this kind can "
                "hold (at most %(max)s): it was refused without being read."
            )
            % {"size": filesizeformat(unpacked), "max": filesizeformat(max_uncompressed)},
            code="too_large_unpacked",
        )


def _count_xlsx_rows(file, *, max_rows: int) -> int:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ValidationError(
            _("This file cannot be read as a spreadsheet."), code="unreadable"
        ) from error
    try:
        sheet = workbook.active
        # The <dimension> a file declares may lie (a bomb says A1:B1): count what is there.
        sheet.reset_dimensions()
        rows = 0
        # The header is row 1; every row after it counts, stopping just past the limit.
        for _row in sheet.iter_rows(min_row=2, values_only=True):
            rows += 1
            if rows > max_rows:
                raise _too_many_rows(max_rows)
        return rows
    finally:
        workbook.close()


def _count_csv_rows(file, *, max_rows: int) -> int:
    rows = -1  # the header
    for _line in file:
        rows += 1
        if rows > max_rows:
            raise _too_many_rows(max_rows)
    return max(rows, 0)


def check_spreadsheet(file, *, max_bytes: int, max_uncompressed: int, max_rows: int) -> int:
    """Refuse an upload that is too big, unpacks too big, or has too many rows; else its rows.

    `file` is an uploaded file (or any binary file object); it is left at position 0. Raises
    ValidationError with one message; returns the number of data rows (after the header).
    """
    size = _size(file)
    if size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; upload at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    file.seek(0)
    is_zip = file.read(4) == b"PK\x03\x04"
    file.seek(0)
    try:
        if is_zip:
            _check_zip(file, max_uncompressed=max_uncompressed)
            file.seek(0)
            return _count_xlsx_rows(file, max_rows=max_rows)
        return _count_csv_rows(file, max_rows=max_rows)
    finally:
        file.seek(0)

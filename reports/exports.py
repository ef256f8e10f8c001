"""Spreadsheet exports of everything: a table per kind, and one workbook of them all.

The kinds are the resources the apps register (``core.resources.register_export``, each app in
its ``AppConfig.ready``); this module only assembles them. Every export is complete (no row
limit) and every cell goes through ``core.hygiene.export_cell``: a text a spreadsheet would read
as a formula (starting with =, +, -, @, or a tab/return) gets a leading apostrophe.
"""

import io

import tablib
from openpyxl import Workbook

from core.hygiene import export_rows
from core.resources import EXPORTS as KINDS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset(kind: str) -> tablib.Dataset:
    """The whole table for one kind, formula cells neutralised, headers in the active language."""
    resource = KINDS[kind].resource(data_export=True)
    data = resource.export()
    return export_rows(data, headers=[resource.header(f) for f in resource.get_export_fields()])


def export(kind: str, fmt: str) -> tuple[bytes, str]:
    # tablib directly rather than import-export's format classes: theirs only strip "=" and turn
    # every number into text, where we keep numbers and neutralise all formula prefixes.
    content = dataset(kind).export(fmt)
    if isinstance(content, str):
        content = content.encode("utf-8-sig")  # the BOM lets spreadsheet programs read UTF-8
    return content, FORMATS[fmt]


def workbook(progress=None) -> bytes:
    """One XLSX workbook with a sheet per kind, written row by row (write-only mode).

    `progress(done, total)`, when given, hears each sheet finished (jobs.services.Progress).
    """
    wb = Workbook(write_only=True)
    for done, kind in enumerate(KINDS, start=1):
        data = dataset(kind)
        sheet = wb.create_sheet(title=kind[:31])
        sheet.append(list(data.headers or []))
        for row in data:
            sheet.append(list(row))
        if progress:
            progress(done, len(KINDS))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""Spreadsheet exports of everything: a table per kind, and one workbook of them all.

The kinds are the resources the apps register (``core.resources.register_export``, each app in
its ``AppConfig.ready``); this module only assembles them, and ``core.resources`` writes the
files (sheets named in the reader's language, real dates and numbers, words for choices).
Every export is complete (no row limit) and every cell goes through
``core.hygiene.export_cell``: a text a spreadsheet would read as a formula (starting with =, +,
-, @, or a tab/return) gets a leading apostrophe.
"""

import tablib

from core.resources import EXPORTS as KINDS
from core.resources import FORMATS, export_file, xlsx

__all__ = ["FORMATS", "KINDS", "dataset", "export", "workbook"]


def dataset(kind: str) -> tablib.Dataset:
    """The whole table for one kind, formula cells neutralised, headers in the active language."""
    return KINDS[kind].dataset()


def export(kind: str, fmt: str) -> tuple[bytes, str]:
    """One kind as a file: in XLSX with the sheets of its companion kinds (the meetings with
    their action items), in CSV its own table."""
    export = KINDS[kind]
    kinds = [kind] if fmt == "csv" else [kind, *export.with_kinds]
    return export_file([dataset(name) for name in kinds], fmt)


def workbook(progress=None) -> bytes:
    """One XLSX workbook with a sheet per kind, written row by row (write-only mode).

    `progress(done, total)`, when given, hears each sheet finished (jobs.services.Progress).
    """
    total = len(KINDS)
    return xlsx(
        (dataset(kind) for kind in KINDS),
        progress=(lambda done: progress(done, total)) if progress else None,
    )

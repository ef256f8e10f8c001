"""One spreadsheet resource per model (django-import-export), and the list of data exports.

Each app defines the resources of its own models in ``<app>/resources.py``, one class per
model, on ``ModelResource`` below. One class serves two uses:

- the administration's import and export (the round trip): the columns of
  ``Meta.export_order``, with ids, so that a file exported and edited imports back;
- the data export (``reports.exports``: a table per kind and the all-data workbook): the
  columns of ``data_columns``, readable names instead of ids, made with ``data_export=True``.

``Meta.fields`` lists both (django-import-export ignores a declared field it does not list).
Read-only fields (``shown``, ``shown_field``) are exported, never imported. Each app registers its data
exports with ``register_export`` (in its ``AppConfig.ready``); ``reports.exports`` assembles what
is registered and knows no model, and a working group's own exports (``workinggroups.exports``)
write the same kinds for one group.

The data export is for people to read (``data_cell``): choices and yes/no in words in the
reader's language, dates and times as real spreadsheet dates, numbers as numbers, related rows
by their name or title. The round trip keeps what an import reads back (codes, ids, 1/0).
Every file is written here (``xlsx``, ``csv``), each sheet named for what it holds
(``sheet_title``), every cell through ``core.hygiene.export_cell``.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import tablib
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .choices import yes_no
from .hygiene import CleanImportMixin, export_cell, export_rows, export_text

# import-export's own widgets, whose rendering the data export replaces with ``data_cell``
# (they would write numbers, dates and booleans as text); other widgets (a foreign key by
# code, an app's choice widget) still render, and ``data_cell`` reads what they give.
_PLAIN_WIDGETS = (
    widgets.Widget,
    widgets.CharWidget,
    widgets.IntegerWidget,
    widgets.FloatWidget,
    widgets.DecimalWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
)


class ModelResource(CleanImportMixin, resources.ModelResource):
    """A model's one resource: admin round-trip columns (``Meta.export_order``) and data-export
    columns (``data_columns``); imported rows keep the hygiene rules and a history reason."""

    # The data export's columns, in order (names of fields of this resource). Empty: the
    # admin's columns.
    data_columns: tuple[str, ...] = ()
    # Headers of data-export columns that are not a field of the model ("latest_status").
    data_headers: ClassVar[Mapping[str, str | Promise]] = {}
    # Choices of data-export columns that are not a model field with choices (a status
    # computed by roadmap.figures): the column shows the label.
    data_choices: ClassVar[Mapping[str, Iterable[tuple[str, str | Promise]]]] = {}
    # What an imported row's history says, unless the resource says more (who, which group).
    change_reason: str | Promise = "spreadsheet import"

    def __init__(self, *, data_export: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_export = data_export
        # Per column: the labels of its choices (None: no choices), read once per export, in
        # the language active then.
        self._labels: dict[str, dict | None] = {}

    # ---- the data export's cells

    def export_field(self, field, instance, **kwargs):
        if not self.data_export:
            return super().export_field(field, instance, **kwargs)
        if type(field.widget) in _PLAIN_WIDGETS and not callable(
            getattr(self, field.get_dehydrate_method(self.get_field_name(field)), None)
        ):
            value = field.get_value(instance)
        else:
            value = super().export_field(field, instance, force_native_type=True, **kwargs)
        return self.data_cell(field, value)

    def data_cell(self, field: fields.Field, value):
        """One cell of the data export as people read it: a choice's label, yes or no, a
        date or a local time (naive: spreadsheets have no time zones), a number, a name."""
        labels = self._choice_labels(field)
        if labels is not None and isinstance(value, str | int) and not isinstance(value, bool):
            return labels.get(value, value)
        return data_value(value)

    def _choice_labels(self, field: fields.Field) -> dict | None:
        column = field.column_name
        if column not in self._labels:
            choices = self.data_choices.get(column)
            if choices is None:
                model_field = self._model_field(field.attribute or "")
                choices = getattr(model_field, "flatchoices", None) or None
            self._labels[column] = (
                {value: str(label) for value, label in choices} if choices else None
            )
        return self._labels[column]

    def _model_field(self, attribute: str):
        """The model field an attribute path ends on ("society__region"), if any."""
        model = self._meta.model
        found = None
        for name in attribute.split("__"):
            if model is None:
                return None
            try:
                found = model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            model = found.related_model
        return found

    def sheet_title(self) -> str:
        """The sheet's name: the model's plural name in the active language."""
        return sheet_title(self._meta.model._meta.verbose_name_plural)

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        # Never "Tablib Dataset": the admin's files and the list exports are named too.
        dataset.title = self.sheet_title()
        return dataset

    def _admin_columns(self) -> tuple[str, ...]:
        return tuple(self._meta.export_order or self._meta.fields or ())

    def get_export_order(self):
        # Only the columns of the variant asked for: django-import-export would add every
        # declared field, and the data export's readable columns would leak into the round trip.
        if self.data_export:
            return self.data_columns or self._admin_columns()
        return self._admin_columns()

    def get_import_order(self):
        # Read-only columns are exported only: an import neither writes nor compares them.
        names = self._meta.import_order or self._meta.fields or ()
        return tuple(n for n in names if not (n in self.fields and self.fields[n].readonly))

    def header(self, field: fields.Field) -> str:
        """A data-export column's name in the active language: its header given in
        ``data_headers``, else the label of the model field it shows, else its own name."""
        column = field.column_name
        if column in self.data_headers:
            return str(self.data_headers[column])
        model = self._meta.model
        try:
            return str(model._meta.get_field(column).verbose_name)
        except (FieldDoesNotExist, AttributeError):
            pass
        # "area_number" shows area__number: the area's label names the column; a result's
        # "roadmap_name" (area__roadmap__name) is named by the area's roadmap.
        label = None
        path = (field.attribute or "").split("__")
        for name in path[:-1]:
            try:
                relation = model._meta.get_field(name)
            except FieldDoesNotExist:
                break
            label, model = getattr(relation, "verbose_name", None), relation.related_model
            if model is None:
                break
        return str(label) if label else column

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = str(self.change_reason)


def data_value(value):
    """A value of any kind as a data-export cell (``ModelResource.data_cell`` without choices)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | int | float | decimal.Decimal):
        return value
    if isinstance(value, models.Model | Promise):
        return str(value)
    return value


def shown(attribute: str, column: str | None = None) -> fields.Field:
    """A column exported, never imported: a related object's number, code or name."""
    return fields.Field(attribute=attribute, column_name=column or attribute, readonly=True)


def shown_field(model: type[models.Model], name: str) -> fields.Field:
    """A field of the model exported as the round trip would write it, never imported."""
    return resources.ModelResource.field_from_django_field(
        name, model._meta.get_field(name), readonly=True
    )


@dataclass(frozen=True)
class DataExport:
    """One kind of the data export: a table of one model, listed by reports.exports."""

    name: str  # in the URL and the file's name ("expected-results")
    label: str | Promise  # translated when shown
    resource: type[ModelResource]
    # The sheet's name, short (Excel keeps 31 characters); empty: the label.
    sheet: str | Promise = ""
    # Kinds whose sheets follow this one's in its own XLSX file (a meeting's action items).
    with_kinds: tuple[str, ...] = ()

    def title(self) -> str:
        return sheet_title(self.sheet or self.label)

    def dataset(self, scope: Callable[[models.QuerySet], models.QuerySet] | None = None):
        """The table (every row, or those ``scope`` keeps of the resource's queryset: one
        group's), headers in the active language, every cell through ``export_cell``, titled
        for its sheet."""
        resource = self.resource(data_export=True)
        queryset = resource.get_queryset()
        data = resource.export(scope(queryset) if scope else queryset)
        clean = export_rows(
            data, headers=[resource.header(f) for f in resource.get_export_fields()]
        )
        clean.title = self.title()
        return clean


EXPORTS: dict[str, DataExport] = {}


def register_export(
    name: str,
    label: str | Promise,
    resource: type[ModelResource],
    *,
    sheet: str | Promise = "",
    with_kinds: tuple[str, ...] = (),
) -> None:
    """Add a kind to the data export; apps call it from ``AppConfig.ready``, in layer order
    (the workbook's sheets follow it)."""
    EXPORTS[name] = DataExport(
        name=name, label=label, resource=resource, sheet=sheet, with_kinds=with_kinds
    )


# ---- the files ----------------------------------------------------------------------------

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Excel refuses these in a sheet's name, and names longer than 31 characters.
_SHEET_REFUSED = re.compile(r"[\\\[\]:*?/\n\r\t]")


def sheet_title(label) -> str:
    """A name Excel accepts for a sheet, from a label in the active language."""
    return _SHEET_REFUSED.sub("-", export_text(str(label))).strip()[:31].strip() or "-"


# Excel's own formats for a date and a date with its time (openpyxl's default shows seconds).
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def xlsx(
    datasets: Iterable[tablib.Dataset], progress: Callable[[int], None] | None = None
) -> bytes:
    """One XLSX workbook, a sheet per dataset (named by its title, each name once), written
    row by row; dates are real dates with a date format, numbers real numbers, headers bold.

    ``progress(done)``, when given, hears each sheet finished."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for done, data in enumerate(datasets, start=1):
        title = sheet_title(data.title or "-")
        base, n = title, 2
        while title.lower() in used:  # two labels cut to the same 31 characters
            suffix = f" ({n})"
            title, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(title.lower())
        sheet = wb.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        header = []
        for text in data.headers or []:
            cell = WriteOnlyCell(sheet, value=export_cell(text))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in data:
            sheet.append([xlsx_cell(sheet, export_cell(value)) for value in row])
        if progress:
            progress(done)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_cell(sheet, value):
    """A cell for a write-only sheet: a date or a time with its number format, else the value."""
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    """One table as CSV: dates as 2026-12-01 (times to the minute), numbers with a dot
    whatever the language, a byte-order mark so that spreadsheet programs read UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([export_cell(h) for h in dataset.headers or []])
    for row in dataset:
        writer.writerow([csv_cell(export_cell(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_cell(value):
    """A CSV cell: a time to the minute (a date as itself), nothing for None."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value


def export_file(datasets: list[tablib.Dataset], fmt: str) -> tuple[bytes, str]:
    """The file of one export and its content type: XLSX holds every dataset, CSV the first."""
    if fmt == "csv":
        return csv_bytes(datasets[0]), FORMATS[fmt]
    return xlsx(datasets), FORMATS[fmt]

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
is registered and knows no model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from import_export import fields, resources, widgets

from .hygiene import CleanImportMixin


class ModelResource(CleanImportMixin, resources.ModelResource):
    """A model's one resource: admin round-trip columns (``Meta.export_order``) and data-export
    columns (``data_columns``); imported rows keep the hygiene rules and a history reason."""

    # The data export's columns, in order (names of fields of this resource). Empty: the
    # admin's columns.
    data_columns: tuple[str, ...] = ()
    # Headers of data-export columns that are not a field of the model ("latest_status").
    data_headers: ClassVar[Mapping[str, str | Promise]] = {}
    # What an imported row's history says, unless the resource says more (who, which group).
    change_reason: str | Promise = "spreadsheet import"

    def __init__(self, *, data_export: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.data_export = data_export
        if data_export:
            # Numbers stay numbers: real numeric cells in XLSX and plain dot decimals in CSV
            # whatever the language (import-export would write localised text, "61,50" in
            # French). The fields are this instance's own copies.
            for field in self.fields.values():
                if isinstance(field.widget, widgets.NumberWidget):
                    field.widget.coerce_to_string = False

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

    name: str  # in the URL and the sheet's name ("expected-results")
    label: str | Promise  # translated when shown
    resource: type[ModelResource]


EXPORTS: dict[str, DataExport] = {}


def register_export(
    name: str,
    label: str | Promise,
    resource: type[ModelResource],
) -> None:
    """Add a kind to the data export; apps call it from ``AppConfig.ready``, in layer order
    (the workbook's sheets follow it)."""
    EXPORTS[name] = DataExport(name=name, label=label, resource=resource)

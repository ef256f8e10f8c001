"""Spreadsheet exports of everything, through django-import-export resources.

Every export is complete (no row limit) and every text cell that a spreadsheet would read as a
formula (starting with =, +, -, @, or a tab/return) is neutralised with a leading apostrophe.
Other apps' resources are reused when they define them; otherwise they are defined here.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from openpyxl import Workbook

from core.hygiene import export_cell
from core.translated import translation_columns
from roadmap import figures
from roadmap.models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressUpdate,
)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(value):
    """Make a text cell inert in spreadsheets: '=SUM(A1)' becomes "'=SUM(A1)"; control
    characters that would break the file are dropped (core.hygiene.export_cell)."""
    return export_cell(value)


class AreaResource(resources.ModelResource):
    roadmap = fields.Field(attribute="roadmap__name", column_name="roadmap")

    class Meta:
        model = PriorityActionArea
        fields = (
            "id",
            "roadmap",
            "number",
            "title",
            "short_title",
            "description",
            *translation_columns("title", "short_title", "description"),
        )
        export_order = fields

    def get_queryset(self):
        return PriorityActionArea.objects.select_related("roadmap").order_by("roadmap", "number")


class ExpectedResultResource(resources.ModelResource):
    # Every roadmap's rows, each with its roadmap: codes repeat in a successor.
    roadmap = fields.Field(attribute="area__roadmap__name", column_name="roadmap")
    area = fields.Field(attribute="area__number", column_name="area")
    latest_status = fields.Field(column_name="latest_status")
    latest_percent = fields.Field(attribute="latest_percent", column_name="latest_percent")
    latest_update_date = fields.Field(
        attribute="latest_update_date", column_name="latest_update_date"
    )

    class Meta:
        model = ExpectedResult
        fields = (
            "id",
            "roadmap",
            "area",
            "kind",
            "code",
            "title",
            "description",
            *translation_columns("title", "description"),
            "actor",
            "is_archived",
            "latest_status",
            "latest_percent",
            "latest_update_date",
        )
        export_order = fields

    def get_queryset(self):
        return ExpectedResult.objects.with_latest_progress(as_of=figures.today()).select_related(
            "area__roadmap"
        )

    def dehydrate_latest_status(self, result) -> str:
        # The status as the pages show it (roadmap.figures), as of today.
        return figures.result_status(result.latest_status)


class IndicatorResource(resources.ModelResource):
    roadmap = fields.Field(attribute="area__roadmap__name", column_name="roadmap")
    area = fields.Field(attribute="area__number", column_name="area")
    result = fields.Field(attribute="result__code", column_name="result")

    class Meta:
        model = Indicator
        fields = (
            "id",
            "roadmap",
            "area",
            "result",
            "code",
            "name",
            "description",
            *translation_columns("name", "description"),
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "baseline_source",
            "target_value",
            "target_year",
            "means_of_verification",
        )
        export_order = fields

    def get_queryset(self):
        return Indicator.objects.select_related("area__roadmap", "result")


class IndicatorValueResource(resources.ModelResource):
    roadmap = fields.Field(attribute="indicator__area__roadmap__name", column_name="roadmap")
    indicator = fields.Field(attribute="indicator__code", column_name="indicator")

    class Meta:
        model = IndicatorValue
        # Every value with its status: withdrawn and proposed ones are listed, marked, so an
        # analyst sees what the figures leave out (docs/figures.md).
        fields = (
            "id",
            "roadmap",
            "indicator",
            "year",
            "value",
            "source",
            "note",
            "is_computed",
            "status",
            "is_provisional",
        )
        export_order = fields

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator__area__roadmap")


class ProgressUpdateResource(resources.ModelResource):
    """Updates of expected results and of working-group deliverables alike."""

    subject_type = fields.Field(attribute="content_type__model", column_name="subject_type")
    author = fields.Field(attribute="author__email", column_name="author")

    class Meta:
        model = ProgressUpdate
        fields = (
            "id",
            "subject_type",
            "object_id",
            "date",
            "status",
            "percent_complete",
            "narrative",
            "blockers",
            "next_steps",
            "author",
        )
        export_order = fields

    def get_queryset(self):
        return ProgressUpdate.objects.select_related("content_type", "author").order_by("id")


StrOrPromise = str | Promise


@dataclass(frozen=True)
class Kind:
    label: StrOrPromise  # translated when shown
    resource: Callable[[], resources.Resource]


def _registry() -> dict[str, Kind]:
    kinds = {
        "areas": Kind(_("Priority action areas"), AreaResource),
        "expected-results": Kind(_("Expected results"), ExpectedResultResource),
        "indicators": Kind(_("Indicators"), IndicatorResource),
        "indicator-values": Kind(_("Indicator values"), IndicatorValueResource),
        "progress-updates": Kind(
            _("Progress updates (results and deliverables)"), ProgressUpdateResource
        ),
    }
    kinds.update(_other_app_kinds())
    return kinds


def _other_app_kinds() -> dict[str, Kind]:
    """Kinds of the working-groups and surveys apps, with the resources those apps define."""
    from surveys.resources import SurveyResponseResource
    from workinggroups.resources import (
        DeliverableResource,
        MembershipResource,
        ResourceExport,
        WorkingGroupExportResource,
    )

    return {
        "working-groups": Kind(_("Working groups"), WorkingGroupExportResource),
        "memberships": Kind(_("Working-group co-leads and members"), MembershipResource),
        "deliverables": Kind(_("Deliverables"), DeliverableResource),
        "resources": Kind(_("Resources (the mapping)"), ResourceExport),
        "survey-responses": Kind(_("Survey responses"), SurveyResponseResource),
    }


KINDS = _registry()


# Headers of the columns that are not a field of the exported model.
COMPUTED_HEADERS = {
    "latest_status": _("status"),
    "latest_percent": _("percent complete"),
    "latest_update_date": _("date of the latest update"),
    "workplan_year": _("workplan year"),
    "subject_type": _("subject type"),
    "region": _("region"),
}


def _header(model, column: str) -> str:
    """The column's name in the active language: the field's label, or its translation."""
    if column in COMPUTED_HEADERS:
        return str(COMPUTED_HEADERS[column])
    try:
        return str(model._meta.get_field(column).verbose_name)
    except FieldDoesNotExist:  # not a field of this model: keep the column's own name
        return column


def dataset(kind: str) -> tablib.Dataset:
    """The whole table for one kind, formula cells neutralised, headers in the active language."""
    resource = KINDS[kind].resource()
    # Numbers stay numbers: real numeric cells in XLSX and plain dot decimals in CSV whatever the
    # language (import-export would write them as localised text, "61,50" in French).
    for field in resource.fields.values():
        if isinstance(field.widget, widgets.NumberWidget):
            field.widget.coerce_to_string = False
    data = resource.export()
    model = resource._meta.model
    clean = tablib.Dataset(headers=[_header(model, h) for h in data.headers or []])
    for row in data:
        clean.append([neutralise(cell) for cell in row])
    return clean


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

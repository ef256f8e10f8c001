"""The spreadsheet resources of the roadmap's models: one per model (core.resources), for the
administration's round trip (ids, ``Meta.fields``) and the data export (``data_columns``)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from core.resources import ModelResource, shown, shown_field
from core.translated import translation_columns

from . import figures
from .models import ExpectedResult, Indicator, IndicatorValue, PriorityActionArea, ProgressUpdate
from .services import EDITABLE_UPDATE_FIELDS


class PriorityActionAreaResource(ModelResource):
    """Areas by id, for correcting titles and adding their translations in a spreadsheet."""

    roadmap_name = shown("roadmap__name", "roadmap_name")

    class Meta:
        model = PriorityActionArea
        export_order = (
            "id",
            "roadmap",
            "number",
            "title",
            "short_title",
            "description",
            *translation_columns("title", "short_title", "description"),
        )
        fields = (*export_order, "roadmap_name")
        import_id_fields = ("id",)
        skip_unchanged = True
        clean_model_instances = True

    # The same columns, the roadmap by name.
    data_columns = tuple("roadmap_name" if c == "roadmap" else c for c in Meta.export_order)

    def get_queryset(self):
        return PriorityActionArea.objects.select_related("roadmap").order_by("roadmap", "number")


class ExpectedResultResource(ModelResource):
    """Rows identified by area (its id) and code; the area's number and title are for reading."""

    id = shown_field(ExpectedResult, "id")
    # Every roadmap's rows, each with its roadmap: codes repeat in a successor.
    roadmap_name = shown("area__roadmap__name", "roadmap_name")
    area_number = shown("area__number", "area_number")
    latest_status = fields.Field(column_name="latest_status", readonly=True)
    latest_percent = shown("latest_percent")
    latest_update_date = shown("latest_update_date")

    class Meta:
        model = ExpectedResult
        export_order = (
            "area",
            "area_number",
            "kind",
            "code",
            "title",
            "description",
            *translation_columns("title", "description"),
            "actor",
            "order",
            "is_archived",
        )
        fields = (
            *export_order,
            "id",
            "roadmap_name",
            "latest_status",
            "latest_percent",
            "latest_update_date",
        )
        import_id_fields = ("area", "code")
        skip_unchanged = True
        clean_model_instances = True

    # The same columns by the area's number, without the order, and the latest update's figures.
    data_columns = (
        "id",
        "roadmap_name",
        *(c for c in Meta.export_order if c not in ("area", "order")),
        "latest_status",
        "latest_percent",
        "latest_update_date",
    )
    data_headers = {
        "roadmap_name": _("roadmap"),
        "latest_status": _("status"),
        "latest_percent": _("percent complete"),
        "latest_update_date": _("date of the latest update"),
    }

    def get_queryset(self):
        if self.data_export:  # with the latest update's figures, as of today
            return ExpectedResult.objects.with_latest_progress(
                as_of=figures.today()
            ).select_related("area__roadmap")
        return ExpectedResult.objects.select_related("area")

    def dehydrate_latest_status(self, result) -> str:
        # The status as the pages show it (roadmap.figures), as of today.
        return figures.result_status(result.latest_status)


# What an indicator says, in both variants.
INDICATOR_COLUMNS = (
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


class IndicatorResource(ModelResource):
    id = shown_field(Indicator, "id")
    roadmap_name = shown("area__roadmap__name", "roadmap_name")
    area_number = shown("area__number", "area_number")
    result_code = shown("result__code", "result_code")

    class Meta:
        model = Indicator
        export_order = ("code", "area", "result", *INDICATOR_COLUMNS, "order")
        fields = (*export_order, "id", "roadmap_name", "area_number", "result_code")
        import_id_fields = ("code",)
        skip_unchanged = True
        clean_model_instances = True

    data_columns = ("id", "roadmap_name", "area_number", "result_code", "code", *INDICATOR_COLUMNS)
    data_headers = {"roadmap_name": _("roadmap")}

    def get_queryset(self):
        return Indicator.objects.select_related("area__roadmap", "result")


class IndicatorValueResource(ModelResource):
    """Values named by their indicator's code, so a sheet reads without database ids.

    The data export lists every value with its status: withdrawn and proposed ones are
    listed, marked, so an analyst sees what the figures leave out (docs/figures.md)."""

    id = shown_field(IndicatorValue, "id")
    roadmap_name = shown("indicator__area__roadmap__name", "roadmap_name")
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=ForeignKeyWidget(Indicator, field="code"),
    )
    # Shown, never imported: withdrawing, restoring and publishing each take a reason on the
    # site (roadmap.services), not a cell in a sheet.
    status = shown_field(IndicatorValue, "status")
    is_provisional = shown_field(IndicatorValue, "is_provisional")

    class Meta:
        model = IndicatorValue
        export_order = (
            "indicator",
            "year",
            "value",
            "source",
            "note",
            "is_computed",
            "status",
            "is_provisional",
        )
        fields = (*export_order, "id", "roadmap_name")
        import_id_fields = ("indicator", "year", "source")
        skip_unchanged = True
        clean_model_instances = True

    data_columns = ("id", "roadmap_name", *Meta.export_order)
    data_headers = {"roadmap_name": _("roadmap")}

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator__area__roadmap")

    def get_instance(self, instance_loader, row):
        # A row names the current value of its indicator, year and source: withdrawn and
        # proposed values beside it stay as they are (a new row is a new current value).
        params = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                return None
            params[field.attribute] = field.clean(row)
        return IndicatorValue.objects.counted().filter(**params).first()


class ProgressUpdateResource(ModelResource):
    """Updates of expected results and of working-group deliverables alike (exported only:
    an update is posted on the site, with its evidence)."""

    subject_type = shown("content_type__model", "subject_type")
    author = shown("author__email", "author")

    class Meta:
        model = ProgressUpdate
        # What the person wrote (the fields they may correct), with its subject and author.
        fields = (
            "id",
            "subject_type",
            "object_id",
            *EDITABLE_UPDATE_FIELDS,
            "author",
            "is_archived",
        )

    data_headers = {"subject_type": _("subject type")}

    def get_queryset(self):
        return ProgressUpdate.objects.select_related("content_type", "author").order_by("id")

"""Spreadsheet import and export of expected results, indicators and indicator values."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from core.hygiene import CleanImportMixin
from core.translated import translation_columns

from .models import ExpectedResult, Indicator, IndicatorValue, PriorityActionArea


class ReasonResource(CleanImportMixin, resources.ModelResource):
    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = "spreadsheet import"


class ExpectedResultResource(ReasonResource):
    """Rows identified by area (its id) and code; the area's number and title are for reading."""

    area_number = fields.Field(attribute="area__number", column_name="area_number", readonly=True)

    class Meta:
        model = ExpectedResult
        fields = (
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
        export_order = fields
        import_id_fields = ("area", "code")
        skip_unchanged = True
        clean_model_instances = True


class IndicatorResource(ReasonResource):
    class Meta:
        model = Indicator
        fields = (
            "code",
            "area",
            "result",
            "name",
            "description",
            *translation_columns("name", "description"),
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "means_of_verification",
            "order",
        )
        export_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True
        clean_model_instances = True


class IndicatorValueResource(ReasonResource):
    """Values named by their indicator's code, so a sheet reads without database ids."""

    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=ForeignKeyWidget(Indicator, field="code"),
    )
    # Shown, never imported: withdrawing, restoring and publishing each take a reason on the
    # site (roadmap.services), not a cell in a sheet.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    is_provisional = fields.Field(
        attribute="is_provisional", column_name="is_provisional", readonly=True
    )

    class Meta:
        model = IndicatorValue
        fields = (
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
        import_id_fields = ("indicator", "year", "source")
        skip_unchanged = True
        clean_model_instances = True

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


class PriorityActionAreaResource(ReasonResource):
    """Areas by id, for correcting titles and adding their translations in a spreadsheet."""

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
        import_id_fields = ("id",)
        skip_unchanged = True
        clean_model_instances = True

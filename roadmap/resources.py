"""Spreadsheet import and export of expected results, indicators and indicator values."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import ExpectedResult, Indicator, IndicatorValue, PriorityActionArea
from .translated import translation_columns


class ReasonResource(resources.ModelResource):
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

    class Meta:
        model = IndicatorValue
        fields = ("indicator", "year", "value", "source", "note", "is_computed")
        export_order = fields
        import_id_fields = ("indicator", "year", "source")
        skip_unchanged = True
        clean_model_instances = True


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

"""Spreadsheet resources of the survey (django-import-export), listed by the data export."""

from import_export import fields, resources

from .models import Response


class SurveyResponseResource(resources.ModelResource):
    """One row per response: who answered which round, and whether it was submitted."""

    round = fields.Field(attribute="round__name", column_name="round")
    society = fields.Field(attribute="society__name", column_name="society")
    region = fields.Field(attribute="society__region", column_name="region")
    submitted_by = fields.Field(attribute="submitted_by__email", column_name="submitted_by")

    class Meta:
        model = Response
        fields = ("id", "round", "society", "region", "state", "submitted_at", "submitted_by")
        export_order = fields

    def get_queryset(self):
        return Response.objects.select_related("round", "society", "submitted_by").order_by("id")

"""Spreadsheet resources of the survey (core.resources: one per model), listed by the data export."""

from django.utils.translation import gettext_lazy as _

from core.resources import ModelResource, shown

from .models import Response


class SurveyResponseResource(ModelResource):
    """One row per response: who answered which round, and whether it was submitted."""

    round = shown("round__name", "round")
    society = shown("society__name", "society")
    region = shown("society__region", "region")
    submitted_by = shown("submitted_by__email", "submitted_by")

    class Meta:
        model = Response
        fields = ("id", "round", "society", "region", "state", "submitted_at", "submitted_by")

    data_headers = {
        "round": _("survey round"),
        "region": _("region"),
        "submitted_by": _("submitted by"),
    }

    def get_queryset(self):
        return Response.objects.select_related("round", "society", "submitted_by").order_by("id")

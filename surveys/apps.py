"""App configuration for surveys."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from core.resources import register_export

        from . import resources

        # The data export's kind of this app (reports.exports lists it).
        register_export("survey-responses", _("Survey responses"), resources.SurveyResponseResource)

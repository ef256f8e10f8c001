"""App configuration for the roadmap."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Roadmap")

    def ready(self) -> None:
        from core.resources import register_export

        from . import archive_views, resources

        # The data export's kinds of this app (reports.exports lists them, in this order).
        register_export("areas", _("Priority action areas"), resources.PriorityActionAreaResource)
        register_export("expected-results", _("Expected results"), resources.ExpectedResultResource)
        register_export("indicators", _("Indicators"), resources.IndicatorResource)
        register_export("indicator-values", _("Indicator values"), resources.IndicatorValueResource)
        register_export(
            "progress-updates",
            _("Progress updates (results and deliverables)"),
            resources.ProgressUpdateResource,
            sheet=_("Progress updates"),
        )
        register_export(
            "evidence",
            _("Evidence of progress updates"),
            resources.EvidenceResource,
            sheet=_("Evidence"),
        )
        # Progress updates and evidence on the archive page (core.archive).
        archive_views.register()

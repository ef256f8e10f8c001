"""Application config of jobs: finds each app's job kinds (`<app>/jobs.py`) at start-up."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Background jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app registers the kinds of job it runs in its own jobs.py.
        autodiscover_modules("jobs")

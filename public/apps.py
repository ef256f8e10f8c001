"""App configuration for the public pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        # A change to what the pages show makes their cached copies stale.
        from . import cache

        cache.connect_signals()

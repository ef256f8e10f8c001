"""App configuration for people and organisations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and organisations")

    def ready(self):
        # After django.contrib.admin (earlier in INSTALLED_APPS) has registered every admin.
        from django.contrib import admin

        from .admin import harden_admin_site

        harden_admin_site(admin.site)

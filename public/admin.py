"""The publish switches in the administration too (the page is public:publish)."""

from django.contrib import admin

from accounts.admin import HistoryReasonAdmin

from .models import PublicPages


@admin.register(PublicPages)
class PublicPagesAdmin(HistoryReasonAdmin):
    list_display = ("__str__", "groups_published", "resources_published", "updated_at")

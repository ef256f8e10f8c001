"""Admin of reports: editions are edited here too; archived runs are read-only and never deleted."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import VersionedAdminMixin
from reports.models import ReportEdition, ReportRun


class ReportRunInline(admin.TabularInline):
    model = ReportRun
    extra = 0
    can_delete = False
    fields = ("version", "language", "status", "sha256", "created_by", "finished_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportEdition)
class ReportEditionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "audience", "period_start", "period_end", "is_archived")
    list_filter = ("is_archived",)
    search_fields = ("title", "audience")
    readonly_fields = ("created_by",)
    inlines = [ReportRunInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """An archive: visible, never changed or deleted."""

    list_display = ("edition", "version", "language", "status", "created_by", "finished_at")
    list_filter = ("status", "language")
    readonly_fields = [f.name for f in ReportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

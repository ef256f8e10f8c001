"""Admin screens for working groups, with history and spreadsheet import/export of resources."""

from django.contrib import admin
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import VersionedAdminMixin
from roadmap.admin import TranslationStatusMixin

from .models import (
    ActionItem,
    CoordinationBody,
    Deliverable,
    Invitation,
    JoinRequest,
    Meeting,
    Membership,
    Milestone,
    NotificationLog,
    Resource,
    WorkingGroup,
    Workplan,
)
from .resources import ResourceResource, WorkingGroupResource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["person", "organisation"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(
    VersionedAdminMixin, TranslationStatusMixin, ImportExportModelAdmin, SimpleHistoryAdmin
):
    resource_classes = [WorkingGroupResource]
    list_display = ["__str__", "roadmap", "parent", "is_archived", "missing_translations"]
    list_filter = ["roadmap", "is_archived"]
    filter_horizontal = ["areas"]
    inlines = [MembershipInline]


@admin.register(CoordinationBody)
class CoordinationBodyAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "roadmap"]
    filter_horizontal = ["organisations"]


@admin.register(Membership)
class MembershipAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "working_group",
        "role",
        "slot",
        "person",
        "organisation",
        "joined_on",
        "left_on",
    ]
    list_filter = ["role", "working_group"]
    raw_id_fields = ["person", "organisation"]


@admin.register(Workplan)
class WorkplanAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["working_group", "year"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Deliverable)
class DeliverableAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "working_group", "kind", "due_date", "is_archived"]
    list_filter = ["kind", "working_group", "is_archived"]
    search_fields = ["title"]
    inlines = [MilestoneInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "working_group", "date", "kind"]
    list_filter = ["kind", "working_group"]
    inlines = [ActionItemInline]


@admin.register(Resource)
class ResourceAdmin(VersionedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ResourceResource]
    list_display = ["title", "kind", "organisation", "working_group", "is_public", "is_archived"]
    list_filter = ["kind", "layer", "working_group", "is_public", "is_archived"]
    search_fields = ["title", "notes"]


@admin.register(JoinRequest)
class JoinRequestAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Requests are decided on the group's requests page; here they are only read."""

    list_display = ["email", "organisation", "working_group", "status", "created_at"]
    list_filter = ["status", "working_group"]
    search_fields = ["email", "full_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Invitations are sent, resent and revoked from the group's invitations page (the link's
    token is never shown: only its hash is stored); here they are only read."""

    list_display = ["email", "organisation", "working_group", "role", "expires_at", "accepted_at"]
    list_filter = ["working_group", "role"]
    search_fields = ["email"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NotificationLog)
class NotificationLogAdmin(VersionedAdminMixin, admin.ModelAdmin):
    """What notification e-mails went to whom (assignments, digests); read only."""

    list_display = ["recipient", "kind", "period_key", "status", "language", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email", "period_key", "subject"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

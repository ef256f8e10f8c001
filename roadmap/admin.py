"""Administration of the roadmap: commitments, areas, results, indicators, updates, evidence."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from accounts.admin import HistoryReasonAdmin, ReasonAdminForm, RoadmapAdminOnlyMixin
from core.concurrency import VersionedAdminMixin
from core.translated import missing_translations
from core.uploads import safe_filename, validate_evidence_file

from .models import (
    Commitment,
    Evidence,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    OperativeParagraph,
    PriorityActionArea,
    ProgressUpdate,
    PublicSummary,
    Roadmap,
)
from .resources import (
    ExpectedResultResource,
    IndicatorResource,
    IndicatorValueResource,
    PriorityActionAreaResource,
)


class OperativeParagraphInline(RoadmapAdminOnlyMixin, admin.TabularInline):
    model = OperativeParagraph
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(HistoryReasonAdmin):
    list_display = ("code", "title", "kind", "adopted_by", "adopted_on")
    list_filter = ("kind",)
    search_fields = ("code", "title", "summary")
    inlines = [OperativeParagraphInline]


@admin.register(OperativeParagraph)
class OperativeParagraphAdmin(VersionedAdminMixin, RoadmapAdminOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "commitment", "number")
    list_filter = ("commitment",)
    search_fields = ("summary",)


class TranslationStatusMixin:
    """Shows editors which translations are still missing (pages fall back to English)."""

    @admin.display(description=_("missing translations"))
    def missing_translations(self, obj) -> str:
        return ", ".join(missing_translations(obj, obj.translated_fields)) or "—"

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "missing_translations")


@admin.register(Roadmap)
class RoadmapAdmin(TranslationStatusMixin, HistoryReasonAdmin):
    list_display = ("name", "start_year", "end_year", "is_current", "missing_translations")
    list_filter = ("is_current",)
    search_fields = ("name",)
    filter_horizontal = ("commitments",)


@admin.register(PriorityActionArea)
class PriorityActionAreaAdmin(TranslationStatusMixin, ImportExportModelAdmin, HistoryReasonAdmin):
    resource_classes = [PriorityActionAreaResource]
    list_display = ("number", "title", "short_title", "roadmap", "missing_translations")
    list_display_links = ("number", "title")
    list_filter = ("roadmap",)
    search_fields = ("title", "short_title", "description")


@admin.register(ExpectedResult)
class ExpectedResultAdmin(TranslationStatusMixin, ImportExportModelAdmin, HistoryReasonAdmin):
    resource_classes = [ExpectedResultResource]
    list_display = (
        "code",
        "title",
        "kind",
        "actor",
        "area",
        "order",
        "is_archived",
        "missing_translations",
    )
    list_filter = ("kind", "actor", "is_archived", "area__roadmap", "area")
    search_fields = ("code", "title", "description")
    list_select_related = ("area",)


class IndicatorValueInline(RoadmapAdminOnlyMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    readonly_fields = ("status",)


@admin.register(Indicator)
class IndicatorAdmin(TranslationStatusMixin, ImportExportModelAdmin, HistoryReasonAdmin):
    resource_classes = [IndicatorResource]
    list_display = (
        "code",
        "name",
        "area",
        "unit",
        "baseline_value",
        "target_value",
        "missing_translations",
    )
    list_filter = ("area__roadmap", "area", "unit", "direction")
    search_fields = ("code", "name", "description")
    list_select_related = ("area",)
    inlines = [IndicatorValueInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ImportExportModelAdmin, HistoryReasonAdmin):
    resource_classes = [IndicatorValueResource]
    list_display = (
        "indicator",
        "year",
        "value",
        "source",
        "is_computed",
        "status",
        "is_provisional",
    )
    list_filter = ("status", "is_provisional", "year", "is_computed", "indicator__area")
    # Status changes go through the site's withdraw/restore/review pages, each with a reason.
    readonly_fields = ("status",)
    search_fields = ("indicator__code", "indicator__name", "source", "note")
    list_select_related = ("indicator",)


class EvidenceFileForm(forms.ModelForm):
    """Uploaded files go through the same content check as on the site."""

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and "file" in self.changed_data:
            mime = validate_evidence_file(f)
            self.instance.original_filename = (f.name or "")[:255]
            self.instance.content_type = mime
            f.name = safe_filename(f.name, mime)
        return f


class EvidenceAdminForm(EvidenceFileForm, ReasonAdminForm):
    pass


class EvidenceInline(RoadmapAdminOnlyMixin, admin.TabularInline):
    model = Evidence
    form = EvidenceFileForm
    extra = 0
    fields = ("title", "file", "url", "added_by")
    raw_id_fields = ("added_by",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(HistoryReasonAdmin):
    list_display = ("__str__", "content_type", "object_id", "status", "percent_complete", "author")
    list_filter = ("status", "content_type", "date")
    search_fields = ("narrative", "blockers", "next_steps")
    date_hierarchy = "date"
    raw_id_fields = ("author",)
    list_select_related = ("author", "content_type")
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(HistoryReasonAdmin):
    form = EvidenceAdminForm
    list_display = ("title", "update", "original_filename", "url", "added_by", "created_at")
    search_fields = ("title", "original_filename", "url")
    raw_id_fields = ("update", "added_by")
    readonly_fields = ("original_filename", "content_type")
    list_select_related = ("update", "added_by")


@admin.register(PublicSummary)
class PublicSummaryAdmin(HistoryReasonAdmin):
    list_display = ("roadmap", "is_published", "updated_at")
    list_filter = ("is_published",)

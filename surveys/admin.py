"""Django admin for questionnaires, rounds and responses (history kept by simple_history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import VersionedAdminMixin
from roadmap.admin import TranslationStatusMixin

from .models import (
    Answer,
    Choice,
    MessageLog,
    Question,
    Questionnaire,
    Reminder,
    Response,
    Section,
    SurveyRound,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "form_id", "version"]
    inlines = [SectionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(TranslationStatusMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "questionnaire",
        "section",
        "kind",
        "required",
        "indicator",
        "missing_translations",
    ]
    list_filter = ["questionnaire", "kind"]
    search_fields = ["name", "label_en"]
    inlines = [ChoiceInline]


@admin.register(SurveyRound)
class SurveyRoundAdmin(VersionedAdminMixin, TranslationStatusMixin, SimpleHistoryAdmin):
    list_display = ["name", "year", "state", "opens", "closes", "missing_translations"]


@admin.register(Response)
class ResponseAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["society", "round", "state", "submitted_at", "deadline"]
    list_filter = ["round", "state"]
    # Answers are changed by focal points in the survey, not here.
    readonly_fields = ["round", "society", "submitted_at", "submitted_by", "last_activity_at"]


@admin.register(Answer)
class AnswerAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["response", "question", "value", "version"]
    readonly_fields = ["response", "question", "value", "version", "updated_by"]

    def has_delete_permission(self, request, obj=None):
        # A submitted answer is locked: it changes only through a reopened response, which is
        # also what keeps the cached result counts right (selectors.submitted_counts).
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["society", "round", "sent_at", "recipients"]


@admin.register(MessageLog)
class MessageLogAdmin(admin.ModelAdmin):
    """Read-only: the log says what was sent; it is never edited."""

    list_display = ["sent_at", "society", "round", "kind", "language", "recipients", "status"]
    list_filter = ["round", "kind", "status", "language"]
    search_fields = ["society__name", "recipients"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

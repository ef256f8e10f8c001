"""Report editions (what a progress report covers and says) and their archived PDF runs."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import TimeStampedModel
from core.translated import InLanguage
from jobs.models import Run, RunQuerySet


class ReportSection(models.TextChoices):
    """Sections an edition may include; the cover and the contents are always there."""

    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary and key figures")
    BACKGROUND = "background", _("Background")
    AT_A_GLANCE = "at_a_glance", _("Progress at a glance")
    AREAS = "areas", _("One chapter per priority action area")
    SURVEY = "survey", _("Survey findings")
    CHALLENGES = "challenges", _("Challenges and way forward")
    ANNEXES = "annexes", _("Annexes")


def all_sections() -> list[str]:
    return [s.value for s in ReportSection]


class ReportEditionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins and readers see every edition; nobody else sees any."""
        if user.is_authenticated and (user.is_roadmap_admin or user.is_reader):
            return self
        return self.none()


class ReportEdition(TimeStampedModel):
    """One report people write and generate, e.g. "Progress report to the Council of Delegates 2025"."""

    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    roadmap = models.ForeignKey(
        "roadmap.Roadmap",
        verbose_name=_("roadmap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_editions",
        help_text=_(
            "The roadmap whose areas and figures the report covers; empty: the current one."
        ),
    )
    survey_round = models.ForeignKey(
        "surveys.SurveyRound",
        verbose_name=_("survey round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_editions",
        help_text=_("The round whose response rate and respondents the report shows."),
    )
    sections = models.JSONField(_("sections"), default=all_sections)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    challenges = models.TextField(_("challenges and way forward"), blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200, blank=True)
    executive_summary_fr = models.TextField(_("executive summary (French)"), blank=True)
    executive_summary_es = models.TextField(_("executive summary (Spanish)"), blank=True)
    executive_summary_ar = models.TextField(_("executive summary (Arabic)"), blank=True)
    challenges_fr = models.TextField(_("challenges and way forward (French)"), blank=True)
    challenges_es = models.TextField(_("challenges and way forward (Spanish)"), blank=True)
    challenges_ar = models.TextField(_("challenges and way forward (Arabic)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords()
    objects = ReportEditionQuerySet.as_manager()

    translated_fields = ("title", "executive_summary", "challenges")
    display_title = InLanguage("title")
    display_executive_summary = InLanguage("executive_summary")
    display_challenges = InLanguage("challenges")

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def covered_roadmap(self):
        """The roadmap the report covers: its own, else the current one."""
        from roadmap.models import Roadmap

        return self.roadmap if self.roadmap_id else Roadmap.objects.current()

    def includes(self, section: str) -> bool:
        return section in (self.sections or [])


def report_upload_to(instance, filename: str) -> str:
    """A fresh random name under reports/ so a file is never overwritten by a later version."""
    return f"reports/{uuid.uuid4().hex}.pdf"


class ReportRun(Run):
    """One generation of an edition in one language: an archived PDF that never changes.

    Its status, start and end, and whether its worker died, are the one run state of
    background work (jobs.models.Run)."""

    edition = models.ForeignKey(
        ReportEdition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="runs"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField(_("version"))
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True, max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "-version"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.UniqueConstraint(fields=["edition", "version"], name="unique_report_version"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(sha256="")),
                name="done_report_has_file_and_checksum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} v{self.version} ({self.language})"

    @property
    def download_name(self) -> str:
        from django.utils.text import slugify

        return f"{slugify(self.edition.title) or 'report'}-v{self.version}-{self.language}.pdf"

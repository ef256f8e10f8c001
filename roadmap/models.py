"""Commitments, the roadmap and its priority action areas, expected results, indicators and progress."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import TimeStampedModel
from core.archive import Archivable, ArchivableQuerySet
from core.formatting import format_number, format_percent
from core.translated import InLanguage


class Commitment(TimeStampedModel):
    """A policy or resolution the Movement adopted (e.g. CD/19/R5, 33IC/19/R2)."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Policy")
        RESOLUTION = "resolution", _("Resolution")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    adopted_by = models.CharField(_("adopted by"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["adopted_on", "code"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"


class OperativeParagraph(TimeStampedModel):
    """A numbered operative paragraph (OP) of a resolution."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="operative_paragraphs"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    summary = models.TextField(_("summary"))

    class Meta:
        ordering = ["commitment", "number"]
        verbose_name = _("operative paragraph")
        verbose_name_plural = _("operative paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "number"], name="unique_op_number")
        ]

    def __str__(self) -> str:
        return f"{self.commitment.code} OP{self.number}"


class RoadmapQuerySet(models.QuerySet):
    def current(self):
        """The roadmap people work on now: the one marked current, else the latest."""
        return self.order_by("-is_current", "-start_year").first()


class Roadmap(TimeStampedModel):
    """A period of implementation; a second roadmap can follow the first."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    description = models.TextField(_("description"), blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    commitments = models.ManyToManyField(
        Commitment, verbose_name=_("commitments"), related_name="roadmaps", blank=True
    )
    is_current = models.BooleanField(_("current"), default=False)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        help_text=_("The roadmap this one was created from (its areas and groups carried over)."),
    )

    history = HistoricalRecords()
    objects = RoadmapQuerySet.as_manager()

    translated_fields = ("name", "description")
    display_name = InLanguage("name")
    display_description = InLanguage("description")

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="roadmap_period_ordered"
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_roadmap"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class PriorityActionArea(TimeStampedModel):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.PROTECT, related_name="areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=300, blank=True)
    short_title_fr = models.CharField(_("short title (French)"), max_length=80, blank=True)
    short_title_es = models.CharField(_("short title (Spanish)"), max_length=80, blank=True)
    short_title_ar = models.CharField(_("short title (Arabic)"), max_length=80, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The same area in the roadmap before, so figures join across roadmaps."),
    )

    history = HistoricalRecords()

    translated_fields = ("title", "short_title", "description")
    display_title = InLanguage("title")
    display_short_title = InLanguage("short_title")
    display_description = InLanguage("description")

    class Meta:
        ordering = ["roadmap", "number"]
        verbose_name = _("priority action area")
        verbose_name_plural = _("priority action areas")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="unique_area_number")
        ]

    def __str__(self) -> str:
        return _("Area %(number)s: %(title)s") % {
            "number": self.number,
            "title": self.display_title,
        }


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETED = "completed", _("Completed")


class ProgressUpdateQuerySet(ArchivableQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
            object_id=obj.pk,
        )


class ProgressUpdate(Archivable, TimeStampedModel):
    """A dated statement of progress on anything tracked: an expected result or a deliverable.

    One mechanism for the roadmap and the working groups, so status and evidence look the same
    everywhere.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    date = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.ON_TRACK
    )
    percent_complete = models.PositiveSmallIntegerField(
        _("percent complete"), validators=[MaxValueValidator(100)], default=0
    )
    narrative = models.TextField(_("what happened"))
    blockers = models.TextField(_("blockers"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )

    history = HistoricalRecords()
    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["content_type", "object_id", "-date", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="percent_complete_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ProgressStatus]),
                name="progress_status_valid",
            ),
        ]

    def __str__(self) -> str:
        date = date_format(self.date, "DATE_FORMAT")
        return f"{date} · {self.get_status_display()} · {format_percent(self.percent_complete)}"


def evidence_upload_to(instance, filename: str) -> str:
    """A random name under evidence/, keeping only a safe extension: no path traversal."""
    suffix = Path(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(Archivable, TimeStampedModel):
    """A file or a link that backs a progress update."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=100, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()
    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="evidence_has_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


def latest_progress(model, field: str, as_of: datetime.date | None = None):
    """A subquery giving one field of the newest progress update of each row of `model`.

    With `as_of`, only updates dated on or before that day count (roadmap.figures).
    """
    # An archived update (a mistake) no longer counts: the one before it does.
    updates = ProgressUpdate.objects.active().filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
    )
    if as_of is not None:
        updates = updates.filter(date__lte=as_of)
    return Subquery(updates.order_by("-date", "-id").values(field)[:1])


class TrackedQuerySet(models.QuerySet):
    """Queryset for anything that receives progress updates."""

    def with_latest_progress(self, as_of: datetime.date | None = None, *, narrative=False):
        fields = {
            "latest_status": "status",
            "latest_percent": "percent_complete",
            "latest_update_date": "date",
        }
        if narrative:
            fields.update(latest_narrative="narrative", latest_next_steps="next_steps")
        return self.annotate(
            **{name: latest_progress(self.model, f, as_of) for name, f in fields.items()}
        )


class ExpectedResult(TimeStampedModel):
    """An outcome or output the roadmap expects by its end, for one priority action area."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome")
        OUTPUT = "output", _("Output")

    class Actor(models.TextChoices):
        NATIONAL_SOCIETIES = "national_societies", _("National Societies")
        IFRC = "ifrc", _("IFRC")
        ICRC = "icrc", _("ICRC")
        MOVEMENT = "movement", _("Movement as a whole")

    area = models.ForeignKey(
        PriorityActionArea, on_delete=models.PROTECT, related_name="expected_results"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=12)
    title = models.CharField(_("title"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=400, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=400, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    actor = models.CharField(
        _("actor"), max_length=20, choices=Actor.choices, default=Actor.MOVEMENT
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_(
            "The same expected result in the roadmap before, so figures join across roadmaps."
        ),
    )

    progress_updates = GenericRelation(ProgressUpdate)
    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    translated_fields = ("title", "description")
    display_title = InLanguage("title")
    display_description = InLanguage("description")

    class Meta:
        ordering = ["area__number", "kind", "order", "code"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="unique_result_code_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"


class OutcomeManager(models.Manager.from_queryset(TrackedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ExpectedResult.Kind.OUTCOME)


class OutputManager(models.Manager.from_queryset(TrackedQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=ExpectedResult.Kind.OUTPUT)


class Outcome(ExpectedResult):
    objects = OutcomeManager()

    class Meta:
        proxy = True
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")


class Output(ExpectedResult):
    objects = OutputManager()

    class Meta:
        proxy = True
        verbose_name = _("output")
        verbose_name_plural = _("outputs")


class Indicator(TimeStampedModel):
    """A measure of an area's progress, with baseline and target."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percent of respondents")
        COUNT = "count", _("Count")
        NUMBER = "number", _("Number")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")
        MAINTAIN = "maintain", _("Maintain")

    area = models.ForeignKey(
        PriorityActionArea, on_delete=models.PROTECT, related_name="indicators"
    )
    result = models.ForeignKey(
        ExpectedResult,
        verbose_name=_("expected result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    # Unique within a roadmap (a carried-over indicator keeps its code): roadmap.services checks.
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERCENT)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The same indicator in the roadmap before, so figures join across roadmaps."),
    )

    history = HistoricalRecords()

    translated_fields = ("name", "description")
    display_name = InLanguage("name")
    display_description = InLanguage("description")

    class Meta:
        ordering = ["area__number", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    def format_value(self, value) -> str:
        """A value in this indicator's unit for people to read, in the active language:
        "74.5%" in English, "74,5 %" in French; whole numbers without decimals, "—" for none."""
        if self.unit == self.Unit.PERCENT:
            return format_percent(value, None)
        return format_number(value)


def check_value_for_unit(unit: str, value) -> None:
    """The limits of an indicator's unit: percent 0–100, counts whole and not negative.

    One rule for the model's clean(), the form and the services; raises ValidationError on the
    "value" field with a message that names the limit.
    """
    if value is None:
        return
    if unit == Indicator.Unit.PERCENT and not (0 <= value <= 100):
        message = _("A percentage must be between 0 and 100; %(value)s is not.")
        raise ValidationError(
            {"value": ValidationError(message, params={"value": format_number(value, -2)})}
        )
    if unit == Indicator.Unit.COUNT and (value < 0 or value != int(value)):
        message = _("A count must be a whole number, 0 or more; %(value)s is not.")
        raise ValidationError(
            {"value": ValidationError(message, params={"value": format_number(value, -2)})}
        )


class IndicatorValueQuerySet(models.QuerySet):
    """The rule for which values count is here once; roadmap.figures builds on it."""

    def counted(self):
        """Values that count as figures: published ones (not proposed, withdrawn or discarded)."""
        return self.filter(status=IndicatorValue.Status.PUBLISHED)

    def proposed(self):
        return self.filter(status=IndicatorValue.Status.PROPOSED)

    def as_of(self, as_of: datetime.date):
        """Values measured for the date's year or earlier."""
        return self.filter(year__lte=as_of.year)


class IndicatorValue(TimeStampedModel):
    """A measured value of an indicator for a year, with where it comes from.

    Typed in by an admin (published at once), or proposed from a survey round's submitted
    answers (with numerator, denominator and coverage) and published or discarded by an admin.
    A wrong value is withdrawn with a reason, never deleted; it can be restored.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DISCARDED = "discarded", _("Discarded")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    is_computed = models.BooleanField(
        _("computed from survey answers"),
        default=False,
        help_text=_("Set when the value comes from submitted survey answers, not typed in."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    # A computed value's share: numerator answers of denominator answers (the results page's
    # base), and coverage: responses submitted of National Societies invited, overall and by
    # region ({region: {"submitted": n, "invited": N}}).
    numerator = models.PositiveIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    responses = models.PositiveIntegerField(_("responses submitted"), null=True, blank=True)
    invited = models.PositiveIntegerField(_("societies invited"), null=True, blank=True)
    coverage_by_region = models.JSONField(_("coverage by region"), default=dict, blank=True)
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Set when too few of the invited societies answered for a firm figure."),
    )

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            # One current value per indicator, year and source; withdrawn and discarded ones
            # stay beside it in the history. At most one open proposal per triple too.
            models.UniqueConstraint(
                fields=["indicator", "year", "source"],
                condition=Q(status="published"),
                name="one_published_indicator_value_per_source",
                violation_error_message=_(
                    "This indicator already has a current value for this year and source: "
                    "correct that value instead."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "source"],
                condition=Q(status="proposed"),
                name="one_proposed_indicator_value_per_source",
                violation_error_message=_(
                    "A proposed value for this year and source is already waiting for review."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"

    def clean(self) -> None:
        super().clean()
        if self.indicator_id is not None:
            check_value_for_unit(self.indicator.unit, self.value)

    @property
    def is_counted(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def coverage(self) -> float | None:
        """Share of invited societies that submitted (0–1), for computed values."""
        if not self.invited or self.responses is None:
            return None
        return self.responses / self.invited


class PublicSummary(TimeStampedModel):
    """What anonymous visitors may see, only once an admin publishes it."""

    roadmap = models.OneToOneField(Roadmap, on_delete=models.CASCADE, related_name="public_summary")
    is_published = models.BooleanField(_("published"), default=False)
    text = models.TextField(_("introduction"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public summary")
        verbose_name_plural = _("public summaries")

    def __str__(self) -> str:
        return str(self.roadmap)

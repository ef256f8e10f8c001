"""Questionnaires, survey rounds, National Society responses and their answers."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Region, TimeStampedModel
from core.translated import InLanguage, in_language

LANGUAGE_CODES = ("en", "fr", "es", "ar")


class Questionnaire(TimeStampedModel):
    """A set of sections and questions; usually imported from an XLSForm."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    form_id = models.SlugField(_("form id"), max_length=100, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)
    default_language = models.CharField(_("default language"), max_length=5, default="en")
    # The XLSForm's languages as written ("Français (fr)", "default"), each with our code or
    # None for a language kept only in `translations`; the export writes them back in order.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Other settings-sheet columns (style, instance_name…), exported again unchanged.
    settings = models.JSONField(_("other settings"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    """An XLSForm group (one page of the response form); groups nest through `parent`.

    `order` is the position of the group's begin row among all rows, shared with the questions'
    `order`, so the export rebuilds the sheet in its original order. Questions outside any
    group sit in sections with `is_group` False, which the export does not write as groups.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subsections"
    )
    is_group = models.BooleanField(_("XLSForm group"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.SlugField(_("name"), max_length=100)
    title_en = models.TextField(_("title (English)"))
    title_fr = models.TextField(_("title (French)"), blank=True)
    title_es = models.TextField(_("title (Spanish)"), blank=True)
    title_ar = models.TextField(_("title (Arabic)"), blank=True)
    # The group's own `relevant`, as written; `condition` adds the enclosing groups' (what
    # the response form evaluates for every question inside).
    relevant = models.TextField(_("show only when"), blank=True)
    condition = models.TextField(_("shown when (with enclosing groups)"), blank=True)
    appearance = models.CharField(_("appearance"), max_length=200, blank=True)
    # {column: {language as written: text}} for languages other than en/fr/es/ar.
    translations = models.JSONField(_("other translations"), default=dict, blank=True)

    class Meta:
        ordering = ["questionnaire", "order", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"], name="unique_section_name_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")


class Question(models.Model):
    """One question; `name` is its XLSForm name, `relevant` its display condition."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        TEXT = "text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        DATE = "date", _("Date")
        NOTE = "note", _("Note")
        CALCULATE = "calculate", _("Calculation")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.SlugField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=False)
    label_en = models.TextField(_("label (English)"), blank=True)
    label_fr = models.TextField(_("label (French)"), blank=True)
    label_es = models.TextField(_("label (Spanish)"), blank=True)
    label_ar = models.TextField(_("label (Arabic)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    help_fr = models.TextField(_("help (French)"), blank=True)
    help_es = models.TextField(_("help (Spanish)"), blank=True)
    help_ar = models.TextField(_("help (Arabic)"), blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    # XLSForm `relevant` syntax, checked at import (surveys.xpath): shown only when true.
    relevant = models.TextField(_("show only when"), blank=True)
    # The XLSForm columns kept as written (checked at import) and round-tripped.
    list_name = models.CharField(_("choice list"), max_length=100, blank=True)
    or_other = models.BooleanField(_("offers “other”"), default=False)
    choice_filter = models.TextField(_("choice filter"), blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    constraint = models.TextField(_("constraint"), blank=True)
    default = models.TextField(_("default"), blank=True)
    appearance = models.CharField(_("appearance"), max_length=200, blank=True)
    # {column: {language as written: text}}: labels and hints in other languages, and the
    # constraint and required messages in every language.
    translations = models.JSONField(_("other translations"), default=dict, blank=True)
    indicator = models.ForeignKey(
        "roadmap.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
    )
    area = models.ForeignKey(
        "roadmap.PriorityActionArea",
        verbose_name=_("priority action area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
    )

    translated_fields = ("label", "help")

    class Meta:
        ordering = ["questionnaire", "section__order", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "name"], name="unique_question_name_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return in_language(self, "label")

    @property
    def help(self) -> str:
        return in_language(self, "help")

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def is_asked(self) -> bool:
        """Notes are only read and calculations computed: neither is answered by a person."""
        return self.kind not in (self.Kind.NOTE, self.Kind.CALCULATE)

    def message(self, column: str) -> str:
        """`constraint_message` or `required_message` in the reader's language, else English,
        else the first one written ('' when the form has none)."""
        texts = (self.translations or {}).get(column) or {}
        code = (get_language() or "en")[:2]
        return texts.get(code) or texts.get("en") or next(iter(texts.values()), "")


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    label_en = models.TextField(_("label (English)"))
    label_fr = models.TextField(_("label (French)"), blank=True)
    label_es = models.TextField(_("label (Spanish)"), blank=True)
    label_ar = models.TextField(_("label (Arabic)"), blank=True)
    translations = models.JSONField(_("other translations"), default=dict, blank=True)
    # Other columns of the choices sheet (what a choice_filter reads, e.g. {"state": "tx"}).
    properties = models.JSONField(_("other columns"), default=dict, blank=True)
    # For a multiple choice: the indicator is the share of societies selecting this choice.
    indicator = models.ForeignKey(
        "roadmap.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_choices",
    )

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="unique_choice_per_question")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_language(self, "label")


class SurveyRound(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    roadmap = models.ForeignKey(
        "roadmap.Roadmap", on_delete=models.PROTECT, related_name="survey_rounds"
    )
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="rounds"
    )
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")

    class Invitation(models.TextChoices):
        ALL = "all", _("Every National Society")
        REGION = "region", _("The National Societies of one region")
        LIST = "list", _("A list of National Societies")

    invitation = models.CharField(
        _("invited"), max_length=10, choices=Invitation.choices, default=Invitation.ALL
    )
    invited_region = models.CharField(
        _("invited region"), max_length=30, choices=Region.choices, blank=True
    )
    invited_societies = models.ManyToManyField(
        Organisation, verbose_name=_("invited National Societies"), blank=True, related_name="+"
    )
    # Shown to societies on the response page and sent in the e-mail: why the round was
    # reopened or extended. Per-society changes are on Response.notice.
    notice = models.CharField(
        _("reason of the last reopening or extension"), max_length=300, blank=True
    )

    history = HistoricalRecords(m2m_fields=[invited_societies])

    translated_fields = ("name",)
    display_name = InLanguage("name")

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "name"], name="unique_round_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def invited(self):
        """The active National Societies invited to answer (a queryset)."""
        societies = Organisation.objects.national_societies().active()
        if self.invitation == self.Invitation.REGION:
            return societies.filter(region=self.invited_region)
        if self.invitation == self.Invitation.LIST:
            return societies.filter(pk__in=self.invited_societies.values("pk"))
        return societies


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Admins and readers see every response; a focal point only their society's."""
        if not (user and user.is_authenticated):
            return self.none()
        if user.is_roadmap_admin or user.is_reader:
            return self
        if user.focal_point_society_id:
            return self.filter(society_id=user.focal_point_society_id)
        return self.none()


class Response(TimeStampedModel):
    """The one shared answer of a National Society to a round."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    round = models.ForeignKey(SurveyRound, on_delete=models.PROTECT, related_name="responses")
    society = models.ForeignKey(
        Organisation,
        verbose_name=_("National Society"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    deadline = models.DateField(
        _("extended deadline"),
        null=True,
        blank=True,
        help_text=_("Replaces the round's closing date for this society."),
    )
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    # Why this society's response was reopened or its deadline extended; shown on its page.
    notice = models.CharField(
        _("reason of the last reopening or extension"), max_length=300, blank=True
    )

    history = HistoricalRecords()
    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["round", "society__name"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "society"], name="one_response_per_society_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.society} — {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED


def deadline_in_force(
    closes: datetime.date | None, own: datetime.date | None
) -> datetime.date | None:
    """The later of the round's closing date and a society's own extension: extending the
    round for everybody never shortens one society's extension, nor the other way round."""
    if closes and own:
        return max(closes, own)
    return own or closes


def round_deadline(survey_round: SurveyRound, response: Response | None) -> datetime.date | None:
    """The last day a society may answer (see `deadline_in_force`)."""
    return deadline_in_force(survey_round.closes, response.deadline if response else None)


class Progress(models.TextChoices):
    """Where a society stands in a round, as the tracker and the reminders filter it."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REOPENED = "reopened", _("Reopened")
    SUBMITTED = "submitted", _("Submitted")


def progress_of(state: str | None, answered: int, reopened_at) -> str:
    """A society's progress from its response's state, answer count and reopening time."""
    if state == Response.State.SUBMITTED:
        return Progress.SUBMITTED
    if state is not None and reopened_at is not None:
        return Progress.REOPENED
    if state is not None and answered:
        return Progress.IN_PROGRESS
    return Progress.NOT_STARTED


def is_editable(survey_round: SurveyRound, response: Response | None) -> bool:
    """Answers change only while the round is open, before the deadline and before submit."""
    if survey_round.state != SurveyRound.State.OPEN:
        return False
    if response is not None and response.is_submitted:
        return False
    deadline = round_deadline(survey_round, response)
    return deadline is None or timezone.localdate() <= deadline


class Answer(models.Model):
    """One answer; `version` grows on each change so concurrent edits are detected."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Stored as XLSForm stores it: "yes"/"no", a choice name, space-separated names, a number.
    value = models.TextField(_("value"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question.name}={self.value}"


class Reminder(models.Model):
    """A reminder e-mail sent to a society that had not submitted."""

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="reminders")
    society = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipients = models.TextField(_("recipients"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return f"{self.society} {self.sent_at:%Y-%m-%d}"


class MessageLog(models.Model):
    """One e-mail sent (or tried) to a society's focal points, with how it went."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        REOPENED = "reopened", _("Reopened")
        EXTENDED = "extended", _("Deadline extended")
        FOCAL_POINT = "focal_point", _("Focal point invitation")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    round = models.ForeignKey(SurveyRound, on_delete=models.CASCADE, related_name="messages")
    society = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("message"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    # The text as sent (round e-mails are written when queued and sent by a background task).
    body = models.TextField(_("text"), blank=True)
    deadline = models.DateField(_("deadline given"), null=True, blank=True)
    status = models.CharField(_("delivery"), max_length=8, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["round", "society", "kind", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.society} {self.sent_at:%Y-%m-%d}"

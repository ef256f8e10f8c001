"""Models of working groups: groups, memberships, workplans, deliverables, meetings, resources."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, Region, TimeStampedModel
from core.archive import Archivable, ArchivableQuerySet
from core.translated import InLanguage
from roadmap import figures
from roadmap.models import TrackedQuerySet


class CoordinationBody(TimeStampedModel):
    """A body that coordinates the working groups (e.g. the Interim Coordination Structure)."""

    roadmap = models.ForeignKey(
        "roadmap.Roadmap", on_delete=models.PROTECT, related_name="coordination_bodies"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("member organisations"), related_name="+", blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("coordination body")
        verbose_name_plural = _("coordination bodies")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "name"], name="unique_body_per_roadmap")
        ]

    def __str__(self) -> str:
        return self.name


class WorkingGroupQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)


class WorkingGroup(TimeStampedModel):
    """A working group of a roadmap; a subgroup has a parent and its own members and outputs."""

    roadmap = models.ForeignKey(
        "roadmap.Roadmap", on_delete=models.PROTECT, related_name="working_groups"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subgroups",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=300, blank=True)
    short_name_fr = models.CharField(_("short name (French)"), max_length=80, blank=True)
    short_name_es = models.CharField(_("short name (Spanish)"), max_length=80, blank=True)
    short_name_ar = models.CharField(_("short name (Arabic)"), max_length=80, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    areas = models.ManyToManyField(
        "roadmap.PriorityActionArea",
        verbose_name=_("priority action areas"),
        related_name="working_groups",
        blank=True,
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    closed_on = models.DateField(
        _("closed on"),
        null=True,
        blank=True,
        help_text=_("The day the group ended with its roadmap (carried over or closed)."),
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The same group in the roadmap before."),
    )

    history = HistoricalRecords()
    objects = WorkingGroupQuerySet.as_manager()

    translated_fields = ("name", "short_name", "description")
    display_name = InLanguage("name")
    display_short_name = InLanguage("short_name")
    display_description = InLanguage("description")

    class Meta:
        ordering = ["roadmap", "number", "parent_id", "id"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            # Top-level groups are known by their number; subgroups by their name under the parent.
            models.UniqueConstraint(
                fields=["roadmap", "number"],
                condition=Q(parent__isnull=True),
                name="unique_group_number_per_roadmap",
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="unique_subgroup_name"),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return self.display_name
        return _("WG%(number)s: %(name)s") % {"number": self.number, "name": self.display_name}

    @property
    def label(self) -> str:
        return self.display_short_name or (
            f"WG{self.number}" if not self.parent_id else self.display_name
        )

    def get_absolute_url(self) -> str:
        if self.parent_id:
            return reverse("workinggroups:subgroup", kwargs={"number": self.number, "pk": self.pk})
        return reverse("workinggroups:detail", kwargs={"number": self.number})

    @property
    def governing_group_id(self) -> int:
        """The group whose co-leads govern this one: itself, or the parent of a subgroup."""
        return self.parent_id or self.pk


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_on__isnull=True)

    def co_leads(self):
        return self.filter(role=Membership.Role.CO_LEAD)


class Membership(TimeStampedModel):
    """An organisation or a person taking part in a group, from a date until (maybe) a date.

    Co-leads are memberships with the co-lead role and a slot (1 or 2). The database allows one
    active co-lead per slot and group, hence at most two active co-leads; ended co-leads keep
    their row so the history of who led the group stays.
    """

    class Role(models.TextChoices):
        CO_LEAD = "co_lead", _("Co-lead")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_memberships",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    slot = models.PositiveSmallIntegerField(
        _("co-lead slot"), null=True, blank=True, choices=[(1, "1"), (2, "2")]
    )
    joined_on = models.DateField(_("joined on"), default=datetime.date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["working_group", "role", "slot", "organisation__name", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "slot"],
                condition=Q(left_on__isnull=True, role="co_lead"),
                name="at_most_two_active_co_leads",
            ),
            models.CheckConstraint(
                condition=(
                    Q(role="co_lead")
                    & Q(slot__isnull=False)
                    & Q(slot__in=[1, 2])
                    & Q(person__isnull=False)
                )
                | (~Q(role="co_lead") & Q(slot__isnull=True)),
                name="co_lead_has_person_and_slot",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="membership_has_organisation_or_person",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.organisation
        return f"{who} ({self.get_role_display()}, {self.working_group.label})"

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    def clean(self):
        super().clean()
        if self.role == self.Role.CO_LEAD and self.organisation_id:
            allowed = {
                Organisation.Kind.NATIONAL_SOCIETY,
                Organisation.Kind.IFRC,
                Organisation.Kind.ICRC,
            }
            if self.organisation.kind not in allowed:
                raise ValidationError(
                    {
                        "organisation": _(
                            "A co-lead comes from a National Society, the IFRC or the ICRC."
                        )
                    }
                )


class Workplan(TimeStampedModel):
    """What a group plans for one year."""

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="workplans"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["working_group", "-year"]
        verbose_name = _("workplan")
        verbose_name_plural = _("workplans")
        constraints = [
            models.UniqueConstraint(fields=["working_group", "year"], name="one_workplan_per_year")
        ]

    def __str__(self) -> str:
        return _("%(group)s workplan %(year)s") % {
            "group": self.working_group.label,
            "year": self.year,
        }


class DeliverableQuerySet(TrackedQuerySet, ArchivableQuerySet):  # type: ignore[override]  # two querysets, one manager
    def with_previous_progress(self):
        """Also the status and percent of the update before the latest: what changed."""
        from django.contrib.contenttypes.models import ContentType

        from roadmap.models import ProgressUpdate

        def previous(field):
            return models.Subquery(
                ProgressUpdate.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=models.OuterRef("pk"),
                    is_archived=False,
                )
                .order_by("-date", "-id")
                .values(field)[1:2]
            )

        return self.annotate(
            previous_status=previous("status"), previous_percent=previous("percent_complete")
        )


class Deliverable(Archivable, TimeStampedModel):
    """An output a group commits to in a workplan; progress comes through ProgressUpdate."""

    class Kind(models.TextChoices):
        MAPPING = "mapping", _("Mapping")
        E_LEARNING = "e_learning", _("E-learning module")
        WEBINAR_SERIES = "webinar_series", _("Webinar series")
        RESEARCH = "research", _("Research project")
        TOOLKIT = "toolkit", _("Toolkit")
        MOU = "mou", _("Memorandum of understanding")
        GUIDANCE = "guidance", _("Guidance")
        ADVOCACY_EVENT = "advocacy_event", _("Advocacy event")
        DONOR_ENGAGEMENT = "donor_engagement", _("Donor engagement")
        OTHER = "other", _("Other")

    workplan = models.ForeignKey(
        Workplan, verbose_name=_("workplan"), on_delete=models.PROTECT, related_name="deliverables"
    )
    # Denormalised from the workplan so permission checks and lists need no extra join.
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="deliverables", editable=False
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    expected_result = models.ForeignKey(
        "roadmap.ExpectedResult",
        verbose_name=_("serves roadmap result"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliverables",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)

    progress_updates = GenericRelation("roadmap.ProgressUpdate")
    history = HistoricalRecords()
    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["workplan__year", "due_date", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Keep the denormalised group in step with the workplan.
        if self.workplan_id:
            self.working_group_id = self.workplan.working_group_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:deliverable", kwargs={"pk": self.pk})


class Milestone(Archivable, TimeStampedModel):
    """A dated step of a deliverable, e.g. one webinar of a series with its attendance."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.PROTECT, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return figures.is_overdue(self.date, done=self.is_done)


class Meeting(Archivable, TimeStampedModel):
    """A meeting of a group, with minutes, decisions and action items."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly meeting")
        CO_LEADS_WORKSHOP = "co_leads_workshop", _("Co-leads workshop")
        WEBINAR = "webinar", _("Webinar")
        OTHER = "other", _("Other")

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MONTHLY)
    title = models.CharField(_("title"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="+", blank=True
    )
    attending_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("attending organisations"), related_name="+", blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    history = HistoricalRecords()
    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.date}"

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:meeting", kwargs={"pk": self.pk})


class ActionItem(Archivable, TimeStampedModel):
    """Something a meeting asked someone to do by a date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_action_items",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_done = models.BooleanField(_("done"), default=False)

    history = HistoricalRecords()
    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["is_done", "due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return figures.is_overdue(self.due_date, done=self.is_done)


class FrameworkLayer(models.TextChoices):
    """The four layers of the Movement MHPSS framework, from base to top."""

    BASIC_PSS = "basic_pss", _("Basic psychosocial support")
    FOCUSED_PSS = "focused_pss", _("Focused psychosocial support")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    SPECIALISED = "specialised", _("Specialised mental health care")


class ResourceQuerySet(ArchivableQuerySet):
    def public(self):
        return self.active().filter(is_public=True)


class Resource(Archivable, TimeStampedModel):
    """One entry of the mapping that replaces the groups' spreadsheets."""

    class Kind(models.TextChoices):
        PSS_COURSE = "pss_course", _("PSS course")
        ME_TOOL = "me_tool", _("M&E tool")
        CONTACT = "contact", _("Contact or network")
        STIGMA = "stigma", _("Stigma resource")
        DIGITAL = "digital", _("Digital MHPSS approach")
        DONOR = "donor", _("Donor")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    # Comma-separated Region values: a resource may serve several regions.
    regions = models.CharField(_("regions"), max_length=120, blank=True)
    languages = models.CharField(
        _("languages available"),
        max_length=200,
        blank=True,
        help_text=_("Separate languages with commas."),
    )
    layer = models.CharField(
        _("framework layer"), max_length=15, choices=FrameworkLayer.choices, blank=True
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("curated by"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown in the public resource library once an admin publishes it."),
    )

    history = HistoricalRecords()
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        # The list pages through the shown resources in this order: with the index, a page
        # reads its 25 ids from the index instead of sorting every row (20,000 at scale 10).
        indexes = [
            models.Index(
                fields=["title", "id"],
                name="resource_shown_by_title",
                condition=models.Q(is_archived=False),
            )
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    @property
    def region_list(self) -> list[str]:
        return [r for r in self.regions.split(",") if r]

    def get_regions_display(self) -> str:
        labels = dict(Region.choices)
        return ", ".join(str(labels.get(r, r)) for r in self.region_list)

    def clean(self):
        super().clean()
        bad = [r for r in self.region_list if r not in Region.values]
        if bad:
            raise ValidationError(
                {"regions": _("Unknown region: %(value)s") % {"value": ", ".join(bad)}}
            )


class JoinRequestQuerySet(models.QuerySet):
    def open(self):
        """Waiting: for the e-mail confirmation or for a co-lead."""
        return self.filter(status__in=[JoinRequest.Status.UNCONFIRMED, JoinRequest.Status.PENDING])


class JoinRequest(TimeStampedModel):
    """Someone asking to join a working group for their organisation.

    A signed-in person's request waits for a co-lead at once; a request from the public page
    first waits for its e-mail address to be confirmed (a signed link). A co-lead accepts it
    (the account, if needed, and the membership are created) or declines it with a reason.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for the e-mail confirmation")
        PENDING = "pending", _("Waiting for a co-lead")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="join_requests",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wg_join_requests",
        help_text=_("Who asked, signed in; or the account made when the request was accepted."),
    )
    full_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            # One request waiting for a co-lead per address (stored in lower case) and group.
            models.UniqueConstraint(
                fields=["email", "working_group"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_email_and_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.working_group.label}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked (it may have expired: resending renews it)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now: datetime.datetime | None = None):
        """Open and not expired: the link in the e-mail still works."""
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(TimeStampedModel):
    """A co-lead (or an admin) inviting a colleague by e-mail to a group, for an organisation.

    The e-mailed link carries a random token; only its SHA-256 is stored, so the table reveals
    no working link. Resending sets a new token (the old link stops working) and a new expiry;
    the link works once (``accepted_at``) and not after ``expires_at`` or ``revoked_at``.
    Services, token and e-mail: ``workinggroups/invitations.py``.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    sent_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The account that accepted the invitation."),
    )
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])
    objects = InvitationQuerySet.as_manager()
    # Not stored: whether the mail server took the last e-mail (set by invitations.py).
    delivered: bool = True

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address (stored in lower case) and group.
            models.UniqueConstraint(
                fields=["email", "working_group"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email_and_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.working_group.label}"

    def state(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.State.EXPIRED
        return self.State.PENDING


# A message still "being sent" this long after its claim was never finished (the worker stopped
# mid-send): it may be claimed again. Far above EMAIL_TIMEOUT, so a slow send is not doubled.
NOTIFICATION_SENDING_STALE = datetime.timedelta(minutes=15)


class NotificationLogQuerySet(models.QuerySet):
    def claimable(self):
        """Messages the next run may send again: the ones that failed, and the ones left
        "being sent" by a run that stopped (NOTIFICATION_SENDING_STALE)."""
        cutoff = timezone.now() - NOTIFICATION_SENDING_STALE
        return self.filter(
            Q(status=NotificationLog.Status.FAILED)
            | Q(status=NotificationLog.Status.SENDING, updated_at__lt=cutoff)
        )


class NotificationLog(TimeStampedModel):
    """One e-mail notification to one person: an action item assigned to them, or the digest of
    a period. Unique per person, kind and period, so a task run twice or ``send_digests`` run
    again sends nothing twice; a failed message, or one a stopped run left unsent, is tried
    again on the next run."""

    class Kind(models.TextChoices):
        ACTION_ASSIGNED = "action_assigned", _("Action item assigned")
        DIGEST_WEEKLY = "digest_weekly", _("Weekly digest")
        DIGEST_DAILY = "digest_daily", _("Daily digest")

    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not delivered")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notification_logs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The period a digest covers (2026-W49, 2026-12-01) or the assignment (item and time).
    period_key = models.CharField(_("period"), max_length=80)
    language = models.CharField(_("language"), max_length=5, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = NotificationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period_key"],
                name="one_notification_per_person_kind_and_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id} ({self.period_key})"


class CalendarFeedQuerySet(models.QuerySet):
    def usable(self):
        """Not revoked, and its owner still active."""
        return self.filter(revoked_at__isnull=True, person__is_active=True)


class CalendarFeed(models.Model):
    """A person's secret calendar feed URL (workinggroups/calendar.py): only the sha256 of its
    secret is kept, so the URL is shown once; making a new one revokes the old one."""

    PREFIX = "cal_"  # of every secret, so a leaked one is recognised for what it is

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="calendar_feeds",
        verbose_name=_("person"),
    )
    # The first characters of the secret, so a person can tell which URL is in use.
    prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_feed_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.prefix}…)"

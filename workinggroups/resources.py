"""The spreadsheet resources of the working groups' models (core.resources: one per model),
and the columns of the resource mapping, for import and export.

Choice columns accept the stored value or the label people see ("PSS course"); countries accept
ISO codes or English names; several countries, regions or languages are separated by commas.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from import_export import fields, widgets

from accounts.models import Organisation, Region
from core.resources import ModelResource, shown, shown_field
from core.translated import translation_columns
from roadmap import figures

from .models import (
    ActionItem,
    Deliverable,
    FrameworkLayer,
    Meeting,
    Membership,
    Milestone,
    Resource,
    WorkingGroup,
)

_SPLIT = re.compile(r"[,;\n]+")


def _parts(value) -> list[str]:
    return [p.strip() for p in _SPLIT.split(str(value or "")) if p.strip()]


class ChoiceWidget(widgets.Widget):
    """A value or a label of a TextChoices; anything else is a clear error for the column."""

    def __init__(self, choices, **kwargs):
        self.choices = list(choices)
        super().__init__(**kwargs)

    def _lookup(self, text: str) -> str:
        wanted = text.strip().lower()
        for value, label in self.choices:
            if wanted in (str(value).lower(), str(label).lower()):
                return value
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s")
            % {"value": text, "choices": ", ".join(str(label) for _v, label in self.choices)}
        )

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        return self._lookup(str(value))

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class MultiChoiceWidget(ChoiceWidget):
    """Several choices separated by commas, stored comma-separated."""

    def clean(self, value, row=None, **kwargs):
        return ",".join(self._lookup(part) for part in _parts(value))

    def render(self, value, obj=None, **kwargs):
        labels = dict(self.choices)
        return ", ".join(str(labels.get(v, v)) for v in _parts(value))


class CountriesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        codes = []
        for part in _parts(value):
            code = countries.alpha2(part) or countries.by_name(part)
            if not code:
                raise ValueError(_("Unknown country: “%(value)s”") % {"value": part})
            codes.append(code)
        return codes

    def render(self, value, obj=None, **kwargs):
        return ", ".join(c.code for c in value or [])


class OrganisationWidget(widgets.Widget):
    """An organisation by name or short name, looked up once per import."""

    def __init__(self, **kwargs):
        self._by_name: dict[str, int] | None = None
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        if self._by_name is None:
            self._by_name = {}
            for pk, name, short in Organisation.objects.values_list("pk", "name", "short_name"):
                self._by_name[name.lower()] = pk
                if short:
                    self._by_name.setdefault(short.lower(), pk)
        pk = self._by_name.get(text.lower())
        if pk is None:
            raise ValueError(_("Unknown organisation: “%(value)s”") % {"value": text})
        return Organisation(pk=pk)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class TextWidget(widgets.Widget):
    """Text; an empty spreadsheet cell is an empty string, never NULL."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()


# The columns of a file of resources; an id column (the list's own export) is read too.
IMPORT_COLUMNS = [
    "title",
    "kind",
    "organisation",
    "countries",
    "regions",
    "languages",
    "layer",
    "link",
    "notes",
]
REQUIRED_COLUMNS = ["title", "kind"]


def resource_id(value) -> int | None:
    """The id column of the app's own export (an empty cell: a new resource)."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    try:
        number = float(text)  # a spreadsheet may give 12.0
    except ValueError:
        number = -1
    if number != int(number) or not 0 < number < 2**31:
        raise ValidationError({"id": _("“%(value)s” is not a resource id.") % {"value": text}})
    return int(number)


class ResourceResource(ModelResource):
    """The mapping's resources: the per-group import (``resources_import``), the list's export
    (imported back by id), the administration's export and the data export.

    A row without an id becomes a new resource curated by the group the resource was made
    for (the group chosen on the import page); a row with an id (the app's own export,
    imported again) updates that resource, which must be one of that group's; a row that
    changes nothing is left alone (counted unchanged). The curating group is exported, never
    imported.
    """

    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    title = fields.Field(attribute="title", column_name="title", widget=TextWidget())
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Resource.Kind.choices)
    )
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=OrganisationWidget()
    )
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )
    regions = fields.Field(
        attribute="regions", column_name="regions", widget=MultiChoiceWidget(Region.choices)
    )
    languages = fields.Field(attribute="languages", column_name="languages", widget=TextWidget())
    layer = fields.Field(
        attribute="layer", column_name="layer", widget=ChoiceWidget(FrameworkLayer.choices)
    )
    link = fields.Field(attribute="link", column_name="link", widget=TextWidget())
    notes = fields.Field(attribute="notes", column_name="notes", widget=TextWidget())
    working_group = shown("working_group__label", "working group")

    class Meta:
        model = Resource
        fields = ("id", *IMPORT_COLUMNS, "working_group")
        import_id_fields = ["id"]
        clean_model_instances = True
        # Unchanged rows are compared with the stored resource and skipped (not saved again).
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True

    data_headers = {"working group": gettext_lazy("working group")}
    change_reason = gettext_lazy("imported from a spreadsheet")

    def __init__(self, *, working_group=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.working_group = working_group
        self.user = user

    def get_queryset(self):
        # Without it the whole-table export (reports) made two queries per resource.
        return Resource.objects.select_related("organisation", "working_group")

    def get_instance(self, instance_loader, row):
        pk = resource_id(row.get("id"))
        if pk is None:
            return None
        instance = Resource.objects.filter(pk=pk, working_group=self.working_group).first()
        if instance is None:
            raise ValidationError(
                {
                    "id": _(
                        "Resource %(id)s is not one of this working group's resources: leave "
                        "the id empty to add the row as a new resource."
                    )
                    % {"id": pk}
                }
            )
        return instance

    def init_instance(self, row=None):
        return Resource(working_group=self.working_group)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._history_user = self.user


class WorkingGroupResource(ModelResource):
    """Groups by id, for correcting names and adding their translations in a spreadsheet; the
    data export names the roadmap and the parent group instead."""

    roadmap_name = shown("roadmap__name", "roadmap_name")
    parent_name = shown("parent__name", "parent_name")
    is_archived = shown_field(WorkingGroup, "is_archived")

    class Meta:
        model = WorkingGroup
        export_order = (
            "id",
            "roadmap",
            "parent",
            "number",
            "name",
            "short_name",
            "description",
            *translation_columns("name", "short_name", "description"),
        )
        fields = (*export_order, "roadmap_name", "parent_name", "is_archived")
        import_id_fields = ("id",)
        skip_unchanged = True
        clean_model_instances = True

    # The same columns, the roadmap by name, then the parent group by name.
    data_columns = (
        *("roadmap_name" if c == "roadmap" else c for c in Meta.export_order if c != "parent"),
        "parent_name",
        "is_archived",
    )
    data_headers = {"roadmap_name": gettext_lazy("roadmap")}

    def get_queryset(self):
        return WorkingGroup.objects.select_related("roadmap", "parent").order_by("number", "id")


class MembershipResource(ModelResource):
    """Co-leads and members (exported only: people join and leave on the site)."""

    working_group = shown("working_group__name", "working_group")
    organisation = shown("organisation__name", "organisation")
    person = shown("person__email", "person")

    class Meta:
        model = Membership
        fields = ("id", "working_group", "organisation", "person", "role", "joined_on", "left_on")

    data_headers = {"working_group": gettext_lazy("working group")}

    def get_queryset(self):
        return Membership.objects.select_related("working_group", "organisation", "person")


class DeliverableResource(ModelResource):
    """Deliverables with their latest progress (exported only)."""

    working_group = shown("working_group__name", "working_group")
    workplan_year = shown("workplan__year", "workplan_year")
    # The result by its code and title (ExpectedResult.__str__).
    expected_result = shown("expected_result", "expected_result")
    latest_status = fields.Field(column_name="latest_status", readonly=True)
    latest_percent = shown("latest_percent")

    class Meta:
        model = Deliverable
        fields = (
            "id",
            "working_group",
            "workplan_year",
            "title",
            "kind",
            "expected_result",
            "due_date",
            "is_archived",
            "latest_status",
            "latest_percent",
        )

    data_headers = {
        "working_group": gettext_lazy("working group"),
        "workplan_year": gettext_lazy("workplan year"),
        "latest_status": gettext_lazy("status"),
        "latest_percent": gettext_lazy("percent complete"),
    }
    data_choices = {"latest_status": figures.Status.choices}

    def get_queryset(self):
        return Deliverable.objects.with_latest_progress(as_of=figures.today()).select_related(
            "working_group", "workplan", "expected_result"
        )

    def dehydrate_latest_status(self, deliverable) -> str:
        # Derived like on the pages: "overdue" past the due date unless completed.
        return figures.deliverable_status(deliverable.latest_status, deliverable.due_date)


class MeetingResource(ModelResource):
    """Meetings with their minutes and decisions (exported only): the group, the attending
    organisations by name, and how many action items the meeting gave (and how many are open).
    The action items themselves are ``ActionItemResource``'s rows, each naming its meeting."""

    working_group = shown("working_group", "working_group")
    organisations = fields.Field(column_name="organisations", readonly=True)
    attendee_count = shown("attendee_count")
    action_count = shown("action_count")
    open_action_count = shown("open_action_count")

    class Meta:
        model = Meeting
        fields = (
            "id",
            "working_group",
            "date",
            "kind",
            "title",
            "organisations",
            "attendee_count",
            "minutes",
            "decisions",
            "action_count",
            "open_action_count",
            "is_archived",
        )
        export_order = fields

    data_headers = {
        "working_group": gettext_lazy("working group"),
        "organisations": gettext_lazy("attending organisations"),
        "attendee_count": gettext_lazy("number of attendees"),
        "action_count": gettext_lazy("action items"),
        "open_action_count": gettext_lazy("open action items"),
    }

    def get_queryset(self):
        return (
            Meeting.objects.select_related("working_group__parent")
            .annotate(
                attendee_count=Count("attendees", distinct=True),
                action_count=Count("action_items", distinct=True),
                open_action_count=Count(
                    "action_items", filter=Q(action_items__is_done=False), distinct=True
                ),
            )
            .order_by("-date", "-id")
        )

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        # The attending organisations of every meeting exported, in one query.
        self._organisations: dict[int, list[str]] = {}
        through = Meeting.attending_organisations.through.objects.filter(
            meeting__in=queryset.order_by().values("pk")
        ).select_related("organisation")
        for row in through.order_by("organisation__name"):
            self._organisations.setdefault(row.meeting_id, []).append(str(row.organisation))
        return super().export(queryset, **kwargs)

    def dehydrate_organisations(self, meeting) -> str:
        return ", ".join(getattr(self, "_organisations", {}).get(meeting.pk, []))


class ActionItemResource(ModelResource):
    """Action items (exported only), each naming its meeting by title and date, with its
    owner by name and whether it is overdue (roadmap.figures.is_overdue, as of today)."""

    working_group = shown("meeting__working_group", "working_group")
    meeting = shown("meeting", "meeting")
    meeting_date = shown("meeting__date", "meeting_date")
    owner = shown("owner", "owner")
    overdue = fields.Field(column_name="overdue", readonly=True)

    class Meta:
        model = ActionItem
        fields = (
            "id",
            "working_group",
            "meeting",
            "meeting_date",
            "description",
            "owner",
            "due_date",
            "is_done",
            "overdue",
            "is_archived",
        )
        export_order = fields

    data_headers = {
        "working_group": gettext_lazy("working group"),
        "meeting": gettext_lazy("meeting"),
        "meeting_date": gettext_lazy("date of the meeting"),
        "owner": gettext_lazy("owner"),
        "overdue": gettext_lazy("overdue"),
    }

    def get_queryset(self):
        return ActionItem.objects.select_related(
            "meeting__working_group__parent", "owner"
        ).order_by("-meeting__date", "meeting_id", "id")

    def dehydrate_overdue(self, item) -> bool:
        return item.is_overdue


class MilestoneResource(ModelResource):
    """Milestones of deliverables (exported only), with their group and deliverable by name,
    the attendance as a number and whether they are overdue (as of today)."""

    working_group = shown("deliverable__working_group", "working_group")
    deliverable = shown("deliverable", "deliverable")
    overdue = fields.Field(column_name="overdue", readonly=True)

    class Meta:
        model = Milestone
        fields = (
            "id",
            "working_group",
            "deliverable",
            "date",
            "title",
            "attendance",
            "is_done",
            "overdue",
            "notes",
            "is_archived",
        )
        export_order = fields

    data_headers = {
        "working_group": gettext_lazy("working group"),
        "deliverable": gettext_lazy("deliverable"),
        "overdue": gettext_lazy("overdue"),
    }

    def get_queryset(self):
        return Milestone.objects.select_related("deliverable__working_group__parent").order_by(
            "date", "id"
        )

    def dehydrate_overdue(self, milestone) -> bool:
        return milestone.is_overdue

"""Spreadsheet columns of the resource mapping (django-import-export), for import and export.

Choice columns accept the stored value or the label people see ("PSS course"); countries accept
ISO codes or English names; several countries, regions or languages are separated by commas.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import fields, resources, widgets

from accounts.models import Organisation, Region
from core.hygiene import CleanImportMixin, export_cell
from core.translated import translation_columns
from roadmap import figures

from .models import Deliverable, FrameworkLayer, Membership, Resource, WorkingGroup

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


class _ResourceColumns(CleanImportMixin, resources.ModelResource):
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

    class Meta:
        model = Resource
        fields: tuple[str, ...] = (
            "title",
            "kind",
            "organisation",
            "countries",
            "regions",
            "languages",
            "layer",
            "link",
            "notes",
        )


IMPORT_COLUMNS = list(_ResourceColumns.Meta.fields)
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


class ResourceImport(_ResourceColumns):
    """A row without an id becomes a new resource curated by the group chosen on the import
    page; a row with an id (the app's own export, imported again) updates that resource, which
    must be one of that group's; a row that changes nothing is left alone (counted unchanged)."""

    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())

    def __init__(self, *, working_group, user):
        super().__init__()
        self.working_group = working_group
        self.user = user

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

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user
        instance._change_reason = _("imported from a spreadsheet")

    def init_instance(self, row=None):
        return Resource(working_group=self.working_group)

    class Meta(_ResourceColumns.Meta):
        fields = ("id", *_ResourceColumns.Meta.fields)
        import_id_fields = ["id"]
        clean_model_instances = True
        # Unchanged rows are compared with the stored resource and skipped (not saved again).
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True


class ResourceExport(_ResourceColumns):
    """The filtered list, with the id and the curating group."""

    id = fields.Field(attribute="id", column_name="id")
    working_group = fields.Field(attribute="working_group__label", column_name="working group")

    class Meta(_ResourceColumns.Meta):
        fields = ("id", *_ResourceColumns.Meta.fields, "working_group")
        export_order = fields

    def get_queryset(self):
        # Without it the whole-table export (reports) made two queries per resource.
        return Resource.objects.select_related("organisation", "working_group")


def escape_formulae(dataset) -> None:
    """Make text cells that a spreadsheet would run as a formula inert (leading apostrophe)."""
    # core.hygiene.export_cell also drops control characters that would break the file.
    rows = [[export_cell(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)


class WorkingGroupResource(CleanImportMixin, resources.ModelResource):
    """Groups by id, for correcting names and adding their translations in a spreadsheet."""

    class Meta:
        model = WorkingGroup
        fields = (
            "id",
            "roadmap",
            "parent",
            "number",
            "name",
            "short_name",
            "description",
            *translation_columns("name", "short_name", "description"),
        )
        export_order = fields
        import_id_fields = ("id",)
        skip_unchanged = True
        clean_model_instances = True


# ---- the data export (reports.exports lists these kinds)


class WorkingGroupExportResource(resources.ModelResource):
    """The groups as the data export lists them: the roadmap and parent by name (the admin's
    ``WorkingGroupResource`` keeps ids, to be imported back)."""

    roadmap = fields.Field(attribute="roadmap__name", column_name="roadmap")
    parent = fields.Field(attribute="parent__name", column_name="parent")

    class Meta:
        model = WorkingGroup
        fields = (
            "id",
            "roadmap",
            "number",
            "name",
            "short_name",
            "description",
            *translation_columns("name", "short_name", "description"),
            "parent",
            "is_archived",
        )
        export_order = fields

    def get_queryset(self):
        return WorkingGroup.objects.select_related("roadmap", "parent").order_by("number", "id")


class MembershipResource(resources.ModelResource):
    working_group = fields.Field(attribute="working_group__name", column_name="working_group")
    organisation = fields.Field(attribute="organisation__name", column_name="organisation")
    person = fields.Field(attribute="person__email", column_name="person")

    class Meta:
        model = Membership
        fields = ("id", "working_group", "organisation", "person", "role", "joined_on", "left_on")
        export_order = fields

    def get_queryset(self):
        return Membership.objects.select_related("working_group", "organisation", "person")


class DeliverableResource(resources.ModelResource):
    working_group = fields.Field(attribute="working_group__name", column_name="working_group")
    workplan_year = fields.Field(attribute="workplan__year", column_name="workplan_year")
    expected_result = fields.Field(attribute="expected_result__code", column_name="expected_result")
    latest_status = fields.Field(column_name="latest_status")
    latest_percent = fields.Field(attribute="latest_percent", column_name="latest_percent")

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
        export_order = fields

    def get_queryset(self):
        return Deliverable.objects.with_latest_progress(as_of=figures.today()).select_related(
            "working_group", "workplan", "expected_result"
        )

    def dehydrate_latest_status(self, deliverable) -> str:
        # Derived like on the pages: "overdue" past the due date unless completed.
        return figures.deliverable_status(deliverable.latest_status, deliverable.due_date)

"""The spreadsheet resources of the roadmap's models: one per model (core.resources), for the
administration's round trip (ids, ``Meta.fields``) and the data export (``data_columns``)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export import fields
from import_export.widgets import ForeignKeyWidget

from core.resources import ModelResource, shown, shown_field
from core.translated import translation_columns

from . import figures
from .models import (
    Evidence,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressUpdate,
)
from .services import EDITABLE_UPDATE_FIELDS


class PriorityActionAreaResource(ModelResource):
    """Areas by id, for correcting titles and adding their translations in a spreadsheet."""

    roadmap_name = shown("roadmap__name", "roadmap_name")

    class Meta:
        model = PriorityActionArea
        export_order = (
            "id",
            "roadmap",
            "number",
            "title",
            "short_title",
            "description",
            *translation_columns("title", "short_title", "description"),
        )
        fields = (*export_order, "roadmap_name")
        import_id_fields = ("id",)
        skip_unchanged = True
        clean_model_instances = True

    # The same columns, the roadmap by name.
    data_columns = tuple("roadmap_name" if c == "roadmap" else c for c in Meta.export_order)
    data_headers = {"roadmap_name": _("roadmap")}

    def get_queryset(self):
        return PriorityActionArea.objects.select_related("roadmap").order_by("roadmap", "number")


class ExpectedResultResource(ModelResource):
    """Rows identified by area (its id) and code; the area's number and title are for reading."""

    id = shown_field(ExpectedResult, "id")
    # Every roadmap's rows, each with its roadmap: codes repeat in a successor.
    roadmap_name = shown("area__roadmap__name", "roadmap_name")
    area_number = shown("area__number", "area_number")
    latest_status = fields.Field(column_name="latest_status", readonly=True)
    latest_percent = shown("latest_percent")
    latest_update_date = shown("latest_update_date")

    class Meta:
        model = ExpectedResult
        export_order = (
            "area",
            "area_number",
            "kind",
            "code",
            "title",
            "description",
            *translation_columns("title", "description"),
            "actor",
            "order",
            "is_archived",
        )
        fields = (
            *export_order,
            "id",
            "roadmap_name",
            "latest_status",
            "latest_percent",
            "latest_update_date",
        )
        import_id_fields = ("area", "code")
        skip_unchanged = True
        clean_model_instances = True

    # The same columns by the area's number, without the order, and the latest update's figures.
    data_columns = (
        "id",
        "roadmap_name",
        *(c for c in Meta.export_order if c not in ("area", "order")),
        "latest_status",
        "latest_percent",
        "latest_update_date",
    )
    data_headers = {
        "roadmap_name": _("roadmap"),
        "area_number": _("area"),
        "latest_status": _("status"),
        "latest_percent": _("percent complete"),
        "latest_update_date": _("date of the latest update"),
    }
    data_choices = {"latest_status": figures.Status.choices}

    def get_queryset(self):
        if self.data_export:  # with the latest update's figures, as of today
            return ExpectedResult.objects.with_latest_progress(
                as_of=figures.today()
            ).select_related("area__roadmap")
        return ExpectedResult.objects.select_related("area")

    def dehydrate_latest_status(self, result) -> str:
        # The status as the pages show it (roadmap.figures), as of today.
        return figures.result_status(result.latest_status)


# What an indicator says, in both variants.
INDICATOR_COLUMNS = (
    "name",
    "description",
    *translation_columns("name", "description"),
    "unit",
    "direction",
    "baseline_value",
    "baseline_year",
    "baseline_source",
    "target_value",
    "target_year",
    "means_of_verification",
)


class IndicatorResource(ModelResource):
    id = shown_field(Indicator, "id")
    roadmap_name = shown("area__roadmap__name", "roadmap_name")
    area_number = shown("area__number", "area_number")
    # The expected result by its code and title (ExpectedResult.__str__), not its id.
    result_title = shown("result", "result_title")

    class Meta:
        model = Indicator
        export_order = ("code", "area", "result", *INDICATOR_COLUMNS, "order")
        fields = (*export_order, "id", "roadmap_name", "area_number", "result_title")
        import_id_fields = ("code",)
        skip_unchanged = True
        clean_model_instances = True

    data_columns = ("id", "roadmap_name", "area_number", "result_title", "code", *INDICATOR_COLUMNS)
    data_headers = {
        "roadmap_name": _("roadmap"),
        "area_number": _("area"),
        "result_title": _("expected result"),
    }

    def get_queryset(self):
        return Indicator.objects.select_related("area__roadmap", "result")


class IndicatorValueResource(ModelResource):
    """Values named by their indicator's code, so a sheet reads without database ids.

    The data export lists every value with its status: withdrawn and proposed ones are
    listed, marked, so an analyst sees what the figures leave out (docs/figures.md)."""

    id = shown_field(IndicatorValue, "id")
    roadmap_name = shown("indicator__area__roadmap__name", "roadmap_name")
    # The data export's indicator: its code and name (Indicator.__str__).
    indicator_name = shown("indicator", "indicator_name")
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=ForeignKeyWidget(Indicator, field="code"),
    )
    # Shown, never imported: withdrawing, restoring and publishing each take a reason on the
    # site (roadmap.services), not a cell in a sheet.
    status = shown_field(IndicatorValue, "status")
    is_provisional = shown_field(IndicatorValue, "is_provisional")

    class Meta:
        model = IndicatorValue
        export_order = (
            "indicator",
            "year",
            "value",
            "source",
            "note",
            "is_computed",
            "status",
            "is_provisional",
        )
        fields = (*export_order, "id", "roadmap_name", "indicator_name")
        import_id_fields = ("indicator", "year", "source")
        skip_unchanged = True
        clean_model_instances = True

    data_columns = (
        "id",
        "roadmap_name",
        *("indicator_name" if c == "indicator" else c for c in Meta.export_order),
    )
    data_headers = {"roadmap_name": _("roadmap"), "indicator_name": _("indicator")}

    def get_queryset(self):
        return IndicatorValue.objects.select_related("indicator__area__roadmap")

    def get_instance(self, instance_loader, row):
        # A row names the current value of its indicator, year and source: withdrawn and
        # proposed values beside it stay as they are (a new row is a new current value).
        params = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if field.column_name not in row:
                return None
            params[field.attribute] = field.clean(row)
        return IndicatorValue.objects.counted().filter(**params).first()


def subject_titles(updates: QuerySet[ProgressUpdate]) -> dict[tuple[int, int], str]:
    """What each of these updates is about, by (content type, object id): the expected
    result's code and title, the deliverable's title (their ``__str__``, in the active
    language). One query per kind of subject, however many updates."""
    titles: dict[tuple[int, int], str] = {}
    kinds = updates.order_by().values_list("content_type_id", flat=True).distinct()
    for content_type_id in kinds:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        ids = updates.filter(content_type_id=content_type_id).values("object_id")
        subjects = model._default_manager.filter(pk__in=ids)
        if model is ExpectedResult:
            subjects = subjects.select_related(None)
        for subject in subjects:
            titles[(content_type_id, subject.pk)] = str(subject)
    return titles


def subject_kind(content_type: ContentType) -> str:
    """ "expected result", "deliverable": the subject's kind in the active language."""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model else content_type.model


class ProgressUpdateResource(ModelResource):
    """Updates of expected results and of working-group deliverables alike (exported only:
    an update is posted on the site, with its evidence). The data export names each update's
    subject by its kind and title (never ``expectedresult/4``)."""

    subject_type = shown("content_type__model", "subject_type")
    subject = fields.Field(column_name="subject", readonly=True)
    author = shown("author__email", "author")

    class Meta:
        model = ProgressUpdate
        # What the person wrote (the fields they may correct), with its subject and author.
        fields = (
            "id",
            "subject_type",
            "object_id",
            "subject",
            *EDITABLE_UPDATE_FIELDS,
            "author",
            "is_archived",
        )
        export_order = (
            "id",
            "subject_type",
            "object_id",
            *EDITABLE_UPDATE_FIELDS,
            "author",
            "is_archived",
        )

    data_columns = (
        "id",
        "subject_type",
        "subject",
        *EDITABLE_UPDATE_FIELDS,
        "author",
        "is_archived",
    )
    data_headers = {"subject_type": _("subject type"), "subject": _("subject")}

    def get_queryset(self):
        return ProgressUpdate.objects.select_related("content_type", "author").order_by("id")

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        self._titles = subject_titles(queryset) if self.data_export else {}
        return super().export(queryset, **kwargs)

    def dehydrate_subject_type(self, update) -> str:
        return subject_kind(update.content_type) if self.data_export else update.content_type.model

    def dehydrate_subject(self, update) -> str:
        return self._titles.get((update.content_type_id, update.object_id), "")


class EvidenceResource(ModelResource):
    """The evidence of progress updates (exported only: it is added on the site with its
    update): what it backs (the subject's kind and title, the update's date and status), its
    title, its file or link, who added it and when."""

    subject_type = fields.Field(column_name="subject_type", readonly=True)
    subject = fields.Field(column_name="subject", readonly=True)
    update_date = shown("update__date", "update_date")
    update_status = shown("update__status", "update_status")
    added_by = shown("added_by", "added_by")
    link = fields.Field(column_name="link", readonly=True)

    class Meta:
        model = Evidence
        fields = (
            "id",
            "subject_type",
            "subject",
            "update_date",
            "update_status",
            "title",
            "original_filename",
            "link",
            "added_by",
            "created_at",
            "is_archived",
        )
        export_order = fields

    data_headers = {
        "subject_type": _("subject type"),
        "subject": _("subject"),
        "update_date": _("date of the update"),
        "update_status": _("status of the update"),
        "link": _("link"),
        "added_by": _("added by"),
    }

    def get_queryset(self):
        return Evidence.objects.select_related("update__content_type", "added_by").order_by("id")

    def export(self, queryset=None, **kwargs):
        queryset = self.get_queryset() if queryset is None else queryset
        updates = ProgressUpdate.objects.filter(pk__in=queryset.values("update_id"))
        self._titles = subject_titles(updates)
        return super().export(queryset, **kwargs)

    def dehydrate_subject_type(self, evidence) -> str:
        return subject_kind(evidence.update.content_type)

    def dehydrate_subject(self, evidence) -> str:
        update = evidence.update
        return self._titles.get((update.content_type_id, update.object_id), "")

    def dehydrate_link(self, evidence) -> str:
        # A file is read through the site (permission-checked download), a link as given.
        if evidence.file:
            path = reverse("roadmap:evidence-download", kwargs={"pk": evidence.pk})
            return f"{settings.SITE_URL}{path}"
        return evidence.url

"""What the search looks through, kind by kind, and what each person may find there.

Each kind names its searched fields, the title shown (in the reader's language where the
content is translated), the page a result opens and the queryset of what the person may see:
the rules of the pages (``workinggroups.view_group`` for everything of a group,
``roadmap.view_evidence``), never archived things, nor things of an archived group.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.translated import TRANSLATION_LANGUAGES
from roadmap.models import Evidence, ExpectedResult, Indicator, ProgressUpdate
from workinggroups.models import (
    ActionItem,
    Deliverable,
    Meeting,
    Milestone,
    Resource,
    WorkingGroup,
)


def live(queryset: QuerySet) -> QuerySet:
    """Without archived rows, where the model has the flag: the archive flag is added to more
    models over time, and each is honoured here once it exists."""
    if any(f.name == "is_archived" for f in queryset.model._meta.get_fields()):
        return queryset.filter(is_archived=False)
    return queryset


def readable_group_ids(user) -> list[int]:
    """Open (not archived) groups the person may read: the rule of the group pages, asked of
    each group (one query; the rule itself reads no more)."""
    if not (user and user.is_authenticated):
        return []
    groups = WorkingGroup.objects.filter(is_archived=False).only("pk", "parent_id", "number")
    return [g.pk for g in groups if user.has_perm("workinggroups.view_group", g)]


def _deliverables(user, group_ids) -> QuerySet:
    return Deliverable.objects.active().filter(working_group__in=group_ids)


def _meetings(user, group_ids) -> QuerySet:
    return live(Meeting.objects.filter(working_group__in=group_ids))


def _results(user) -> QuerySet:
    return ExpectedResult.objects.filter(is_archived=False)


def _updates(user, group_ids) -> QuerySet:
    """Updates on the deliverables and the expected results the person may open."""
    types = ContentType.objects.get_for_models(Deliverable, ExpectedResult)
    on_deliverables = Q(
        content_type=types[Deliverable],
        object_id__in=_deliverables(user, group_ids).values("pk"),
    )
    on_results = Q(content_type=types[ExpectedResult], object_id__in=_results(user).values("pk"))
    return live(ProgressUpdate.objects.filter(on_deliverables | on_results))


def _subject_url(update: ProgressUpdate) -> str:
    """The page of an update's subject; the content type is cached by Django, no query."""
    model = ContentType.objects.get_for_id(update.content_type_id).model_class()
    if model is Deliverable:
        return reverse("workinggroups:deliverable", kwargs={"pk": update.object_id})
    return reverse("roadmap:result", kwargs={"pk": update.object_id})


def _evidence(user, group_ids) -> QuerySet:
    if not user.has_perm("roadmap.view_evidence"):
        return Evidence.objects.none()
    return live(Evidence.objects.filter(update__in=_updates(user, group_ids)))


def _translated(*fields: str) -> tuple[str, ...]:
    return tuple(f"{name}_{code}" for name in fields for code in TRANSLATION_LANGUAGES)


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    # The field shown as the title, its matches marked (in the reader's language when
    # ``translated``: ``name_fr`` for French, English when empty); None: ``heading`` instead.
    title_field: str | None
    body_fields: tuple[str, ...]  # searched too, and shown around the first match
    scope: Callable[..., QuerySet]  # (user, readable group ids) -> what the person may see
    url: Callable[[Any], str]
    context: Callable[[Any], str] = lambda obj: ""
    heading: Callable[[Any], str] = str
    translated: bool = False
    extra_fields: tuple[str, ...] = ()  # searched, not shown (an indicator's code)
    related: tuple[str, ...] = ()
    order: tuple[str, ...] = ("-pk",)

    @property
    def title_fields(self) -> tuple[str, ...]:
        if self.title_field is None:
            return ()
        if self.translated:
            return (self.title_field, *_translated(self.title_field))
        return (self.title_field,)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every searched field."""
        return self.title_fields + self.extra_fields + self.body_fields


def _group(group: WorkingGroup) -> str:
    """A group and its roadmap: a group carried over has the same label in both roadmaps."""
    return f"{group.label} · {group.roadmap.display_name}"


def _resource_url(resource: Resource) -> str:
    return reverse("workinggroups:resources") + "?" + urlencode({"q": resource.title})


KINDS: tuple[Kind, ...] = (
    Kind(
        key="deliverables",
        label=_("Deliverables"),
        title_field="title",
        body_fields=("description",),
        scope=_deliverables,
        url=lambda d: d.get_absolute_url(),
        context=lambda d: _group(d.working_group),
        related=("working_group__roadmap",),
        order=("-due_date", "-pk"),
    ),
    Kind(
        key="milestones",
        label=_("Milestones"),
        title_field="title",
        body_fields=("notes",),
        scope=lambda user, ids: live(
            Milestone.objects.filter(deliverable__in=_deliverables(user, ids))
        ),
        url=lambda m: m.deliverable.get_absolute_url(),
        context=lambda m: f"{m.deliverable.title} · {_group(m.deliverable.working_group)}",
        related=("deliverable__working_group__roadmap",),
        order=("-date", "-pk"),
    ),
    Kind(
        key="meetings",
        label=_("Meetings"),
        title_field="title",
        body_fields=("minutes", "decisions"),
        scope=_meetings,
        url=lambda m: m.get_absolute_url(),
        context=lambda m: _group(m.working_group),
        related=("working_group__roadmap",),
        order=("-date", "-pk"),
    ),
    Kind(
        key="actions",
        label=_("Action items"),
        title_field="description",
        body_fields=(),
        scope=lambda user, ids: live(ActionItem.objects.filter(meeting__in=_meetings(user, ids))),
        url=lambda a: a.meeting.get_absolute_url(),
        context=lambda a: f"{a.meeting} · {_group(a.meeting.working_group)}",
        related=("meeting__working_group__roadmap",),
        order=("is_done", "-due_date", "-pk"),
    ),
    Kind(
        key="resources",
        label=_("Resources"),
        title_field="title",
        body_fields=("notes", "languages"),
        scope=lambda user, ids: Resource.objects.active(),
        url=_resource_url,
        context=lambda r: _group(r.working_group),
        related=("working_group__roadmap",),
        order=("title", "pk"),
    ),
    Kind(
        key="updates",
        label=_("Progress updates"),
        title_field=None,
        body_fields=("narrative", "blockers", "next_steps"),
        scope=_updates,
        url=_subject_url,
        order=("-date", "-pk"),
    ),
    Kind(
        key="evidence",
        label=_("Evidence"),
        title_field="title",
        body_fields=(),
        scope=_evidence,
        url=lambda e: _subject_url(e.update),
        context=lambda e: str(e.update),
        related=("update",),
        order=("-pk",),
    ),
    Kind(
        key="indicators",
        label=_("Indicators"),
        title_field="name",
        extra_fields=("code",),
        body_fields=(),
        translated=True,
        scope=lambda user, ids: Indicator.objects.all(),
        url=lambda i: reverse("roadmap:indicator", kwargs={"pk": i.pk}),
        context=lambda i: f"{i.code} · {i.area.roadmap.display_name}",
        related=("area__roadmap",),
        order=("-area__roadmap__start_year", "order", "pk"),
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}

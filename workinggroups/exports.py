"""One working group's spreadsheets: its meetings (with their action items), action items,
deliverables, milestones and evidence, as XLSX or CSV.

The same kinds, columns and files as the data export of every group (``core.resources``:
the resources registered in ``apps.py`` and ``roadmap/apps.py``); here each kind is only
narrowed to the group (``GROUP_SCOPES``), as the group's page shows it: its own rows, not its
subgroups' (each subgroup has its page and its files).
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from core.resources import EXPORTS, export_file

from .models import Deliverable, WorkingGroup

Scope = Callable[[QuerySet], QuerySet]


def _evidence_of(group: WorkingGroup) -> Scope:
    # Evidence backs progress updates; the group's is that of its deliverables' updates.
    def scope(queryset: QuerySet) -> QuerySet:
        return queryset.filter(
            update__content_type=ContentType.objects.get_for_model(Deliverable),
            update__object_id__in=Deliverable.objects.filter(working_group=group).values("pk"),
        )

    return scope


def _by(path: str) -> Callable[[WorkingGroup], Scope]:
    def of(group: WorkingGroup) -> Scope:
        return lambda queryset: queryset.filter(**{path: group})

    return of


# The kinds a group's page offers (names of core.resources.EXPORTS), in the page's order, and
# how each is narrowed to one group.
GROUP_SCOPES: dict[str, Callable[[WorkingGroup], Scope]] = {
    "meetings": _by("working_group"),
    "action-items": _by("meeting__working_group"),
    "deliverables": _by("working_group"),
    "milestones": _by("deliverable__working_group"),
    "evidence": _evidence_of,
}


def group_kinds() -> list:
    """The group's kinds with their labels (``core.resources.DataExport``), for its page."""
    return [EXPORTS[name] for name in GROUP_SCOPES]


def group_export(group: WorkingGroup, kind: str, fmt: str) -> tuple[bytes, str, str]:
    """The file of one kind for one group: content, content type and file name. XLSX holds
    the kind's companion sheets too (the meetings' action items), CSV the kind's own table."""
    export = EXPORTS[kind]
    kinds = [kind] if fmt == "csv" else [kind, *export.with_kinds]
    datasets = [EXPORTS[name].dataset(GROUP_SCOPES[name](group)) for name in kinds]
    content, content_type = export_file(datasets, fmt)
    stamp = timezone.localdate().isoformat()
    name = f"{slugify(group.label) or group.pk}-{kind}-{stamp}.{fmt}"
    return content, content_type, name

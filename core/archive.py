"""Archive and restore, with a reason: one mechanism for every kind of item people create.

Nothing is deleted from the browser. An archived row keeps its place in the history (the
reason is the history record's ``history_change_reason``), leaves the lists and figures
(``.active()``) and shows again, marked, with a list's "Show archived" filter (``?archived=1``,
``.shown(archived)``). The models (deliverables, milestones, meetings, action items, resources,
progress updates, evidence) take ``Archivable`` and a queryset on ``ArchivableQuerySet``; the
writes are ``item_archive`` / ``item_restore``; the one confirm page is
``roadmap.archive_views.archive_status``, told by each app which items it handles and who may
archive them (``register_archivable``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ARCHIVED_PARAM = "archived"  # ?archived=1 on a list shows its archived rows too
REASON_MAX_LENGTH = 500


class ArchivableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def archived(self):
        return self.filter(is_archived=True)

    def shown(self, with_archived: bool):
        """What a list shows: the active rows, and the archived ones too with the filter."""
        return self.with_archive_reason() if with_archived else self.active()

    def with_archive_reason(self):
        """Each row's ``archive_reason``: the reason of its latest archiving in its history (in
        the same query, as a subquery; None for a row never archived)."""
        historical = self.model.history.model  # simple_history's table of this model
        return self.annotate(
            archive_reason=Subquery(
                historical.objects.filter(id=OuterRef("pk"), is_archived=True)
                .order_by("-history_date", "-history_id")
                .values("history_change_reason")[:1]
            )
        )


class Archivable(models.Model):
    """An item that is archived, never deleted (see the module)."""

    is_archived = models.BooleanField(gettext_lazy("archived"), default=False)

    class Meta:
        abstract = True


def wants_archived(request) -> bool:
    """Whether a list is asked to show its archived rows too (``?archived=1``)."""
    return request.GET.get(ARCHIVED_PARAM) == "1"


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    return reason[:REASON_MAX_LENGTH]


def _set_archived(obj, *, by, reason: str, archived: bool) -> None:
    # The row read again under a lock, and only its flag changed: two people archiving at once
    # record it once, and an edit saved meanwhile is kept (its history row too).
    locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if locked.is_archived == archived:
        raise ValidationError(
            _("This is already archived.") if archived else _("This is not archived.")
        )
    locked.is_archived = archived
    locked._history_user = by
    locked._change_reason = reason
    locked.save()
    obj.is_archived = archived


@transaction.atomic
def item_archive(*, obj: Archivable, by, reason: str) -> Archivable:
    """Archive ``obj`` with a reason (required), kept in its history."""
    reason = _reason(reason, _("Say why you archive it."))
    _set_archived(obj, by=by, reason=reason, archived=True)
    return obj


@transaction.atomic
def item_restore(*, obj: Archivable, by, reason: str) -> Archivable:
    """Restore an archived ``obj`` with a reason (required), kept in its history."""
    reason = _reason(reason, _("Say why you restore it."))
    _set_archived(obj, by=by, reason=reason, archived=False)
    return obj


@dataclass(frozen=True)
class ArchiveKind:
    """How the archive page handles one kind of item.

    ``get(user, pk)`` fetches it through the app's user-scoped getter (404 for outsiders);
    ``may(user, obj)`` is the app's rule (the same as editing the item); ``back(obj)`` is the
    page to return to; ``label`` names the kind ("meeting").
    """

    get: Callable
    may: Callable
    back: Callable
    label: str | Promise


_KINDS: dict[str, ArchiveKind] = {}


def register_archivable(name: str, kind: ArchiveKind) -> None:
    _KINDS[name] = kind


def archivable(name: str) -> ArchiveKind:
    return _KINDS[name]

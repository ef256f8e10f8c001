"""History as people read it, for any model with ``simple_history``: who, when, why, and each
field's old → new value, compared by ``simple_history``'s own ``diff_against``.

``history_diffs`` takes a model instance, a queryset or manager of historical records, or a list
of those, and gives ``HistoryEntry`` rows newest first (templates/roadmap/includes/history.html
shows them). Labels are the models' verbose names, values their choice labels, related rows
their titles.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from .choices import yes_no

# Bookkeeping columns nobody needs to read in a history.
_SKIPPED_FIELDS = {"id", "created_at", "updated_at", "object_id"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    reason: str
    action: str  # "created", "changed" or "deleted"
    model_label: str
    object_label: str
    changes: list[FieldChange]


def _shown_fields(record) -> list:
    """The record's fields a reader wants, in the model's order: not the bookkeeping, nor a
    generic relation's plumbing (content type and object id)."""
    return [
        field
        for field in record.tracked_fields
        if field.name not in _SKIPPED_FIELDS
        and field.editable
        and not (field.is_relation and field.related_model is ContentType)
    ]


def _history_querysets(source) -> list:
    if isinstance(source, models.Model) and hasattr(source, "history"):
        return [source.history.all()]
    if isinstance(source, list | tuple):
        return [qs for item in source for qs in _history_querysets(item)]
    if hasattr(source, "all") and not isinstance(source, models.QuerySet):
        return [source.all()]  # a history manager
    return [source]


def _object_label(record, pk) -> str:
    for name in ("code", "title", "name", "email"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    if getattr(record, "year", None) is not None and hasattr(record, "value"):
        return f"{record.year}: {formats.localize(record.value)}"
    if getattr(record, "date", None) is not None and hasattr(record, "status"):
        return formats.localize(record.date)
    return f"#{pk}"


def _display(value, model_field, related_labels) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation and model_field.many_to_one:
        return related_labels.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.date | datetime.datetime | Decimal | float):
        return formats.localize(value)
    return str(value)


def _changes(record, before, *, created_fields: bool) -> list[tuple]:
    """(model field, old, new) of what one record changed, in the model's field order."""
    fields = _shown_fields(record)
    if before is None:
        # A creation lists its first values when asked; a change whose earlier record we do
        # not hold has nothing to compare with.
        if record.history_type != "+" or not created_fields:
            return []
        values = ((f, None, f.value_from_object(record)) for f in fields)
        return [(f, old, new) for f, old, new in values if new not in (None, "", False)]
    by_name = {f.name: f for f in fields}
    delta = record.diff_against(before, included_fields=list(by_name))
    changed = {change.field: change for change in delta.changes}
    return [
        (field, changed[name].old, changed[name].new)
        for name, field in by_name.items()
        if name in changed
    ]


def history_diffs(
    source, *, limit: int | None = None, created_fields: bool = False
) -> list[HistoryEntry]:
    """Readable history for any simple_history model: who, when, why, field: old → new.

    ``source`` is a model instance, a queryset or manager of historical records, or a list of
    those (merged, newest first). Each record is compared with the one before it of the same
    object by ``diff_against``. A creation lists its first values only with
    ``created_fields=True`` (the object itself is usually on the page). Queries: one per
    queryset (people joined), one per related model shown.
    """
    records = []
    for qs in _history_querysets(source):
        records.extend(qs.select_related("history_user").order_by("history_date", "history_id"))

    previous: dict = {}
    raw = []
    related_ids: dict = defaultdict(set)
    for record in records:  # oldest first, each object's records in turn
        model = record.instance_type
        key = (model, getattr(record, model._meta.pk.attname))
        changes = _changes(record, previous.get(key), created_fields=created_fields)
        previous[key] = record
        for model_field, old, new in changes:
            if model_field.is_relation and model_field.many_to_one:
                related_ids[model_field.related_model].update(v for v in (old, new) if v)
        raw.append((record, model, key[1], changes))

    related_labels = {}
    for related_model, ids in related_ids.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_labels[(related_model, obj.pk)] = str(obj)

    actions = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for record, model, pk, changes in raw:
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing anyone reads
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=user.get_full_name() if user else _("system"),
                reason=record.history_change_reason or "",
                action=actions.get(record.history_type, record.history_type),
                model_label=str(model._meta.verbose_name).capitalize(),
                object_label=_object_label(record, pk),
                changes=[
                    FieldChange(
                        label=str(f.verbose_name).capitalize(),
                        old=_display(old, f, related_labels) if record.history_type != "+" else "",
                        new=_display(new, f, related_labels),
                    )
                    for f, old, new in changes
                ],
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit] if limit else entries

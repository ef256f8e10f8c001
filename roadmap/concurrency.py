"""Optimistic concurrency for every edit form: a stale submit changes nothing and says why.

An edit form carries the version of the row it was loaded from (a hidden ``version`` field:
the row's ``updated_at``). ``form.save_if_current(save)`` locks the row, compares its version
with the form's and only then runs ``save``. When someone else saved in between, nothing is
written: the form gets an error, ``form.conflict`` holds who changed the row and when (from
its simple_history record) and each value that differs (theirs beside yours), and the form's
version becomes the current one, so submitting again on purpose wins. One mechanism for the
deliverable, milestone, meeting, resource, progress update, indicator value and report edition
forms.
"""

import dataclasses
import datetime
import decimal
from collections.abc import Callable

from django import forms
from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import yes_no

VERSION_FIELD = "version"


def version_token(obj: models.Model) -> str:
    """The version a form was loaded from: when the row last changed (``updated_at``)."""
    return obj.updated_at.isoformat() if obj.updated_at else ""


@dataclasses.dataclass
class Difference:
    label: str
    theirs: str
    yours: str


@dataclasses.dataclass
class Conflict:
    """Someone else's save between loading the form and submitting it."""

    who: str
    when: datetime.datetime | None
    differences: list[Difference]


def _comparable(value):
    # Rows compare by id, lists of rows as sets of ids, empty values alike.
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        return frozenset(v.pk if isinstance(v, models.Model) else str(v) for v in value) or None
    if value is None or str(value) == "":  # an empty country list reads as ""
        return None
    return value


def _shown(field: forms.Field, value) -> str:
    """A value as the person reads it on the page."""
    if _comparable(value) is None:
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (models.QuerySet, list, tuple, set)):
        if isinstance(field, forms.MultipleChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            labels = {str(key): label for key, label in field.choices}
            return ", ".join(str(labels.get(str(v), v)) for v in value)
        return ", ".join(str(v) for v in value)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    if isinstance(value, (datetime.date, decimal.Decimal, int, float)):
        return formats.localize(value)
    return str(value)


def _stored(current: models.Model, name: str):
    value = getattr(current, name)
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
        return list(value.all())
    return value


class VersionedFormMixin:
    """Adds the hidden version of the edited row and refuses a stale submit.

    The edited row is ``self.instance`` (ModelForms, and forms that keep their row there, like
    the progress update form). Fields whose names are attributes of the row are compared when
    a submit is refused; the others (a reason, a file) are not part of the row.
    """

    version_ignored = ("reason",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict: Conflict | None = None
        row = getattr(self, "instance", None)
        if row is not None and row.pk:
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=64
            )
            self.initial[VERSION_FIELD] = version_token(row)

    def save_if_current(self, save: Callable[[], object]) -> bool:
        """Run ``save`` if nobody changed the row since the form was loaded, the row locked
        meanwhile; else write nothing, describe the conflict and return False.

        A submit without a version (a script, not the page) is not checked.
        """
        row = getattr(self, "instance", None)
        with transaction.atomic():
            if row is not None and row.pk and VERSION_FIELD in self.fields:
                model = row._meta.model
                current = model._base_manager.select_for_update().get(pk=row.pk)
                loaded = self.cleaned_data.get(VERSION_FIELD) or ""
                now = version_token(current)
                if loaded and loaded != now:
                    self._refuse(current, now)
                    return False
            save()
        return True

    def _refuse(self, current: models.Model, now: str) -> None:
        differences = []
        for name, field in self.fields.items():
            if name == VERSION_FIELD or name in self.version_ignored:
                continue
            if not hasattr(current, name) or name not in self.cleaned_data:
                continue
            theirs, yours = _stored(current, name), self.cleaned_data[name]
            if _comparable(theirs) != _comparable(yours):
                differences.append(
                    Difference(
                        str(field.label or name), _shown(field, theirs), _shown(field, yours)
                    )
                )
        record = current.history.first() if hasattr(current, "history") else None
        who = getattr(record, "history_user", None) if record is not None else None
        when = record.history_date if record is not None else current.updated_at
        self.conflict = Conflict(
            who=str(who) if who else gettext("someone"),
            when=when,
            differences=differences,
        )
        self.add_error(None, STALE_MESSAGE)
        # The form now carries the current version: submitting again is a deliberate choice.
        self.data = self.data.copy()  # type: ignore[has-type]  # the form's, set by Django
        self.data[self.add_prefix(VERSION_FIELD)] = now


STALE_MESSAGE = _(
    "Someone else saved this while you were editing it, so nothing was saved. Compare the "
    "two versions below: keep theirs, or submit yours again to replace theirs."
)

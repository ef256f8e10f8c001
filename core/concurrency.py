"""Optimistic concurrency for every edit form: a stale submit changes nothing and says why.

An edit form carries the version of the row it was loaded from (a hidden ``version`` field:
the row's ``updated_at``). ``form.save_if_current(save)`` locks the row, compares its version
with the form's and only then runs ``save``. When someone else saved in between, nothing is
written: the form gets an error, ``form.conflict`` holds who changed the row and when (from
its simple_history record) and each value that differs (theirs beside yours), and the form's
version becomes the current one, so submitting again on purpose wins. A submit without a
version (a page from before the field existed, a script) is refused the same way: nothing
is written and the form, now carrying the current version, can be sent again.

One mechanism for the working-group details, deliverable, milestone, meeting, action item,
resource, progress update, indicator value and report edition forms, and for the change
forms of the Django admin (``VersionedAdminMixin``, same version, same comparison).
Create forms have no row yet, hence no version and no check.
"""

import dataclasses
import datetime
import decimal
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import yes_no

VERSION_FIELD = "version"


def version_token(obj: models.Model) -> str:
    """The version a form was loaded from: when the row last changed (``updated_at``), or,
    for a model without that column (the person), its latest history record."""
    if hasattr(obj, "updated_at"):
        return obj.updated_at.isoformat() if obj.updated_at else ""
    history = getattr(type(obj), "history", None)
    if history is not None and obj.pk:
        latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return f"h{latest}" if latest else ""
    return ""


def is_versioned(model: type[models.Model]) -> bool:
    """Whether rows of this model carry a version (a change time or a history)."""
    return any(f.name == "updated_at" for f in model._meta.concrete_fields) or hasattr(
        model, "history"
    )


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
        # An archived row is read-only until it is restored (core/archive.py): its edit page
        # says so (templates/base.html) and a submit is refused (`save_if_current`).
        self.archived = bool(row is not None and row.pk and getattr(row, "is_archived", False))
        if row is not None and row.pk:
            self.fields[VERSION_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=64
            )
            self.initial[VERSION_FIELD] = version_token(row)

    def save_checked(self, save: Callable[[], object]) -> bool:
        """``save_if_current``, with a refusal the save raises (a ValidationError from the
        service) shown on the form instead: True only when the row was written."""
        try:
            return self.save_if_current(save)
        except ValidationError as error:
            self.add_error(None, error)
            return False

    def save_if_current(self, save: Callable[[], object]) -> bool:
        """Run ``save`` if nobody changed the row since the form was loaded, the row locked
        meanwhile; else write nothing, describe the conflict and return False.

        A submit without a version is refused too (``MISSING_MESSAGE``): what it was loaded
        from is unknown, so it could overwrite someone's change unseen.
        """
        row = getattr(self, "instance", None)
        with transaction.atomic():
            if row is not None and row.pk and VERSION_FIELD in self.fields:
                model = row._meta.model
                current = model._base_manager.select_for_update().get(pk=row.pk)
                if getattr(current, "is_archived", False):
                    self.add_error(None, ARCHIVED_MESSAGE)
                    return False
                loaded = self.cleaned_data.get(VERSION_FIELD) or ""
                now = version_token(current)
                if not loaded:
                    self.add_error(None, MISSING_MESSAGE)
                    self._carry(now)
                    return False
                if loaded != now:
                    self._refuse(current, now)
                    return False
            save()
        return True

    def _carry(self, now: str) -> None:
        # The form now carries the current version: submitting again is a deliberate choice.
        self.data = self.data.copy()  # type: ignore[has-type]  # the form's, set by Django
        self.data[self.add_prefix(VERSION_FIELD)] = now

    def _refuse(self, current: models.Model, now: str) -> None:
        self.conflict = describe_conflict(
            self, current, ignored={VERSION_FIELD, *self.version_ignored}
        )
        self.add_error(None, STALE_MESSAGE)
        self._carry(now)


def describe_conflict(form, current: models.Model, ignored=()) -> Conflict:
    """Who saved ``current`` last and when, and each of the form's values that differs from
    the stored one (theirs beside yours)."""
    differences = []
    cleaned = getattr(form, "cleaned_data", {})
    for name, field in form.fields.items():
        if name in ignored or not hasattr(current, name) or name not in cleaned:
            continue
        theirs, yours = _stored(current, name), cleaned[name]
        if _comparable(theirs) != _comparable(yours):
            differences.append(
                Difference(str(field.label or name), _shown(field, theirs), _shown(field, yours))
            )
    record = (
        current.history.order_by("-history_date", "-history_id").first()
        if hasattr(current, "history")
        else None
    )
    who = getattr(record, "history_user", None) if record is not None else None
    when = record.history_date if record is not None else getattr(current, "updated_at", None)
    return Conflict(who=str(who) if who else gettext("someone"), when=when, differences=differences)


ARCHIVED_MESSAGE = _(
    "This item is archived, so nothing was saved. Restore it first (its list shows it with "
    "“Show archived”), then change it."
)
STALE_MESSAGE = _(
    "Someone else saved this while you were editing it, so nothing was saved. Compare the "
    "two versions below: keep theirs, or submit yours again to replace theirs."
)
MISSING_MESSAGE = _(
    "This form arrived without the version it was loaded from, so nothing was saved: it "
    "could have replaced someone else's change unseen. Check the values below against the "
    "saved ones and submit again to save them."
)
ADMIN_STALE_MESSAGE = _(
    "%(who)s saved this %(model)s at %(when)s while you were editing it, so nothing was saved. "
    "Reload the page to see their version, or submit this form again to replace it."
)
ADMIN_DIFFERENCE = _("%(field)s — theirs: “%(theirs)s”; yours: “%(yours)s”")

# The hidden input of the admin's change forms (a name the models cannot have as a field).
ADMIN_VERSION_FIELD = "_version"


class _AdminVersionCheck:
    """Mixed into the admin's form class for one change-form POST (see VersionedAdminMixin).
    The admin runs the whole change view in one transaction, so the row locked here stays
    locked until the admin has saved it."""

    loaded_version: str = ""

    def clean(self):
        data = super().clean()
        row = self.instance
        current = row._meta.model._base_manager.select_for_update().get(pk=row.pk)
        now = version_token(current)
        if not self.loaded_version:
            self.add_error(None, MISSING_MESSAGE)
        elif self.loaded_version != now:
            conflict = describe_conflict(self, current, ignored={"change_reason"})
            when = formats.date_format(conflict.when, "DATETIME_FORMAT") if conflict.when else "—"
            errors = [
                ADMIN_STALE_MESSAGE
                % {"who": conflict.who, "model": row._meta.verbose_name, "when": when}
            ] + [
                ADMIN_DIFFERENCE % {"field": d.label, "theirs": d.theirs, "yours": d.yours}
                for d in conflict.differences
            ]
            self.add_error(None, errors)
        return data


class VersionedAdminMixin:
    """For every ModelAdmin of a model people edit: the change form carries the row's version
    and a stale or version-less submit is refused with a clear message, nothing written.

    The page re-rendered after a refusal carries the current version (the admin reads the row
    again for each request), so submitting again on purpose wins. Adding has no version.
    """

    change_form_template = "admin/versioned_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request._versioned_change = True
        return super().change_view(
            request, object_id, form_url=form_url, extra_context=extra_context
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        checked = request.method == "POST" and getattr(request, "_versioned_change", False)
        if obj is None or not obj.pk or not checked:
            return form
        return type(
            form.__name__,
            (_AdminVersionCheck, form),
            {"loaded_version": request.POST.get(ADMIN_VERSION_FIELD, "")[:64]},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["version_field"] = ADMIN_VERSION_FIELD
            context["version_token"] = version_token(obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

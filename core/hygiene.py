"""Input hygiene for every way in (forms, autosave, imports, the admin) and out (exports).

One place decides which characters and lengths the tracker keeps, so that no single pasted
value can break a page, a database or a spreadsheet export for everybody:

- ``clean_text`` for what comes in: a vertical tab or form feed (what a Word soft line break
  or page break becomes when pasted) is a line break; any other control character (NUL
  included), apart from tab, newline and carriage return, is refused with a message naming it.
- ``export_cell`` for what goes out (formula escape, then ``export_text``): the same line
  breaks, other control characters dropped (openpyxl refuses them), and the text kept within
  what one spreadsheet cell holds. It is the one formula escaper: every export calls it, a
  whole dataset through ``export_rows``.
- ``LIMITS``: the lengths, one table.
- ``refuse_out_of_range_ids``: a number too large for the database as a chosen id is a
  message, not an overflow (SQLite raises on integers past 64 bits).
"""

import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

LIMITS = {
    # Excel's hard limit for one cell; exports never write more.
    "spreadsheet_cell": 32_767,
    # Default for long text without a limit of its own (minutes, notes, descriptions): under a
    # cell, with room for the formula escape and line-break conversion.
    "long_text": 30_000,
}

# Word's soft line break (VT) and page break (FF) mean a new line to the person who pasted.
_LINE_BREAKS = re.compile(r"[\x0b\x0c]")
# C0 controls other than tab, newline and carriage return; DEL; the XML non-characters.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_MAX_ID = 2**63 - 1


def clean_text(value: str) -> str:
    """The text as stored: pasted line breaks made newlines; other control characters refused."""
    if not isinstance(value, str) or not value:
        return value
    value = _LINE_BREAKS.sub("\n", value)
    found = _CONTROL.search(value)
    if found and found.group() == "\x00":
        # Django's own words (and translations) for the character PostgreSQL cannot store.
        raise ValidationError(_("Null characters are not allowed."), code="null_characters")
    if found:
        raise ValidationError(
            _(
                "Remove the invisible control character %(char)s at position %(pos)s: it cannot "
                "be stored or exported. Retype the text there, or paste it as plain text."
            ),
            code="control_character",
            params={"char": f"U+{ord(found.group()):04X}", "pos": found.start() + 1},
        )
    return value


# What a spreadsheet would run as a formula (CSV/Excel injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_cell(value):
    """One cell of any export (XLSX or CSV): formula made inert with a leading apostrophe,
    then cleaned and bounded by ``export_text``. Every exporter calls this one function."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        value = "'" + value
    return export_text(value)


def export_rows(dataset, *, headers=None):
    """A copy of a tablib dataset with every cell through ``export_cell`` (and the headers
    given, or its own): what every exporter of a dataset writes."""
    import tablib

    clean = tablib.Dataset(headers=list(dataset.headers or []) if headers is None else headers)
    for row in dataset:
        clean.append([export_cell(cell) for cell in row])
    return clean


def export_text(value):
    """A value safe in any export cell: text cleaned and kept within one cell, the rest as is."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", _LINE_BREAKS.sub("\n", value))
    limit = LIMITS["spreadsheet_cell"]
    if len(value) > limit:
        # Only data stored before the limits could be this long; say that it was cut.
        marker = " […]"
        value = value[: limit - len(marker)] + marker
    return value


def refuse_out_of_range_ids(field: forms.Field, values) -> None:
    """Refuse chosen ids the database cannot even compare (past 64 bits)."""
    items = values if isinstance(values, list | tuple) else [values]
    for item in items:
        text = str(item).strip()
        if text.lstrip("-").isdigit() and abs(int(text)) > _MAX_ID:
            raise ValidationError(
                field.error_messages.get("invalid_choice", _("Select a valid choice.")),
                code="invalid_choice",
                params={"value": text[:30]},
            )


def _wrap(original: Callable, check: Callable) -> Callable:
    def wrapped(value):
        return check(original(value))

    return wrapped


def harden_fields(form: forms.BaseForm) -> None:
    """Apply the rules to every field of one form instance: text cleaned, long text bounded
    (the limit is named in Django's own message), chosen ids in range."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField | forms.ModelChoiceField):
            original_clean = field.clean

            def clean(value, field=field, original_clean=original_clean):
                refuse_out_of_range_ids(field, value)
                return original_clean(value)

            field.clean = clean  # type: ignore[method-assign]  # this field's own check
        elif isinstance(field, forms.CharField):
            if field.max_length is None:
                field.max_length = LIMITS["long_text"]
                field.validators.append(MaxLengthValidator(field.max_length))
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
            field.to_python = _wrap(field.to_python, clean_text)  # type: ignore[method-assign]


class CleanInputMixin:
    """For forms and admin forms: every field follows the hygiene rules."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden_fields(self)


class CleanImportMixin:
    """For django-import-export resources: each imported row's text follows the same rules as
    the forms. A row with a control character or an over-long text is refused with the
    field's message (an invalid row in the preview); nothing of it is written."""

    def import_instance(self, instance, row, **kwargs):
        from django.db import models

        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in instance._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            value = getattr(instance, field.attname, None)
            if not isinstance(value, str) or field.name in errors:
                continue
            limit = field.max_length or LIMITS["long_text"]
            try:
                value = clean_text(value)
                MaxLengthValidator(limit)(value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.messages)
                continue
            setattr(instance, field.attname, value)
        if errors:
            raise ValidationError(errors)

"""Writes on the roadmap: progress updates with evidence, and indicator values.

The progress-update mechanism is shared: expected results (outcomes, outputs) use it here, and
the working-groups app uses the very same functions, form and templates for deliverables.

Services
--------
``progress_update_create(*, subject, author, date, status, percent_complete, narrative,
blockers="", next_steps="", reason="", files=(), links=()) -> ProgressUpdate``
    Post a new update on any model instance (``subject``; stored through content_type/object_id).
    ``files`` is an iterable of ``(title, uploaded_file)`` pairs, ``links`` of ``(title, url)``
    pairs. Each file is checked by ``roadmap.uploads.validate_evidence_file``. ``reason`` is
    stored as the history change reason. Raises ``ValidationError`` on bad input (nothing saved).

``progress_update_edit(*, update, editor, reason, files=(), links=(), **fields) -> ProgressUpdate``
    Correct an update; ``reason`` is mandatory. ``fields`` may be any of ``date``, ``status``,
    ``percent_complete``, ``narrative``, ``blockers``, ``next_steps``.

``evidence_add(*, update, added_by, title, file=None, url="", reason="") -> Evidence``
    Attach one file or one link to an update.

``indicator_value_add(*, indicator, added_by, year, value, source, note="", reason="")``
``indicator_value_edit(*, indicator_value, editor, reason, **fields)``
    Roadmap admins record or correct a measured indicator value (reason mandatory on edit).

Forms and templates
-------------------
``roadmap.forms.ProgressUpdateForm(data, files, previous=<latest update or None>,
instance=<update being edited or None>)``; ``form.service_kwargs()`` gives the keyword arguments
for the two services above. Templates to include: ``roadmap/includes/progress_update_form.html``
(context: ``form``, ``action``), ``roadmap/includes/progress_updates.html`` (``updates``,
optional ``edit_url_name``) and ``roadmap/includes/history.html`` (``diffs`` from
``roadmap.selectors.history_diffs``). Evidence is downloaded through ``roadmap:evidence-download``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Evidence, IndicatorValue, ProgressStatus, ProgressUpdate
from .uploads import safe_filename, validate_evidence_file

EDITABLE_UPDATE_FIELDS = (
    "date",
    "status",
    "percent_complete",
    "narrative",
    "blockers",
    "next_steps",
)
EDITABLE_VALUE_FIELDS = ("year", "value", "source", "note")


def check_progress(*, date: datetime.date, status: str, percent_complete: int) -> None:
    """Rules that hold for every update, whoever writes it (form, service, import)."""
    errors = {}
    if date and date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        errors["percent_complete"] = _("Percent complete must be between 0 and 100.")
    if status == ProgressStatus.COMPLETED and percent_complete != 100:
        errors["percent_complete"] = _("Completed work must be at 100 percent.")
    if errors:
        raise ValidationError(errors)


def _history_user(obj, user) -> None:
    # The request middleware records the person in a request; this covers scripts and tasks.
    obj._history_user = user


@transaction.atomic
def evidence_add(
    *,
    update: ProgressUpdate,
    added_by,
    title: str,
    file: UploadedFile | None = None,
    url: str = "",
    reason: str = "",
) -> Evidence:
    if bool(file) == bool(url):
        raise ValidationError(_("Evidence is either a file or a link."))
    evidence = Evidence(update=update, title=(title or "").strip(), added_by=added_by, url=url)
    if file:
        mime = validate_evidence_file(file)
        evidence.original_filename = (file.name or "")[:255]
        evidence.content_type = mime
        evidence.title = evidence.title or evidence.original_filename
        file.name = safe_filename(file.name, mime)
        evidence.file = file
    else:
        evidence.title = evidence.title or url[:200]
    evidence.full_clean()
    evidence._change_reason = reason or _("evidence added")
    _history_user(evidence, added_by)
    evidence.save()
    return evidence


def _add_evidence_items(update, user, files, links, reason) -> None:
    for title, f in files:
        if f:
            evidence_add(update=update, added_by=user, title=title, file=f, reason=reason)
    for title, url in links:
        if url:
            evidence_add(update=update, added_by=user, title=title, url=url, reason=reason)


@transaction.atomic
def progress_update_create(
    *,
    subject,
    author,
    date: datetime.date,
    status: str,
    percent_complete: int,
    narrative: str,
    blockers: str = "",
    next_steps: str = "",
    reason: str = "",
    files: Iterable[tuple[str, UploadedFile]] = (),
    links: Iterable[tuple[str, str]] = (),
) -> ProgressUpdate:
    check_progress(date=date, status=status, percent_complete=percent_complete)
    update = ProgressUpdate(
        subject=subject,
        author=author,
        date=date,
        status=status,
        percent_complete=percent_complete,
        narrative=narrative,
        blockers=blockers,
        next_steps=next_steps,
    )
    update.full_clean()
    update._change_reason = reason or _("progress update posted")
    _history_user(update, author)
    update.save()
    _add_evidence_items(update, author, files, links, reason)
    return update


@transaction.atomic
def progress_update_edit(
    *,
    update: ProgressUpdate,
    editor,
    reason: str,
    files: Iterable[tuple[str, UploadedFile]] = (),
    links: Iterable[tuple[str, str]] = (),
    **fields,
) -> ProgressUpdate:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you change this update.")})
    unknown = set(fields) - set(EDITABLE_UPDATE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(update, name, value)
    check_progress(date=update.date, status=update.status, percent_complete=update.percent_complete)
    update.full_clean()
    update._change_reason = reason.strip()
    _history_user(update, editor)
    update.save()
    _add_evidence_items(update, editor, files, links, reason.strip())
    return update


@transaction.atomic
def indicator_value_add(
    *, indicator, added_by, year: int, value, source: str, note: str = "", reason: str = ""
) -> IndicatorValue:
    indicator_value = IndicatorValue(
        indicator=indicator, year=year, value=value, source=source, note=note
    )
    indicator_value.full_clean()
    indicator_value._change_reason = reason or _("value recorded")
    _history_user(indicator_value, added_by)
    indicator_value.save()
    return indicator_value


@transaction.atomic
def indicator_value_edit(
    *, indicator_value: IndicatorValue, editor, reason: str, **fields
) -> IndicatorValue:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you correct this value.")})
    unknown = set(fields) - set(EDITABLE_VALUE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, new in fields.items():
        setattr(indicator_value, name, new)
    indicator_value.full_clean()
    indicator_value._change_reason = reason.strip()
    _history_user(indicator_value, editor)
    indicator_value.save()
    return indicator_value

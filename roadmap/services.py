"""Writes on the roadmap: progress updates with evidence, and indicator values.

The progress-update mechanism is shared: expected results (outcomes, outputs) use it here, and
the working-groups app uses the very same functions, form and templates for deliverables.

Services
--------
``progress_update_create(*, subject, author, date, status, percent_complete, narrative,
blockers="", next_steps="", reason="", files=(), links=()) -> ProgressUpdate``
    Post a new update on any model instance (``subject``; stored through content_type/object_id).
    ``files`` is an iterable of ``(title, uploaded_file)`` pairs, ``links`` of ``(title, url)``
    pairs. Each file is checked by ``core.uploads.validate_evidence_file``. ``reason`` is
    stored as the history change reason. Raises ``ValidationError`` on bad input (nothing saved).

``progress_update_edit(*, update, editor, reason, files=(), links=(), **fields) -> ProgressUpdate``
    Correct an update; ``reason`` is mandatory. ``fields`` may be any of ``date``, ``status``,
    ``percent_complete``, ``narrative``, ``blockers``, ``next_steps``.

``evidence_add(*, update, added_by, title, file=None, url="", reason="") -> Evidence``
    Attach one file or one link to an update.

``indicator_value_add(*, indicator, added_by, year, value, source, note="", reason="")``
``indicator_value_edit(*, indicator_value, editor, reason, **fields)``
    Roadmap admins record or correct a measured indicator value (reason mandatory on edit;
    recording a second value for the same indicator, year and source corrects the first).
``indicator_value_withdraw(*, indicator_value, by, reason)`` / ``indicator_value_restore(...)``
    Take a wrong value out of every figure, or bring it back; both keep the reason.
``indicator_value_publish(*, indicator_value, by, replace_typed=False, reason="")`` /
``indicator_value_discard(*, indicator_value, by, reason="")``
    Review a value proposed from a survey round (``surveys.services.indicators_compute``).

Forms and templates
-------------------
``roadmap.forms.ProgressUpdateForm(data, files, previous=<latest update or None>,
instance=<update being edited or None>)``; ``form.service_kwargs()`` gives the keyword arguments
for the two services above. Templates to include: ``roadmap/includes/progress_update_form.html``
(context: ``form``, ``action``), ``roadmap/includes/progress_updates.html`` (``updates``,
optional ``edit_url_name``) and ``roadmap/includes/history.html`` (``diffs`` from
``core.history.history_diffs``). Evidence is downloaded through ``roadmap:evidence-download``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.uploads import safe_filename, validate_evidence_file

from .models import Evidence, IndicatorValue, ProgressStatus, ProgressUpdate

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
        # The file name stands in for a missing title, cut to what a title holds.
        evidence.title = evidence.title or evidence.original_filename[:200]
        file.name = safe_filename(file.name or "", mime)
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


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _save_value(indicator_value: IndicatorValue, user, reason: str) -> IndicatorValue:
    indicator_value.full_clean()
    indicator_value._change_reason = reason
    _history_user(indicator_value, user)
    try:
        # A savepoint: two people recording the same value at once meet the partial unique
        # constraint; the second gets the constraint's message, not a server error.
        with transaction.atomic():
            indicator_value.save()
    except IntegrityError:
        raise ValidationError(
            _("Someone recorded a value for this year and source meanwhile: reload the page.")
        ) from None
    return indicator_value


def _lock(indicator_value: IndicatorValue) -> None:
    # Lock the row and read its status afresh: two admins acting on one value at once act in
    # turn, and the second sees what the first did (and is refused if it no longer applies).
    indicator_value.status = (
        IndicatorValue.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=indicator_value.pk)
    )


def _current_value(*, indicator, year: int, source: str) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.counted()
        .select_for_update()
        .filter(indicator=indicator, year=year, source=source)
        .first()
    )


@transaction.atomic
def indicator_value_add(
    *, indicator, added_by, year: int, value, source: str, note: str = "", reason: str = ""
) -> IndicatorValue:
    """Record a typed-in value, published at once.

    There is one current value per indicator, year and source: when one exists, this is a
    correction of it (the reason is then required and kept in its history), not a second value.
    """
    current = _current_value(indicator=indicator, year=year, source=source)
    if current is not None:
        reason = _reason(
            reason,
            _("A value for %(year)s from this source exists (%(value)s): say why you correct it.")
            % {"year": year, "value": indicator.format_value(current.value)},
        )
        return indicator_value_edit(
            indicator_value=current, editor=added_by, reason=reason, value=value, note=note
        )
    indicator_value = IndicatorValue(
        indicator=indicator,
        year=year,
        value=value,
        source=source,
        note=note,
        status=IndicatorValue.Status.PUBLISHED,
    )
    return _save_value(indicator_value, added_by, (reason or "").strip() or _("value recorded"))


@transaction.atomic
def indicator_value_edit(
    *, indicator_value: IndicatorValue, editor, reason: str, **fields
) -> IndicatorValue:
    """Correct a current (published) value; the reason is mandatory and kept in the history."""
    reason = _reason(reason, _("Say why you correct this value."))
    unknown = set(fields) - set(EDITABLE_VALUE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    _lock(indicator_value)
    if indicator_value.status != IndicatorValue.Status.PUBLISHED:
        raise ValidationError(_("Only a current value can be corrected; restore it first."))
    for name, new in fields.items():
        setattr(indicator_value, name, new)
    return _save_value(indicator_value, editor, reason)


@transaction.atomic
def indicator_value_withdraw(*, indicator_value: IndicatorValue, by, reason: str) -> IndicatorValue:
    """Take a wrong value out of every figure; it stays in the history and can be restored."""
    reason = _reason(reason, _("Say why you withdraw this value."))
    _lock(indicator_value)
    if indicator_value.status != IndicatorValue.Status.PUBLISHED:
        raise ValidationError(_("Only a current value can be withdrawn."))
    indicator_value.status = IndicatorValue.Status.WITHDRAWN
    return _save_value(indicator_value, by, reason)


@transaction.atomic
def indicator_value_restore(*, indicator_value: IndicatorValue, by, reason: str) -> IndicatorValue:
    """Make a withdrawn value count again, unless another current value took its place."""
    reason = _reason(reason, _("Say why you restore this value."))
    _lock(indicator_value)
    if indicator_value.status != IndicatorValue.Status.WITHDRAWN:
        raise ValidationError(_("Only a withdrawn value can be restored."))
    indicator_value.status = IndicatorValue.Status.PUBLISHED
    return _save_value(indicator_value, by, reason)


def typed_values_for_year(indicator_value: IndicatorValue) -> list[IndicatorValue]:
    """Current typed-in values of the same indicator and year as a (computed) proposal."""
    return list(
        IndicatorValue.objects.counted().filter(
            indicator_id=indicator_value.indicator_id,
            year=indicator_value.year,
            is_computed=False,
        )
    )


@transaction.atomic
def indicator_value_publish(
    *, indicator_value: IndicatorValue, by, replace_typed: bool = False, reason: str = ""
) -> IndicatorValue:
    """Publish a proposed (computed) value after review.

    A computed value never silently replaces a typed-in value of the same year: when there is
    one, the admin must choose, either keep it (discard the proposal) or publish this one with
    `replace_typed=True` and a reason, which withdraws the typed-in value(s) with that reason.
    An earlier published computation from the same source (the same round) is withdrawn: the
    proposal is its recomputation.
    """
    _lock(indicator_value)
    if indicator_value.status != IndicatorValue.Status.PROPOSED:
        raise ValidationError(_("Only a proposed value can be published."))
    typed = typed_values_for_year(indicator_value)
    if typed and not replace_typed:
        raise ValidationError(
            _(
                "A typed-in value exists for %(year)s: keep it (discard this proposal) or "
                "publish this one and withdraw the typed-in value, with a reason."
            )
            % {"year": indicator_value.year}
        )
    if typed:
        reason = _reason(reason, _("Say why the computed value replaces the typed-in one."))
        for old in typed:
            indicator_value_withdraw(
                indicator_value=old,
                by=by,
                reason=_("Replaced by the value computed from %(source)s: %(reason)s")
                % {"source": indicator_value.source, "reason": reason},
            )
    earlier = _current_value(
        indicator=indicator_value.indicator_id,
        year=indicator_value.year,
        source=indicator_value.source,
    )
    if earlier is not None:
        indicator_value_withdraw(
            indicator_value=earlier, by=by, reason=_("Replaced by a new computation.")
        )
    indicator_value.status = IndicatorValue.Status.PUBLISHED
    return _save_value(indicator_value, by, (reason or "").strip() or _("published after review"))


@transaction.atomic
def indicator_value_discard(
    *, indicator_value: IndicatorValue, by, reason: str = ""
) -> IndicatorValue:
    """Set a proposed value aside: it never counts, and stays in the history."""
    _lock(indicator_value)
    if indicator_value.status != IndicatorValue.Status.PROPOSED:
        raise ValidationError(_("Only a proposed value can be discarded."))
    indicator_value.status = IndicatorValue.Status.DISCARDED
    return _save_value(indicator_value, by, (reason or "").strip() or _("discarded after review"))

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
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.hygiene import clean_text
from core.uploads import safe_filename, validate_evidence_file

from .models import (
    Evidence,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressStatus,
    ProgressUpdate,
    Roadmap,
    check_value_for_unit,
)

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


# ---- the next roadmap -------------------------------------------------------------------
#
# ``roadmap_successor_plan(*, source, name, start_year, end_year, ...) -> SuccessorPlan``
#     What a successor would hold, without writing: the areas, results and indicators carried
#     over (with each indicator's new baseline), the indicators retired, the new areas, and what
#     the apps registered in SUCCESSOR_HOOKS (the working groups) would carry or close. Its
#     ``errors`` say what is wrong; nothing is written.
# ``roadmap_create_successor(*, source, ..., by) -> Roadmap``
#     The same plan, then written in one transaction: all of it or nothing.

CARRY, CLOSE = "carry", "close"


@dataclass
class PlannedIndicator:
    source: Indicator
    baseline_value: Decimal | None
    baseline_year: int | None
    baseline_source: str
    from_last_value: bool  # the baseline is the previous roadmap's last counted value


@dataclass
class SuccessorPlan:
    source: Roadmap
    name: str
    start_year: int
    end_year: int
    close_date: datetime.date
    areas: list[PriorityActionArea] = field(default_factory=list)
    new_areas: list[str] = field(default_factory=list)
    results: list[ExpectedResult] = field(default_factory=list)
    indicators: list[PlannedIndicator] = field(default_factory=list)
    retired: list[Indicator] = field(default_factory=list)
    # What each hook will do, by hook name: rows (object, "carry"|"close") for the page.
    hooks: dict[str, list] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.start_year, 1, 1)

    @property
    def ok(self) -> bool:
        return not self.errors


class SuccessorHook:
    """What another app carries over to a successor (registered by that app, e.g. groups).

    ``plan(plan, choices)`` adds rows to ``plan.hooks[name]`` and messages to ``plan.errors``;
    ``apply(plan, choices, successor, mapping, by)`` writes them. ``mapping`` maps every source
    area, result and indicator to its copy (``{"areas": {old_pk: new}, ...}``).
    """

    name = ""
    label: object = ""  # what the items are, for the page ("Working groups")

    def items(self, source: Roadmap) -> list:  # pragma: no cover - interface
        """The objects of ``source`` to carry or close, each with a ``pk`` and a ``str``."""
        raise NotImplementedError

    def plan(self, plan: SuccessorPlan, choices) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def apply(
        self, plan: SuccessorPlan, choices, successor, mapping: dict, by
    ) -> None:  # pragma: no cover
        raise NotImplementedError


SUCCESSOR_HOOKS: dict[str, SuccessorHook] = {}


def register_successor_hook(hook: SuccessorHook) -> None:
    SUCCESSOR_HOOKS[hook.name] = hook


def _text(value, limit: int, errors: list[str]) -> str:
    """Text as stored (core.hygiene), stripped; a refusal or an overlong text is a message."""
    try:
        value = (clean_text(value or "") or "").strip()
    except ValidationError as error:
        errors.extend(error.messages)
        return ""
    if len(value) > limit:
        errors.append(
            _("“%(start)s…” is too long: at most %(limit)s characters.")
            % {"start": value[:30], "limit": limit}
        )
        return value[:limit]
    return value


def _ids(values) -> set[int] | None:
    if values is None:
        return None
    return {int(getattr(v, "pk", v)) for v in values}


def roadmap_successor_plan(
    *,
    source: Roadmap,
    name: str,
    start_year: int,
    end_year: int,
    areas=None,
    results=None,
    indicators=None,
    retire=(),
    baselines: dict | None = None,
    new_areas=(),
    groups: dict | None = None,
    close_date: datetime.date | None = None,
) -> SuccessorPlan:
    """Check and describe a successor of ``source``; writes nothing.

    ``areas``, ``results``, ``indicators``: what carries over (ids or objects; None: every area,
    every live result and indicator of the carried areas). Indicators of carried areas not
    carried are retired (they stay in ``source`` with their values); ``retire`` names some
    explicitly. ``baselines``: ``{indicator id: {"value", "year", "source"}}`` overriding the
    previous roadmap's last counted value. ``new_areas``: titles of areas added. ``groups``:
    ``{group id: "carry" | "close"}`` for the working-groups hook. ``close_date``: the day the
    source's groups end (default: the day before the successor starts).
    """
    from . import figures

    errors: list[str] = []
    name = _text(name, 200, errors)
    close_date = close_date or datetime.date(int(start_year), 1, 1) - datetime.timedelta(days=1)
    plan = SuccessorPlan(
        source=source,
        name=name,
        start_year=int(start_year),
        end_year=int(end_year),
        close_date=close_date,
        errors=errors,
    )
    if not name:
        errors.append(_("Give the new roadmap a name."))
    elif Roadmap.objects.filter(name__iexact=name).exists():
        errors.append(_("A roadmap named “%(name)s” exists already.") % {"name": name})
    if plan.start_year <= source.start_year:
        errors.append(
            _("The new roadmap must start after %(year)s, when %(name)s started.")
            % {"year": source.start_year, "name": source}
        )
    if plan.end_year < plan.start_year:
        errors.append(_("The last year cannot come before the first year."))
    if close_date < datetime.date(source.start_year, 1, 1):
        errors.append(_("The groups cannot close before the roadmap they belong to started."))

    source_areas = list(source.areas.order_by("number"))
    area_ids = _ids(areas)
    if area_ids is None:
        area_ids = {a.pk for a in source_areas}
    unknown = area_ids - {a.pk for a in source_areas}
    if unknown:
        errors.append(_("Some areas chosen are not areas of %(name)s.") % {"name": source})
    plan.areas = [a for a in source_areas if a.pk in area_ids]
    carried_area_ids = {a.pk for a in plan.areas}

    source_results = list(
        ExpectedResult.objects.filter(area__roadmap=source, is_archived=False).select_related(
            "area"
        )
    )
    result_ids = _ids(results)
    if result_ids is None:
        result_ids = {r.pk for r in source_results if r.area_id in carried_area_ids}
    by_pk = {r.pk: r for r in source_results}
    if result_ids - set(by_pk):
        errors.append(
            _("Some expected results chosen are not live results of %(name)s.") % {"name": source}
        )
    orphans = [
        by_pk[pk] for pk in result_ids & set(by_pk) if by_pk[pk].area_id not in carried_area_ids
    ]
    for r in sorted(orphans, key=lambda r: r.code):
        errors.append(
            _("Result %(code)s belongs to area %(number)s, which is not carried over.")
            % {"code": r.code, "number": r.area.number}
        )
    plan.results = sorted(
        (by_pk[pk] for pk in result_ids & set(by_pk)),
        key=lambda r: (r.area.number, r.kind, r.order, r.code),
    )

    source_indicators = list(
        Indicator.objects.filter(area__roadmap=source)
        .select_related("area")
        .order_by("area__number", "order", "code")
    )
    ind_by_pk = {i.pk: i for i in source_indicators}
    retire_ids = _ids(retire) or set()
    indicator_ids = _ids(indicators)
    if indicator_ids is None:
        indicator_ids = {
            i.pk for i in source_indicators if i.area_id in carried_area_ids
        } - retire_ids
    if (indicator_ids | retire_ids) - set(ind_by_pk):
        errors.append(
            _("Some indicators chosen are not indicators of %(name)s.") % {"name": source}
        )
    both = sorted(ind_by_pk[pk].code for pk in indicator_ids & retire_ids if pk in ind_by_pk)
    if both:
        errors.append(
            _("An indicator cannot be carried over and retired at once: %(codes)s.")
            % {"codes": ", ".join(both)}
        )
    carried = [i for i in source_indicators if i.pk in indicator_ids]
    for ind in carried:
        if ind.area_id not in carried_area_ids:
            errors.append(
                _("Indicator %(code)s belongs to area %(number)s, which is not carried over.")
                % {"code": ind.code, "number": ind.area.number}
            )
    plan.retired = [
        i
        for i in source_indicators
        if i.pk not in indicator_ids and (i.area_id in carried_area_ids or i.pk in retire_ids)
    ]
    # The baseline: the previous roadmap's last counted value (as of the end of its last year),
    # with its source, unless the admin gave another.
    last = figures.latest_values(carried, datetime.date(source.end_year, 12, 31))
    baselines = baselines or {}
    for ind in carried:
        given = baselines.get(ind.pk) or baselines.get(str(ind.pk))
        if given and given.get("value") is not None:
            try:
                check_value_for_unit(ind.unit, given["value"])
            except ValidationError as error:
                errors.append(f"{ind.code}: {error.messages[0]}")
            plan.indicators.append(
                PlannedIndicator(
                    source=ind,
                    baseline_value=given["value"],
                    baseline_year=given.get("year") or plan.start_year - 1,
                    baseline_source=_text(given.get("source"), 300, errors),
                    from_last_value=False,
                )
            )
            continue
        value = last.get(ind.pk)
        if value is not None:
            plan.indicators.append(
                PlannedIndicator(ind, value.value, value.year, value.source, True)
            )
        else:  # never measured: the old baseline stands
            plan.indicators.append(
                PlannedIndicator(
                    ind, ind.baseline_value, ind.baseline_year, ind.baseline_source, False
                )
            )

    plan.new_areas = [t for t in (_text(t, 300, errors) for t in new_areas) if t]
    for hook in SUCCESSOR_HOOKS.values():
        hook.plan(plan, groups)
    return plan


@transaction.atomic
def roadmap_create_successor(
    *,
    source: Roadmap,
    name: str,
    start_year: int,
    end_year: int,
    areas=None,
    results=None,
    indicators=None,
    retire=(),
    baselines: dict | None = None,
    new_areas=(),
    groups: dict | None = None,
    close_date: datetime.date | None = None,
    make_current: bool = True,
    by=None,
) -> Roadmap:
    """Create the successor of ``source`` as planned by ``roadmap_successor_plan``.

    One transaction: a ValidationError (from the plan or any write) leaves nothing behind. The
    successor becomes the current roadmap unless ``make_current`` is False. Every copy links to
    its original (``carried_from``); the source and its values stay as they were.
    """
    plan = roadmap_successor_plan(
        source=source,
        name=name,
        start_year=start_year,
        end_year=end_year,
        areas=areas,
        results=results,
        indicators=indicators,
        retire=retire,
        baselines=baselines,
        new_areas=new_areas,
        groups=groups,
        close_date=close_date,
    )
    if plan.errors:
        raise ValidationError(plan.errors)
    reason = _("carried over from %(name)s") % {"name": source.name}

    def save(obj):
        obj._change_reason = reason
        _history_user(obj, by)
        obj.full_clean(validate_unique=False)
        obj.save()
        return obj

    if make_current:
        for old in Roadmap.objects.filter(is_current=True):
            old.is_current = False
            old._change_reason = _("%(name)s became the current roadmap") % {"name": plan.name}
            _history_user(old, by)
            old.save()
    successor = save(
        Roadmap(
            name=plan.name,
            start_year=plan.start_year,
            end_year=plan.end_year,
            description=source.description,
            description_fr=source.description_fr,
            description_es=source.description_es,
            description_ar=source.description_ar,
            follows=source,
            is_current=make_current,
        )
    )
    successor.commitments.set(source.commitments.all())
    mapping: dict[str, dict] = {"areas": {}, "results": {}, "indicators": {}}
    copied = ("title", "short_title", "description")
    for area in plan.areas:
        new = PriorityActionArea(roadmap=successor, number=area.number, carried_from=area)
        for f in copied:
            for suffix in ("", "_fr", "_es", "_ar"):
                setattr(new, f + suffix, getattr(area, f + suffix))
        mapping["areas"][area.pk] = save(new)
    number = max([a.number for a in plan.areas], default=0)
    for title in plan.new_areas:
        number += 1
        save(PriorityActionArea(roadmap=successor, number=number, title=title))
    for result in plan.results:
        new_result = ExpectedResult(
            area=mapping["areas"][result.area_id],
            kind=result.kind,
            code=result.code,
            actor=result.actor,
            order=result.order,
            carried_from=result,
        )
        for f in ("title", "description"):
            for suffix in ("", "_fr", "_es", "_ar"):
                setattr(new_result, f + suffix, getattr(result, f + suffix))
        mapping["results"][result.pk] = save(new_result)
    for planned in plan.indicators:
        ind = planned.source
        new_indicator = Indicator(
            area=mapping["areas"][ind.area_id],
            result=mapping["results"].get(ind.result_id),
            code=ind.code,
            unit=ind.unit,
            direction=ind.direction,
            baseline_value=planned.baseline_value,
            baseline_year=planned.baseline_year,
            baseline_source=planned.baseline_source,
            target_value=ind.target_value,
            target_year=plan.end_year if ind.target_year else None,
            means_of_verification=ind.means_of_verification,
            order=ind.order,
            carried_from=ind,
        )
        for f in ("name", "description"):
            for suffix in ("", "_fr", "_es", "_ar"):
                setattr(new_indicator, f + suffix, getattr(ind, f + suffix))
        mapping["indicators"][ind.pk] = save(new_indicator)
    for hook in SUCCESSOR_HOOKS.values():
        hook.apply(plan, groups, successor, mapping, by)
    return successor

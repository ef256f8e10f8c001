"""Roadmap pages: at a glance, areas, results with their updates, indicators, public summary."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.archive import wants_archived
from roadmap import charts

from . import figures, progress_views, selectors, services
from .forms import IndicatorValueForm, IndicatorValueReasonForm, SuccessorForm
from .models import IndicatorValue

# One home for these two, shared with the progress-update flow.
_add_errors = progress_views.add_errors
_done = progress_views.done


def _as_of(request) -> tuple:
    """The date the figures are shown as of (`?as_of=`), and the message if it was refused."""
    try:
        return figures.parse_as_of(request.GET.get("as_of")), None
    except ValidationError as error:
        return figures.today(), error.messages[0]


@require_GET
def at_a_glance(request):
    roadmap = selectors.roadmap_for_request(request)
    as_of, as_of_error = _as_of(request)
    return render(
        request,
        "roadmap/at_a_glance.html",
        {
            "roadmap": roadmap,
            "summaries": selectors.areas_at_a_glance(roadmap, as_of),
            "as_of": as_of,
            "as_of_error": as_of_error,
            "today": figures.today(),
        },
    )


@require_GET
def figures_rules(request):
    """How every figure is computed: docs/figures.md, the text the report's annex carries."""
    from django.utils.safestring import mark_safe

    return render(
        request,
        "roadmap/figures.html",
        {
            "rules": mark_safe(figures.rules_html()),  # noqa: S308 - our own file
            "rules_language": figures.rules_language(),
        },
    )


@require_GET
def area(request, number: int):
    area = selectors.area_for_user(request.user, number, selectors.roadmap_for_request(request))
    as_of, as_of_error = _as_of(request)
    summary = selectors.area_page_figures(area, as_of)
    lineages = figures.series_across_roadmaps([i.indicator for i in summary.indicators], as_of)
    for item in summary.indicators:
        item.chart = charts.indicator_trend(
            item.indicator, item.values, lineages.get(item.indicator.pk)
        )
    return render(
        request,
        "roadmap/area.html",
        {
            "area": area,
            "summary": summary,
            "outcomes": summary.outcomes,
            "outputs": summary.outputs,
            "indicators": summary.indicators,
            "diffs": selectors.area_history(area),
            "as_of": as_of,
            "as_of_error": as_of_error,
            "today": figures.today(),
        },
    )


@require_http_methods(["GET", "POST"])
def result(request, pk: int):
    """An expected result with its updates; people working on it post updates here."""
    perm = "roadmap.add_progressupdate"
    result = selectors.result_for_user(
        request.user, pk, perm=perm if request.method == "POST" else None
    )
    can_update = request.user.has_perm(perm, result)
    form = None
    if can_update:
        form, response = progress_views.post_update(
            request, result, done_url=reverse("roadmap:result", args=[result.pk])
        )
        if response is not None:
            return response
    return render(
        request,
        "roadmap/result.html",
        {
            "result": result,
            "updates": progress_views.updates_for_page(
                request.user, result, with_archived=wants_archived(request)
            ),
            "show_archived": wants_archived(request),
            "form": form,
            "can_update": can_update,
            "diffs": selectors.result_history(result),
        },
    )


@require_http_methods(["GET", "POST"])
def update_edit(request, pk: int):
    """Correct a progress update; the reason is kept in the history."""
    update = selectors.update_for_user(request.user, pk, perm="roadmap.change_progressupdate")
    result = update.subject
    back_url = reverse("roadmap:result", args=[result.pk])
    form, response = progress_views.correct_update(request, update, done_url=back_url)
    if response is not None:
        return response
    breadcrumbs = [
        (f"{reverse('home')}?roadmap={result.area.roadmap_id}", _("At a glance")),
        (
            f"{reverse('roadmap:area', args=[result.area.number])}?roadmap={result.area.roadmap_id}",
            _("Area %(number)s") % {"number": result.area.number},
        ),
        (back_url, result.code),
    ]
    return progress_views.page(
        request, form, back_url=back_url, breadcrumbs=breadcrumbs, update=update
    )


@require_http_methods(["GET", "POST"])
def indicator(request, pk: int):
    """An indicator with all its values; roadmap admins record new values here.

    Every value shows, withdrawn and proposed ones marked; the one that counts for each year
    and the latest come from roadmap.figures, the rule every page uses.
    """
    perm = "roadmap.add_indicatorvalue"
    indicator = selectors.indicator_for_user(
        request.user, pk, perm=perm if request.method == "POST" else None
    )
    can_edit = request.user.has_perm(perm, indicator)
    form = None
    if can_edit:
        form = IndicatorValueForm(request.POST or None, indicator=indicator)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            corrects = (
                indicator.values.counted().filter(year=data["year"], source=data["source"]).exists()
            )
            try:
                kept = services.indicator_value_add(
                    indicator=indicator,
                    added_by=request.user,
                    year=data["year"],
                    value=data["value"],
                    source=data["source"],
                    note=data["note"],
                    reason=data["reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                # Say back what was kept, formatted, so a misread number shows at once.
                said = {"value": indicator.format_value(kept.value), "year": kept.year}
                if corrects:
                    message = _("The %(year)s value from this source was corrected to %(value)s.")
                else:
                    message = _("Recorded: %(value)s for %(year)s.")
                messages.success(request, message % said)
                return redirect("roadmap:indicator", pk=indicator.pk)
    as_of = figures.today()
    series = figures.indicator_series(indicator, as_of)[indicator.pk]
    values = list(
        indicator.values.exclude(status=IndicatorValue.Status.DISCARDED).order_by("year", "id")
    )
    return render(
        request,
        "roadmap/indicator.html",
        {
            "indicator": indicator,
            "values": values,
            "counted_ids": {v.pk for v in series},
            "latest": series[-1] if series else None,
            "chart": charts.indicator_trend(
                indicator,
                series,
                figures.series_across_roadmaps([indicator], as_of).get(indicator.pk),
            ),
            "as_of": as_of,
            "form": form,
            "can_edit": can_edit,
            "can_withdraw": request.user.has_perm("roadmap.withdraw_indicatorvalue", indicator),
            "diffs": selectors.indicator_history(indicator),
        },
    )


@require_http_methods(["GET", "POST"])
def indicator_value_edit(request, pk: int):
    value = selectors.indicator_value_for_user(
        request.user, pk, perm="roadmap.change_indicatorvalue"
    )
    form = IndicatorValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = form.save_if_current(
                lambda: services.indicator_value_edit(
                    indicator_value=value,
                    editor=request.user,
                    reason=data["reason"],
                    **{name: data[name] for name in services.EDITABLE_VALUE_FIELDS},
                )
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if saved:  # else someone saved meanwhile: the form shows both versions
                messages.success(
                    request,
                    _("Corrected: %(value)s for %(year)s.")
                    % {"value": value.indicator.format_value(value.value), "year": value.year},
                )
                return redirect("roadmap:indicator", pk=value.indicator_id)
    return render(
        request,
        "roadmap/indicator_value_edit.html",
        {"value": value, "indicator": value.indicator, "form": form},
    )


@require_http_methods(["GET", "POST"])
def indicator_value_status(request, pk: int, action: str):
    """Withdraw a wrong value, or restore a withdrawn one, with a reason (admins only).

    Never a hard delete: the value stays on the indicator page and in its history.
    """
    value = selectors.indicator_value_for_user(
        request.user, pk, perm="roadmap.withdraw_indicatorvalue"
    )
    form = IndicatorValueReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = (
            services.indicator_value_withdraw
            if action == "withdraw"
            else services.indicator_value_restore
        )
        try:
            service(indicator_value=value, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if action == "withdraw":
                messages.success(request, _("The value was withdrawn; it no longer counts."))
            else:
                messages.success(request, _("The value was restored; it counts again."))
            return redirect("roadmap:indicator", pk=value.indicator_id)
    return render(
        request,
        "roadmap/indicator_value_status.html",
        {"value": value, "indicator": value.indicator, "form": form, "action": action},
    )


@require_GET
def evidence_download(request, pk: int):
    """Serve an evidence file as a download, never inline, to people allowed to see it."""
    evidence = selectors.evidence_for_user(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_filename or evidence.file.name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def successor(request, pk: int):
    """Start the roadmap that follows this one (admins): choose, preview, then confirm.

    "Preview" shows what will be created and writes nothing; "Create" runs the one service,
    all or nothing, and opens the new roadmap.
    """
    if not request.user.has_perm("roadmap.create_successor"):
        raise PermissionDenied
    source = selectors.roadmap_or_404(pk)
    hooks = list(services.SUCCESSOR_HOOKS.values())
    form = SuccessorForm(request.POST or None, source=source, hooks=hooks)
    plan = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        plan = services.roadmap_successor_plan(**kwargs)
        for error in plan.errors:
            form.add_error(None, error)
        if plan.ok and "confirm" in request.POST:
            try:
                created = services.roadmap_create_successor(**kwargs, by=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s was created from %(source)s; it is now the current roadmap.")
                    % {"name": created, "source": source},
                )
                return redirect(f"{reverse('home')}?roadmap={created.pk}")
    return render(
        request,
        "roadmap/successor.html",
        {
            "source": source,
            "form": form,
            "plan": plan if plan and plan.ok else None,
            "area_rows": form.choice_rows("areas"),
            "result_rows": form.choice_rows("results"),
            "indicator_rows": form.indicator_rows(),
        },
    )

"""Report pages: editions, preview, generation with a visible status, downloads, exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.security import rate_limited
from core.translated import TRANSLATION_LANGUAGES, missing_translations
from jobs.views import offer as job_offer
from reports import exports, selectors, services
from reports import jobs as report_jobs
from reports.forms import EditionForm, GenerateForm
from reports.models import ReportEdition, ReportRun
from reports.rendering import report_html
from roadmap.selectors import roadmap_for_request
from workinggroups.models import WorkingGroup


def _require(user, perm: str, obj=None) -> None:
    """Outsiders get 404 (editions do not exist for them); readers 403 on admin-only actions.
    ``obj`` is the edition when there is one (none for the list, a new edition and exports)."""
    if not user.has_perm("reports.view_edition", obj):
        raise Http404
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _edition_for(user, pk: int, perm: str) -> ReportEdition:
    """The edition through the user-scoped getter (404 for outsiders), then ``perm`` on it."""
    edition = selectors.get_edition_for_user(user, pk)
    _require(user, perm, edition)
    return edition


@require_GET
def edition_list(request):
    _require(request.user, "reports.view_edition")
    editions = (
        selectors.editions_for_user(request.user)
        .filter(is_archived=False)
        .select_related("created_by")
    )
    return render(request, "reports/edition_list.html", {"editions": editions})


@require_http_methods(["GET", "POST"])
def edition_create(request):
    _require(request.user, "reports.change_edition")
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        edition = services.edition_create(created_by=request.user, **form.edition_fields())
        return redirect("reports:edition-detail", pk=edition.pk)
    return render(request, "reports/edition_form.html", {"form": form, "edition": None})


@require_http_methods(["GET", "POST"])
def edition_update(request, pk: int):
    edition = _edition_for(request.user, pk, "reports.change_edition")
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        saved = form.save_if_current(
            lambda: services.edition_update(
                edition=edition, reason=form.cleaned_data["reason"], **form.edition_fields()
            )
        )
        if saved:  # else someone saved meanwhile: the form shows both versions
            return redirect("reports:edition-detail", pk=edition.pk)
    return render(request, "reports/edition_form.html", {"form": form, "edition": edition})


def _runs(edition: ReportEdition):
    return edition.runs.select_related("created_by").order_by("-version")


@require_GET
def edition_detail(request, pk: int):
    edition = _edition_for(request.user, pk, "reports.view_edition")
    runs = list(_runs(edition))
    return render(
        request,
        "reports/edition_detail.html",
        {
            "edition": edition,
            "runs": runs,
            "pending": any(r.is_pending for r in runs),
            "generate_form": GenerateForm(initial={"language": get_language()}),
            "can_change": request.user.has_perm("reports.change_edition", edition),
            "can_generate": request.user.has_perm("reports.generate_edition", edition),
            "untranslated": _untranslated_texts(edition),
        },
    )


def _untranslated_texts(edition) -> list[tuple]:
    """(language, texts) that a PDF in that language takes from the English, for the editors."""
    meta = edition._meta
    result = []
    for code, language in TRANSLATION_LANGUAGES.items():
        missing = missing_translations(edition, edition.translated_fields, code)
        if missing:
            result.append((language, [meta.get_field(name).verbose_name for name in missing]))
    return result


@require_GET
def edition_runs(request, pk: int):
    """The runs table alone, polled by htmx while a run is queued or running."""
    edition = _edition_for(request.user, pk, "reports.view_edition")
    runs = list(_runs(edition))
    return render(
        request,
        "reports/edition_detail.html#runs",
        {
            "edition": edition,
            "runs": runs,
            "pending": any(r.is_pending for r in runs),
            "can_generate": request.user.has_perm("reports.generate_edition", edition),
        },
    )


@require_GET
def edition_preview(request, pk: int):
    edition = _edition_for(request.user, pk, "reports.view_edition")
    form = GenerateForm(request.GET or {"language": get_language()})
    language = form.cleaned_data["language"] if form.is_valid() else get_language()
    html = report_html(
        edition, language, for_pdf=False, author=request.user.get_full_name(), request=request
    )
    return HttpResponse(html)


@require_POST
@rate_limited("report-generate")
def edition_generate(request, pk: int):
    edition = _edition_for(request.user, pk, "reports.generate_edition")
    form = GenerateForm(request.POST)
    if form.is_valid():
        services.report_generate(
            edition=edition, language=form.cleaned_data["language"], user=request.user
        )
    return redirect("reports:edition-detail", pk=edition.pk)


@require_POST
@rate_limited("report-generate")
def run_retry(request, pk: int):
    """Generate a failed version again (e.g. its worker died): a new version, same language."""
    run = get_object_or_404(
        ReportRun.objects.select_related("edition").filter(
            edition__in=selectors.editions_for_user(request.user)
        ),
        pk=pk,
    )
    _require(request.user, "reports.generate_edition", run.edition)
    try:
        services.run_retry(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:edition-detail", pk=run.edition_id)


@require_GET
def run_download(request, pk: int):
    try:
        run = ReportRun.objects.select_related("edition").get(
            pk=pk,
            edition__in=selectors.editions_for_user(request.user),
            status=ReportRun.Status.DONE,
        )
    except ReportRun.DoesNotExist:
        raise Http404 from None
    _require(request.user, "reports.view_edition", run.edition)
    return FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.download_name,
        content_type="application/pdf",
    )


@require_GET
def export_index(request):
    _require(request.user, "reports.export_data")
    return render(request, "reports/export_index.html", {"kinds": exports.KINDS})


@require_GET
@rate_limited("export")
def export_kind(request, kind: str, fmt: str):
    _require(request.user, "reports.export_data")
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise Http404
    # Too long for a request: a button starts it as a job (nothing changes on GET); a feed
    # (Excel or Power BI with a token) gets the worker's file instead (jobs/feeds.py).
    if report_jobs.kind_is_large(kind, fmt):
        return job_offer(
            request,
            kind="reports.export_kind",
            fields={"export": kind, "fmt": fmt},
            title=report_jobs.kind_title(kind, fmt),
            explanation=_("The file is large: it is prepared in the background."),
        )
    content, content_type = exports.export(kind, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response


@require_GET
@rate_limited("export")
def export_workbook(request):
    _require(request.user, "reports.export_data")
    if report_jobs.workbook_is_large():
        # Too long for a request: a button starts it as a job (nothing changes on GET).
        return job_offer(
            request,
            kind="reports.workbook",
            fields={},
            title=_("All data (XLSX workbook)"),
            explanation=_("The workbook is large: it is prepared in the background."),
        )
    response = HttpResponse(
        exports.workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = _("mhpss-roadmap-data")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@require_GET
@rate_limited("group-sheet-pdf")
def group_sheet(request, number: int):
    """One A4 page on a working group. Every signed-in person reads every group, so the only
    check is the working groups' own view permission; an unknown number is a 404."""
    if not request.user.has_perm("workinggroups.view_group"):
        raise Http404
    roadmap = roadmap_for_request(request)
    if not WorkingGroup.objects.filter(number=number, parent=None, roadmap=roadmap).exists():
        raise Http404
    # Laying out the PDF takes seconds: a button starts it as a job (nothing changes on GET).
    return job_offer(
        request,
        kind="reports.group_sheet",
        fields={"number": number, "roadmap": roadmap.pk},
        title=_("Status sheet of working group %(number)s (PDF)") % {"number": number},
        explanation=_("The one-page status sheet is laid out in the background, in a few seconds."),
    )

"""Background jobs of reports: the all-data workbook, one kind's file when it is large, and a
working group's status sheet PDF."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jobs.registry import register
from jobs.services import job_attach

from . import exports


def workbook_rows() -> int:
    """Rows the all-data workbook will hold: one count per sheet."""
    return sum(exports.KINDS[kind].resource().get_queryset().count() for kind in exports.KINDS)


def workbook_is_large() -> bool:
    return workbook_rows() > settings.EXPORT_INLINE_MAX_ROWS


def kind_rows(kind: str, fmt: str) -> int:
    """Rows one kind's file will hold (with its companion sheets in XLSX)."""
    export = exports.KINDS[kind]
    kinds = [kind] if fmt == "csv" else [kind, *export.with_kinds]
    return sum(exports.KINDS[name].resource().get_queryset().count() for name in kinds)


def kind_is_large(kind: str, fmt: str) -> bool:
    return kind_rows(kind, fmt) > settings.EXPORT_INLINE_MAX_ROWS


def kind_title(kind: str, fmt: str) -> str:
    return _("%(what)s (%(format)s)") % {
        "what": exports.KINDS[kind].label,
        "format": fmt.upper(),
    }


def _prepare_kind(request, data):
    if not request.user.has_perm("reports.view_edition"):
        raise Http404
    if not request.user.has_perm("reports.export_data"):
        raise PermissionDenied
    # "export", not "kind": the form's "kind" names the job's kind.
    kind, fmt = str(data.get("export", "")), str(data.get("fmt", ""))
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise Http404
    return kind_title(kind, fmt), {"kind": kind, "fmt": fmt}, 1


@register("reports.export_kind", prepare=_prepare_kind)
def export_kind(job, progress):
    kind, fmt = job.params["kind"], job.params["fmt"]
    content, _content_type = exports.export(kind, fmt)
    job_attach(job=job, name=f"{kind}.{fmt}", content=content)
    progress(1, 1)
    job.message = _("The file is ready.")


def _prepare_workbook(request, data):
    if not request.user.has_perm("reports.view_edition"):
        raise Http404
    if not request.user.has_perm("reports.export_data"):
        raise PermissionDenied
    return _("All data (XLSX workbook)"), {}, len(exports.KINDS)


@register("reports.workbook", prepare=_prepare_workbook)
def workbook(job, progress):
    content = exports.workbook(progress=progress)
    job_attach(job=job, name=f"{_('mhpss-roadmap-data')}.xlsx", content=content)
    job.message = _("The workbook is ready.")


def _prepare_group_sheet(request, data):
    from workinggroups.models import WorkingGroup

    if not request.user.has_perm("workinggroups.view_group"):
        raise Http404
    from roadmap.selectors import roadmap_for_request

    number = str(data.get("number", ""))
    roadmap = str(data.get("roadmap", ""))
    roadmap = roadmap_for_request(request) if not roadmap.isdigit() else roadmap
    group = WorkingGroup.objects.filter(
        number=number if number.isdigit() else 0, parent=None, roadmap=roadmap
    ).first()
    if group is None:
        raise Http404
    title = _("Status sheet of working group %(number)s (PDF)") % {"number": group.number}
    return title, {"number": group.number, "roadmap": group.roadmap_id}, 0


@register("reports.group_sheet", prepare=_prepare_group_sheet)
def group_sheet(job, progress):
    from .rendering import group_sheet_pdf

    number = job.params["number"]
    pdf = group_sheet_pdf(number, job.params.get("roadmap"))
    name = _("working-group-%(number)s-status") % {"number": number}
    job_attach(job=job, name=f"{name}.pdf", content=pdf)
    job.message = _("The status sheet is ready.")

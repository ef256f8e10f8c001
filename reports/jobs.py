"""Background jobs of reports: the all-data workbook and a working group's status sheet PDF."""

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

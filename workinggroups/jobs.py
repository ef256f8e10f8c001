"""Background jobs of working groups: checking and importing a spreadsheet of resources."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from jobs.registry import register
from jobs.services import JobError

from . import services
from .models import WorkingGroup

MANAGE = "workinggroups.manage_group"


def import_dir() -> Path:
    """Uploaded import files wait here (random names, outside static/) between check and write."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload_and_group(job):
    path = import_dir() / job.params["file"]
    if not path.exists():
        raise JobError(_("Upload the file again: the checked file has expired."))
    group = WorkingGroup.objects.filter(pk=job.params["group"]).first()
    # Checked again here: the person may have stopped being co-lead since they clicked.
    if group is None or not job.owner.has_perm(MANAGE, group):
        raise JobError(_("You can no longer import resources into this working group."))
    return SimpleUploadedFile(f"import{path.suffix}", path.read_bytes()), group


def _report(job, run) -> "services.ImportReport":
    try:
        return run()
    except ValidationError as error:
        raise JobError(" ".join(error.messages)) from error


@register("resources.check", result_template="workinggroups/includes/import_check_result.html")
def check(job, progress):
    """Dry run: every row checked, nothing written; the page offers the write when all is valid."""
    uploaded, group = _upload_and_group(job)
    report = _report(
        job,
        lambda: services.resources_import(
            uploaded=uploaded, group=group, user=job.owner, dry_run=True, progress=progress
        ),
    )
    job.total = report.total
    job.errors = report.errors
    job.summary = {
        "group": group.pk,
        "group_label": group.label,
        "headers": report.headers,
        "preview": [[("" if c is None else str(c)) for c in row] for row in report.preview],
        "valid": report.is_valid,
        # Before anything is written: what the import would do with each row.
        "counts": report.counts,
        "look_alikes": report.look_alikes[:200],
    }
    if report.is_valid:
        job.message = _(
            "All %(count)s rows are valid; nothing was written yet: %(new)s new, %(updated)s "
            "updated, %(unchanged)s unchanged."
        ) % {"count": report.total, **report.counts}
    else:
        job.message = _("%(count)s errors: nothing was written.") % {"count": len(report.errors)}
        (import_dir() / job.params["file"]).unlink(missing_ok=True)


@register("resources.write", result_template="workinggroups/includes/import_write_result.html")
def write(job, progress):
    """The import itself, in one transaction: all rows or none."""
    uploaded, group = _upload_and_group(job)
    try:
        report = _report(
            job,
            lambda: services.resources_import(
                uploaded=uploaded, group=group, user=job.owner, dry_run=False, progress=progress
            ),
        )
    finally:
        (import_dir() / job.params["file"]).unlink(missing_ok=True)
    job.total = report.total
    if not report.is_valid:
        raise JobError(_("Nothing was imported: the file has errors."), report.errors)
    if report.counts["updated"] or report.counts["unchanged"]:
        job.message = (
            _("%(new)s resources added, %(updated)s updated, %(unchanged)s unchanged.")
            % report.counts
        )
    else:
        job.message = _("%(count)s resources imported.") % {"count": report.total}

"""Writes of reports: editions, and generating (archiving) a PDF version."""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from reports.models import ReportEdition, ReportRun

logger = logging.getLogger(__name__)

EDITION_FIELDS = [
    "title",
    "audience",
    "period_start",
    "period_end",
    "survey_round",
    "sections",
    "executive_summary",
    "challenges",
]


@transaction.atomic
def edition_create(*, created_by, **fields) -> ReportEdition:
    """A new edition; it covers the current roadmap unless another is named."""
    from roadmap.models import Roadmap

    if not fields.get("roadmap"):
        fields["roadmap"] = Roadmap.objects.current()
    edition = ReportEdition(created_by=created_by, **fields)
    edition.full_clean()
    edition.save()
    return edition


@transaction.atomic
def edition_update(*, edition: ReportEdition, reason: str = "", **fields) -> ReportEdition:
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.full_clean()
    if reason:
        edition._change_reason = reason
    edition.save()
    return edition


@transaction.atomic
def report_generate(*, edition: ReportEdition, language: str, user) -> ReportRun:
    """Queue a new version of the edition's PDF; the task starts once this commits."""
    # Lock the edition row so two people pressing "generate" get consecutive version numbers.
    ReportEdition.objects.select_for_update().filter(pk=edition.pk).first()
    last = edition.runs.aggregate(last=Max("version"))["last"] or 0
    run = ReportRun.objects.create(
        edition=edition, language=language, version=last + 1, created_by=user
    )
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from reports.tasks import generate_report_pdf

    result = generate_report_pdf.enqueue(run_id)
    # The immediate backend (tests) has already run the task; only record the id.
    ReportRun.objects.filter(pk=run_id).update(task_id=str(result.id))


def runs_fail_stuck() -> int:
    """Mark failed every run still 'running' past the time limit (its worker died), so the
    page stops waiting and offers to try again; how many there were."""
    message = gettext(
        "The worker stopped before this version was finished (no result after %(minutes)s "
        "minutes). Nothing was archived: try again."
    ) % {"minutes": settings.TASK_TIME_LIMIT_MINUTES}
    return ReportRun.objects.stuck().update(
        status=ReportRun.Status.FAILED, error=message, finished_at=timezone.now()
    )


@transaction.atomic
def run_retry(*, run: ReportRun, user) -> ReportRun:
    """Generate a failed (or stuck) run's edition again in its language, as a new version."""
    runs_fail_stuck()
    run.refresh_from_db()
    if run.status != ReportRun.Status.FAILED:
        raise ValidationError(gettext("Only a failed version can be tried again."))
    return report_generate(edition=run.edition, language=run.language, user=user)


def run_execute(*, run_id: int) -> ReportRun:
    """Render and archive one queued run; a failure is recorded on the run, with its error."""
    from reports.rendering import report_pdf

    # A worker taking work cleans up after one that died.
    runs_fail_stuck()

    updated = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
        status=ReportRun.Status.RUNNING, started_at=timezone.now()
    )
    run = ReportRun.objects.select_related("edition", "created_by").get(pk=run_id)
    if not updated:
        # Already taken or finished: an archived file is never rewritten.
        return run
    try:
        author = run.created_by.get_full_name() if run.created_by else ""
        pdf = report_pdf(run.edition, run.language, author=author)
        return run_archive(run=run, pdf=pdf)
    except Exception as exc:  # noqa: BLE001 - any failure must be shown to the person waiting
        logger.exception("Report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run


@transaction.atomic
def run_archive(*, run: ReportRun, pdf: bytes) -> ReportRun:
    """Store the PDF under a fresh name with its checksum; refuse to replace an archived file."""
    if run.file:
        raise ValueError("An archived report never changes; generate a new version instead.")
    run.file.save(f"v{run.version}.pdf", ContentFile(pdf), save=False)
    run.sha256 = hashlib.sha256(pdf).hexdigest()
    run.size = len(pdf)
    run.status = ReportRun.Status.DONE
    run.error = ""
    run.finished_at = timezone.now()
    run.save()
    return run

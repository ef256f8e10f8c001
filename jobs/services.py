"""Writes of jobs: start one (within the person's limit), run it, record progress, purge old ones."""

import datetime
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.hygiene import export_text

from .models import Job
from .registry import kind_of

logger = logging.getLogger(__name__)

# Progress is written at most this often (seconds): each write is a short UPDATE of one row.
PROGRESS_EVERY = 0.5


class JobError(Exception):
    """Raised by a job's run function: the job fails with this message and these row errors."""

    def __init__(self, message: str, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@transaction.atomic
def job_enqueue(*, owner, kind: str, title: str, params: dict, total: int = 0) -> Job:
    """Queue a job for the worker, or refuse when the person already has too many waiting."""
    kind_of(kind)  # an unknown kind is a programming error: fail here, not in the worker
    # Lock the person's row so two quick clicks cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    limit = settings.JOB_QUEUE_LIMIT
    if Job.objects.filter(owner=owner).waiting().count() >= limit:
        raise ValidationError(
            _(
                "You already have %(count)s jobs waiting or running: wait for one to finish, "
                "then try again."
            )
            % {"count": limit}
        )
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title,
        params=params,
        total=total,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    run_job.enqueue(job_id)


class Progress:
    """Callable given to a job's run function: progress(done, total=None)."""

    def __init__(self, job: Job):
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        now = time.monotonic()
        # Inside a transaction the write would stay invisible until the end and, on SQLite,
        # extend the write lock: progress is only written between transactions.
        if connection.in_atomic_block or (not force and now - self._last < PROGRESS_EVERY):
            return
        self._last = now
        Job.objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total)


def jobs_fail_stuck() -> int:
    """Mark failed every job still 'running' past the time limit (its worker died), so its
    page stops waiting and offers to try again; how many there were."""
    now = timezone.now()
    return Job.objects.stuck().update(
        status=Job.Status.FAILED,
        message=_(
            "The worker stopped before this job was finished (no result after %(minutes)s "
            "minutes). Nothing was written: try again."
        )
        % {"minutes": settings.TASK_TIME_LIMIT_MINUTES},
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.JOB_RESULT_DAYS),
    )


@transaction.atomic
def job_retry(*, job: Job, owner) -> Job:
    """Start a failed (or stuck) job again with the same parameters, as a new job."""
    jobs_fail_stuck()
    job.refresh_from_db()
    if job.status != Job.Status.FAILED:
        raise ValidationError(_("Only a failed job can be tried again."))
    return job_enqueue(
        owner=owner, kind=job.kind, title=job.title, params=job.params, total=job.total
    )


def job_execute(*, job_id: int) -> Job:
    """Run one queued job; any failure is recorded on the job for the person waiting."""
    jobs_fail_stuck()  # a worker taking work cleans up after one that died
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job  # taken by another worker, or already finished
    progress = Progress(job)
    try:
        with translation.override(job.language):
            kind_of(job.kind).run(job, progress)
    except JobError as error:
        job.status = Job.Status.FAILED
        job.message = error.message
        job.errors = error.errors
    except Exception as exc:  # noqa: BLE001 - the person waiting must see that it failed
        logger.exception("Job %s (%s) failed", job_id, job.kind)
        job.status = Job.Status.FAILED
        with translation.override(job.language):
            job.message = _("The job failed: %(error)s") % {"error": type(exc).__name__}
    else:
        job.status = Job.Status.DONE
        if job.total:
            job.done = job.total
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + datetime.timedelta(days=settings.JOB_RESULT_DAYS)
    # What a job reports can quote the file it read (a NUL, a control character), which
    # PostgreSQL's JSON and text columns refuse: keep it as a page would show it.
    job.message = export_text(job.message)
    job.summary, job.errors = _storable(job.summary), _storable(job.errors)
    job.save()
    # The worker keeps the store tidy as it goes; cron can run `purge_jobs` too.
    jobs_purge()
    return job


def _storable(value):
    """``value`` with every string in it cleaned of control characters (core.hygiene)."""
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return export_text(value)


def job_attach(*, job: Job, name: str, content: bytes) -> None:
    """Keep a job's result file (under MEDIA_ROOT, random path, served after a permission check)."""
    job.result.save(
        f"{job.pk}-{timezone.now():%H%M%S}{_suffix(name)}", ContentFile(content), save=False
    )
    job.result_name = name
    Job.objects.filter(pk=job.pk).update(result=job.result.name, result_name=name)


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[1] if "." in name else ""


def jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove jobs whose results have expired, with their files; returns how many."""
    now = now or timezone.now()
    expired = list(Job.objects.filter(expires_at__lte=now).only("pk", "result", "params"))
    for job in expired:
        if job.result:
            job.result.delete(save=False)
        # Files a job kept for a later step (an import waiting for its write), under MEDIA_ROOT.
        for name in job.params.get("files", []):
            default_storage.delete(name)
    Job.objects.filter(pk__in=[job.pk for job in expired]).delete()
    return len(expired)

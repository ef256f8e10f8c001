"""One background job a person started: what it does, how far it got, and what it produced.

``Run`` is the one run state of background work (queued, running, done, failed; started,
finished; stuck when its worker died), shared by jobs and by the reports' archived PDF runs.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def stuck_since() -> datetime.datetime:
    """Work started before this has lost its worker (TASK_TIME_LIMIT_MINUTES)."""
    return timezone.now() - datetime.timedelta(minutes=settings.TASK_TIME_LIMIT_MINUTES)


class RunQuerySet(models.QuerySet):
    def waiting(self):
        """Not finished yet: queued or running."""
        return self.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])

    def stuck(self):
        """Still 'running' past the time limit: the worker died."""
        return self.filter(status=RunStatus.RUNNING, started_at__lt=stuck_since())


class Run(models.Model):
    """The state of one piece of background work (abstract: jobs.Job, reports.ReportRun)."""

    Status = RunStatus

    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_stuck(self) -> bool:
        """Running for longer than any work takes: its worker died."""
        return (
            self.status == RunStatus.RUNNING
            and self.started_at is not None
            and self.started_at < stuck_since()
        )

    @property
    def is_finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED} or self.is_stuck

    @property
    def is_pending(self) -> bool:
        return self.status == RunStatus.QUEUED or (
            self.status == RunStatus.RUNNING and not self.is_stuck
        )

    @property
    def can_retry(self) -> bool:
        return self.status == RunStatus.FAILED or self.is_stuck


class JobQuerySet(RunQuerySet):
    def visible_to(self, user):
        """A person sees their own jobs; admins see everybody's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_roadmap_admin:
            return self
        return self.filter(owner=user)


class Job(Run):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=10, default="en")
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    # What the page shows besides the file (e.g. an import check: rows and a preview).
    summary = models.JSONField(default=dict, blank=True)
    # Problems found, by row: [{"row": 3, "column": "kind", "message": "..."}].
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the result file and the job are removed (JOB_RESULT_DAYS after it finished).
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The per-person limit and "my jobs" read by owner and status.
            models.Index(fields=["owner", "status"], name="jobs_owner_status_idx"),
            models.Index(
                fields=["expires_at"],
                name="jobs_expires_idx",
                condition=Q(expires_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

"""One background job a person started: what it does, how far it got, and what it produced."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own jobs; admins see everybody's."""
        if not user.is_authenticated:
            return self.none()
        if user.is_roadmap_admin:
            return self
        return self.filter(owner=user)

    def waiting(self):
        """Jobs not finished yet: they count against the person's limit."""
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    language = models.CharField(max_length=10, default="en")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
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
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
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
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED} or self.is_stuck

    @property
    def is_stuck(self) -> bool:
        """Running for longer than any job takes: its worker died (jobs.services)."""
        from jobs.services import stuck_since

        return (
            self.status == self.Status.RUNNING
            and self.started_at is not None
            and self.started_at < stuck_since()
        )

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stuck

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

"""A large export asked for by a feed (a dashboard's token, not a browser): the file itself.

A browser gets a button that starts the job and a page that follows it. Excel and Power BI
cannot press a button: they want the file in the answer. So a feed request to a large export
is served by the worker too, and the request only waits for it:

- a result of the same export, for the same person, finished less than `FEED_FRESH_SECONDS`
  ago is served as it is (a dashboard refreshing every few minutes costs one export, not one
  each time);
- otherwise the job is started (or the one already waiting is joined) and the request waits up
  to `FEED_WAIT_SECONDS` for the worker, polling the job's row; the file is served when done;
- still not done: 503 with `Retry-After`, the job goes on, and the next refresh gets its file.

Nothing heavy runs in the request, and the figures are the worker's, the same as the download's.
"""

import mimetypes
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _

from .models import Job
from .registry import kind_of
from .services import job_enqueue

# Jobs of a person looked at for a reusable result (their latest ones of the kind).
RECENT_JOBS = 20


def _plain(text: str, status: int, **headers: str) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


def _same_export(owner, kind: str, params: dict):
    """This person's latest jobs of the kind with exactly these parameters, newest first."""
    recent = Job.objects.filter(owner=owner, kind=kind).order_by("-created_at")[:RECENT_JOBS]
    return [job for job in recent if job.params == params]


def _fresh(jobs: list[Job]) -> Job | None:
    oldest = timezone.now() - timezone.timedelta(seconds=settings.FEED_FRESH_SECONDS)
    for job in jobs:
        if (
            job.status == Job.Status.DONE
            and job.result
            and job.finished_at is not None
            and job.finished_at >= oldest
        ):
            return job
    return None


def _wait(job: Job) -> Job:
    """Poll the job's row until the worker finishes it or FEED_WAIT_SECONDS pass."""
    deadline = time.monotonic() + settings.FEED_WAIT_SECONDS
    job.refresh_from_db()
    while job.status in (Job.Status.QUEUED, Job.Status.RUNNING) and time.monotonic() < deadline:
        time.sleep(settings.FEED_POLL_SECONDS)
        job.refresh_from_db()
    return job


def result_response(job: Job) -> FileResponse:
    """The job's result file as a download (404 when it has none, or it was removed)."""
    if job.status != Job.Status.DONE or not job.result:
        raise Http404(_("This job has no file to download."))
    try:
        handle = job.result.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file has been removed.")) from missing
    content_type = mimetypes.guess_type(job.result_name)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=True, filename=job.result_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def feed_answer(request, *, kind: str, fields: dict):
    """The file of a large export for a token request (see the module's docstring)."""
    title, params, total = kind_of(kind).prepare(request, fields)
    jobs = _same_export(request.user, kind, params)
    job = _fresh(jobs)
    if job is None:
        waiting = [job for job in jobs if job.status in (Job.Status.QUEUED, Job.Status.RUNNING)]
        if waiting:
            job = waiting[0]
        else:
            try:
                job = job_enqueue(
                    owner=request.user, kind=kind, title=title, params=params, total=total
                )
            except ValidationError as error:
                return _plain(" ".join(error.messages), 503, **{"Retry-After": "60"})
        job = _wait(job)
    if job.status == Job.Status.FAILED:
        return _plain(_("The export failed: %(message)s") % {"message": job.message}, 503)
    if job.status != Job.Status.DONE or not job.result:
        return _plain(
            _("The export is being prepared in the background: refresh again in a minute."),
            503,
            **{"Retry-After": str(settings.FEED_RETRY_AFTER_SECONDS)},
        )
    # Whole seconds, as HTTP dates are written.
    prepared = int(job.finished_at.timestamp()) if job.finished_at else None
    # A dashboard that already has this file gets 304, without the file being opened.
    unchanged = get_conditional_response(request, last_modified=prepared)
    if unchanged is not None:
        return unchanged
    response = result_response(job)
    if prepared is not None:
        response["Last-Modified"] = http_date(prepared)
    return response

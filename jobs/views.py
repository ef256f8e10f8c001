"""Pages of a job: its progress (polled by htmx), its result file, and the person's recent jobs."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .feeds import feed_answer, result_response
from .models import Job
from .registry import KINDS
from .services import job_enqueue, job_retry


def _job_for(request, pk: int) -> Job:
    """The job if this person may see it; 404 for everyone else, as if it did not exist."""
    job = get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=pk)
    if not request.user.has_perm("jobs.view_job", job):
        raise PermissionDenied
    return job


@never_cache
@require_GET
def job_detail(request, pk: int):
    """Progress while it runs, then the download link or the errors by row."""
    job = _job_for(request, pk)
    kind = KINDS.get(job.kind)
    context = {"job": job, "result_template": kind.result_template if kind else ""}
    template = "jobs/detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@require_POST
def job_start(request):
    """Start a job of a kind that offers itself (a large export, a PDF): POST kind + its fields."""
    kind = KINDS.get(request.POST.get("kind", ""))
    if kind is None or kind.prepare is None:
        raise Http404
    try:
        title, params, total = kind.prepare(request, request.POST)
        job = job_enqueue(
            owner=request.user, kind=kind.name, title=title, params=params, total=total
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


@require_POST
def job_retry_view(request, pk: int):
    """Try a failed job again (its worker died, or it failed): only its owner, same parameters."""
    job = _job_for(request, pk)
    if job.owner_id != request.user.pk:
        raise PermissionDenied
    try:
        again = job_retry(job=job, owner=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:detail", pk=job.pk)
    return redirect("jobs:detail", pk=again.pk)


def offer(request, *, kind: str, fields: dict, title: str, explanation: str):
    """The page a large export or a PDF shows on GET: a button that starts it as a job.

    A feed (a dashboard's token) cannot press the button: it gets the file, from the worker.
    """
    if getattr(request, "api_token", None) is not None:
        return feed_answer(request, kind=kind, fields=fields)
    return render(
        request,
        "jobs/offer.html",
        {"kind": kind, "fields": fields, "title": title, "explanation": explanation},
    )


@require_GET
def job_list(request):
    """The person's jobs of the last days (admins: their own too; everybody's is in the admin)."""
    jobs = Job.objects.filter(owner=request.user).only(
        "pk", "title", "status", "done", "total", "created_at", "finished_at", "result_name"
    )[:50]
    return render(
        request, "jobs/list.html", {"jobs": jobs, "JOB_RESULT_DAYS": settings.JOB_RESULT_DAYS}
    )


@require_GET
def job_download(request, pk: int):
    return result_response(_job_for(request, pk))

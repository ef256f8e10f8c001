"""Questionnaire pages: XLSForm import in two jobs (check and preview, then create) and export."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobs.models import Job
from jobs.services import job_enqueue

from . import xlsform
from .forms import XLSFormUploadForm
from .jobs import import_dir
from .models import Questionnaire
from .views import _require_admin, _require_admin_or_reader

TEMPLATE = "surveys/questionnaire_import.html"
CHECK, WRITE = "questionnaires.check", "questionnaires.write"


@require_http_methods(["GET", "POST"])
def questionnaire_import(request):
    """Step 1: upload. The guards (size, unpacked size, rows: a zip bomb is refused here, at
    once, with one message) run in the request; the check itself is a job whose page shows
    what would be created and what is ignored. Nothing is written to the database."""
    _require_admin(request.user)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": []}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = xlsform.check_upload(upload)
        except xlsform.XLSFormError as error:
            context["errors"] = error.errors
            return render(request, TEMPLATE, context, status=422)
        # Kept under a random name (outside static/) for the check and the write jobs.
        suffix = ".xls" if upload.read(4) == b"\xd0\xcf\x11\xe0" else ".xlsx"
        upload.seek(0)
        stored = f"xlsform-{uuid.uuid4().hex}{suffix}"
        (import_dir() / stored).write_bytes(upload.read())
        name = form.cleaned_data["name"]
        try:
            job = job_enqueue(
                owner=request.user,
                kind=CHECK,
                title=_("Check of the questionnaire %(name)s (%(file)s)")
                % {"name": name, "file": upload.name},
                params={"file": stored, "name": name, "files": [f"imports/{stored}"]},
                total=rows,
            )
        except ValidationError as error:
            (import_dir() / stored).unlink(missing_ok=True)
            form.add_error("file", error)
        else:
            return redirect("jobs:detail", pk=job.pk)
    status = 422 if form.errors else 200
    return render(request, TEMPLATE, context, status=status)


@require_POST
def questionnaire_import_confirm(request):
    """Step 2: create, in a job, the questionnaire a finished, valid check of this person's
    accepted; all of it or nothing."""
    _require_admin(request.user)
    pk = str(request.POST.get("job", ""))
    check = (
        Job.objects.filter(owner=request.user, kind=CHECK, status=Job.Status.DONE, pk=pk).first()
        if pk.isdigit()
        else None
    )
    if (
        check is None
        or not check.summary.get("valid")
        or not (import_dir() / check.params["file"]).exists()
    ):
        messages.error(request, _("Upload the file again: the checked file has expired."))
        return redirect("surveys:questionnaire-import")
    try:
        job = job_enqueue(
            owner=request.user,
            kind=WRITE,
            title=_("Creation of the questionnaire %(name)s") % {"name": check.params["name"]},
            params=check.params,
            total=check.total,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:detail", pk=check.pk)
    return redirect("jobs:detail", pk=job.pk)


@require_GET
def questionnaire_export(request, questionnaire_pk: int):
    _require_admin_or_reader(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_pk)
    content = xlsform.export_xlsform(questionnaire)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # form_id was checked at import, but a hand-made questionnaire's may be anything.
    filename = (slugify(questionnaire.form_id) or f"questionnaire-{questionnaire.pk}") + ".xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""Questionnaire pages: XLSForm import in two steps (check and preview, then create) and export."""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import xlsform
from .forms import XLSFormUploadForm
from .models import Questionnaire
from .views import _require_admin, _require_admin_or_reader

_SESSION_KEY = "xlsform_import"
TEMPLATE = "surveys/questionnaire_import.html"


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pending_path(token: str) -> Path:
    return _import_dir() / f"xlsform-{token}.bin"


@require_http_methods(["GET", "POST"])
def questionnaire_import(request):
    """Step 1: upload and check; the preview lists what would be created and what is
    ignored. Nothing is written to the database."""
    _require_admin(request.user)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": [], "plan": None, "token": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = xlsform.read_xlsform(upload, name=form.cleaned_data["name"])
        except xlsform.XLSFormError as error:
            context["errors"] = error.errors
        else:
            # Keep the checked file (random name, outside static/) for the confirm step.
            token = uuid.uuid4().hex
            upload.seek(0)
            _pending_path(token).write_bytes(upload.read())
            request.session[_SESSION_KEY] = {"token": token, "name": form.cleaned_data["name"]}
            context.update(plan=plan, token=token)
    status = 422 if context["errors"] else 200
    return render(request, TEMPLATE, context, status=status)


@require_POST
def questionnaire_import_confirm(request):
    """Step 2: create the questionnaire checked in step 1, all of it or nothing."""
    _require_admin(request.user)
    pending = request.session.get(_SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("Upload the file again: the checked file has expired."))
        return redirect("surveys:questionnaire-import")
    path = _pending_path(pending["token"])
    if not path.exists():
        messages.error(request, _("Upload the file again: the checked file has expired."))
        return redirect("surveys:questionnaire-import")
    try:
        questionnaire = xlsform.import_xlsform(io.BytesIO(path.read_bytes()), name=pending["name"])
    except xlsform.XLSFormError as error:
        # Checked a minute ago; only a questionnaire created meanwhile with the name gets here.
        context = {"form": XLSFormUploadForm(), "errors": error.errors, "plan": None}
        return render(request, TEMPLATE, context, status=422)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(_SESSION_KEY, None)
    messages.success(request, _("Questionnaire %(name)s created.") % {"name": questionnaire.name})
    return redirect("surveys:round-list")


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

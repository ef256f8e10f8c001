"""The one page that archives or restores an item with a reason (core.archive).

Every kind of item (deliverables, milestones, meetings, action items, resources, progress
updates, evidence) comes here through its own URL, which names the kind and the action; the
app that owns the kind registered how to fetch it for the person (outsiders: 404), who may
archive it (the rule for editing it; others: 403) and where to go back. Plain POST: the page
again with the error, or a redirect; htmx: the form alone with status 422 (static/js/app.js
swaps it), or ``HX-Redirect``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.archive import ArchiveKind, archivable, item_archive, item_restore, register_archivable

from . import progress_views
from .forms import ArchiveReasonForm
from .models import Evidence, ExpectedResult, ProgressUpdate

TEMPLATE = "roadmap/archive_status.html"
CORRECT_UPDATE = "roadmap.change_progressupdate"


@require_http_methods(["GET", "POST"])
def archive_status(request, pk: int, kind: str, action: str):
    handler = archivable(kind)
    obj = handler.get(request.user, pk)
    if not handler.may(request.user, obj):
        raise PermissionDenied
    form = ArchiveReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = item_archive if action == "archive" else item_restore
        try:
            service(obj=obj, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            progress_views.add_errors(form, error)
        else:
            if action == "archive":
                message = _("Archived: %(item)s. Restore it from the list's archived items.")
            else:
                message = _("Restored: %(item)s.")
            messages.success(request, message % {"item": obj})
            return progress_views.done(request, handler.back(obj))
    back = handler.back(obj)
    context = {
        "obj": obj,
        "kind_label": handler.label,
        "action": action,
        "form": form,
        "back_url": back,
        "cancel_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else back,
    }
    if request.htmx and request.method == "POST":
        return render(request, f"{TEMPLATE}#archive-form", context, status=422)
    return render(request, TEMPLATE, context)


# --- progress updates and their evidence, on any subject -------------------------------------


def _update(user, pk: int) -> ProgressUpdate:
    update = ProgressUpdate.objects.select_related("content_type", "author").filter(pk=pk).first()
    if update is None or update.subject is None:
        raise Http404(_("No such progress update."))
    return update


def _evidence(user, pk: int) -> Evidence:
    evidence = Evidence.objects.select_related("update__content_type").filter(pk=pk).first()
    if evidence is None or evidence.update.subject is None:
        raise Http404(_("No such evidence."))
    return evidence


def _subject_url(update: ProgressUpdate) -> str:
    subject = update.subject
    if isinstance(subject, ExpectedResult):
        return reverse("roadmap:result", args=[subject.pk])
    return subject.get_absolute_url()


def register() -> None:
    register_archivable(
        "progress-update",
        ArchiveKind(
            get=_update,
            may=lambda user, update: user.has_perm(CORRECT_UPDATE, update),
            back=_subject_url,
            label=gettext_lazy("progress update"),
        ),
    )
    register_archivable(
        "evidence",
        ArchiveKind(
            get=_evidence,
            may=lambda user, evidence: user.has_perm(CORRECT_UPDATE, evidence.update),
            back=lambda evidence: _subject_url(evidence.update),
            label=gettext_lazy("evidence"),
        ),
    )

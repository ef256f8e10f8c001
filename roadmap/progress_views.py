"""One progress-update flow for every subject (expected results and deliverables).

Both URL sets (``roadmap:result`` / ``roadmap:update-edit`` and ``workinggroups:progress-add`` /
``workinggroups:progress-edit``) call these helpers after fetching the subject or the update
through their user-scoped getter. The htmx contract is the same for both:

- valid: the update is saved, a message queued and the page reloads (``HX-Redirect``; 302
  without htmx);
- invalid (form or service errors): the form partial comes back with its errors in place, status
  422 (static/js/app.js swaps every 422 answer); without htmx the caller renders
  its page around the form (200);
- GET: the caller renders its page with the empty form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from . import selectors, services
from .forms import ProgressUpdateForm
from .models import ProgressUpdate

FORM_PARTIAL = "roadmap/includes/progress_update_form.html"
CORRECT = "roadmap.change_progressupdate"


def add_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors next to the fields they concern."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def done(request, url: str) -> HttpResponse:
    # htmx swaps fragments; after a successful write the whole page changes, so reload it.
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _answer(request, form, save, *, success: str, done_url: str) -> HttpResponse | None:
    """Validate and save on POST; a response to send, or None for the caller to render."""
    if request.method != "POST":
        return None
    if form.is_valid():
        try:
            # A correction is refused when the update changed since the form was loaded.
            saved = form.save_if_current(lambda: save(**form.service_kwargs()))
        except ValidationError as error:
            add_errors(form, error)
        else:
            if saved:
                messages.success(request, success)
                return done(request, done_url)
    if request.htmx:
        return render(request, FORM_PARTIAL, {"form": form, "action": request.path}, status=422)
    return None


def post_update(
    request, subject, *, done_url: str
) -> tuple[ProgressUpdateForm, HttpResponse | None]:
    """The form to post an update on ``subject`` (the caller checked
    ``roadmap.add_progressupdate``), and the response when the request is answered here."""
    form = ProgressUpdateForm(
        request.POST or None, request.FILES or None, previous=selectors.latest_update(subject)
    )

    def save(**kwargs):
        services.progress_update_create(subject=subject, author=request.user, **kwargs)

    response = _answer(
        request, form, save, success=_("Your progress update was posted."), done_url=done_url
    )
    return form, response


def correct_update(
    request, update: ProgressUpdate, *, done_url: str
) -> tuple[ProgressUpdateForm, HttpResponse | None]:
    """The form to correct ``update`` (the caller checked ``roadmap.change_progressupdate``)."""
    form = ProgressUpdateForm(request.POST or None, request.FILES or None, instance=update)

    def save(**kwargs):
        services.progress_update_edit(update=update, editor=request.user, **kwargs)

    response = _answer(
        request, form, save, success=_("The update was corrected."), done_url=done_url
    )
    return form, response


def updates_for_page(user, subject, *, with_archived: bool = False) -> list[ProgressUpdate]:
    """The subject's updates, newest first, each knowing whether this person may correct it
    (``can_correct``, also who may archive or restore it and its evidence): the same rule as
    the edit view, one update at a time. Archived ones too, marked, when asked."""
    updates = list(selectors.updates_for(subject, with_archived=with_archived))
    for update in updates:
        update.subject = subject  # already in hand: no query per update
        update.can_correct = user.has_perm(CORRECT, update)
    return updates


def page(request, form, *, back_url: str, breadcrumbs: list[tuple[str, str]], update=None):
    """The page around the form (GET, or a plain POST with errors): one template for both."""
    context = {"form": form, "back_url": back_url, "breadcrumbs": breadcrumbs, "update": update}
    return render(request, "roadmap/progress_page.html", context)

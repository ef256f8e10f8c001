"""Asking to join a working group, and the co-leads' page of requests.

A signed-in person asks from the group's page (``ask_to_join``: anyone signed in but readers);
the co-leads (``manage_group``) accept or decline on the requests page. A person without an
account asks from the public group page (public/views.py) and confirms their address through
the signed link e-mailed to them (``join_confirm``, here: it needs no published page).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.security import rate_limited

from . import services
from .forms import JoinAskForm, JoinDeclineForm
from .models import JoinRequest, Membership, WorkingGroup

MANAGE = "workinggroups.manage_group"
ASK = "workinggroups.ask_to_join"
# The requests page: every request waiting (up to this many, the count of the rest) and the
# latest decided ones.
PENDING_SHOWN = 50
DECIDED_SHOWN = 20


def _group_for(request, pk: int, perm: str) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.select_related("parent"), pk=pk)
    if not request.user.has_perm(perm, group):
        raise PermissionDenied
    return group


def _join_state(user, group: WorkingGroup) -> str:
    """'member', 'pending' or '' (may ask): what the person's page says instead of the form."""
    if Membership.objects.active().filter(working_group=group, person=user).exists():
        return "member"
    if JoinRequest.objects.filter(
        working_group=group, email=user.email.lower(), status=JoinRequest.Status.PENDING
    ).exists():
        return "pending"
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("join-request-address", methods=("POST",))
def join_ask(request, group_id: int):
    group = _group_for(request, group_id, ASK)
    user = request.user
    form = JoinAskForm(request.POST or None)
    state = _join_state(user, group)
    if request.method == "POST" and form.is_valid():
        if user.organisation_id is None:
            form.add_error(
                None,
                _("Your profile names no organisation: ask an administrator to add yours."),
            )
        else:
            try:
                services.join_request_create(
                    group=group,
                    organisation=user.organisation,
                    full_name=user.get_full_name(),
                    email=user.email,
                    note=form.cleaned_data["note"],
                    language=user.language or get_language(),
                    person=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your request was sent to the group's co-leads. You will hear back.")
                )
                return redirect(group.get_absolute_url())
    return render(
        request,
        "workinggroups/join_ask.html",
        {"group": group, "form": form, "state": state, "organisation": user.organisation},
        status=422 if form.errors else 200,
    )


def _requests_context(group: WorkingGroup, decline_forms: dict | None = None) -> dict:
    requests = JoinRequest.objects.filter(working_group=group).select_related(
        "organisation", "decided_by"
    )
    pending = list(
        requests.filter(status=JoinRequest.Status.PENDING)
        .annotate(total_rows=Window(Count("pk")))
        .order_by("created_at", "id")[:PENDING_SHOWN]
    )
    decline_forms = decline_forms or {}
    for item in pending:
        item.decline_form = decline_forms.get(item.pk) or JoinDeclineForm(prefix=f"r{item.pk}")
    decided = list(
        requests.filter(
            status__in=[JoinRequest.Status.ACCEPTED, JoinRequest.Status.DECLINED]
        ).order_by("-decided_at", "-id")[:DECIDED_SHOWN]
    )
    return {
        "group": group,
        "pending": pending,
        "hidden_pending": (pending[0].total_rows - len(pending)) if pending else 0,
        "decided": decided,
    }


@require_http_methods(["GET", "HEAD"])
def join_requests(request, group_id: int):
    group = _group_for(request, group_id, MANAGE)
    return render(request, "workinggroups/join_requests.html", _requests_context(group))


def _request_for(request, pk: int) -> JoinRequest:
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("working_group__parent", "organisation"), pk=pk
    )
    if not request.user.has_perm(MANAGE, join_request.working_group):
        raise PermissionDenied
    return join_request


@require_POST
def join_request_accept(request, pk: int):
    join_request = _request_for(request, pk)
    try:
        services.join_request_accept(join_request=join_request, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s joined the group for %(organisation)s; they were told by e-mail.")
            % {
                "name": join_request.full_name,
                "organisation": join_request.organisation.display_name,
            },
        )
    return redirect("workinggroups:join-requests", join_request.working_group_id)


@require_POST
def join_request_decline(request, pk: int):
    join_request = _request_for(request, pk)
    group = join_request.working_group
    form = JoinDeclineForm(request.POST, prefix=f"r{join_request.pk}")
    if form.is_valid():
        try:
            services.join_request_decline(
                join_request=join_request, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The request of %(name)s was declined; they were told why.")
                % {"name": join_request.full_name},
            )
        return redirect("workinggroups:join-requests", group.pk)
    context = _requests_context(group, {join_request.pk: form})
    context["form"] = form  # the page's error summary
    return render(request, "workinggroups/join_requests.html", context, status=422)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_confirm(request, token: str):
    """The link e-mailed to a person asking from the public page: a button confirms (a GET
    changes nothing, so a mail scanner opening the link does not confirm it)."""
    if request.method != "POST":
        return render(request, "workinggroups/join_confirm.html", {"token": token})
    try:
        join_request = services.join_request_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "workinggroups/join_confirm.html",
            {"token": token, "error": " ".join(error.messages)},
            status=400,
        )
    return render(
        request,
        "workinggroups/join_confirm.html",
        {"token": token, "join_request": join_request, "done": True},
    )

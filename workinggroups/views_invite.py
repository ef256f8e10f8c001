"""Invitations: a group's co-leads invite colleagues by e-mail; the invited person accepts.

A group's invitations are its managers' (``manage_group``): members of the group and readers
learn they exist (403), anyone else does not (404). Admins also read every pending invitation
on one page. The e-mailed link (``invitation_accept``) needs no sign-in: a person without an
account chooses a password there; a person with one signs in and confirms.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Window
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.rules import is_reader
from accounts.security import rate_limited

from . import invitations
from .forms import InvitationAcceptForm, InvitationForm
from .models import Invitation, WorkingGroup
from .rules import is_member_of

MANAGE = "workinggroups.manage_group"
ALL = "workinggroups.view_all_invitations"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# Pending invitations on a page: the first ones and the count of the rest.
SHOWN = 100


def _refuse(user, group: WorkingGroup):
    """403 for people of the group and readers (they know the group has invitations), 404 for
    anyone else."""
    if is_reader(user) or is_member_of(user, group):
        raise PermissionDenied
    raise Http404


def _group_for(request, pk: int) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.select_related("parent"), pk=pk)
    if not request.user.has_perm(MANAGE, group):
        _refuse(request.user, group)
    return group


def _invitation_for(request, pk: int) -> Invitation:
    invitation = get_object_or_404(
        Invitation.objects.select_related("working_group__parent", "organisation"), pk=pk
    )
    if not request.user.has_perm(MANAGE, invitation.working_group):
        _refuse(request.user, invitation.working_group)
    return invitation


def _pending(rows) -> tuple[list, int]:
    """The first ``SHOWN`` pending invitations (oldest first) and how many more, one query."""
    found = list(
        rows.pending()
        .select_related("organisation", "invited_by", "working_group__parent")
        .annotate(total_rows=Window(Count("pk")))
        .order_by("expires_at", "id")[:SHOWN]
    )
    return found, (found[0].total_rows - len(found)) if found else 0


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("invitation", methods=("POST",))
def group_invitations(request, group_id: int):
    """The invitation form and the group's pending invitations (resend, revoke)."""
    group = _group_for(request, group_id)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitations.invitation_create(
                group=group,
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if invitation.delivered:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.") % {"email": invitation.email},
                )
            else:
                messages.warning(request, _undelivered(invitation))
            return redirect("workinggroups:invitations", group.pk)
    pending, hidden = _pending(Invitation.objects.filter(working_group=group))
    return render(
        request,
        "workinggroups/invitations.html",
        {"group": group, "form": form, "pending": pending, "hidden": hidden},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
def all_invitations(request):
    """Admins: every pending invitation of every group (readers look, others: 404)."""
    if not request.user.has_perm(ALL):
        if is_reader(request.user):
            raise PermissionDenied
        raise Http404
    pending, hidden = _pending(Invitation.objects.all())
    return render(
        request,
        "workinggroups/invitations_all.html",
        {"pending": pending, "hidden": hidden, "everywhere": True},
    )


def _undelivered(invitation: Invitation) -> str:
    return _(
        "The invitation of %(email)s is saved, but the mail server did not take the e-mail: "
        "send it again later."
    ) % {"email": invitation.email}


def _back(request, invitation: Invitation):
    if request.POST.get("back") == "all" and request.user.has_perm(ALL):
        return redirect("workinggroups:invitations-all")
    return redirect("workinggroups:invitations", invitation.working_group_id)


@require_POST
@rate_limited("invitation")
def invitation_resend(request, pk: int):
    invitation = _invitation_for(request, pk)
    try:
        resent = invitations.invitation_resend(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if not resent.delivered:
            messages.warning(request, _undelivered(invitation))
            return _back(request, invitation)
        messages.success(
            request,
            _("The invitation was sent again to %(email)s; the earlier link no longer works.")
            % {"email": invitation.email},
        )
    return _back(request, invitation)


@require_POST
def invitation_revoke(request, pk: int):
    invitation = _invitation_for(request, pk)
    try:
        invitations.invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation of %(email)s was revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return _back(request, invitation)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token: str):
    """The e-mailed link. Without an account: a name and a password, then signed in. With one:
    sign in (as that address), then a button. A GET changes nothing."""
    try:
        invitation = invitations.invitation_for_token(token)
    except invitations.InvitationError as error:
        return render(
            request,
            "workinggroups/invitation_accept.html",
            {"error": " ".join(error.messages), "state": error.state},
            status=404 if error.state == "unknown" else 410,
        )
    user = request.user
    account = invitations.account_of(invitation)
    signed_in = user.is_authenticated
    if not signed_in:
        step = "sign-in" if account is not None else "password"
    else:  # the page is for the invited address only
        step = "confirm" if account is not None and user.pk == account.pk else "other-person"
    form = None
    if step == "password":
        form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and step in ("confirm", "password"):
        if step == "confirm" or (form is not None and form.is_valid()):
            data = form.cleaned_data if form is not None else {}
            try:
                accepted = invitations.invitation_accept(
                    token=token,
                    person=user if step == "confirm" else None,
                    full_name=data.get("full_name", ""),
                    password=data.get("password1", ""),
                )
            except ValidationError as error:
                if form is None:
                    messages.error(request, " ".join(error.messages))
                    return redirect(request.path)
                form.add_error(None, error)
            else:
                if step == "password":
                    login(request, accepted.person, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    _("Welcome to %(group)s.") % {"group": accepted.working_group.label},
                )
                return redirect(accepted.working_group)
    login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
    return render(
        request,
        "workinggroups/invitation_accept.html",
        {
            "invitation": invitation,
            "step": step,
            "form": form,
            "login_url": login_url,
            "now": timezone.now(),
        },
        status=422 if form is not None and form.errors else 200,
    )

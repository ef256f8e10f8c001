"""Token pages: one's own tokens (create, revoke), and the admins' tokens page and request log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import TokenForm
from .models import ApiRequest, ApiToken

PER_PAGE = 50
NEW_SECRET = "api_new_token_secret"


def _require_admin_view(user) -> None:
    if not user.has_perm("api.view_all_tokens"):
        raise Http404


@require_http_methods(["GET", "POST"])
def token_list(request):
    """Your tokens. A new one's secret is kept in the session until the page after the redirect
    shows it, once: a reload shows it no more and creates nothing."""
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, secret = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
            request.session[NEW_SECRET] = secret
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            return redirect("api:list")
        status = 422
    secret = request.session.pop(NEW_SECRET, None) if request.method == "GET" else None
    tokens = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": tokens,
            # A command line, not text of the page: the same in every language.
            "curl_example": (
                f'curl -H "Authorization: Bearer {secret}" '
                + request.build_absolute_uri(reverse("api:roadmap_list"))
            )
            if secret
            else "",
        },
        status=status,
    )


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not request.user.has_perm("api.revoke_token", token):
        if request.user.has_perm("api.view_all_tokens"):
            raise PermissionDenied
        raise Http404
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("api:list")


@require_GET
def admin_tokens(request):
    """Every person's tokens, newest first, with their state and last use."""
    _require_admin_view(request.user)
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    page = Paginator(tokens, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/admin_tokens.html",
        {"page": page, "can_revoke": request.user.has_perm("api.revoke_any_token")},
    )


@require_GET
def admin_requests(request):
    """The log of requests made with tokens, newest first; `?token=` narrows to one token."""
    _require_admin_view(request.user)
    log = ApiRequest.objects.select_related("token", "token__user")
    token_id = request.GET.get("token", "")
    if token_id.isdigit():
        log = log.filter(token_id=int(token_id))
    page = Paginator(log, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "api/admin_requests.html", {"page": page, "token_id": token_id})

"""The public pages: anonymous, published by an admin, cached per language, light.

Each page answers 404 until an admin publishes it. Its body is rendered once per language and
data version (public/cache.py) and served from the cache after that: a page read from the cache
runs no query. The form to ask to join is not cached (it carries the person's CSRF token).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.security import hit, limit_for, rate_limited, too_many
from workinggroups import services as wg_services

from . import cache, selectors
from .forms import PublicJoinForm, PublishForm, started_token
from .models import PublicPages
from .services import public_pages_set

PUBLISH = "public.publish"


def _published() -> selectors.Published:
    return cache.cached_value("published", selectors.published)


def _require(flag: bool) -> None:
    if not flag:
        raise Http404(_("This page is not published."))


def _page(request, title: str, name: str, template: str, build, **extra):
    """The page around the cached body `name` (rendered from `template` with `build()`)."""
    body = cache.cached(name, lambda: render_to_string(template, build()))
    response = render(
        request,
        "public/page.html",
        {"title": title, "body": body, "published": _published(), **extra},
    )
    patch_cache_control(response, max_age=settings.PUBLIC_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@login_not_required
@require_GET
def home(request):
    """The roadmap at a glance, with its figures as of the last published report."""
    _require(_published().roadmap)
    return _page(
        request, _("The roadmap at a glance"), "home", "public/home.html", selectors.at_a_glance
    )


@login_not_required
@require_GET
def groups(request):
    _require(_published().groups)
    return _page(
        request,
        _("Working groups"),
        "groups",
        "public/groups.html",
        lambda: {"groups": selectors.public_groups()},
    )


def _group(number: int):
    _require(_published().groups)
    group = cache.cached_value(f"group-{number}", lambda: selectors.public_group(number))
    if group is None:
        raise Http404(_("No such working group."))
    return group


@login_not_required
@require_GET
def group(request, number: int):
    found = _group(number)
    return _page(
        request,
        found.label,
        f"group-{number}",
        "public/group.html",
        lambda: selectors.group_page(found),
        group=found,
    )


@login_not_required
@require_GET
def resources(request):
    _require(_published().resources)
    page_number = request.GET.get("page") or "1"
    if not page_number.isdigit():
        raise Http404(_("No such page."))

    def build():
        pages = Paginator(selectors.public_resources(), selectors.RESOURCES_PER_PAGE)
        return {"page": pages.get_page(page_number)}

    return _page(
        request, _("Resource library"), f"resources-{page_number}", "public/resources.html", build
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("join-request-address", methods=("POST",))
def group_join(request, number: int):
    """A person without an account asks to join; signed in, they ask from the group's page."""
    found = _group(number)
    if request.user.is_authenticated:
        return redirect("workinggroups:join", found.pk)
    form = PublicJoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uses, seconds = limit_for("join-request-email")
        if not hit("join-request-email", data["email"], limit=uses, seconds=seconds):
            return too_many(request, "join-request-email")
        try:
            wg_services.join_request_create(
                group=found,
                organisation=data["organisation"],
                full_name=data["full_name"],
                email=data["email"],
                note=data["note"],
                language=data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request, "public/join_sent.html", {"group": found, "email": data["email"]}
            )
    if form.is_bound:
        # A fresh start time: an expired form can be sent again as it is.
        data = form.data.copy()
        data["started"] = started_token()
        form.data = data
    return render(
        request,
        "public/join.html",
        {"group": found, "form": form, "published": _published()},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def publish(request):
    """The admin's switches: which public pages are published."""
    if not request.user.has_perm(PUBLISH):
        raise PermissionDenied
    current = selectors.published()
    form = PublishForm(
        request.POST or None,
        initial={
            "roadmap": current.roadmap,
            "groups": current.groups,
            "resources": current.resources,
        },
    )
    if request.method == "POST" and form.is_valid():
        public_pages_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("What the public pages show was saved."))
        return redirect("public:publish")
    return render(
        request,
        "public/publish.html",
        {"form": form, "pages": PublicPages.current()},
        status=422 if form.errors else 200,
    )

"""Calendar views: a meeting's .ics file, the personal feed (a secret URL answered without a
session, for calendar apps) and making or revoking that URL from the profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from accounts import security

from . import calendar, services
from .views import _meeting_for

# The session key that carries a new feed's secret to the profile page, shown there once.
NEW_FEED_SECRET = "calendar_new_feed_secret"
ICS_TYPE = "text/calendar; charset=utf-8"


def _ics(text: str, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=ICS_TYPE)
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _require_feeds(request) -> None:
    if not request.user.has_perm("workinggroups.use_calendar_feed"):
        raise PermissionDenied


@require_GET
def meeting_ics(request, pk: int):
    """One meeting as an .ics file, for whoever may read the meeting."""
    meeting = _meeting_for(request, pk)
    return _ics(calendar.meeting_calendar(meeting), f"meeting-{meeting.pk}.ics", attachment=True)


FEED_SCOPE = "calendar-feed"  # settings.RATE_LIMITS


@login_not_required
@require_safe  # calendar apps may ask HEAD first
def calendar_feed(request, token: str):
    """A person's feed: the secret in the URL is the only key (calendar apps send no cookie);
    a wrong or revoked one is not found."""
    feed = calendar.feed_for_secret(token)
    if feed is None:
        raise Http404
    # Counted per feed, not per address: calendar services (Google, Outlook) fetch every one of
    # their subscribers' feeds from a few addresses of their own.
    uses, seconds = security.limit_for(FEED_SCOPE)
    if not security.hit(FEED_SCOPE, f"feed:{feed.pk}", limit=uses, seconds=seconds):
        return security.too_many(request, FEED_SCOPE)
    response = _ics(calendar.feed_calendar(feed), "mhpss-roadmap.ics", attachment=False)
    # The URL is a secret: no search engine keeps it, no link out of it tells it.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def calendar_feed_create(request):
    """A new feed URL (the one before, if any, stops working); shown once on the profile."""
    _require_feeds(request)
    _feed, secret = services.calendar_feed_create(person=request.user)
    request.session[NEW_FEED_SECRET] = secret
    messages.success(request, _("Your calendar feed URL was made. Copy it now: it is shown once."))
    return redirect("accounts:profile")


@require_POST
def calendar_feed_revoke(request):
    _require_feeds(request)
    if services.calendar_feed_revoke(person=request.user):
        messages.success(request, _("Your calendar feed was turned off: its URL no longer works."))
    return redirect("accounts:profile")

"""The calendar feed's part of the profile page (accounts cannot import working groups, so the
page includes this tag)."""

from django import template
from django.conf import settings
from django.urls import reverse

from workinggroups import calendar
from workinggroups.views_calendar import NEW_FEED_SECRET

register = template.Library()


@register.inclusion_tag("workinggroups/includes/calendar_feed.html", takes_context=True)
def calendar_feed_panel(context):
    """The person's feed: when it was made and last used, buttons to make a new URL or turn it
    off; right after it was made, its URL, once (the secret leaves the session as it shows)."""
    request = context["request"]
    secret = request.session.pop(NEW_FEED_SECRET, None)
    # The site's address, as in every e-mailed link: the one a calendar app can reach.
    url = (
        settings.SITE_URL + reverse("workinggroups:calendar-feed", args=[secret]) if secret else ""
    )
    return {
        "feed": calendar.live_feed(request.user),
        "feed_url": url,
        "csrf_token": context.get("csrf_token"),
    }

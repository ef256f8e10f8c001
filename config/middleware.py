"""Project-wide middleware: a sliding session expiry that writes the session row rarely."""

import time

from django.conf import settings

# Key in the session holding when it was last saved (seconds since the epoch).
REFRESHED_AT = "_refreshed_at"


class SessionRefreshMiddleware:
    """Save an existing session again once it is older than SESSION_REFRESH_AFTER seconds.

    Saving moves the expiry (database row and cookie) to now + SESSION_COOKIE_AGE, so people stay
    signed in while they use the site, as SESSION_SAVE_EVERY_REQUEST did, but an autosave no
    longer writes the session row each time: a session idle for SESSION_COOKIE_AGE still ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only sessions that already hold something: never create one for an anonymous visitor.
        if session is None or session.session_key is None or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(REFRESHED_AT)
        if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_AFTER:
            # Setting a key marks the session modified; SessionMiddleware (outside us) saves it.
            session[REFRESHED_AT] = now
        return response

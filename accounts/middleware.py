"""Use the signed-in person's saved language, so it follows them across browsers."""

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = None
        if user is not None and user.is_authenticated:
            # A cookie set by the switcher wins; otherwise the profile, then the society's default.
            language = cookie or user.language
            if not language and user.organisation_id and user.is_focal_point:
                language = user.organisation.default_language
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

"""Production settings: HTTPS only, and a refusal to start without the essential variables."""

from django.core.exceptions import ImproperlyConfigured

from .base import *


def _required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Production needs it; set the {name} environment variable."
        )
    return value


SECRET_KEY = _required("SECRET_KEY")
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECRET_KEY is the published development key or shorter than 32 characters; "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
DEBUG = False
# Links in e-mails (survey invitations, reminders): the first allowed host over HTTPS by default.
SITE_URL = env.str("SITE_URL", default=f"https://{ALLOWED_HOSTS[0]}").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// in production (got {SITE_URL}).")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

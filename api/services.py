"""Writes of the api app: create and revoke tokens, authenticate a request, log it."""

import base64
import datetime

from django.db import transaction
from django.utils import timezone

from core.hygiene import clean_text
from core.tokens import new_secret

from .models import ApiRequest, ApiToken, token_hash

SECRET_PREFIX = "mhpss_"


@transaction.atomic
def token_create(
    *, user, name: str, expires_on: datetime.date | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, and its secret: shown once, only its sha256 is kept."""
    secret = new_secret(SECRET_PREFIX)
    expires_at = None
    if expires_on is not None:
        expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = ApiToken(
        user=user,
        name=clean_text(name),
        prefix=secret[: len(SECRET_PREFIX) + 4],
        key_hash=token_hash(secret),
        expires_at=expires_at,
    )
    token._change_reason = "token created"
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token (kept, for the log); revoking it again changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token._change_reason = "token revoked"
        token.save()
    return token


def secret_from_header(header: str) -> str | None:
    """The token in `Authorization: Bearer <token>` or HTTP Basic (the token as the password)."""
    kind, _, value = (header or "").strip().partition(" ")
    value = value.strip()
    if kind.lower() == "bearer" and value:
        return value
    if kind.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return None
        _user, sep, password = decoded.partition(":")
        return password if sep and password else None
    return None


def token_authenticate(secret: str | None) -> ApiToken | None:
    """The usable token with this secret (its last-used date set), else None."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.usable().select_related("user").filter(key_hash=token_hash(secret)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One write a minute at most, not one per request.
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def request_log(*, token: ApiToken, method: str, path: str, status: int) -> None:
    ApiRequest.objects.create(token=token, method=method[:10], path=path[:500], status=status)

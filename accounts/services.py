"""The one way an account is made for someone from outside (a request to join accepted, an
invitation, a new focal point): no usable password until the person chooses one, and a
link that lets them choose it.

The person chooses their password either through Django's password-reset link
(``password_set_link``: requests to join, focal points) or on the invitation's own page
(``password`` given: the invitation link already proves they read the e-mail).
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import Organisation, User


@transaction.atomic
def newcomer_account_create(
    *,
    email: str,
    full_name: str,
    organisation: Organisation | None,
    language: str,
    made_by: User | None,
    reason: str,
    is_focal_point: bool = False,
    password: str | None = None,
) -> User:
    """Make the account of a person who has none; refused if the e-mail address has one."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This e-mail address already has an account.")})
    person = User(
        email=email,
        full_name=full_name.strip(),
        organisation=organisation,
        is_focal_point=is_focal_point,
        language=language,
    )
    if password:
        person.set_password(password)  # validated by the form (AUTH_PASSWORD_VALIDATORS)
    else:
        person.set_unusable_password()  # until they choose one through the link
    person.full_clean(exclude=["password"])
    person._history_user = made_by
    person._change_reason = reason
    person.save()
    return person


def password_set_link(person: User) -> str:
    """Django's password-reset link for this person (it stops working once the password is
    set), in full, for an e-mail."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])

"""The form a person without an account uses to ask to join a working group.

Bots are kept out without a third-party service: a field people do not see and must leave
empty (a bot fills it), a signed start time (a person takes a few seconds; a bot posts at once,
or replays an old form), and, in the service, the e-mail confirmation link."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from roadmap.forms import BootstrapMixin
from workinggroups.forms import FastSelect

STARTED_SALT = "public.join-form.started"
# A form older than this is refused: fill it again (its start time would let a bot replay it).
STARTED_MAX_AGE = 24 * 3600


def started_token() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


class PublicJoinForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Your National Society"),
        queryset=Organisation.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose your National Society"),
    )
    note = forms.CharField(
        label=_("A short note for the co-leads"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your role, and what you would bring to the group."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails you receive"), choices=settings.LANGUAGES
    )
    # Hidden from people (CSS and the accessibility tree); a bot filling every field fills it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (
            Organisation.objects.national_societies().active().order_by("name")
        )
        self.fields["organisation"].label_from_instance = lambda o: o.display_name
        if not self.is_bound:
            self.initial.setdefault("language", get_language())
            self.initial["started"] = started_token()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("The request could not be sent. Leave the last field empty and send again."),
                code="honeypot",
            )
        try:
            started = float(
                signing.loads(
                    self.data.get("started", ""), salt=STARTED_SALT, max_age=STARTED_MAX_AGE
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form has expired. It was filled in again for you: please send it again."),
                code="expired",
            ) from None
        if time.time() - started < settings.JOIN_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                _("That was sent very fast. Please check the form and send it again."),
                code="too_fast",
            )
        return cleaned


class PublishForm(BootstrapMixin, forms.Form):
    roadmap = forms.BooleanField(
        label=_("The roadmap at a glance, with the figures of the last published report"),
        required=False,
    )
    groups = forms.BooleanField(
        label=_(
            "The working groups: purpose, co-lead organisations, member National Societies, "
            "current plan, and the form to ask to join"
        ),
        required=False,
    )
    resources = forms.BooleanField(
        label=_("The resource library: the resources marked public"), required=False
    )

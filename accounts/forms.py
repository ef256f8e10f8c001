"""Forms for signing in and for a person's own profile."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from core.hygiene import CleanInputMixin

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(CleanInputMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "digest_frequency", "assignment_emails"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without it (an older page, a script) keeps the person's choice.
        self.fields["digest_frequency"].required = False

    def clean_digest_frequency(self):
        return self.cleaned_data.get("digest_frequency") or self.instance.digest_frequency

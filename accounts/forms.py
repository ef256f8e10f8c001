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
        fields = ["full_name", "language"]

"""The search box's form: the words, and optionally one kind to page through."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.hygiene import CleanInputMixin

from .kinds import KINDS

MIN_LENGTH = 2


class SearchForm(CleanInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=200,
        min_length=MIN_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control"}),
    )
    kind = forms.ChoiceField(
        label=_("Only"),
        required=False,
        choices=[("", _("Everything"))] + [(kind.key, kind.label) for kind in KINDS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

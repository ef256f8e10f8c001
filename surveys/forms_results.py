"""The filters of the text answers page of a round's results."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region


class TextAnswersFilterForm(forms.Form):
    question = forms.ChoiceField(label=_("Question"), required=False)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.name, q.label or q.name) for q in questions]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm w-auto")

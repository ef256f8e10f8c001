"""Forms of reports: writing an edition and choosing a language to generate it in."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import ReportEdition, ReportSection


class EditionForm(forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=_("Sections to include"),
        choices=ReportSection.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The cover and the contents are always included."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=300,
        help_text=_("Kept in the edition's history."),
    )

    class Meta:
        model = ReportEdition
        fields = [
            "title",
            "audience",
            "period_start",
            "period_end",
            "survey_round",
            "sections",
            "executive_summary",
            "challenges",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "executive_summary": forms.Textarea(attrs={"rows": 10}),
            "challenges": forms.Textarea(attrs={"rows": 8}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data

    def edition_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GenerateForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

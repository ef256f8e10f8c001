"""Forms of reports: writing an edition and choosing a language to generate it in."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.translated import TRANSLATION_LANGUAGES, translation_columns
from reports.models import ReportEdition, ReportSection
from roadmap.forms import BootstrapMixin


class EditionForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label=_("Sections to include"),
        choices=ReportSection.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
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
            "roadmap",
            "survey_round",
            "sections",
            "executive_summary",
            "challenges",
            *translation_columns("title", "executive_summary", "challenges"),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # English texts shown on a right-to-left page keep their own direction.
        for name in ("title", "audience", "executive_summary", "challenges"):
            self.fields[name].widget.attrs["dir"] = "auto"
        for field in self.TRANSLATED:
            for code in TRANSLATION_LANGUAGES:
                # Typed in its own language and direction; Arabic right to left.
                widget = self.fields[f"{field}_{code}"].widget
                widget.attrs.update({"lang": code, "dir": "rtl" if code == "ar" else "ltr"})
                if isinstance(widget, forms.Textarea):
                    widget.attrs["rows"] = 6

    TRANSLATED = ("title", "executive_summary", "challenges")

    def main_fields(self):
        hidden = {f.name for f in self.hidden_fields()}  # the edit version, rendered apart
        return [
            f
            for f in self
            if f.name not in translation_columns(*self.TRANSLATED) and f.name not in hidden
        ]

    def translation_groups(self):
        """(language, its bound fields, how many are still empty) for the form's translations."""
        groups = []
        for code, language in TRANSLATION_LANGUAGES.items():
            names = [f"{field}_{code}" for field in self.TRANSLATED]
            bound = [self[name] for name in names]
            empty = sum(1 for b in bound if not b.value())
            groups.append((language, bound, empty))
        return groups

    def edition_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GenerateForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

"""Forms of running a round: create it, change its dates with a reason, remind, focal points."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region

from .models import Progress, Questionnaire, SurveyRound


def _styled(form: forms.Form) -> None:
    """Bootstrap classes on every widget (check boxes keep their own)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoundCreateForm(forms.Form):
    """Checks the shape of the input; the service checks the rules (dates, questionnaire)."""

    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.order_by("name")
    )
    name = forms.CharField(label=_("Title (English)"), max_length=200)
    name_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Title (Spanish)"), max_length=200, required=False)
    name_ar = forms.CharField(label=_("Title (Arabic)"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opens = forms.DateField(label=_("Opens on"), required=False, widget=DateInput())
    closes = forms.DateField(label=_("Closes on"), widget=DateInput())
    invitation = forms.ChoiceField(
        label=_("Invited"),
        choices=SurveyRound.Invitation.choices,
        initial=SurveyRound.Invitation.ALL,
        widget=forms.RadioSelect,
    )
    invited_region = forms.ChoiceField(
        label=_("Region"), choices=[("", "—"), *Region.choices], required=False
    )
    invited_societies = forms.ModelMultipleChoiceField(
        label=_("National Societies"),
        queryset=Organisation.objects.national_societies().active().order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        for code in ("fr", "es", "ar"):
            self.fields[f"name_{code}"].widget.attrs.update(
                {"lang": code, "dir": "rtl" if code == "ar" else "ltr"}
            )
        _styled(self)
        self.fields["invitation"].widget.attrs["class"] = "form-check-input"


class DateReasonForm(forms.Form):
    """A new closing date and why (reopen or extend a round)."""

    closes = forms.DateField(label=_("New closing date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
        self.fields["reason"].widget.attrs["dir"] = "auto"


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
        self.fields["reason"].widget.attrs["dir"] = "auto"


REMINDABLE = [(p.value, p.label) for p in Progress if p != Progress.SUBMITTED]


class ReminderForm(forms.Form):
    """Which societies a reminder is for; `force` sends even to those reminded recently."""

    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=REMINDABLE,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every society that has not submitted."),
    )
    force = forms.BooleanField(
        label=_("Send anyway to societies reminded recently"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def filters(self) -> dict:
        """The service's keyword arguments; call after is_valid()."""
        data = self.cleaned_data
        return {
            "regions": [data["region"]] if data.get("region") else None,
            # None ticked: every status, so the submitted societies are listed as skipped.
            "statuses": data.get("status") or None,
            "force": data.get("force", False),
        }


class TrackerFilterForm(forms.Form):
    """The tracker's search and status filter (the region is a tab)."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Progress.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += (
                " form-control-sm" if field is self.fields["q"] else " form-select-sm"
            )


class FocalPointAddForm(forms.Form):
    """An existing person (by e-mail) becomes a focal point of the society."""

    email = forms.EmailField(label=_("E-mail of a person with an account"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class FocalPointInviteForm(forms.Form):
    """A new person, invited by e-mail to set a password."""

    email = forms.EmailField(label=_("E-mail"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, society=None, **kwargs):
        super().__init__(*args, **kwargs)
        if society is not None:
            self.fields["language"].initial = society.default_language
        _styled(self)
        self.fields["full_name"].widget.attrs["dir"] = "auto"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

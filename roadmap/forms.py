"""Forms for progress updates (shared with working-group deliverables) and indicator values."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionedFormMixin
from core.hygiene import CleanInputMixin, harden_fields
from core.numbers import format_number_for_input, parse_number
from core.uploads import ALLOWED_LABEL, validate_evidence_file

from .models import (
    ExpectedResult,
    Indicator,
    IndicatorValue,
    PriorityActionArea,
    ProgressStatus,
    ProgressUpdate,
    Roadmap,
    check_value_for_unit,
)
from .services import check_progress


def _evidence_file_help() -> str:
    return _("%(types)s; checked by content.") % {"types": ALLOWED_LABEL}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapMixin(CleanInputMixin):
    """Bootstrap classes on every widget, aria-invalid on fields with errors and aria-describedby
    naming their error and help (Django does it for single inputs, this for lists); every field
    follows the input hygiene rules (core.hygiene)."""

    def _style(self):
        for name, field in self.fields.items():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            invalid = self.is_bound and name in self.errors
            if invalid:
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
            if widget.use_fieldset:
                # Django names the help and error (includes/field_feedback.html) only on
                # single inputs: a list of checkboxes or radios names them on each box.
                auto_id = self[name].auto_id
                ids = [f"{auto_id}_helptext"] if field.help_text else []
                ids += [f"{auto_id}_error"] if invalid else []
                if ids:
                    widget.attrs["aria-describedby"] = " ".join(ids)
                else:
                    widget.attrs.pop("aria-describedby", None)

    def full_clean(self):
        super().full_clean()
        self._style()


class ProgressUpdateForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    """A progress update and, optionally, one file and one link of evidence.

    ``previous`` is the latest update on the same subject (a reason is asked for when the status
    or percent changes from it); ``instance`` is the update being corrected (a reason is always
    asked for).
    """

    date = forms.DateField(label=_("Date"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=ProgressStatus.choices)
    percent_complete = forms.IntegerField(
        label=_("Percent complete"), min_value=0, max_value=100, initial=0
    )
    narrative = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    blockers = forms.CharField(
        label=_("Blockers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        help_text=_("Needed when the status or percent changes, and when you correct an update."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=lazy(_evidence_file_help, str)(),  # in the language of each request
    )
    evidence_file_title = forms.CharField(label=_("File title"), required=False, max_length=200)
    evidence_url = forms.URLField(
        label=_("Evidence link"), required=False, max_length=500, assume_scheme="https"
    )
    evidence_url_title = forms.CharField(label=_("Link title"), required=False, max_length=200)

    def __init__(
        self,
        data=None,
        files=None,
        *,
        previous: ProgressUpdate | None = None,
        instance: ProgressUpdate | None = None,
        **kwargs,
    ):
        self.previous = previous
        self.instance = instance
        initial = kwargs.pop("initial", None) or {}
        if instance is not None:
            initial = {
                "date": instance.date,
                "status": instance.status,
                "percent_complete": instance.percent_complete,
                "narrative": instance.narrative,
                "blockers": instance.blockers,
                "next_steps": instance.next_steps,
                **initial,
            }
        else:
            initial.setdefault("date", timezone.localdate())
            if previous is not None:
                initial.setdefault("status", previous.status)
                initial.setdefault("percent_complete", previous.percent_complete)
        super().__init__(data, files, initial=initial, **kwargs)
        if instance is not None:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Say why you correct this update.")

    def clean_evidence_file(self):
        f = self.cleaned_data.get("evidence_file")
        if f:
            validate_evidence_file(f)
        return f

    def clean(self):
        data = super().clean()
        date, status, percent = (
            data.get("date"),
            data.get("status"),
            data.get("percent_complete"),
        )
        if date is not None and status and percent is not None:
            try:
                check_progress(date=date, status=status, percent_complete=percent)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        reference = self.instance or self.previous
        changed = reference is not None and (
            (status and status != reference.status)
            or (percent is not None and percent != reference.percent_complete)
        )
        if changed and not data.get("reason", "").strip() and "reason" not in self.errors:
            self.add_error(
                "reason",
                _("The status or percent changed: say why (the reason is kept in the history)."),
            )
        if data.get("evidence_url_title") and not data.get("evidence_url"):
            self.add_error("evidence_url", _("Give the link, or leave its title empty."))
        if data.get("evidence_file_title") and not data.get("evidence_file"):
            if "evidence_file" not in self.errors:
                self.add_error("evidence_file", _("Choose the file, or leave its title empty."))
        return data

    def service_kwargs(self) -> dict:
        """Keyword arguments for ``progress_update_create`` / ``progress_update_edit``."""
        data = self.cleaned_data
        kwargs = {
            name: data[name]
            for name in (
                "date",
                "status",
                "percent_complete",
                "narrative",
                "blockers",
                "next_steps",
            )
        }
        kwargs["reason"] = data.get("reason", "").strip()
        kwargs["files"] = (
            [(data.get("evidence_file_title", ""), data["evidence_file"])]
            if data.get("evidence_file")
            else []
        )
        kwargs["links"] = (
            [(data.get("evidence_url_title", ""), data["evidence_url"])]
            if data.get("evidence_url")
            else []
        )
        return kwargs


class IndicatorValueForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    """A measured value of an indicator; a reason is asked for when correcting one."""

    # Typed as people of the page's language write numbers (core.numbers), not as Python
    # reads them: Spanish "12.500" is twelve thousand five hundred.
    value = forms.CharField(label=_("Value"), max_length=60)
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=1000)

    class Meta:
        model = IndicatorValue
        fields = ["year", "value", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, indicator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator or getattr(self.instance, "indicator", None)
        self.language = translation.get_language()
        self.fields["value"].widget.attrs.setdefault("inputmode", "decimal")
        if self.instance.pk:
            self.initial["value"] = format_number_for_input(self.instance.value, self.language)
        if self.instance.pk:
            self.fields["reason"].required = True
            self.fields["reason"].help_text = _("Say why you correct this value.")
        else:
            self.instance.indicator = self.indicator

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("A measured value cannot be for a future year."))
        return year

    def clean_value(self):
        whole = self.indicator is not None and self.indicator.unit == self.indicator.Unit.COUNT
        value = parse_number(self.cleaned_data["value"], self.language, integer=whole)
        if self.indicator is not None:
            try:
                check_value_for_unit(self.indicator.unit, value)
            except ValidationError as error:
                # The model's clean() raises it for the "value" field; here it is that field's.
                raise ValidationError(error.message_dict["value"]) from None
        return value


class IndicatorValueReasonForm(BootstrapMixin, forms.Form):
    """Withdraw or restore a value: the reason is kept in its history."""

    reason = forms.CharField(label=_("Reason"), max_length=1000)


class ProposalReviewForm(BootstrapMixin, forms.Form):
    """An admin's decision on a value proposed from a survey round."""

    class Decision(models.TextChoices):
        PUBLISH = "publish", _("Publish")
        REPLACE = "replace", _("Publish and withdraw the typed-in value")
        DISCARD = "discard", _("Discard")

    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        help_text=_("Needed when the computed value replaces a typed-in one."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.Decision.REPLACE and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why the computed value replaces the typed-in one."))
        return data


class SuccessorForm(BootstrapMixin, forms.Form):
    """Start the roadmap that follows ``source``: what carries over, what is retired or added.

    The check boxes start ticked (everything carries over); an indicator of a carried area left
    unticked is retired. Each group of the hooks (working groups) carries over or closes. A
    baseline typed for an indicator replaces the previous roadmap's last value.
    """

    name = forms.CharField(label=_("Name"), max_length=200)
    start_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)
    close_date = forms.DateField(
        label=_("The groups closed end on"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: the day before the new roadmap starts."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Priority action areas carried over"),
        queryset=PriorityActionArea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    results = forms.ModelMultipleChoiceField(
        label=_("Expected results carried over"),
        queryset=ExpectedResult.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators carried over (the others are retired)"),
        queryset=Indicator.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_areas = forms.CharField(
        label=_("New priority action areas"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One title a line; they are numbered after the carried areas."),
    )

    def __init__(self, *args, source: Roadmap, hooks, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        areas = source.areas.order_by("number")
        results = ExpectedResult.objects.filter(area__roadmap=source, is_archived=False)
        indicators = Indicator.objects.filter(area__roadmap=source).select_related("area")
        for name, queryset in (("areas", areas), ("results", results), ("indicators", indicators)):
            field = self.fields[name]
            field.queryset = queryset
            self.initial.setdefault(name, list(queryset))
        self.indicator_list = list(indicators)
        for ind in self.indicator_list:
            self.fields[f"baseline_{ind.pk}"] = forms.DecimalField(
                label=_("New baseline of %(code)s") % {"code": ind.code},
                required=False,
                max_digits=12,
                decimal_places=2,
            )
            self.fields[f"baseline_source_{ind.pk}"] = forms.CharField(
                label=_("Its source"), required=False, max_length=300
            )
        self.hook_fields = []
        for hook in hooks:
            names = []
            for item in hook.items(source):
                key = f"{hook.name}_{item.pk}"
                self.fields[key] = forms.ChoiceField(
                    label=str(item),
                    choices=[("carry", _("Carry over")), ("close", _("Close"))],
                    initial="carry",
                    widget=forms.RadioSelect,
                    required=False,  # the plan names a group left without a choice
                )
                names.append(key)
            self.hook_fields.append((hook, names))
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"
        harden_fields(self)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Roadmap.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("A roadmap with this name exists already."))
        return name

    def choice_rows(self, name: str):
        """(object, check box) pairs of a multiple-choice field, in the field's order."""
        boxes = {str(b.data["value"]): b for b in self[name].subwidgets}
        objects = self.indicator_list if name == "indicators" else self.fields[name].queryset
        return [(obj, boxes[str(obj.pk)]) for obj in objects]

    def indicator_rows(self):
        return [
            (ind, box, self[f"baseline_{ind.pk}"], self[f"baseline_source_{ind.pk}"])
            for ind, box in self.choice_rows("indicators")
        ]

    def hook_rows(self):
        return [(hook, [self[name] for name in names]) for hook, names in self.hook_fields]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        baselines = {}
        for ind in self.indicator_list:
            value = data.get(f"baseline_{ind.pk}")
            if value is not None:
                baselines[ind.pk] = {
                    "value": value,
                    "year": data["start_year"] - 1,
                    "source": data.get(f"baseline_source_{ind.pk}") or "",
                }
        chosen = {i.pk for i in data["indicators"]}
        carried_areas = {a.pk for a in data["areas"]}
        kwargs = {
            "source": self.source,
            "name": data["name"],
            "start_year": data["start_year"],
            "end_year": data["end_year"],
            "close_date": data.get("close_date"),
            "areas": list(data["areas"]),
            "results": list(data["results"]),
            "indicators": list(data["indicators"]),
            "retire": [
                i for i in self.indicator_list if i.pk not in chosen and i.area_id in carried_areas
            ],
            "baselines": baselines,
            "new_areas": [line for line in (data.get("new_areas") or "").splitlines()],
        }
        for hook, names in self.hook_fields:
            kwargs[hook.name] = {int(n.rsplit("_", 1)[1]): data.get(n) for n in names}
        return kwargs


class ArchiveReasonForm(BootstrapMixin, forms.Form):
    """Archive or restore an item (core.archive): the reason is kept in its history."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history, with your name and the date."),
    )

"""Forms that validate the admin actions of the survey (answers are validated per question)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ExtendDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The new deadline must not be in the past."))
        return deadline


class RoundOpenForm(forms.Form):
    closes = forms.DateField(
        label=_("Closes on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[
            ("wide", _("One row per society")),
            ("long", _("One row per answer")),
            ("codebook", _("Codebook only")),
        ],
    )
    language = forms.ChoiceField(label=_("Labels in"), choices=settings.LANGUAGES, initial="en")
    # As KoboToolbox offers: answers and headers in words, or as the questionnaire's names
    # (XML values). Optional, so links made before it still work (labels).
    values = forms.ChoiceField(
        label=_("Answers as"),
        required=False,
        choices=[("labels", _("Labels")), ("codes", _("Codes (names)"))],
        initial="labels",
    )

    def clean_values(self):
        return self.cleaned_data.get("values") or "labels"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # Bootstrap's select: its arrow sits on the end side
            field.widget.attrs.setdefault("class", "form-select form-select-sm w-auto")


class XLSFormUploadForm(forms.Form):
    name = forms.CharField(label=_("Questionnaire name"), max_length=200)
    file = forms.FileField(label=_("XLSForm (.xlsx or .xls)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("The file is too large."))
        head = upload.read(8)
        upload.seek(0)
        # An .xlsx is a zip archive, an .xls an OLE2 file; checking the bytes, not the name,
        # keeps other files out.
        if not (head.startswith(b"PK\x03\x04") or head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx or .xls)."))
        return upload

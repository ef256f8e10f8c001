"""Forms of the working-group pages; every choice list is limited to what the person may use."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Organisation, Region, User
from core.concurrency import VersionedFormMixin
from roadmap.forms import BootstrapMixin, DateInput
from roadmap.models import ExpectedResult

from .models import (
    ActionItem,
    Deliverable,
    FrameworkLayer,
    Meeting,
    Membership,
    Milestone,
    Resource,
    WorkingGroup,
    Workplan,
)


def group_people(group):
    """People active in the group (or its parent): owners of action items, attendees."""
    ids = {group.pk, group.parent_id} - {None}
    return User.objects.filter(
        is_active=True,
        wg_memberships__working_group__in=ids,
        wg_memberships__left_on__isnull=True,
    ).distinct()


class FastSelect(forms.Select):
    """A single select that writes its options in one pass (escaped and joined), not through
    one widget template per option: hundreds or thousands of options cost a millisecond or so.

    Flat choices only (no option groups); the selected value, the attributes (``required``,
    ``aria-*``, classes) and the labels (translated lazily) are the same as ``forms.Select``.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        # Value and label escaped here: the joined options are safe.
        options = "".join(
            f'<option value="{conditional_escape(key)}"'
            f"{' selected' if str(key) in selected else ''}>{conditional_escape(label)}</option>"
            for key, label in self.choices
        )
        attrs = self.build_attrs(self.attrs, attrs)
        safe_options = mark_safe(options)  # noqa: S308
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), safe_options)


# Options of a searched organisation or person list: a page stays small whatever the Movement.
SEARCH_LIMIT = 20


class _Search:
    """The options of a searched select: every row without a search term, else at most
    ``SEARCH_LIMIT`` matches, plus the value already chosen; queried once, when first read."""

    limit = SEARCH_LIMIT

    def __init__(self, field, columns, *, term, chosen, person=False):
        self.field, self.columns, self.person = field, columns, person
        self.term = str(term or "").strip()[:100]
        self.chosen = str(chosen or "")
        self._choices = None
        self.found = 0

    def _label(self, first, second) -> str:
        if self.person:  # the e-mail tells two people of the same name apart
            return f"{first} ({second})" if first else second
        return first

    def _load(self) -> list:
        rows = self.field.queryset.order_by(*self.columns, "pk")
        if self.term:
            query = Q()
            for column in self.columns:
                query |= Q(**{f"{column}__icontains": self.term})
            rows = list(rows.filter(query).values_list("pk", *self.columns)[:SEARCH_LIMIT])
        else:
            rows = list(rows.values_list("pk", *self.columns))
        self.found = len(rows)
        if self.chosen.isdigit() and all(str(row[0]) != self.chosen for row in rows):
            rows += list(
                self.field.queryset.filter(pk=self.chosen).values_list("pk", *self.columns)
            )
        return [("", self.field.empty_label)] + [
            (pk, self._label(first, second)) for pk, first, second in rows
        ]

    def __iter__(self):
        if self._choices is None:
            self._choices = self._load()
        return iter(self._choices)

    @property
    def no_match(self) -> bool:
        list(self)
        return bool(self.term) and not self.found

    @property
    def limited(self) -> bool:
        list(self)
        return bool(self.term) and self.found >= SEARCH_LIMIT


class MembershipForm(BootstrapMixin, forms.Form):
    """Add an organisation, a person or both. The organisation and person lists are searched
    (``organisation_q``, ``person_q``: at most ``SEARCH_LIMIT`` matches, plus the value already
    chosen); validation always accepts any active organisation or person."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    organisation_q = forms.CharField(label=_("Search"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active(),
        required=False,
        widget=FastSelect,
    )
    person_q = forms.CharField(label=_("Search"), required=False, max_length=100)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.filter(is_active=True).exclude(role=User.Role.READER),
        required=False,
        widget=FastSelect,
    )
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(), required=False)

    # The searched fields: their search box and the columns looked in (and shown).
    SEARCHED = {
        "organisation": ("organisation_q", ("name", "short_name")),
        "person": ("person_q", ("full_name", "email")),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.searches = {}
        for name, (search_name, columns) in self.SEARCHED.items():
            search = _Search(
                self.fields[name],
                columns,
                term=self[search_name].value(),
                chosen=self[name].value(),
                person=name == "person",
            )
            self.searches[name] = search
            # The widget lists the matches (read when it is rendered, never when a posted form
            # is only validated); validation uses the field's whole queryset.
            self.fields[name].widget.choices = search

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("person"):
            raise forms.ValidationError(_("Choose an organisation, a person, or both."))
        if data.get("role") == Membership.Role.CO_LEAD and not data.get("person"):
            self.add_error("person", _("A co-lead is a person."))
        return data


class WorkingGroupDetailsForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    """What co-leads say about their group: its name, short name and description, in English
    and in the other languages. Its number, parent, areas and archiving stay with the admins
    (the areas decide who leads which expected results)."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=1000,
        help_text=_("Kept in the history."),
    )

    class Meta:
        model = WorkingGroup
        fields = [
            "name",
            "short_name",
            "description",
            "name_fr",
            "short_name_fr",
            "description_fr",
            "name_es",
            "short_name_es",
            "description_es",
            "name_ar",
            "short_name_ar",
            "description_ar",
        ]
        widgets = {
            name: forms.Textarea(
                attrs={"rows": 3, "dir": "rtl" if name.endswith("_ar") else "auto"}
            )
            for name in ("description", "description_fr", "description_es", "description_ar")
        } | {name: forms.TextInput(attrs={"dir": "rtl"}) for name in ("name_ar", "short_name_ar")}

    def clean_name(self):
        name = self.cleaned_data["name"]
        group = self.instance
        if (
            group.parent_id
            and WorkingGroup.objects.filter(parent_id=group.parent_id, name=name)
            .exclude(pk=group.pk)
            .exists()
        ):
            raise forms.ValidationError(_("Another subgroup of this group already has this name."))
        return name


class WorkplanForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Workplan
        fields = ["year", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}


class DeliverableForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        help_text=_("Kept in the history."),
    )

    class Meta:
        model = Deliverable
        fields = [
            "workplan",
            "title",
            "kind",
            "description",
            "expected_result",
            "owner_organisation",
            "due_date",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DateInput()}

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        # Only this group's workplans and the results of the areas it covers: a hidden or
        # forged id from another group fails validation.
        self.fields["workplan"].queryset = Workplan.objects.filter(working_group=group)
        area_groups = [group.pk] + ([group.parent_id] if group.parent_id else [])
        self.fields["expected_result"].queryset = (
            ExpectedResult.objects.filter(area__working_groups__in=area_groups, is_archived=False)
            .select_related("area")
            .distinct()
        )
        self.fields["owner_organisation"].queryset = Organisation.objects.active()
        if self.instance.pk:
            self.fields["reason"].required = True


class MilestoneForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "date", "attendance", "is_done", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        # Ids of their own: the deliverable page also holds the progress update form (id_date).
        kwargs.setdefault("auto_id", "milestone_%s")
        super().__init__(*args, **kwargs)
        self.fields["is_done"].widget.attrs["class"] = "form-check-input"


class MeetingForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "date",
            "kind",
            "title",
            "attendees",
            "attending_organisations",
            "minutes",
            "decisions",
        ]
        widgets = {
            "date": DateInput(),
            "attendees": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "attending_organisations": forms.CheckboxSelectMultiple(
                attrs={"class": "form-check-input"}
            ),
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = group_people(group).order_by("full_name", "email")
        self.fields["attending_organisations"].queryset = Organisation.objects.active()
        # Ticked in a list with a filter box (static/js/picker.js), not ctrl-clicked.
        for name in ("attendees", "attending_organisations"):
            self.fields[name].filterable = True


class MeetingNotesForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    """What members may write: the minutes and decisions."""

    class Meta:
        model = Meeting
        fields = ["minutes", "decisions"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class ActionItemForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "owner", "due_date"]
        widgets = {"due_date": DateInput()}

    def __init__(self, *args, group: WorkingGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = group_people(group)


class ResourceForm(VersionedFormMixin, BootstrapMixin, forms.ModelForm):
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.SelectMultiple,
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "organisation",
            "countries",
            "regions",
            "languages",
            "layer",
            "link",
            "notes",
            "working_group",
            "is_public",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups
        self.fields["organisation"].queryset = Organisation.objects.active()
        if self.instance.pk:
            self.initial["regions"] = self.instance.region_list

    def clean_regions(self):
        return ",".join(self.cleaned_data["regions"])


class ResourceFilterForm(forms.Form):
    """Search and filters of the resource list; every field optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    # Every select writes its options in one pass: the country list alone has ~250 options.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds"))] + Resource.Kind.choices,
        required=False,
        widget=FastSelect,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions"))] + Region.choices,
        required=False,
        widget=FastSelect,
    )
    country = forms.ChoiceField(label=_("Country"), required=False, widget=FastSelect)
    language = forms.CharField(label=_("Language"), required=False, max_length=50)
    layer = forms.ChoiceField(
        label=_("Framework layer"),
        choices=[("", _("All layers"))] + FrameworkLayer.choices,
        required=False,
        widget=FastSelect,
    )
    group = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        widget=FastSelect,
    )
    # ?archived=1 (core.archive): the archived resources too, marked, with their reason.
    archived = forms.ChoiceField(
        label=_("Archived"),
        choices=[("", _("Current resources only")), ("1", _("With the archived ones"))],
        required=False,
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries"))] + list(countries)
        self.fields["group"].queryset = groups
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs["class"] = css

    def filter(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["q"]:
            q = data["q"]
            queryset = queryset.filter(
                Q(title__icontains=q)
                | Q(notes__icontains=q)
                | Q(organisation__name__icontains=q)
                | Q(languages__icontains=q)
            )
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["region"]:
            # Region values never contain one another, so a substring match is exact.
            queryset = queryset.filter(regions__contains=data["region"])
        if data["country"]:
            # Two-letter codes joined by commas: a code can only match itself.
            queryset = queryset.filter(countries__contains=data["country"])
        if data["language"]:
            queryset = queryset.filter(languages__icontains=data["language"])
        if data["layer"]:
            queryset = queryset.filter(layer=data["layer"])
        if data["group"]:
            queryset = queryset.filter(working_group=data["group"])
        return queryset


class ResourceImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"), help_text=_("An .xlsx or .csv file with a header row.")
    )
    working_group = forms.ModelChoiceField(
        label=_("Curated by"), queryset=WorkingGroup.objects.none()
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = groups

    def clean_file(self):
        from django.conf import settings

        f = self.cleaned_data["file"]
        if f.size > settings.MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("The file is too large."))
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        return f


class JoinAskForm(BootstrapMixin, forms.Form):
    """A signed-in person asks to join a group for their organisation."""

    note = forms.CharField(
        label=_("A short note for the co-leads"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would bring to the group, or why you would like to join."),
    )


class JoinDeclineForm(BootstrapMixin, forms.Form):
    """A co-lead declines a request; the person is told the reason."""

    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(BootstrapMixin, forms.Form):
    """A co-lead invites a colleague: the address, their organisation, role and language."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.active(),
        widget=FastSelect(
            attrs={
                "data-filter": "",
                "data-filter-label": _("Filter"),
                "data-filter-status": _("{shown} of {total} shown"),
            }
        ),
        help_text=_("The organisation they work for: type in the filter box to find it."),
    )
    role = forms.ChoiceField(
        label=_("Role in the group"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=[("", _("The organisation's language"))] + list(settings.LANGUAGES),
        required=False,
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class InvitationAcceptForm(BootstrapMixin, forms.Form):
    """The invited person without an account: their name and a password (Django's
    validators, as on every password form)."""

    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("New password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            person = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, person)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

"""Administration of people and organisations; only roadmap admins get in."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import VersionedAdminMixin
from core.hygiene import CleanInputMixin

from .models import Organisation, User
from .resources import OrganisationResource


class RoadmapAdminOnlyMixin:
    """The administration is for roadmap admins; nothing is hard-deleted from the browser.

    Reused by every app's ModelAdmin and inline, so non-superuser admins need no Django
    permission rows.
    """

    def _is_admin(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_roadmap_admin)

    def has_module_permission(self, request):
        return self._is_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_add_permission(self, request, *args):
        return self._is_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_admin(request)

    def has_delete_permission(self, request, obj=None):
        # Archive or deactivate instead: history must stay whole.
        return False

    def has_import_permission(self, request):
        return self._is_admin(request)

    def has_export_permission(self, request):
        return self._is_admin(request)


def hardened(form_class):
    """The admin's form with the input hygiene rules (control characters, lengths, ids)."""
    if issubclass(form_class, CleanInputMixin):
        return form_class
    return type(form_class.__name__, (CleanInputMixin, form_class), {})


def harden_admin_site(site) -> None:
    """Every registered admin, and its inlines, edits through forms with the hygiene rules.

    Run once at start-up (AccountsConfig.ready), so an admin added later in any app is covered
    without remembering a base class.
    """
    for model_admin in site._registry.values():
        model_admin.form = hardened(model_admin.form)
        model_admin.inlines = [
            type(inline.__name__, (inline,), {"form": hardened(inline.form)})
            for inline in model_admin.inlines
        ]


class ReasonAdminForm(CleanInputMixin, forms.ModelForm):
    """Asks why an existing row changes; the answer goes into its history."""

    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=1000,
        help_text=_("Required when you change an existing entry; kept in its history."),
    )

    def clean(self):
        data = super().clean()
        changed = set(self.changed_data) - {"change_reason"}
        if self.instance.pk and changed and not (data.get("change_reason") or "").strip():
            self.add_error("change_reason", ValidationError(_("Say why you change this.")))
        return data


class HistoryReasonAdmin(VersionedAdminMixin, RoadmapAdminOnlyMixin, SimpleHistoryAdmin):
    """Admin with history, a reason on changes, a version check and roadmap-admin-only access."""

    form = ReasonAdminForm

    def save_model(self, request, obj, form, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        obj._change_reason = reason or (
            _("changed in the administration") if change else _("added in the administration")
        )
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = (form.cleaned_data.get("change_reason") or "").strip()
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason or _("changed in the administration")
        super().save_formset(request, form, formset, change)


class PersonCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes: dict = {}


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(Organisation)
class OrganisationAdmin(ImportExportModelAdmin, HistoryReasonAdmin):
    resource_classes = [OrganisationResource]
    list_display = (
        "name",
        "short_name",
        "kind",
        "country",
        "region",
        "default_language",
        "is_active",
        "is_demo",
    )
    list_filter = ("kind", "region", "default_language", "is_active", "is_demo")
    search_fields = ("name", "name_fr", "name_es", "name_ar", "short_name", "country")
    ordering = ("name",)


@admin.register(User)
class UserAdmin(VersionedAdminMixin, RoadmapAdminOnlyMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = (
        "email",
        "full_name",
        "role",
        "organisation",
        "is_focal_point",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = (
        "role",
        "is_focal_point",
        "is_active",
        "is_staff",
        "organisation__kind",
        "organisation__is_demo",
    )
    search_fields = ("email", "full_name", "organisation__name")
    ordering = ("email",)
    autocomplete_fields = ("organisation",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "organisation", "language")}),
        (_("Role"), {"fields": ("role", "is_focal_point", "is_active", "is_staff")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    filter_horizontal = ()

    def save_model(self, request, obj, form, change):
        obj._change_reason = (
            _("changed in the administration") if change else _("added in the administration")
        )
        super().save_model(request, obj, form, change)

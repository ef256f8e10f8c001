"""Sign in and out, the language switcher and a person's own profile."""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from . import security
from .forms import EmailAuthenticationForm, ProfileForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@login_not_required
@require_POST
def set_language(request):
    """Switch language, remember it on the profile, and stay on the same page."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and translation.check_for_language(language)
        and request.user.language != language
    ):
        request.user.language = language
        request.user._change_reason = "language switched"
        request.user.save(update_fields=["language"])
    return response


@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance._change_reason = "profile edited"
        form.save()
        messages.success(request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        if form.cleaned_data.get("language"):
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response
    return render(request, "accounts/profile.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link, at most a few times an hour per address and per e-mail.

    Past the per-address limit the page says so (429); past the per-e-mail limit no more mail
    goes out but the page reads as usual, so it tells nobody whether the address has an account.
    """

    def post(self, request, *args, **kwargs):
        uses, seconds = security.limit_for("password-reset-address")
        address = security.client_ip(request)
        if not security.hit("password-reset-address", address, limit=uses, seconds=seconds):
            return security.too_many(request, "password-reset-address")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        uses, seconds = security.limit_for("password-reset-email")
        if not security.hit("password-reset-email", email, limit=uses, seconds=seconds):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password set through the e-mailed link also lifts a sign-in lockout."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response

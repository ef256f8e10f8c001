"""The one-click unsubscribe link of every notification e-mail (workinggroups/notifications.py).

It works without signing in: the signed token names the person and what to stop. Opening the
link (GET) only shows a button, so a mail client or scanner fetching it changes nothing; the
button, and a mail client's own one-click POST (RFC 8058 ``List-Unsubscribe-Post``), stop the
e-mails. Mail clients post without a CSRF token: the signature is what protects the change.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import services

TEMPLATE = "workinggroups/unsubscribe.html"


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, kind: str, token: str):
    """GET: what the link stops, and a button; POST: stop it."""
    context: dict = {"kind": kind, "token": token}
    try:
        if request.method == "POST":
            context["person"] = services.unsubscribe(token=token, kind=kind)
            context["done"] = True
        else:
            context["person"] = services.unsubscribe_check(token=token, kind=kind)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, TEMPLATE, context, status=400)
    return render(request, TEMPLATE, context)

""" "My work" and the landing after sign-in (workinggroups/mywork.py holds the reads)."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from roadmap import figures
from roadmap import selectors as roadmap_selectors

from . import mywork
from .selectors import groups_of


@require_GET
def my_work(request):
    """My action items, my groups' deliverables and milestones due soon or overdue, and the
    latest changes in my groups; an admin's page covers every group of the roadmap."""
    everything = request.user.has_perm("workinggroups.view_all_work")
    roadmap = roadmap_selectors.roadmap_for_request(request)
    today = figures.today()
    found = mywork.my_work(request.user, roadmap, today, everything=everything)
    context = {"today": today, "due_soon_days": mywork.DUE_SOON_DAYS, **found}
    return render(request, "workinggroups/my_work.html", context)


@require_GET
def landing(request):
    """Where sign-in leads (LOGIN_REDIRECT_URL): co-leads and members of an open group to
    "My work", everyone else to the home page."""
    if groups_of(request.user).filter(is_archived=False).exists():
        return redirect("workinggroups:my-work")
    return redirect("home")

"""The roadmaps a person can switch between, for the switcher pages include.

Lazy: a page that shows no switcher runs no query for it.
"""

from django.utils.functional import SimpleLazyObject


def roadmaps(request):
    from .selectors import roadmap_choices, roadmap_for_request

    return {
        "roadmap_choices": SimpleLazyObject(roadmap_choices),
        "chosen_roadmap": SimpleLazyObject(lambda: roadmap_for_request(request)),
    }

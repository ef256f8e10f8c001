"""Role predicates shared by every app; object rules live beside each app's models.

Organisations and people are changed in Django's admin (staff only); no permission here.
"""

import rules


@rules.predicate
def is_roadmap_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_roadmap_admin)


@rules.predicate
def is_reader(user) -> bool:
    return bool(user and user.is_authenticated and user.is_reader)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_focal_point(user) -> bool:
    return bool(user and user.is_authenticated and user.focal_point_society_id)


@rules.predicate
def is_focal_point_of(user, society) -> bool:
    """A focal point of this very National Society."""
    return bool(
        user
        and user.is_authenticated
        and society is not None
        and user.focal_point_society_id == getattr(society, "pk", society)
    )

"""Expose the person's roles to templates, for navigation and edit buttons."""


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_roadmap_admin": False, "is_reader": False, "is_focal_point": False}
    return {
        "is_roadmap_admin": user.is_roadmap_admin,
        "is_reader": user.is_reader,
        "is_focal_point": bool(user.focal_point_society_id),
    }

"""Object permissions of the survey; the views' user-scoped look-ups ask these and nothing else.

The object is the National Society whose response it is (a response may not exist yet), or the
response itself; rounds are the object of the round permissions (admins and readers see every
round, so the predicates do not look at it).
"""

import rules

from accounts.rules import is_focal_point_of, is_reader, is_roadmap_admin


@rules.predicate
def is_focal_point_of_society(user, obj) -> bool:
    """A focal point of the society (an ``Organisation``) or of a response's society."""
    if obj is None:
        return False
    society = obj.society_id if hasattr(obj, "society_id") else obj
    return is_focal_point_of(user, society)


# Object: the society (or the response). A submitted response is locked even for its focal
# points: that rule is surveys.models.is_editable (deadline, submission, reopening).
rules.add_perm("surveys.view_response", is_roadmap_admin | is_reader | is_focal_point_of_society)
rules.add_perm("surveys.change_answers", is_focal_point_of_society)
# Object: the round (or none, for the list of rounds and the questionnaires).
rules.add_perm("surveys.run_round", is_roadmap_admin)
rules.add_perm("surveys.view_results", is_roadmap_admin | is_reader)
# Following a round (tracker, reminders preview, focal points, messages): admins and readers.
rules.add_perm("surveys.follow_round", is_roadmap_admin | is_reader)

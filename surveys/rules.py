"""Object permissions of the survey; views scope their look-ups with the same predicates."""

import rules

from accounts.rules import is_focal_point_of, is_reader, is_roadmap_admin


@rules.predicate
def is_focal_point_of_response(user, response) -> bool:
    return response is not None and is_focal_point_of(user, response.society_id)


rules.add_perm("surveys.view_response", is_roadmap_admin | is_reader | is_focal_point_of_response)
rules.add_perm("surveys.change_answers", is_focal_point_of_response)
rules.add_perm("surveys.run_round", is_roadmap_admin)
rules.add_perm("surveys.view_results", is_roadmap_admin | is_reader)
# Following a round (tracker, reminders preview, focal points, messages): admins and readers.
rules.add_perm("surveys.follow_round", is_roadmap_admin | is_reader)

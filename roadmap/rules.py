"""Who may change what on the roadmap; every signed-in person may read all of it."""

import rules

from accounts.rules import is_reader, is_roadmap_admin, is_signed_in


@rules.predicate
def works_on_result_area(user, result) -> bool:
    """A co-lead or member of a working group covering this result's area."""
    if result is None or not is_signed_in(user):
        return False
    from workinggroups.selectors import person_works_on_area

    return bool(person_works_on_area(user, result.area))


@rules.predicate
def works_on_update_subject(user, update) -> bool:
    """For an update on an expected result: works on the result's area."""
    from .models import ExpectedResult

    subject = getattr(update, "subject", None)
    return isinstance(subject, ExpectedResult) and works_on_result_area(user, subject)


# Readers never edit, whatever else they are.
can_post_update = ~is_reader & (is_roadmap_admin | works_on_result_area)
can_edit_update = ~is_reader & (is_roadmap_admin | works_on_update_subject)

rules.add_perm("roadmap.view_roadmap", is_signed_in)
rules.add_perm("roadmap.add_progressupdate", can_post_update)
rules.add_perm("roadmap.change_progressupdate", can_edit_update)
rules.add_perm("roadmap.add_indicatorvalue", is_roadmap_admin)
rules.add_perm("roadmap.change_indicatorvalue", is_roadmap_admin)
# Object: the indicator value. Withdraw/restore a value, publish/discard a proposed one.
rules.add_perm("roadmap.withdraw_indicatorvalue", is_roadmap_admin)
rules.add_perm("roadmap.review_indicatorvalue", is_roadmap_admin)
rules.add_perm("roadmap.view_evidence", is_signed_in)

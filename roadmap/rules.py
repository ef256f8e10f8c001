"""Who may post and correct progress updates and indicator values on the roadmap.

The policy for progress updates is written once, here, for every kind of subject (expected
results and working-group deliverables): admins correct any update; people who lead the
subject correct any update on it; people who work on it post updates and correct their own;
readers edit nothing. Who leads or works on a subject is decided by the app that organises
people (working groups): it registers its predicates with ``register_subject_scope`` at start-up,
so this base app never imports it. A subject nobody registered is admins' alone.
"""

from collections.abc import Callable

import rules

from accounts.rules import is_reader, is_roadmap_admin, is_signed_in

# Subject model -> (leads(user, subject), works_on(user, subject)).
_SUBJECT_SCOPES: dict[type, tuple[Callable, Callable]] = {}


def register_subject_scope(model: type, *, leads: Callable, works_on: Callable) -> None:
    """Say who leads and who works on subjects of this model (called from another app's rules)."""
    _SUBJECT_SCOPES[model] = (leads, works_on)


def _scope(subject) -> tuple[Callable, Callable] | None:
    return _SUBJECT_SCOPES.get(type(subject)._meta.concrete_model) if subject is not None else None


@rules.predicate
def leads_subject(user, subject) -> bool:
    scope = _scope(subject)
    return bool(scope and is_signed_in(user) and scope[0](user, subject))


@rules.predicate
def works_on_subject(user, subject) -> bool:
    scope = _scope(subject)
    return bool(scope and is_signed_in(user) and scope[1](user, subject))


@rules.predicate
def leads_update_subject(user, update) -> bool:
    return update is not None and leads_subject(user, update.subject)


@rules.predicate
def wrote_update_on_own_work(user, update) -> bool:
    """The author of the update, still working on its subject."""
    return (
        update is not None
        and update.author_id == getattr(user, "pk", None)
        and works_on_subject(user, update.subject)
    )


# Readers never edit, whatever else they are.
can_post_update = ~is_reader & (is_roadmap_admin | leads_subject | works_on_subject)
can_correct_update = ~is_reader & (
    is_roadmap_admin | leads_update_subject | wrote_update_on_own_work
)

# Object: the subject (an expected result or a deliverable).
rules.add_perm("roadmap.add_progressupdate", can_post_update)
# Object: the update.
rules.add_perm("roadmap.change_progressupdate", can_correct_update)
# Object: the indicator / the indicator value.
rules.add_perm("roadmap.add_indicatorvalue", is_roadmap_admin)
rules.add_perm("roadmap.change_indicatorvalue", is_roadmap_admin)
# Object: the indicator value. Withdraw/restore a value, publish/discard a proposed one.
rules.add_perm("roadmap.withdraw_indicatorvalue", is_roadmap_admin)
rules.add_perm("roadmap.review_indicatorvalue", is_roadmap_admin)
# Object: the evidence; everybody signed in reads the roadmap and the working groups.
rules.add_perm("roadmap.view_evidence", is_signed_in)
# No object: start the roadmap that follows another (roadmap.services.roadmap_create_successor).
rules.add_perm("roadmap.create_successor", is_roadmap_admin)

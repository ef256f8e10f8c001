"""Who may see a job: the person who started it, and admins."""

import rules

from accounts.rules import is_roadmap_admin


@rules.predicate
def is_job_owner(user, job) -> bool:
    return bool(job is not None and user.is_authenticated and job.owner_id == user.pk)


rules.add_perm("jobs.view_job", is_job_owner | is_roadmap_admin)

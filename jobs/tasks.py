"""The task the worker runs for every job (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def run_job(job_id: int) -> None:
    """Run one queued job; the job records its own progress, result and errors."""
    from jobs.services import job_execute

    job_execute(job_id=job_id)

"""Background tasks of reports (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def generate_report_pdf(run_id: int) -> None:
    """Lay out and archive one report run; the run records its own status and error."""
    from reports.services import run_execute

    run_execute(run_id=run_id)

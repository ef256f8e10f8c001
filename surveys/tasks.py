"""Background tasks of the survey (run by `manage.py db_worker`)."""

from django_tasks import task


@task()
def send_round_messages(log_ids: list[int]) -> None:
    """Send round e-mails written and logged as queued; each log row records how it went."""
    from surveys.notifications import messages_send

    messages_send(log_ids=log_ids)

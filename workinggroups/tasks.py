"""Background tasks of the working groups (run by `manage.py db_worker`): e-mail notifications."""

from django_tasks import task


@task()
def send_assignment_mail(
    item_id: int, owner_id: int, assigned_by_id: int | None, period_key: str
) -> None:
    """Tell a person an action item was assigned to them (logged; sent once)."""
    from .notifications import assignment_send

    assignment_send(
        item_id=item_id, owner_id=owner_id, assigned_by_id=assigned_by_id, period_key=period_key
    )


@task()
def send_digests_task(frequency: str) -> dict:
    """The digests of one frequency, as ``manage.py send_digests --queue`` hands them over."""
    from .digests import send_digests

    return send_digests(frequency=frequency).as_dict()

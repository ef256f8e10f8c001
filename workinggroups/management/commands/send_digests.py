"""E-mail the digest of what is due, overdue and changed to everyone who chose this frequency."""

from django.core.management.base import BaseCommand

from accounts.models import DigestFrequency
from workinggroups.digests import send_digests


class Command(BaseCommand):
    help = (
        "Send the e-mail digest (weekly or daily) to everyone who chose it; a period's digest "
        "goes once, so running it again sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[DigestFrequency.WEEKLY.value, DigestFrequency.DAILY.value],
            default=DigestFrequency.WEEKLY.value,
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get a digest; send nothing."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the sending to the task worker (manage.py db_worker) and return at once.",
        )

    def handle(self, *args, frequency, dry_run, queue, **options):
        if queue and not dry_run:
            from workinggroups.tasks import send_digests_task

            result = send_digests_task.enqueue(frequency)
            self.stdout.write(f"The {frequency} digests are queued for the worker ({result.id}).")
            return
        run = send_digests(frequency=frequency, dry_run=dry_run)
        if dry_run:
            for email in run.would_send:
                self.stdout.write(f"would send to {email}")
            self.stdout.write(
                f"Dry run, {frequency} digest {run.period_key}: {len(run.would_send)} would be "
                f"sent, {run.empty} empty, {run.already} sent already."
            )
            return
        self.stdout.write(
            f"{frequency.capitalize()} digest {run.period_key}: {len(run.sent)} sent, "
            f"{len(run.failed)} not delivered, {run.empty} empty (not sent), "
            f"{run.already} sent already."
        )

"""Remove background jobs and their result files older than JOB_RESULT_DAYS (daily from cron)."""

from django.core.management.base import BaseCommand

from jobs.services import jobs_purge


class Command(BaseCommand):
    help = "Remove finished jobs whose results have expired (JOB_RESULT_DAYS), with their files."

    def handle(self, *args, **options):
        removed = jobs_purge()
        self.stdout.write(f"{removed} expired job(s) removed.")

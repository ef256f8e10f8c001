"""Back up the database and uploaded files into one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the database and uploaded files to a .tar.gz (pg_dump on PostgreSQL, the backup API on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", type=Path, help="Archive to write (default: backups/<timestamp>.tar.gz)"
        )

    def handle(self, *args, out=None, **options):
        out = out or Path("backups") / f"mhpss-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            path = backup(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written to {path}")

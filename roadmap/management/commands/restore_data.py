"""Restore the database and uploaded files from an archive made by backup_data."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with those in a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input(
                f"This replaces ALL current data with {archive}. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            restore(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {archive}")

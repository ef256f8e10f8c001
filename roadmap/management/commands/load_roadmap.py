"""Load the reference data: National Societies, the roadmap, working groups, questionnaire."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from roadmap.seed import load_all, load_content_translations

# Each app that ships reference data exposes `seed.load_reference_data(stdout=...)`.
APP_SEEDS = ["workinggroups.seed", "surveys.seed", "reports.seed"]


class Command(BaseCommand):
    help = "Create the roadmap reference data that is missing; never overwrites edits."

    @transaction.atomic
    def handle(self, *args, **options):
        counter = load_all(stdout=self.stdout)
        self.stdout.write(f"Roadmap: {counter}.")
        for module_name in APP_SEEDS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.load_reference_data(stdout=self.stdout)
        # Last: the working groups it translates are loaded by their own app's seed.
        self.stdout.write(f"Translations: {load_content_translations()}.")

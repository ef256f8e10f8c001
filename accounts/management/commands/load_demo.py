"""Create the demo accounts and each app's demo data (idempotent)."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo

# Each app that has demo data exposes `demo.load(stdout=...)`; order matters.
APP_DEMOS = [
    "roadmap.demo",
    "workinggroups.demo",
    "surveys.demo",
    # The roadmap that followed (current), after the first one's groups and rounds; the demo
    # report covers it.
    "workinggroups.demo_successor",
    "reports.demo",
    "public.demo",
]


class Command(BaseCommand):
    help = "Create the demo accounts (password 'roadmap-demo') and demo data that is missing."

    @transaction.atomic
    def handle(self, *args, **options):
        demo.load(stdout=self.stdout)
        for module_name in APP_DEMOS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.load(stdout=self.stdout)

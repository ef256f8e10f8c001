"""Load the reference data: National Societies, the roadmap, working groups, questionnaire."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from roadmap.seed import load_all, load_content_translations


def app_seeds() -> list:
    """The ``seed`` module of every installed app above the roadmap that ships reference data
    (a ``load_reference_data(stdout=...)`` function), in INSTALLED_APPS order: each app owns
    its own, and this base app names none of them."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.seed"
        if config.name == "roadmap" or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if hasattr(module, "load_reference_data"):
            found.append(module)
    return found


class Command(BaseCommand):
    help = "Create the roadmap reference data that is missing; never overwrites edits."

    @transaction.atomic
    def handle(self, *args, **options):
        counter = load_all(stdout=self.stdout)
        self.stdout.write(f"Roadmap: {counter}.")
        self.stdout.write(f"Translations: {load_content_translations()}.")
        for module in app_seeds():
            module.load_reference_data(stdout=self.stdout)

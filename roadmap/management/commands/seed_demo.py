"""Generate the synthetic demo data set (`--scale N`) for demonstrations and the benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from roadmap import synthetic


class Command(BaseCommand):
    help = (
        "Create a synthetic, clearly marked ([demo], is_demo) data set at Movement scale: "
        "about 190 × N societies (real ones, then demo ones in real countries) with "
        "focal points, working-group members, deliverables with updates and evidence, survey "
        "answers over `--rounds` survey rounds, resources, and a history record for every "
        "row. Needs `load_roadmap` first. Never run it on a real database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply every count by N.")
        parser.add_argument(
            "--rounds",
            type=int,
            default=None,
            help=(
                "Survey rounds in all, each answered by every society: the reference rounds "
                "and closed demo rounds of the years before them (default: the reference "
                "rounds only)."
            ),
        )
        parser.add_argument(
            "--tiny", action="store_true", help="A few rows per kind (for tests and trials)."
        )
        parser.add_argument(
            "--add",
            action="store_true",
            help="Add another batch even though demo data exists already.",
        )

    def handle(self, *args, scale, rounds, tiny, add, **options):
        if scale < 1:
            raise CommandError("--scale is a whole number from 1.")
        if rounds is not None and rounds < 1:
            raise CommandError("--rounds is a whole number from 1.")
        if synthetic.is_seeded() and not add:
            raise CommandError("Demo data exists already; pass --add to add another batch.")
        sizes = synthetic.Sizes(**synthetic.TINY) if tiny else synthetic.Sizes()
        sizes.rounds = rounds
        started = time.perf_counter()
        try:
            counts = synthetic.generate(scale=scale, sizes=sizes)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        self.stdout.write(f"Demo data at scale {scale} in {elapsed:.1f} s: {summary}.")

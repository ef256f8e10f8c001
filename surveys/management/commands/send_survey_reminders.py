"""E-mail a reminder to every National Society that has not submitted a round."""

from django.core.management.base import BaseCommand, CommandError

from surveys.models import SurveyRound
from surveys.services import reminders_send


class Command(BaseCommand):
    help = "Send reminder e-mails to societies that have not submitted the given round."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id")

    def handle(self, *args, round_id, **options):
        survey_round = SurveyRound.objects.filter(pk=round_id).first()
        if survey_round is None:
            raise CommandError(f"No survey round with id {round_id}.")
        if survey_round.state != SurveyRound.State.OPEN:
            raise CommandError(f"The round {survey_round} is not open.")
        # Same rules as the button: no second reminder within REMINDER_MIN_INTERVAL_HOURS.
        result = reminders_send(survey_round=survey_round)
        self.stdout.write(
            f"Reminders sent to {len(result['to_send'])} societies; "
            f"{len(result['skipped'])} skipped (submitted, no focal point or recently reminded)."
        )

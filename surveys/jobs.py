"""Background jobs of surveys: the answers export of a large round."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from jobs.registry import register
from jobs.services import job_attach

from . import exports, selectors
from .forms import ExportForm
from .models import Answer, SurveyRound


def answers_in(survey_round: SurveyRound) -> int:
    """How many answers the round holds (one index range: responses of the round)."""
    return Answer.objects.filter(response_id__in=survey_round.responses.values("pk")).count()


def is_large(survey_round: SurveyRound) -> bool:
    """Above this the export leaves the request (settings.EXPORT_INLINE_MAX_ROWS answers)."""
    return answers_in(survey_round) > settings.EXPORT_INLINE_MAX_ROWS


def _prepare(request, data):
    if not request.user.has_perm("surveys.view_results"):
        raise Http404
    survey_round = get_object_or_404(
        selectors.rounds_for_user(request.user), pk=str(data.get("round", "")) or 0
    )
    form = ExportForm(data)
    if not form.is_valid():
        raise ValidationError(_("Choose a format, layout and language."))
    params = {"round": survey_round.pk, **form.cleaned_data}
    title = _("Answers of %(round)s (%(format)s)") % {
        "round": survey_round.display_name,
        "format": form.cleaned_data["format"].upper(),
    }
    layout = form.cleaned_data["layout"]
    if layout == "codebook":
        total = survey_round.questionnaire.questions.count()
    elif layout == "wide":
        total = survey_round.responses.count()
    else:
        total = answers_in(survey_round)
    return title, params, total


@register("surveys.round_export", prepare=_prepare)
def round_export(job, progress):
    survey_round = SurveyRound.objects.select_related("questionnaire").get(pk=job.params["round"])
    response = exports.round_export(
        survey_round,
        fmt=job.params["format"],
        layout=job.params["layout"],
        language=job.params["language"],
        values=job.params.get("values") or "labels",
        progress=lambda rows: progress(rows),
    )
    # The same bytes the download would stream, gathered into the job's result file.
    content = b"".join(
        chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
        for chunk in response.streaming_content
    )
    name = response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    job_attach(job=job, name=name, content=content)
    job.message = _("The export is ready.")

"""Background jobs of surveys: the answers export of a large round, the questionnaire import."""

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.registry import register
from jobs.services import JobError, job_attach

from . import exports, selectors, xlsform
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


# ---------------------------------------------------------------- questionnaire (XLSForm) import


def import_dir() -> Path:
    """Uploaded forms wait here (random names, outside static/) between the check and the write."""
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _problems(problems) -> list[dict]:
    """XLSForm problems as a job's errors by row: the sheet goes with the column."""
    return [
        {
            "row": problem.row or "",
            "column": f"{problem.sheet}: {problem.column}" if problem.column else problem.sheet,
            "message": str(problem.reason),
        }
        for problem in problems
    ]


def _form_file(job) -> io.BytesIO:
    if not job.owner.has_perm("surveys.run_round"):
        raise JobError(_("You can no longer import questionnaires."))
    path = import_dir() / job.params["file"]
    if not path.exists():
        raise JobError(_("Upload the file again: the checked file has expired."))
    return io.BytesIO(path.read_bytes())


@register("questionnaires.check", result_template="surveys/includes/xlsform_check_result.html")
def questionnaire_check(job, progress):
    """Read and check the form, nothing written: what it creates, what is ignored, or why not."""
    upload = _form_file(job)
    progress(0, force=True)
    try:
        plan = xlsform.read_xlsform(upload, name=job.params["name"])
    except xlsform.XLSFormError as error:
        job.errors = _problems(error.errors)
        job.summary = {"valid": False}
        job.message = ngettext(
            "The form was not imported; nothing was created: %(count)s problem.",
            "The form was not imported; nothing was created: %(count)s problems.",
            len(error.errors),
        ) % {"count": len(error.errors)}
        (import_dir() / job.params["file"]).unlink(missing_ok=True)
        return
    job.summary = {
        "valid": True,
        "title": plan.title,
        "questions": len(plan.questions),
        "sections": len(plan.sections),
        "choices": plan.choice_count,
        "languages": [key for key, _code in plan.languages],
        # As the reader wrote them: the page words each one by sheet, row and column.
        "warnings": [
            {"sheet": w.sheet, "row": w.row, "column": w.column, "reason": str(w.reason)}
            for w in plan.warnings[:200]
        ],
        "warning_count": len(plan.warnings),
    }
    job.message = _("The form was checked; nothing was written yet.")


@register("questionnaires.write", result_template="surveys/includes/xlsform_write_result.html")
def questionnaire_write(job, progress):
    """Create the checked questionnaire, all of it or nothing."""
    try:
        upload = _form_file(job)
        try:
            questionnaire = xlsform.import_xlsform(upload, name=job.params["name"])
        except xlsform.XLSFormError as error:
            # Checked a minute ago; a questionnaire created meanwhile with the name gets here.
            raise JobError(
                _("The form was not imported; nothing was created."), _problems(error.errors)
            ) from error
    finally:
        (import_dir() / job.params["file"]).unlink(missing_ok=True)
    job.summary = {"questionnaire": questionnaire.pk, "name": questionnaire.name}
    job.message = _("Questionnaire %(name)s created.") % {"name": questionnaire.name}

"""Measurements that run inside Django, one per subprocess: `python -m benchmarks.measure KIND`.

Each prints one JSON object on its last line. The orchestrator (`benchmarks.__main__`) runs them
against the bench database with DJANGO_SETTINGS_MODULE=benchmarks.settings, in a fresh process
so that peak memory (ru_maxrss) belongs to the measured work alone.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import sys
import tempfile
import time
import zipfile


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(args) -> dict:
    """Query counts, sessions for the HTTP benchmarks and the URLs they request."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from benchmarks.pages import find_targets, latency_pages, query_counts
    from surveys.models import Question, Response, SurveyRound

    targets = find_targets()
    started = time.perf_counter()
    counts = query_counts(targets)
    counts_seconds = time.perf_counter() - started

    def session_for(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    # Autosave: a focal point whose society has not started the open round, so the answer's
    # version goes 0, 1, 2 … with each request and no save ever conflicts.
    open_round = SurveyRound.objects.filter(state=SurveyRound.State.OPEN).order_by("-year").first()
    autosave = None
    if open_round:
        answered = Response.objects.filter(round=open_round).values("society_id")
        focal = (
            User.objects.filter(is_active=True, is_focal_point=True)
            .exclude(organisation_id__in=answered)
            .order_by("email")
            .first()
        )
        question = (
            Question.objects.filter(
                questionnaire_id=open_round.questionnaire_id, kind=Question.Kind.TEXT, relevant=""
            )
            .order_by("section__order", "order")
            .first()
        )
        if focal and question:
            society = focal.organisation_id
            autosave = {
                "session": session_for(focal),
                "form": reverse("surveys:response-form", args=[open_round.pk, society])
                + f"?section={question.section_id}",
                "url": reverse("surveys:answer-save", args=[open_round.pk, society, question.pk]),
                "question": question.pk,
            }
    return {
        "query_counts": counts,
        "query_counts_seconds": round(counts_seconds, 1),
        "session": session_for(targets.admin),
        "pages": latency_pages(targets),
        "trivial": reverse("bench-trivial"),
        "trivial_old": reverse("bench-trivial-old"),
        "questionnaire_import": reverse("surveys:questionnaire-import"),
        "autosave": autosave,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def report(args) -> dict:
    """The full PDF against WeasyPrint alone laying out the same final HTML."""
    from reports.models import ReportEdition
    from reports.rendering import html_to_pdf, report_html, report_pdf

    edition = ReportEdition.objects.order_by("id").first()
    if edition is None:
        return {"error": "no report edition"}
    # Start Pango and load the fonts once, untimed: both timings below then start warm.
    html_to_pdf("<html lang='en'><head><title>warm</title></head><body><p>warm</p></body></html>")
    # Alternate the two, best of `repeat`: a neighbour's burst of work hits one run, not the ratio.
    full = alone = float("inf")
    peak = 0.0
    for _attempt in range(args.repeat):
        started = time.perf_counter()
        pdf = report_pdf(edition, "en")
        full = min(full, time.perf_counter() - started)
        peak = peak or _peak_mb()  # after the first full report: its peak, nothing else's
        html = report_html(edition, "en", for_pdf=True)
        started = time.perf_counter()
        html_to_pdf(html)
        alone = min(alone, time.perf_counter() - started)
    return {
        "full_seconds": round(full, 3),
        "weasyprint_seconds": round(alone, 3),
        "ratio": round(full / alone, 2),
        "peak_mb": round(peak, 1),
        "bytes": len(pdf),
    }


def _sheet_rows(content: bytes) -> int:
    """Rows of the first sheet of an XLSX file, counted in its XML (fast even at 100,000s)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        count, tail = 0, b""
        with archive.open(name) as sheet:
            for chunk in iter(lambda: sheet.read(1 << 20), b""):
                # Keep the last bytes of the previous chunk: a tag may straddle the boundary.
                data = tail + chunk
                count += data.count(b"<row")
                tail = data[-3:]  # too short to hold a whole "<row": never counted twice
        return count


def export(args) -> dict:
    """All answers as XLSX (one row per answer, every round) against openpyxl alone."""
    from django.utils import translation
    from openpyxl import Workbook

    from surveys import exports
    from surveys.models import Answer, SurveyRound
    from surveys.selectors import questionnaire_sections

    rounds = list(SurveyRound.objects.order_by("year", "id"))
    export_seconds = openpyxl_seconds = 0.0
    rows_written = answers = 0
    for survey_round in rounds:
        answers += Answer.objects.filter(response__round=survey_round).count()
        cells = None
        if not args.no_baseline:
            # The same cells, gathered beforehand (untimed), for openpyxl to write directly.
            questions = []
            for section in questionnaire_sections(survey_round.questionnaire):
                for question in section.questions.all():
                    question.section = section  # as the export does: no query per row
                    questions.append(question)
            with translation.override("en"):
                cells = list(exports._long_rows(survey_round, questions))
        best_export = best_openpyxl = float("inf")
        # Alternate the two, best of `repeat`, so that machine noise does not make the ratio.
        for _attempt in range(1 if cells is None else args.repeat):
            started = time.perf_counter()
            response = exports.round_export(survey_round, fmt="xlsx", layout="long", language="en")
            content = b"".join(response)
            best_export = min(best_export, time.perf_counter() - started)
            if cells is None:
                continue
            started = time.perf_counter()
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(title="answers")
            for row in cells:
                sheet.append(row)
            with tempfile.TemporaryFile() as handle:
                workbook.save(handle)
            best_openpyxl = min(best_openpyxl, time.perf_counter() - started)
        export_seconds += best_export
        if cells is not None:
            openpyxl_seconds += best_openpyxl
        rows_written += _sheet_rows(content) - 1  # the header
    result = {
        "rounds": len(rounds),
        "answers": answers,
        "rows": rows_written,
        "complete": rows_written == answers,
        "export_seconds": round(export_seconds, 2),
        "peak_mb": round(_peak_mb(), 1),
    }
    if openpyxl_seconds:
        result["openpyxl_seconds"] = round(openpyxl_seconds, 2)
        result["ratio"] = round(export_seconds / openpyxl_seconds, 2)
    return result


def import_sheet(args) -> dict:
    """Import a 5,000-row resource sheet (CSV) into one group, as the confirm step does."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Organisation, User
    from workinggroups.models import WorkingGroup
    from workinggroups.resources import IMPORT_COLUMNS
    from workinggroups.services import resources_import

    admin = User.objects.filter(is_active=True, role=User.Role.ADMIN).order_by("id").first()
    group = WorkingGroup.objects.top_level().order_by("number").first()
    names = list(Organisation.objects.order_by("id").values_list("name", flat=True)[:50])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=IMPORT_COLUMNS)
    writer.writeheader()
    kinds = ["pss_course", "me_tool", "contact", "stigma", "digital", "donor", "other"]
    for i in range(args.rows):
        writer.writerow(
            {
                "title": f"[demo] Imported resource {i + 1}",
                "kind": kinds[i % len(kinds)],
                "organisation": names[i % len(names)],
                "countries": "KE, LB",
                "regions": "africa, mena",
                "languages": "English, French",
                "layer": "basic_pss",
                "link": f"https://example.org/demo/import/{i + 1}",
                "notes": "Imported by the benchmark.",
            }
        )
    data = buffer.getvalue().encode("utf-8")
    started = time.perf_counter()
    outcome = resources_import(
        uploaded=SimpleUploadedFile("resources.csv", data),
        group=group,
        user=admin,
        dry_run=False,
    )
    seconds = time.perf_counter() - started
    return {
        "rows": args.rows,
        "valid": bool(outcome.is_valid),
        "seconds": round(seconds, 2),
        "ms_per_row": round(1000 * seconds / args.rows, 2),
        "peak_mb": round(_peak_mb(), 1),
    }


def _largest_round():
    from django.db.models import Count

    from surveys.models import SurveyRound

    return (
        SurveyRound.objects.annotate(n=Count("responses__answers"))
        .order_by("-n", "-year", "-id")
        .first()
    )


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def plan(args) -> dict:
    """What the round export's SQL reads: EXPLAIN ANALYZE of every statement it sends on the
    round with the most answers; rows read from the answer table (returned plus removed by a
    filter) against the round's own answers and all rounds', and any sort that spilled to disk."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from surveys import exports

    survey_round = _largest_round()
    with CaptureQueriesContext(connection) as captured:
        b"".join(exports.round_export(survey_round, fmt="xlsx", layout="long", language="en"))
    result = _reads(captured.captured_queries, survey_round)
    # The results page of the round the latency bench opens (the latest), read the same way.
    from benchmarks.pages import find_targets
    from surveys import selectors

    latest = find_targets().survey_round
    with CaptureQueriesContext(connection) as captured:
        selectors.results(latest)
    result["results"] = _reads(captured.captured_queries, latest)
    return result


def _reads(queries, survey_round) -> dict:
    """EXPLAIN ANALYZE of each SELECT: answer rows read, against the round's answers."""
    from django.db import connection

    from surveys.models import Answer

    table = Answer._meta.db_table
    read = statements = 0
    disk_sorts: list[str] = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            tree = cursor.fetchone()[0]
            tree = json.loads(tree) if isinstance(tree, str) else tree
            for node in _plan_nodes(tree[0]["Plan"]):
                if node.get("Sort Space Type") == "Disk":
                    disk_sorts.append(node.get("Sort Method", "sort"))
                if node.get("Relation Name") == table:
                    loops = node.get("Actual Loops", 1)
                    removed = node.get("Rows Removed by Filter", 0) + node.get(
                        "Rows Removed by Index Recheck", 0
                    )
                    read += (node.get("Actual Rows", 0) + removed) * loops
                    statements += 1
    round_answers = Answer.objects.filter(response__round=survey_round).count()
    return {
        "round": survey_round.name,
        "round_answers": round_answers,
        "all_answers": Answer.objects.count(),
        "answer_rows_read": read,
        "answer_statements": statements,
        "reads_only_the_round": read <= round_answers,
        "disk_sorts": disk_sorts,
    }


def export_round(args) -> dict:
    """One large export, as a task worker runs it: the round with the most answers, XLSX."""
    from surveys import exports

    survey_round = _largest_round()
    started = time.perf_counter()
    content = b"".join(
        exports.round_export(survey_round, fmt="xlsx", layout=args.layout, language="en")
    )
    return {
        "round": survey_round.name,
        "layout": args.layout,
        "rows": _sheet_rows(content) - 1,
        "seconds": round(time.perf_counter() - started, 2),
    }


KINDS = {
    "prepare": prepare,
    "report": report,
    "export": export,
    "import": import_sheet,
    "plan": plan,
    "export-round": export_round,
}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument(
        "--no-baseline", action="store_true", help="export: skip openpyxl alone (completeness only)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="report, export: best of N")
    parser.add_argument("--rows", type=int, default=5000, help="import: rows in the sheet")
    parser.add_argument("--layout", default="long", help="export-round: long or wide")
    args = parser.parse_args(argv)
    _setup()
    result = KINDS[args.kind](args)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

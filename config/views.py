"""Project-wide views: the health check that monitoring and load balancers call."""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, stuck_since
from reports.models import ReportRun

# A task still waiting after this long means no worker is taking work.
WORKER_STALL_AFTER = datetime.timedelta(minutes=5)
# On SQLite, a writer that cannot begin within this wait means someone holds the write lock:
# every sign-in and autosave would wait on it (and fail past the busy timeout).
WRITE_LOCK_WAIT_MS = 1000


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return "error"
    return "ok"


def _sqlite_write_lock() -> str | None:
    """On SQLite, why a write could not begin within WRITE_LOCK_WAIT_MS; None when it could.

    ``BEGIN IMMEDIATE`` takes the write lock (and gives it back at once) with a short busy
    timeout instead of the configured one. Inside a transaction the connection holds its own
    lock state, so there is nothing to learn (requests run in autocommit).
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        configured = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA busy_timeout = {WRITE_LOCK_WAIT_MS}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
        except OperationalError as error:
            return (
                f"the database has been write-locked for more than {WRITE_LOCK_WAIT_MS} ms "
                f"by another connection ({error}): writes wait or fail"
            )
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {configured}")
    return None


def _stuck_tasks() -> dict:
    """Report runs, jobs and worker tasks still running past TASK_TIME_LIMIT_MINUTES: their
    worker died (the next worker marks the runs and jobs failed; the person may try again)."""
    since = stuck_since()
    return {
        "report_runs": ReportRun.objects.stuck().count(),
        "jobs": Job.objects.stuck().count(),
        "worker_tasks": DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=since
        ).count(),
    }


def _worker_status() -> dict:
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    last_finished = (
        DBTaskResult.objects.exclude(finished_at=None)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    waiting = ready.count()
    status, reasons = "ok", []
    if oldest is not None and timezone.now() - oldest > WORKER_STALL_AFTER:
        status = "stalled"
        reasons.append(f"no worker took a task waiting since {oldest.isoformat()}")
    stuck = _stuck_tasks()
    if any(stuck.values()):
        status = "stuck"
        reasons.append(
            f"running for more than {settings.TASK_TIME_LIMIT_MINUTES} minutes (worker died): "
            + ", ".join(f"{count} {kind}" for kind, count in stuck.items() if count)
        )
    return {
        "status": status,
        "reasons": reasons,
        "stuck": stuck,
        "waiting_tasks": waiting,
        "oldest_waiting_since": oldest.isoformat() if oldest else None,
        "last_task_finished_at": last_finished.isoformat() if last_finished else None,
    }


@login_not_required
@never_cache
@require_GET
def health(request):
    """200 when the database answers and takes writes and the task queue moves; 503 otherwise."""
    database, reasons = _database_status(), []
    if database == "ok" and (locked := _sqlite_write_lock()):
        database, reasons = "locked", [locked]
    # A write-locked SQLite database still answers reads (WAL): the worker is still reported.
    worker = _worker_status() if database != "error" else {"status": "unknown"}
    healthy = database == "ok" and worker["status"] == "ok"
    body = {"status": "ok" if healthy else "error", "database": database, "worker": worker}
    if reasons:
        body["database_reasons"] = reasons
    return JsonResponse(body, status=200 if healthy else 503)

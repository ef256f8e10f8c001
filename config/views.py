"""Project-wide views: the health check that monitoring and load balancers call."""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

# A task still waiting after this long means no worker is taking work.
WORKER_STALL_AFTER = datetime.timedelta(minutes=5)


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        return "error"
    return "ok"


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
    status = "ok"
    if oldest is not None and timezone.now() - oldest > WORKER_STALL_AFTER:
        status = "stalled"
    return {
        "status": status,
        "waiting_tasks": waiting,
        "oldest_waiting_since": oldest.isoformat() if oldest else None,
        "last_task_finished_at": last_finished.isoformat() if last_finished else None,
    }


@login_not_required
@never_cache
@require_GET
def health(request):
    """200 when the database answers and the task queue moves; 503 otherwise."""
    database = _database_status()
    worker = _worker_status() if database == "ok" else {"status": "unknown"}
    healthy = database == "ok" and worker["status"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "worker": worker},
        status=200 if healthy else 503,
    )

"""Gunicorn in production: processes and threads from the CPU count, bounded requests, logs.

Every value can be changed from the environment (GUNICORN_*), e.g. GUNICORN_WORKERS=8.
Start with: gunicorn -c deploy/gunicorn.conf.py
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}.") from None


cpus = multiprocessing.cpu_count()

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads let one process wait on PostgreSQL for several requests; processes use the cores.
# Two processes per core, four threads each: 16 requests in flight on 2 cores, and as many
# database connections (CONN_MAX_AGE keeps one per thread), well under PostgreSQL's 100.
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", 2 * cpus)
threads = _int("GUNICORN_THREADS", 4)

# Slow work (imports, large exports, PDFs) runs in the task worker, so a request taking longer
# than this is stuck: gunicorn kills and replaces that process.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On HUP or a deploy, let requests in flight finish before the old processes exit.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle each process after a while so a slow leak never grows without bound; the jitter keeps
# the processes from all restarting at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Load the app once, before forking: a broken setting stops start-up instead of every worker.
preload_app = True

# The proxy in front (deploy/nginx.conf) sets X-Forwarded-For/Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client address from the proxy, the time taken in microseconds (%(D)s).
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
# gunicorn's control socket (one fixed path per user) would clash between two servers on one
# machine (CI, bench); nothing here uses it.
control_socket_disable = True


def post_worker_init(worker):
    """Before a worker takes its first request: compile the templates and load the catalogues
    (config/warmup.py), so that the first people after a start or a restart do not wait for it."""
    from config.warmup import warm_up

    warm_up()

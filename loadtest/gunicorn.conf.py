"""Gunicorn for the load test: loopback only, a few threaded workers that gunicorn restarts.

As deploy/gunicorn.conf.py: gthread workers, so that one process serves other requests while
a request waits on PostgreSQL (an autosave is mostly waiting: a transaction of a few short
statements); LOADTEST_WORKERS processes (2 on this 2-core machine) of LOADTEST_THREADS threads.
"""

import os

bind = f"127.0.0.1:{os.environ.get('LOADTEST_PORT', '8777')}"
workers = int(os.environ.get("LOADTEST_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("LOADTEST_THREADS", "4"))
timeout = 60
graceful_timeout = 10
# Longer than any think time: the simulated people keep their connection between requests (as
# a browser does), and a connection the server closes while idle races with the next request
# sent on it (a ConnectionError on the client, though the server did nothing wrong). Behind
# nginx (deploy/) the browser's keep-alive ends at nginx.
keepalive = 30
accesslog = None
errorlog = "-"
loglevel = "warning"
wsgi_app = "config.wsgi:application"
# As production (deploy/gunicorn.conf.py): the app is imported once, before the workers fork.
preload_app = True
control_socket_disable = True


def post_worker_init(worker):
    """As production: each worker compiles the templates before its first request."""
    from config.warmup import warm_up

    warm_up()

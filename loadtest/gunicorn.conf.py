"""Gunicorn for the load test: loopback only, a few synchronous workers that gunicorn restarts."""

import os

bind = f"127.0.0.1:{os.environ.get('LOADTEST_PORT', '8777')}"
workers = int(os.environ.get("LOADTEST_WORKERS", "3"))
worker_class = "sync"
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
wsgi_app = "config.wsgi:application"

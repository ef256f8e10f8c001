"""Gunicorn for the latency benchmark: loopback only, one synchronous worker.

One worker because the client sends one request at a time and the machine has two cores: the
second core runs the client and PostgreSQL.
"""

import os

bind = f"127.0.0.1:{os.environ.get('BENCH_PORT', '8765')}"
workers = 1
worker_class = "sync"
timeout = 120
accesslog = None
errorlog = "-"
loglevel = "warning"
wsgi_app = "config.wsgi:application"

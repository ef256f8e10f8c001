"""Middleware of the bench settings: how long Django took, in a Server-Timing header.

The latency benchmark reads it so that the figure is the server's time, without the client's
own work; it sits first in the middleware so it covers every other middleware too.
"""

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={1000 * (time.perf_counter() - started):.3f}"
        return response

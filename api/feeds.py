"""What every token request goes through: the log, and conditional GET (ETag → 304)."""

import functools
import hashlib

from django.utils.cache import get_conditional_response

from . import services


def with_etag(response, request):
    """An ETag for a 200 answer to GET, and a 304 when the client already has it."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return response
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    response.setdefault("Cache-Control", "private, no-cache")
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def logged(view):
    """Log a request made with a token (after the answer, with its status)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response = with_etag(response, request)
        token = getattr(request, "api_token", None)
        if token is not None:
            services.request_log(
                token=token,
                method=request.method,
                path=request.get_full_path(),
                status=response.status_code,
            )
        return response

    return wrapped

"""Smoke check of a running server: /health/, a sign-in with its CSRF token, a compressed static file.

    python deploy/smoke.py http://127.0.0.1:8000 EMAIL PASSWORD

Standard library only, so it runs against `make serve` with the runtime set installed. Cookies
are carried by hand: the production cookies are Secure, which a client keeps off plain HTTP.
"""

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _request(url: str, *, data: dict | None = None, headers: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    try:
        return _opener.open(request, timeout=15)
    except urllib.error.HTTPError as error:  # 3xx and 4xx come back here without redirects
        return error


def _cookies(response) -> dict:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def main(base: str, email: str, password: str) -> None:
    failures = []

    health = _request(f"{base}/health/")
    payload = json.loads(health.read())
    print(f"/health/: {health.status} {payload['status']}")
    if health.status != 200 or payload["status"] != "ok":
        failures.append(f"/health/ answered {health.status} {payload}")

    login_url = f"{base}/accounts/login/"
    page = _request(login_url)
    html = page.read().decode()
    jar = _cookies(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token or "csrftoken" not in jar:
        failures.append("the sign-in page carries no CSRF token or cookie")
    else:
        signed = _request(
            login_url,
            data={"username": email, "password": password, "csrfmiddlewaretoken": token[1]},
            headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                "Referer": login_url,
            },
        )
        jar |= _cookies(signed)
        print(f"sign-in: {signed.status} -> {signed.headers.get('Location')}")
        if signed.status != 302 or "sessionid" not in jar:
            failures.append(f"sign-in answered {signed.status} without a session")
        else:
            home = _request(f"{base}/", headers={"Cookie": f"sessionid={jar['sessionid']}"})
            print(f"home signed in: {home.status}")
            if home.status != 200:
                failures.append(f"the home page answered {home.status} after signing in")

    static = re.search(r'href="(/static/[^"]+\.css)"', html)
    if not static:
        failures.append("the sign-in page links no stylesheet")
    else:
        for encoding in ("br", "gzip"):
            response = _request(f"{base}{static[1]}", headers={"Accept-Encoding": encoding})
            got = response.headers.get("Content-Encoding")
            print(f"{static[1]} with Accept-Encoding {encoding}: {response.status} {got}")
            if response.status != 200 or got != encoding:
                failures.append(f"{static[1]} not served with Content-Encoding {encoding}")

    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("smoke check passed")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3])

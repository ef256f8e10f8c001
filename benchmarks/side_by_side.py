"""Old and new code on the same data, in one run: `python -m benchmarks.side_by_side`.

    python -m benchmarks.side_by_side --base-tree ../main-at-c80efcf \\
        --database-url postgres://postgres@127.0.0.1:5432/mhpss_scale10 [--loops 20]

Starts one gunicorn (the bench's: one sync worker, benchmarks/gunicorn.conf.py) for this tree
and one for `--base-tree` (a worktree of older code), both on the database given (seeded
beforehand, e.g. `seed_demo --scale 10 --rounds 10` and ANALYZE; both trees must have the same
migrations), and requests every latency page of `benchmarks.pages` from both, interleaved: each
loop asks the old and the new server for the same page one right after the other, the order
alternating, so that both see the same machine (which other people share). Figures are the
servers' own times (Server-Timing). Prints a Markdown table and writes it to `--out`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

from benchmarks.__main__ import free_port, percentile, server_ms

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _server(tree: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = str(Path(PY).with_name("gunicorn"))
    process = subprocess.Popen(  # noqa: S603 - our gunicorn, fixed arguments
        [gunicorn, "-c", str(tree / "benchmarks" / "gunicorn.conf.py")],
        cwd=tree,
        env={**env, "BENCH_PORT": str(port)},
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(300):
        try:
            requests.get(base + "/health/", timeout=30)
            return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"side_by_side: gunicorn of {tree} did not start")


def _commit(tree: Path) -> str:
    command = ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"]  # noqa: S607
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 - fixed
    return done.stdout.strip() or "?"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-tree", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--loops", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(DATABASE_URL=args.database_url, DJANGO_SETTINGS_MODULE="benchmarks.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from benchmarks.pages import find_targets, latency_pages

    targets = find_targets()
    client = Client()
    client.force_login(targets.admin)
    # Sessions are rows of the shared database: one signed-in session serves both servers.
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    pages = {"trivial view": "/bench/trivial/", **latency_pages(targets)}
    trees = {"old": args.base_tree.resolve(), "new": ROOT}
    load_start = os.getloadavg()
    started = datetime.datetime.now(datetime.UTC)
    servers = {}
    try:
        for name, tree in trees.items():
            servers[name] = _server(tree, env)
        session = requests.Session()
        session.cookies.set(settings.SESSION_COOKIE_NAME, cookie)
        times = {(page, name): [] for page in pages for name in trees}
        sizes = {}
        for page, url in pages.items():  # warm-up: templates compiled, caches filled
            for name, (_process, base) in servers.items():
                got = session.get(base + url, allow_redirects=False, timeout=120)
                if got.status_code != 200:
                    raise SystemExit(f"side_by_side: {name} {page} answered {got.status_code}")
                sizes[page, name] = len(got.content)
        for loop in range(args.loops):
            order = list(servers) if loop % 2 == 0 else list(reversed(servers))
            for page, url in pages.items():
                for name in order:
                    base = servers[name][1]
                    begun = time.perf_counter()
                    got = session.get(base + url, allow_redirects=False, timeout=120)
                    client_ms = 1000 * (time.perf_counter() - begun)
                    times[page, name].append(server_ms(got, client_ms))
    finally:
        for process, _base in servers.values():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    load_end = os.getloadavg()
    median = {key: statistics.median(values) for key, values in times.items()}
    lines = [
        f"Side by side ({started:%Y-%m-%d %H:%M} UTC, `python -m benchmarks.side_by_side "
        f"--loops {args.loops}`): old = `{_commit(trees['old'])}`, new = "
        f"`{_commit(trees['new'])}`, one sync gunicorn worker each, same PostgreSQL database "
        f"({targets.survey_round.name}: the round of the results and tracker pages), "
        f"{args.loops} interleaved requests per page and server. Load average (1, 5, 15 min) "
        f"at start {', '.join(f'{v:.1f}' for v in load_start)}, at end "
        f"{', '.join(f'{v:.1f}' for v in load_end)}.",
        "",
        "| page | old median / p95 ms | × old trivial | new median / p95 ms | × new trivial "
        "| new ÷ old (median) | old / new KB |",
        "|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        old, new = times[page, "old"], times[page, "new"]
        lines.append(
            f"| {page} | {median[page, 'old']:.1f} / {percentile(old, 95):.1f} | "
            f"{median[page, 'old'] / median['trivial view', 'old']:.2f}× | "
            f"{median[page, 'new']:.1f} / {percentile(new, 95):.1f} | "
            f"{median[page, 'new'] / median['trivial view', 'new']:.2f}× | "
            f"{median[page, 'new'] / median[page, 'old']:.2f} | "
            f"{sizes[page, 'old'] / 1024:.0f} / {sizes[page, 'new'] / 1024:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)


if __name__ == "__main__":
    main()

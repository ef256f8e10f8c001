"""`python -m benchmarks`: build the data at scale 1 and 10, measure, print a table, write docs.

Everything runs on throw-away PostgreSQL databases (`bench_mhpss_*`, created and dropped here,
never the developer's db.sqlite3) and a gunicorn bound to 127.0.0.1. Every figure is a count or
a ratio measured in the same run, so it holds on a noisy machine. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# Names unique to this run: a bench never touches a database it did not create.
RUN_ID = f"{os.getpid()}_{int(time.time())}"
TEMPLATE_DB = f"bench_mhpss_{RUN_ID}_template"
CREATED: set[str] = set()
TARGETS = {"latency": {1: 5.0, 10: 8.0}, "report_ratio": 1.3, "report_mb": 400, "xlsx": 1.5}


def log(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- databases


def admin_url() -> str:
    return os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def db_url(name: str) -> str:
    base = admin_url().rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgres://", 1)


def pg(sql: str) -> None:
    with psycopg.connect(admin_url(), autocommit=True) as conn:
        conn.execute(sql)


def create(name: str, template: str | None = None) -> None:
    """Create a database of this run; an existing one of that name is an error, never reused."""
    pg(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    CREATED.add(name)


def drop(name: str) -> None:
    """Drop a database this run created, and only such a one."""
    if name not in CREATED:
        raise RuntimeError(f"bench: refusing to drop {name!r}, which this run did not create")
    # FORCE ends our own gunicorn's leftover connections to it.
    pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    CREATED.discard(name)


def env_for(name: str, media: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url(name),
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    return env


def run(args: list[str], env: dict, label: str) -> tuple[str, float]:
    started = time.perf_counter()
    # Our own interpreter and fixed arguments: nothing comes from outside.
    done = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-5000:])
        raise SystemExit(f"bench: {label} failed (exit {done.returncode})")
    return done.stdout, seconds


def measure(kind: str, env: dict, *extra: str) -> dict:
    out, seconds = run([PY, "-m", "benchmarks.measure", kind, *extra], env, kind)
    result = json.loads(out.strip().splitlines()[-1])
    result["wall_seconds"] = round(seconds, 1)
    return result


def build_template(media: Path) -> float:
    """Migrate and load the reference and demo data once; each scale copies this database."""
    create(TEMPLATE_DB)
    env = env_for(TEMPLATE_DB, media)
    total = 0.0
    for command in (["migrate", "--no-input", "-v", "0"], ["load_roadmap"], ["load_demo"]):
        _out, seconds = run([PY, "manage.py", *command], env, command[0])
        total += seconds
    return total


# ---------------------------------------------------------------- HTTP


class Server:
    """gunicorn on 127.0.0.1 against one bench database, for the duration of a `with`."""

    def __init__(self, env: dict, port: int):
        self.env = {**env, "BENCH_PORT": str(port)}
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def __enter__(self):
        gunicorn = str(Path(PY).with_name("gunicorn"))
        self.process = subprocess.Popen(  # noqa: S603 - our gunicorn, fixed arguments
            [gunicorn, "-c", str(ROOT / "benchmarks" / "gunicorn.conf.py")],
            cwd=ROOT,
            env=self.env,
        )
        for _attempt in range(150):
            try:
                requests.get(self.base + "/health/", timeout=30)
                return self
            except requests.RequestException:  # not listening yet, or still loading Django
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("bench: gunicorn did not start")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    """A port nobody listens on: other people on this machine run their own servers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_ms(response: requests.Response, client_ms: float) -> float:
    """The server's own time (Server-Timing header of the bench settings), else the client's."""
    header = response.headers.get("Server-Timing", "")
    if "dur=" in header:
        return float(header.split("dur=")[1].split(",")[0])
    return client_ms


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def latency(base: str, prep: dict, loops: int) -> dict:
    """Each page and the trivial view, interleaved so that they share the machine's noise."""
    session = requests.Session()
    session.cookies.set(prep["session_cookie"], prep["session"])
    urls = {"trivial view": prep["trivial"], **prep["pages"]}
    if prep.get("trivial_old"):
        # The earlier yardstick (a session write and a new connection per request), measured in
        # the same loop so that both ratios come from one run.
        urls["trivial view, old (session write, new connection)"] = prep["trivial_old"]
    times: dict[str, list[float]] = {name: [] for name in urls}
    for name, url in urls.items():  # warm-up: templates compiled, caches filled
        got = session.get(base + url, allow_redirects=False, timeout=120)
        if got.status_code != 200:
            raise SystemExit(f"bench: {name} {url} answered {got.status_code}")
    for _loop in range(loops):
        for name, url in urls.items():
            started = time.perf_counter()
            got = session.get(base + url, allow_redirects=False, timeout=120)
            times[name].append(server_ms(got, 1000 * (time.perf_counter() - started)))
            if name.startswith("trivial view, old"):
                # It closed the server's connection: open it again, untimed, or the next
                # request measured (the trivial view, the yardstick) pays for connecting.
                session.get(base + prep["trivial"], allow_redirects=False, timeout=120)
    trivial = statistics.median(times["trivial view"])
    old = [v for k, v in times.items() if k.startswith("trivial view, old")]
    old_trivial = statistics.median(old[0]) if old else None
    return {
        name: {
            "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 95), 2),
            "x_trivial": round(statistics.median(values) / trivial, 2),
            "x_old_trivial": (
                round(statistics.median(values) / old_trivial, 2) if old_trivial else None
            ),
        }
        for name, values in times.items()
    }


def autosave(base: str, prep: dict, requests_count: int) -> dict | None:
    """Requests per second saving one answer (htmx autosave) against the trivial view."""
    spec = prep.get("autosave")
    if not spec:
        return None
    session = requests.Session()
    session.cookies.set(prep["session_cookie"], spec["session"])
    form = session.get(base + spec["form"], timeout=60)
    token = session.cookies.get(prep["csrf_cookie"])
    if form.status_code != 200 or not token:
        raise SystemExit(f"bench: survey form answered {form.status_code}, no CSRF cookie")
    headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": base + spec["form"]}
    key = f"q_{spec['question']}"
    trivial = requests.Session()
    trivial.cookies.set(prep["session_cookie"], prep["session"])
    saved = 0
    save_time = trivial_time = 0.0
    # Alternate one save and one trivial request: both see the same machine at the same time.
    for version in range(requests_count):
        started = time.perf_counter()
        got = session.post(
            base + spec["url"],
            data={key: f"Demo autosave {version}", f"v_{spec['question']}": str(version)},
            headers=headers,
            timeout=60,
        )
        save_time += time.perf_counter() - started
        saved += got.status_code == 200
        started = time.perf_counter()
        trivial.get(base + prep["trivial"], timeout=60)
        trivial_time += time.perf_counter() - started
    return {
        "requests": requests_count,
        "ok": saved,
        "saves_per_second": round(requests_count / save_time, 1),
        "trivial_per_second": round(requests_count / trivial_time, 1),
        "ratio": round((requests_count / save_time) / (requests_count / trivial_time), 2),
    }


# ---------------------------------------------------------------- one scale


def _sample(session: requests.Session, base: str, urls: dict, statuses: Counter) -> dict:
    """One request to each URL; the time the person waits (client side, queueing included)."""
    times = {}
    for name, url in urls.items():
        started = time.perf_counter()
        got = session.get(base + url, allow_redirects=False, timeout=120)
        times[name] = 1000 * (time.perf_counter() - started)
        statuses[f"{name} {got.status_code}"] += 1
    return times


def _zip_bomb() -> bytes:
    """The issue's zip bomb: a few dozen KB that unpack to 200,000 rows of a sheet."""
    import io
    import zipfile

    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + row * 200_001 + "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def zip_bomb_refusal(base: str, prep: dict) -> dict:
    """Upload the zip bomb to the questionnaire import, as an admin: time and answer."""
    session = requests.Session()
    session.cookies.set(prep["session_cookie"], prep["session"])
    form = session.get(base + prep["questionnaire_import"], timeout=60)
    token = session.cookies.get(prep["csrf_cookie"])
    bomb = _zip_bomb()
    started = time.perf_counter()
    got = session.post(
        base + prep["questionnaire_import"],
        data={"name": "Bomb", "csrfmiddlewaretoken": token},
        files={"file": ("bomb.xlsx", bomb)},
        headers={"Referer": base + prep["questionnaire_import"]},
        timeout=120,
    )
    seconds = time.perf_counter() - started
    text = got.text
    return {
        "form_status": form.status_code,
        "bytes": len(bomb),
        "status": got.status_code,
        "seconds": round(seconds, 3),
        "refused": "unpacks to" in text,
        "page_bytes": len(got.content),
    }


def contention(base: str, prep: dict, env: dict, args) -> dict:
    """/health/ and the at-a-glance page idle, then while two large exports and one import run
    in their own processes (as the task worker runs them), and the zip bomb refused meanwhile."""
    session = requests.Session()
    session.cookies.set(prep["session_cookie"], prep["session"])
    urls = {"/health/": "/health/", "at-a-glance": prep["pages"]["at-a-glance"]}
    statuses: Counter = Counter()
    _sample(session, base, urls, statuses)  # warm-up
    idle: dict[str, list[float]] = {name: [] for name in urls}
    for _n in range(args.contention_samples):
        for name, ms in _sample(session, base, urls, statuses).items():
            idle[name].append(ms)
    jobs = [
        [PY, "-m", "benchmarks.measure", "export-round", "--layout", "long"],
        [PY, "-m", "benchmarks.measure", "export-round", "--layout", "wide"],
        [PY, "-m", "benchmarks.measure", "import", "--rows", str(args.import_rows)],
    ]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            job, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for job in jobs
    ]
    loaded: dict[str, list[float]] = {name: [] for name in urls}
    bomb = None
    while any(p.poll() is None for p in processes):
        for name, ms in _sample(session, base, urls, statuses).items():
            loaded[name].append(ms)
        if bomb is None and len(loaded["/health/"]) >= 5:
            bomb = zip_bomb_refusal(base, prep)
    busy_seconds = time.perf_counter() - started
    outcomes = []
    for job, process in zip(jobs, processes, strict=True):
        out, err = process.communicate()
        if process.returncode != 0:
            sys.stderr.write(err[-3000:])
            raise SystemExit(f"bench: background {job[3]} failed")
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    figures = {}
    for name in urls:
        idle_p95, loaded_p95 = percentile(idle[name], 95), percentile(loaded[name], 95)
        figures[name] = {
            "idle_median_ms": round(statistics.median(idle[name]), 1),
            "idle_p95_ms": round(idle_p95, 1),
            "loaded_median_ms": round(statistics.median(loaded[name]), 1),
            "loaded_p95_ms": round(loaded_p95, 1),
            "ratio": round(loaded_p95 / idle_p95, 2),
            "samples": len(loaded[name]),
        }
    return {
        "pages": figures,
        "busy_seconds": round(busy_seconds, 1),
        "jobs": outcomes,
        "statuses": dict(statuses),
        "server_errors": sum(v for k, v in statuses.items() if k.rsplit(" ", 1)[1][0] == "5"),
        "zip_bomb": bomb,
        "load_average": os.getloadavg(),
    }


def bench_scale(scale: int, media: Path, args) -> dict:
    name = f"bench_mhpss_{RUN_ID}_{scale}"
    create(name, template=TEMPLATE_DB)
    env = env_for(name, media)
    result: dict = {"scale": scale, "rounds": args.rounds}
    try:
        out, seconds = run(
            [PY, "manage.py", "seed_demo", "--scale", str(scale), "--rounds", str(args.rounds)],
            env,
            "seed_demo",
        )
        result["seed_seconds"] = round(seconds, 1)
        result["seed_summary"] = out.strip().splitlines()[-1]
        log(f"scale {scale}: {result['seed_summary']}")
        # Table statistics, as autovacuum would gather them on a live server: without them the
        # planner guesses, and the measured plans would not be production's.
        with psycopg.connect(db_url(name).replace("postgres://", "postgresql://", 1)) as conn:
            conn.autocommit = True
            conn.execute("ANALYZE")
        prep = measure("prepare", env)
        result["query_counts"] = prep["query_counts"]
        log(f"scale {scale}: query counts in {prep['wall_seconds']} s")
        with Server(env, args.port or free_port()) as server:
            result["latency"] = latency(server.base, prep, args.loops)
            log(f"scale {scale}: latency measured")
            result["autosave"] = (
                None if args.pages_only else autosave(server.base, prep, args.saves)
            )
            if scale == max(args.scale_list) and not args.pages_only:
                result["contention"] = contention(server.base, prep, env, args)
                log(f"scale {scale}: contention {result['contention']}")
        result["plan"] = measure("plan", env)
        log(f"scale {scale}: export plan {result['plan']}")
        if args.pages_only:
            pass
        elif scale == 1:
            result["report"] = measure("report", env)
            log(f"scale {scale}: report {result['report']}")
            result["export"] = measure("export", env)
            log(f"scale {scale}: export {result['export']}")
            result["import"] = measure("import", env, "--rows", str(args.import_rows))
            log(f"scale {scale}: import {result['import']}")
        else:
            result["export"] = measure("export", env, "--no-baseline")
            log(f"scale {scale}: export {result['export']}")
    finally:
        if not args.keep:
            drop(name)
    return result


# ---------------------------------------------------------------- the note


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    import django
    import weasyprint

    with psycopg.connect(admin_url()) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version,
        "weasyprint": weasyprint.__version__,
        "gunicorn": "1 sync worker on 127.0.0.1",
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: list[dict], info: dict, total_seconds: float, template_seconds: float) -> str:
    by_scale = {r["scale"]: r for r in results}
    lines = [
        "# Performance at Movement scale",
        "",
        "Written by `make bench` (`python -m benchmarks`); do not edit by hand. Each figure is a",
        "count or a ratio measured in one run, so it holds on a noisy machine.",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        f"- whole bench: {total_seconds:.0f} s (reference data {template_seconds:.0f} s)",
        "",
        "## Data",
        "",
    ]
    for scale, r in by_scale.items():
        lines.append(f"- scale {scale}: {r['seed_summary']}")
    lines += ["", "## 1. Query counts (must not grow with the scale)", ""]
    scales = sorted(by_scale)
    header = "| page / export | " + " | ".join(f"scale {s}" for s in scales) + " | equal |"
    lines += [header, "|---|" + "---|" * len(scales) + "---|"]
    names = list(by_scale[scales[0]]["query_counts"])
    unequal = []
    for name in names:
        values = [by_scale[s]["query_counts"].get(name) for s in scales]
        same = len(set(values)) == 1
        # Fewer at the larger scale: an export above EXPORT_INLINE_MAX_ROWS answers with the
        # page that offers it as a job instead of streaming it; that is not growth.
        fewer = not same and values == sorted(values, reverse=True)
        if not same and not fewer:
            unequal.append(name)
        verdict_cell = "yes" if same else ("fewer (offered as a job)" if fewer else "**no**")
        lines.append(f"| {name} | " + " | ".join(str(v) for v in values) + f" | {verdict_cell} |")
    lines += [
        "",
        f"None grew: {verdict(not unequal)}"
        + (f" (grew: {', '.join(unequal)})" if unequal else ""),
        "",
    ]
    lines += ["## 2. Page latency under gunicorn on PostgreSQL (server time)", ""]
    lines += [
        "| page | "
        + " | ".join(f"scale {s} median / p95 ms | × trivial | × old trivial" for s in scales)
        + " |"
    ]
    lines += ["|---|" + "---|---|---|" * len(scales)]
    missed = []
    for name in by_scale[scales[0]]["latency"]:
        cells = []
        for s in scales:
            row = by_scale[s]["latency"][name]
            old_ratio = row.get("x_old_trivial")
            cells.append(
                f"{row['median_ms']} / {row['p95_ms']} | {row['x_trivial']}× | "
                + (f"{old_ratio}×" if old_ratio is not None else "–")
            )
            if not name.startswith("trivial view") and row["x_trivial"] >= TARGETS["latency"].get(
                s, 8.0
            ):
                missed.append(f"{name} at scale {s} ({row['x_trivial']}×)")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Targets: median under 5× the trivial view at scale 1, under 8× at scale 10: "
        + verdict(not missed)
        + (f" — missed: {'; '.join(missed)}" if missed else ""),
        "",
    ]
    one = by_scale.get(1, {})
    if "report" in one:
        rep = one["report"]
        ok = rep["ratio"] <= TARGETS["report_ratio"] and rep["peak_mb"] < TARGETS["report_mb"]
        lines += [
            "## 3. The report (full PDF, scale 1)",
            "",
            f"- full report: {rep['full_seconds']} s; WeasyPrint alone on the same HTML: "
            f"{rep['weasyprint_seconds']} s; ratio **{rep['ratio']}×** (target ≤ 1.3×)",
            f"- peak memory of the process: **{rep['peak_mb']} MB** (target < 400 MB); "
            f"PDF {rep['bytes']:,} bytes",
            f"- {verdict(ok)}",
            "",
        ]
    lines += ["## 4. Exports: all answers as XLSX (one row per answer)", ""]
    for s in scales:
        exp = by_scale[s].get("export")
        if not exp:
            continue
        text = (
            f"- scale {s}: {exp['rounds']} round(s), {exp['answers']:,} answers, "
            f"{exp['rows']:,} rows written, complete: {'yes' if exp['complete'] else '**no**'}, "
            f"{exp['export_seconds']} s, peak {exp['peak_mb']} MB"
        )
        if "ratio" in exp:
            text += (
                f"; openpyxl alone writing the same cells {exp['openpyxl_seconds']} s, ratio "
                f"**{exp['ratio']}×** (target ≤ 1.5×: {verdict(exp['ratio'] <= TARGETS['xlsx'])})"
            )
        lines.append(text)
    lines.append("")
    if "import" in one:
        imp = one["import"]
        lines += [
            "## 5. Import of a resource sheet",
            "",
            f"- {imp['rows']:,} rows (CSV) in {imp['seconds']} s: **{imp['ms_per_row']} ms per "
            f"row**, all valid: {imp['valid']}, peak {imp['peak_mb']} MB",
            "",
        ]
    lines += ["## 6. Survey autosave (one answer, htmx)", ""]
    for s in scales:
        auto = by_scale[s].get("autosave")
        if auto:
            lines.append(
                f"- scale {s}: {auto['saves_per_second']} saves/s against "
                f"{auto['trivial_per_second']} trivial requests/s: **{auto['ratio']}×** "
                f"({auto['ok']}/{auto['requests']} answered 200)"
            )
    lines.append("")
    lines += ["## 7. What the round export reads (EXPLAIN ANALYZE of its SQL)", ""]
    for s in scales:
        plan = by_scale[s].get("plan")
        if plan:
            lines.append(
                f"- scale {s}: round {plan['round']!r}: {plan['answer_rows_read']:,} answer rows "
                f"read in {plan['answer_statements']} statements for its "
                f"{plan['round_answers']:,} answers (all rounds: {plan['all_answers']:,}); "
                f"reads only the round's rows: {verdict(plan['reads_only_the_round'])}; "
                f"sorts on disk: {len(plan['disk_sorts'])} ({verdict(not plan['disk_sorts'])})"
            )
            res = plan.get("results")
            if res:
                lines.append(
                    f"- scale {s}, the results page of {res['round']!r}: "
                    f"{res['answer_rows_read']:,} answer rows read in "
                    f"{res['answer_statements']} statements for its {res['round_answers']:,} "
                    f"answers (the largest statement {res.get('largest_statement_read', 0):,}); "
                    f"each statement within the round's: "
                    f"{'yes' if res['reads_only_the_round'] else '**no**'}; sorts on disk: "
                    f"{len(res['disk_sorts'])}"
                )
    lines.append("")
    for s in scales:
        busy = by_scale[s].get("contention")
        if not busy:
            continue
        lines += [
            f"## 8. While two large exports and one import run (scale {s})",
            "",
            "Client-side times (what a person waits), idle first, then while the jobs run in "
            "their own processes as the task worker runs them, on the same gunicorn. Target: "
            "p95 under 2× the idle p95.",
            "",
            "| page | idle median / p95 ms | busy median / p95 ms | p95 ratio | target |",
            "|---|---|---|---|---|",
        ]
        for name, row in busy["pages"].items():
            lines.append(
                f"| {name} | {row['idle_median_ms']} / {row['idle_p95_ms']} | "
                f"{row['loaded_median_ms']} / {row['loaded_p95_ms']} ({row['samples']} "
                f"samples) | {row['ratio']}× | {verdict(row['ratio'] < 2)} |"
            )
        jobs = "; ".join(
            (f"export {j['layout']} of {j['rows']:,} rows {j['seconds']} s")
            if "layout" in j
            else f"import of {j['rows']:,} rows {j['seconds']} s"
            for j in busy["jobs"]
        )
        load = ", ".join(f"{v:.2f}" for v in busy["load_average"])
        lines += [
            "",
            f"- jobs ({busy['busy_seconds']} s in all): {jobs}",
            f"- server errors meanwhile: {busy['server_errors']} (statuses {busy['statuses']})",
            f"- load average at the end: {load}",
        ]
        bomb = busy.get("zip_bomb")
        if bomb:
            lines.append(
                f"- zip bomb ({bomb['bytes']:,} bytes, 200,001 rows) uploaded to the "
                f"questionnaire import meanwhile: answered {bomb['status']} in "
                f"**{bomb['seconds']} s**, refused with one message: "
                f"{'yes' if bomb['refused'] else '**no**'}, page {bomb['page_bytes']:,} bytes "
                f"(target < 1 s: {verdict(bomb['seconds'] < 1 and bomb['refused'])})"
            )
        lines.append("")
    # The explanation of each miss is written by hand (benchmarks/analysis.md) after profiling.
    analysis = ROOT / "benchmarks" / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10", help="comma-separated, e.g. 1,10")
    parser.add_argument("--loops", type=int, default=30, help="requests per page")
    parser.add_argument("--saves", type=int, default=100, help="autosave requests")
    parser.add_argument("--rounds", type=int, default=10, help="survey rounds at every scale")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="query counts, page latency and the SQL plans only (no autosave, contention, "
        "report, export or import)",
    )
    parser.add_argument("--contention-samples", type=int, default=40)
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    args.scale_list = [int(s) for s in args.scales.split(",")]
    try:
        pg("SELECT 1")
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"bench: needs PostgreSQL (set BENCH_PG_URL, now {admin_url()}): {error}"
        ) from None
    started = time.perf_counter()
    # Other people share this machine: say how loaded it was when the run began and ended.
    load_at_start = os.getloadavg()
    media = Path(tempfile.mkdtemp(prefix="mhpss-bench-media-"))
    try:
        log("building the reference database")
        template_seconds = build_template(media)
        results = [bench_scale(s, media, args) for s in args.scale_list]
    finally:
        if not args.keep and TEMPLATE_DB in CREATED:
            drop(TEMPLATE_DB)
        shutil.rmtree(media, ignore_errors=True)
    total = time.perf_counter() - started
    info = machine()
    info["load average (1, 5, 15 min) at start"] = ", ".join(f"{v:.2f}" for v in load_at_start)
    info["load average at end"] = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    text = render(results, info, total, template_seconds)
    Path(args.out).write_text(text)
    figures = Path(args.out).with_suffix(".json")
    if Path(args.out) == ROOT / "docs" / "performance.md":
        figures = ROOT / "benchmarks" / "last-run.json"
    figures.write_text(json.dumps(results, indent=1) + "\n")
    print(text)
    log(f"done in {total:.0f} s; wrote {args.out}")


if __name__ == "__main__":
    main()

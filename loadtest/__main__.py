# ruff: noqa: S603, S607, S108 - fixed local commands (psql, pgrep, gunicorn), throw-away paths
"""Bounded load and fault test against gunicorn and a throw-away PostgreSQL database.

    python -m loadtest [--users 50] [--seconds 60] [--workers 2] [--think person|busy]
                       [--base-tree ../other-worktree --repeat 2] [--keep-db]

1. Creates the database ``trust_load_base`` on 127.0.0.1, migrates it, loads the roadmap and
   the demo data, and adds the simulated people (readers, focal points, working-group members).
2. Four runs, each on a fresh copy of that database and a fresh gunicorn on 127.0.0.1:
   ``focal-before`` and ``focal-after`` (a deadline day: --users focal points, every one
   saving answers, first with the settings the issue measured — a new database connection and
   a session write per request — then with today's), ``steady`` (a mix of people, nothing
   goes wrong) and ``kill`` (the mix; one gunicorn worker gets SIGKILL halfway; gunicorn starts
   a new one). In the mixed runs the simulated people read pages, answer the survey
   (autosave) and post progress updates on deliverables for a fixed time, then stop. Each run
   reports autosaves per second, autosave and page medians and p95.
3. Every write the server acknowledged (a redirect after the POST) is counted back from the
   database: an answer must hold the acknowledged value (or a value sent after it, if a later
   request reached the server but its reply was lost), a progress update must exist. An
   answer is acknowledged when the autosave reply shows "Saved"; an update by its redirect.

Prints a Markdown summary and writes it to loadtest/last-run.md. Exit status 1 if a
steady run had a server error, or if any run lost an acknowledged write.
"""

import argparse
import datetime
import os
import platform
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
# Names unique to this run: the load test never drops a database it did not create.
RUN_ID = f"{os.getpid()}_{int(time.time())}"
BASE_DB = f"trust_load_{RUN_ID}_base"
PASSWORD = "load-test-pass-2026"
SOCIETIES = 10  # the mixed runs' focal points share 10 societies, two per society
# The autosave's debounce in static/js/survey.js (TYPING_PAUSE there): a text answer is sent
# this long after the last keystroke.
TYPING_PAUSE = 1.0


def env_for(database: str, port: int = 8777, workers: int = 3) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "DATABASE_URL": f"{PG}/{database}",
        "LOADTEST_PORT": str(port),
        "LOADTEST_WORKERS": str(workers),
        "MEDIA_ROOT": f"/tmp/{database}-media",
        "SECRET_KEY": "load-test-only",
    }


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


def manage(database: str, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args],
        cwd=ROOT,
        env=env_for(database),
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


# ---------------------------------------------------------------- data

SETUP = r"""
import json
from accounts.models import Organisation, User
from surveys.models import Question, SurveyRound
from workinggroups.models import Deliverable, Membership, WorkingGroup

plan = json.loads(PLAN)
survey_round = SurveyRound.objects.get(state="open")
from surveys.models import Response
done = Response.objects.filter(round=survey_round, state="submitted").values("society_id")
societies = list(
    Organisation.objects.national_societies().exclude(pk__in=done).order_by("pk")[: plan["societies"]]
)
questions = list(
    Question.objects.filter(questionnaire=survey_round.questionnaire, kind__in=["text", "long_text"],
                            relevant="").order_by("pk").values_list("pk", flat=True)
)
groups = list(WorkingGroup.objects.filter(parent__isnull=True).order_by("number"))
people = []
for i in range(plan["users"]):
    role = plan["roles"][i]
    email = f"load-{i:03d}-{role}@example.org"
    user = User(email=email, full_name=f"Load {i}", language="en")
    person = {"email": email, "role": role}
    if role == "reader":
        user.role = User.Role.READER
    if role == "answer":
        # The deadline runs' focal points (after the mixed people) spread over every society.
        pool = societies if i >= plan["mixed"] else societies[: plan["mixed_societies"]]
        society = pool[i % len(pool)]
        user.organisation = society
        user.is_focal_point = True
        person["society"] = society.pk
    user.set_password(PASSWORD_)
    user.save()
    if role == "update":
        group = groups[i % len(groups)]
        Membership.objects.create(working_group=group, role="member", person=user,
                                  organisation=Organisation.objects.first())
        person["deliverables"] = list(
            Deliverable.objects.filter(working_group=group).values_list("pk", flat=True)
        )
    people.append(person)
# Each answering person owns a disjoint set of questions of their society's response, within
# their run (the mixed people and the deadline focal points never run together).
by_society = {}
for i, person in enumerate(people):
    if person["role"] == "answer":
        by_society.setdefault((person["society"], i >= plan["mixed"]), []).append(person)
for members in by_society.values():
    for k, person in enumerate(members):
        person["questions"] = questions[k :: len(members)]
print("PLAN=" + json.dumps({"round": survey_round.pk, "people": people,
                            "deliverable_ids": list(Deliverable.objects.values_list("pk", flat=True))}))
"""


def build_base(users: int) -> dict:
    import json

    psql(f"CREATE DATABASE {BASE_DB}")
    manage(BASE_DB, "migrate", "--no-input", "-v", "0")
    manage(BASE_DB, "load_roadmap")
    manage(BASE_DB, "load_demo")
    # The mixed runs: 40 % read, 40 % answer the survey, 20 % post progress updates. Then as
    # many focal points again, every one answering, for the deadline runs (before and after).
    roles = [("reader", "answer", "answer", "reader", "update")[i % 5] for i in range(users)]
    roles += ["answer"] * users
    plan = json.dumps(
        {
            "users": len(roles),
            "roles": roles,
            "mixed": users,
            "mixed_societies": SOCIETIES,
            # Two focal points per society on a deadline day.
            "societies": max(SOCIETIES, users // 2),
        }
    )
    code = f"PLAN = {plan!r}\nPASSWORD_ = {PASSWORD!r}\n" + SETUP
    out = manage(BASE_DB, "shell", "-c", code)
    line = next(line for line in out.splitlines() if line.startswith("PLAN="))
    return json.loads(line[5:])


# ---------------------------------------------------------------- simulated people


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.status = Counter()
        self.errors = Counter()  # connection errors, timeouts
        self.latencies = []
        self.by_kind: dict[str, list[float]] = {}
        # (seconds since the run started, kind, latency): where in the run the slow ones fall.
        self.timeline: list[tuple[float, str, float]] = []
        self.started = time.monotonic()
        # (society, question) -> list of (value, acknowledged) in the order they were sent
        self.answers = {}
        self.updates_acknowledged = []
        self.updates_sent = []

    def record(self, kind, response=None, error=None, seconds=0.0):
        with self.lock:
            if error is not None:
                self.errors[f"{kind}: {type(error).__name__}"] += 1
            else:
                self.status[(kind, response.status_code)] += 1
                self.latencies.append(seconds)
                self.by_kind.setdefault(kind, []).append(seconds)
                self.timeline.append((time.monotonic() - self.started - seconds, kind, seconds))


def _csrf(session) -> str:
    return session.cookies.get("csrftoken", "")


class Person:
    def __init__(
        self, base, plan, person, tally, deadline, seed, think_model="person", client_nice=0
    ):
        self.base, self.plan, self.person, self.tally = base, plan, person, tally
        self.think_model, self.client_nice = think_model, client_nice
        self.deadline = deadline
        self.random = random.Random(seed)
        self.session = requests.Session()
        self.versions = {}
        self.counter = 0

    def request(self, kind, method, path, **kwargs):
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        if method == "POST":
            kwargs.setdefault("headers", {})["X-CSRFToken"] = _csrf(self.session)
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, **kwargs)
        except requests.RequestException as error:
            self.tally.record(kind, error=error)
            return None
        self.tally.record(kind, response, seconds=time.monotonic() - started)
        return response

    def sign_in(self) -> bool:
        for _attempt in range(5):
            page = self.request("sign-in", "GET", "/accounts/login/")
            if page is None:
                time.sleep(1)
                continue
            response = self.request(
                "sign-in",
                "POST",
                "/accounts/login/",
                data={
                    "username": self.person["email"],
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": _csrf(self.session),
                },
            )
            if response is not None and response.status_code == 302:
                return True
            time.sleep(1)
        return False

    def run(self):
        if self.client_nice:
            # This thread only (Linux nice values are per thread): the simulated people yield
            # the CPU to the server they measure; gunicorn, started by the main thread, keeps
            # its priority.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.client_nice)
        if not self.sign_in():
            return
        action = {"reader": self.read, "answer": self.answer, "update": self.update}
        loops = 0
        while time.monotonic() < self.deadline and loops < 100_000:
            loops += 1
            # Think first: a person types their first answer (reads their first page) before
            # it is sent, as every later one. Sent at once, the 50 first answers arrived
            # together with the 100 sign-in requests, a burst no deadline day has.
            time.sleep(self.think())
            action[self.person["role"]]()

    def think(self) -> float:
        """Seconds before this person's next request. "busy" is the earlier model (0.05–0.3 s
        between requests, far busier than anyone); "person" is a person: an answer is typed
        for 1–5 s and sent once they stop typing for TYPING_PAUSE (static/js/survey.js sends
        one request at a time per page), a page is read for 2–10 s."""
        if self.think_model == "busy":
            return self.random.uniform(0.05, 0.3)
        if self.person["role"] == "answer":
            return self.random.uniform(1.0, 5.0) + TYPING_PAUSE
        return self.random.uniform(2.0, 10.0)

    # -- reading
    def read(self):
        deliverable = self.random.choice(self.plan["deliverable_ids"])
        path = self.random.choice(
            [
                "/",
                "/roadmap/areas/1/",
                "/working-groups/",
                "/working-groups/1/",
                f"/working-groups/deliverables/{deliverable}/",
                "/working-groups/resources/",
                f"/surveys/rounds/{self.plan['round']}/tracker/",
                "/surveys/",
            ]
        )
        self.request("read", "GET", path)

    # -- answering (autosave of one answer, as htmx does it but without the header)
    def _version(self, society, question) -> int:
        page = self.request(
            "read", "GET", f"/surveys/rounds/{self.plan['round']}/societies/{society}/"
        )
        if page is None or page.status_code != 200:
            return self.versions.get(question, 0)
        found = re.search(rf'name="v_{question}" value="(\d+)"', page.text)
        return int(found.group(1)) if found else self.versions.get(question, 0)

    def answer(self):
        society = self.person["society"]
        if not self.person.get("questions"):
            return self.read()  # more people on the society than questions to share
        question = self.random.choice(self.person["questions"])
        self.counter += 1
        value = f"{self.person['email']} #{self.counter}"
        key = (society, question)
        with self.tally.lock:
            self.tally.answers.setdefault(key, []).append([value, False])
            entry = self.tally.answers[key][-1]
        version = self.versions.get(question, 0)
        path = f"/surveys/rounds/{self.plan['round']}/societies/{society}/questions/{question}/"
        response = self.request(
            "answer",
            "POST",
            path,
            data={f"q_{question}": value, f"v_{question}": version},
            headers={"HX-Request": "true"},
        )
        # Acknowledged = the person sees "Saved" beside the question (htmx autosave).
        if response is not None and response.status_code == 200 and "survey-saved" in response.text:
            entry[1] = True
            self.versions[question] = version + 1
        else:
            # Unknown outcome (lost reply) or a conflict: read the current version back.
            self.versions[question] = self._version(society, question)

    # -- updating
    def update(self):
        deliverables = self.person["deliverables"]
        if not deliverables:
            return self.read()
        deliverable = self.random.choice(deliverables)
        self.counter += 1
        narrative = f"load {self.person['email']} #{self.counter}"
        with self.tally.lock:
            self.tally.updates_sent.append(narrative)
        response = self.request(
            "update",
            "POST",
            f"/working-groups/deliverables/{deliverable}/updates/add/",
            data={
                "date": datetime.date.today().isoformat(),
                "status": "on_track",
                "percent_complete": str(self.random.randint(1, 99)),
                "narrative": narrative,
                "reason": "load test",
            },
        )
        if response is not None and response.status_code == 302:
            with self.tally.lock:
                self.tally.updates_acknowledged.append(narrative)


# ---------------------------------------------------------------- one run


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def count_back(database: str, tally: Tally) -> dict:
    """Compare every acknowledged write with what the database holds."""
    import psycopg

    with psycopg.connect(f"{PG}/{database}") as conn:
        answers = dict(
            ((society, question), value)
            for society, question, value in conn.execute(
                "SELECT r.society_id, a.question_id, a.value FROM surveys_answer a "
                "JOIN surveys_response r ON r.id = a.response_id"
            )
        )
        narratives = {
            row[0]
            for row in conn.execute(
                "SELECT narrative FROM roadmap_progressupdate WHERE narrative LIKE 'load %%'"
            )
        }
    lost_answers = 0
    acknowledged_answers = 0
    for key, sent in tally.answers.items():
        acknowledged = [i for i, (_value, ack) in enumerate(sent) if ack]
        if not acknowledged:
            continue
        acknowledged_answers += len(acknowledged)
        last = acknowledged[-1]
        allowed = {value for value, _ack in sent[last:]}
        if answers.get(key) not in allowed:
            lost_answers += 1
    lost_updates = [n for n in tally.updates_acknowledged if n not in narratives]
    return {
        "answers acknowledged": acknowledged_answers,
        "answers sent": sum(len(s) for s in tally.answers.values()),
        "answers lost": lost_answers,
        "updates acknowledged": len(tally.updates_acknowledged),
        "updates sent": len(tally.updates_sent),
        "updates in database": len(narratives),
        "updates lost": len(lost_updates),
    }


def free_port() -> int:
    """A port nobody listens on: other people on this machine run their own servers."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ms(values: list[float], share: float) -> int:
    ordered = sorted(values) or [0.0]
    return round(1000 * ordered[min(len(ordered) - 1, int(len(ordered) * share))])


def _by_window(timeline: list[tuple[float, str, float]], kind: str, window: int = 10) -> str:
    """The p95 of `kind` in each `window` seconds of the run, e.g. "812, 420, 390": shows
    whether the slow requests come at the start (everyone signing in) or throughout."""
    windows: dict[int, list[float]] = {}
    for at, what, seconds in timeline:
        if what == kind:
            windows.setdefault(int(at // window), []).append(seconds)
    return ", ".join(str(_ms(windows[n], 0.95)) for n in sorted(windows))


# The settings the issue measured before: a new connection and a session write per request.
OLD_SETTINGS = {"CONN_MAX_AGE": "0", "LOADTEST_SESSION_SAVE_EVERY_REQUEST": "1"}


def one_run(
    name: str,
    plan: dict,
    people_indices: list[int],
    seconds: int,
    workers: int,
    kill: bool,
    old: bool = False,
    tree: Path = ROOT,
    think_model: str = "person",
    client_nice: int = 0,
) -> dict:
    """One run; `tree` is the source tree gunicorn serves (another worktree: older code, with
    its own loadtest/gunicorn.conf.py), `old` the settings the issue measured."""
    database = f"trust_load_{RUN_ID}_{name.replace('-', '_')}"
    psql(f"CREATE DATABASE {database} TEMPLATE {BASE_DB}")
    port = free_port()
    env = env_for(database, port, workers)
    if old:
        env.update(OLD_SETTINGS)
    gunicorn = str(Path(PY).with_name("gunicorn"))
    load_before = os.getloadavg()[0]
    server = subprocess.Popen(  # noqa: S603 - our gunicorn, fixed arguments
        [gunicorn, "-c", str(tree / "loadtest" / "gunicorn.conf.py")], cwd=tree, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                requests.get(base + "/health/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        tally = Tally()
        deadline = time.monotonic() + seconds
        people = [
            Person(
                base,
                plan,
                plan["people"][i],
                tally,
                deadline,
                seed=i,
                think_model=think_model,
                client_nice=client_nice,
            )
            for i in people_indices
        ]
        threads = [threading.Thread(target=p.run, daemon=True) for p in people]
        started = tally.started = time.monotonic()
        for thread in threads:
            thread.start()
        killed = None
        if kill:
            time.sleep(seconds / 2)
            pids = worker_pids(server.pid)
            if pids:
                killed = pids[0]
                os.kill(killed, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - started
        time.sleep(1)
        workers_after = len(worker_pids(server.pid))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    counts = count_back(database, tally)
    server_errors = sum(n for (_kind, status), n in tally.status.items() if status >= 500)
    requests_done = sum(tally.status.values())
    answers = tally.by_kind.get("answer", [])
    reads = tally.by_kind.get("read", [])
    answer_errors = sum(
        n for (kind, status), n in tally.status.items() if kind == "answer" and status != 200
    ) + sum(n for key, n in tally.errors.items() if key.startswith("answer:"))
    result = {
        "run": name,
        "people": len(people_indices),
        "settings": "before (new connection, session write per request)" if old else "current",
        "code": "this tree" if tree == ROOT else f"{tree.name} ({_commit(tree)})",
        "gunicorn": _gunicorn_shape(tree, env),
        "think time": think_model,
        "load average before / after": f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
        "seconds": round(elapsed, 1),
        "requests": requests_done,
        "requests per second": round(requests_done / elapsed, 1),
        "median ms": _ms(tally.latencies, 0.5),
        "p95 ms": _ms(tally.latencies, 0.95),
        "autosaves": len(answers),
        "autosaves per second": round(len(answers) / elapsed, 1),
        "autosave median ms": _ms(answers, 0.5),
        "autosave p95 ms": _ms(answers, 0.95),
        "autosave errors": answer_errors,
        "autosave p95 ms by 10 s of the run": _by_window(tally.timeline, "answer"),
        "page median ms": _ms(reads, 0.5),
        "page p95 ms": _ms(reads, 0.95),
        "server errors (5xx)": server_errors,
        "connection errors": sum(tally.errors.values()),
        "error detail": dict(tally.errors),
        "statuses": {f"{k} {s}": n for (k, s), n in sorted(tally.status.items())},
        "worker killed": killed,
        "workers after": workers_after,
        **counts,
    }
    psql(f"DROP DATABASE IF EXISTS {database}")
    return result


def _commit(tree: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return out.stdout.strip() or "?"


def _gunicorn_shape(tree: Path, env: dict) -> str:
    """Workers, worker class and threads as that tree's loadtest/gunicorn.conf.py sets them."""
    config: dict = {}
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        text = (tree / "loadtest" / "gunicorn.conf.py").read_text()
        exec(compile(text, "gunicorn.conf.py", "exec"), config)  # noqa: S102 - our own file
    finally:
        os.environ.clear()
        os.environ.update(saved)
    shape = f"{config.get('workers', 1)} {config.get('worker_class', 'sync')}"
    return shape + (f" × {config['threads']} threads" if config.get("threads", 1) > 1 else "")


def versions() -> dict:
    import django
    import gunicorn

    pg = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": pg,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument(
        "--only",
        choices=["focal-before", "focal-after", "steady", "kill"],
        action="append",
        help="run only these (repeatable)",
    )
    parser.add_argument(
        "--think",
        choices=["person", "busy"],
        default="person",
        help="person: typing and reading times (the default); busy: 0.05–0.3 s, as before",
    )
    parser.add_argument(
        "--base-tree",
        type=Path,
        default=None,
        help="a worktree of older code: focal-before serves it (its gunicorn.conf.py, its "
        "settings) instead of this tree with the issue's settings",
    )
    parser.add_argument(
        "--base-workers", type=int, default=3, help="gunicorn processes of --base-tree"
    )
    parser.add_argument("--repeat", type=int, default=1, help="focal-before/after pairs")
    parser.add_argument(
        "--client-nice",
        type=int,
        default=10,
        help="niceness of the simulated people's threads (0: same as the server)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the base database")
    args = parser.parse_args(argv)
    print(f"loadtest: building {BASE_DB} …", flush=True)
    plan = build_base(args.users)
    mixed = list(range(args.users))
    focal = list(range(args.users, 2 * args.users))
    base = args.base_tree.resolve() if args.base_tree else None
    runs = []
    # The deadline day: every person a focal point saving answers, before and after, in
    # pairs one right after the other so that both see the same machine.
    for n in range(1, args.repeat + 1):
        suffix = f"-{n}" if args.repeat > 1 else ""
        if base:
            runs.append(("focal-before", f"focal-before{suffix}", focal, False, False, base))
        else:
            runs.append(("focal-before", f"focal-before{suffix}", focal, False, True, ROOT))
        runs.append(("focal-after", f"focal-after{suffix}", focal, False, False, ROOT))
    runs += [
        ("steady", "steady", mixed, False, False, ROOT),
        ("kill", "kill", mixed, True, False, ROOT),
    ]
    results = []
    try:
        for kind, name, indices, kill, old, tree in runs:
            if args.only and kind not in args.only:
                continue
            print(f"loadtest: run {name} ({len(indices)} people, {args.seconds} s) …", flush=True)
            workers = args.base_workers if tree != ROOT else args.workers
            results.append(
                one_run(
                    name,
                    plan,
                    indices,
                    args.seconds,
                    workers,
                    kill,
                    old,
                    tree=tree,
                    think_model=args.think,
                    client_nice=args.client_nice,
                )
            )
    finally:
        if not args.keep_db:
            psql(f"DROP DATABASE IF EXISTS {BASE_DB}")
    info = versions()
    command = "python -m loadtest " + " ".join(argv if argv is not None else sys.argv[1:])
    lines = [f"- {k}: {v}" for k, v in info.items()]
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    lines += [
        f"- command: `{command.strip()}`",
        f"- load average (1, 5, 15 min) at the end: {load} (other work shares this machine)",
        "- think time: "
        + (
            "0.05–0.3 s between requests (far busier than a person)"
            if args.think == "busy"
            else f"an answer typed for 1–5 s, sent {TYPING_PAUSE:g} s after the last "
            "keystroke (the autosave's debounce), one request at a time per person; a page "
            "read for 2–10 s"
        ),
        f"- the simulated people's threads run at nice {args.client_nice} (the server at 0)",
        "",
    ]
    keys = [k for k in results[0] if k not in ("run", "error detail", "statuses")]
    lines.append("| figure | " + " | ".join(r["run"] for r in results) + " |")
    lines.append("|---|" + "---|" * len(results))
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(r[key]) for r in results) + " |")
    lines.append("")
    for r in results:
        lines.append(f"- {r['run']}: statuses {r['statuses']}; errors {r['error detail']}")
    report = "\n".join(lines) + "\n"
    print(report)
    (ROOT / "loadtest" / "last-run.md").write_text(report)
    failed = any(r["answers lost"] or r["updates lost"] for r in results) or any(
        r["server errors (5xx)"]
        for r in results
        if r["run"] == "steady" or r["run"].startswith("focal-after")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

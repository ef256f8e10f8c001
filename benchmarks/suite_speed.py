"""`make test` of this tree and of an older one, side by side: `python -m benchmarks.suite_speed`.

    python -m benchmarks.suite_speed --base-tree ../old-worktree [--rounds 2] [--out FILE]

Runs `make test` (lint, types, the migration check and the whole suite, as a developer runs it)
in the older tree and in this one, one after the other, alternating which goes first in each
round, so that both see the same machine. Each tree uses its own `.venv` (made beforehand with
`make install`; the install step is then a no-op). Reports each run's wall time and the number
of tests that passed, and the ratio of the medians. SQLite, the default database of both.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_test(tree: Path) -> tuple[float, int, int, str]:
    """Wall seconds, tests passed, tests skipped and the summary line of `make test` in `tree`."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    started = time.perf_counter()
    run = subprocess.run(  # noqa: S603 - make, fixed arguments
        [shutil.which("make") or "make", "-s", "test"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    lines = [line for line in run.stdout.splitlines() if re.search(r"\d+ passed", line)]
    if run.returncode != 0 or not lines:
        raise SystemExit(f"make test failed in {tree}:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    summary = lines[-1]
    passed = int(re.search(r"(\d+) passed", summary).group(1))
    skipped = int((re.search(r"(\d+) skipped", summary) or [0, 0])[1])
    return seconds, passed, skipped, summary.strip("= ")


def commit(tree: Path) -> str:
    return subprocess.run(  # noqa: S603 - git, fixed arguments
        [shutil.which("git") or "git", "log", "-1", "--format=%h %s"],
        cwd=tree,
        capture_output=True,
        text=True,
    ).stdout.strip()[:70]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-tree", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    trees = {"old": args.base_tree.resolve(), "new": ROOT}
    runs: dict[str, list[tuple[float, int, int, str]]] = {"old": [], "new": []}
    load_before = os.getloadavg()
    for number in range(args.rounds):
        order = ["old", "new"] if number % 2 == 0 else ["new", "old"]
        for name in order:
            runs[name].append(make_test(trees[name]))
            seconds, passed, skipped, _ = runs[name][-1]
            print(
                f"round {number + 1}, {name}: {seconds:.1f} s, {passed} passed, {skipped} skipped"
            )
    load_after = os.getloadavg()
    median = {name: statistics.median(r[0] for r in runs[name]) for name in runs}
    lines = [
        f"# `make test` side by side ({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"- cores: {os.cpu_count()}; load average before {load_before[0]:.2f}, "
        f"after {load_after[0]:.2f}",
        f"- old: `{commit(trees['old'])}`",
        f"- new: `{commit(trees['new'])}`",
        "",
        "| tree | runs (s) | median (s) | tests passed | skipped |",
        "|---|---|---|---|---|",
    ]
    for name in ("old", "new"):
        times = ", ".join(f"{r[0]:.1f}" for r in runs[name])
        lines.append(
            f"| {name} | {times} | {median[name]:.1f} | {runs[name][-1][1]} | {runs[name][-1][2]} |"
        )
    lines += [
        "",
        f"new ÷ old: **{median['new'] / median['old']:.2f}** "
        f"({median['old'] / median['new']:.2f}× as fast, with "
        f"{runs['new'][-1][1] / runs['old'][-1][1]:.1f}× the tests)",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

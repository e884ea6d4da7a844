"""The full test suite's time, and each exercise's execution time without cache."""

from __future__ import annotations

import json
import re
import subprocess
import time

from common import BENCH, PYTHON, ROOT, log, rmtree


def test_suite() -> dict:
    log("test suite")
    command = [
        str(PYTHON),
        "-m",
        "pytest",
        "-n",
        "auto",
        "--dist",
        "loadgroup",
        "-q",
        "-p",
        "no:cacheprovider",
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    (BENCH / "tests.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    summary = next(
        (
            line.strip("= ")
            for line in reversed(lines)
            if re.search(r"\d+ (passed|failed|error)", line)
        ),
        lines[-1] if lines else "",
    )
    log(f"  {seconds:.1f} s: {summary}")
    return {"seconds": round(seconds, 1), "ok": result.returncode == 0, "summary": summary}


EXEC_SCRIPT = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from course import exercises as ex_lib, execute
root, work = Path(sys.argv[1]), Path(sys.argv[2])
src = root / "exercises"
loaded = [ex_lib.load(p, src / ex_lib.DATA_DIR) for p in ex_lib.discover(src)]
ex_lib.prepare_workdir(work, src / ex_lib.DATA_DIR, [n for ex in loaded for n in ex.donnees])
times = {}
for ex in loaded:
    inputs = [work / "verif.py"] + [work / ex_lib.DATA_DIR / n for n in ex.donnees]
    runs = []
    for _ in range(int(sys.argv[3])):
        start = time.perf_counter()
        execute.execute(ex_lib.learner(ex), work, inputs, None, name=str(ex.path))
        runs.append(time.perf_counter() - start)
    times[ex.slug] = round(min(runs), 2)
jobs = [
    (ex_lib.learner(ex), work, [], None, 120, str(ex.path)) for ex in loaded
]
together = []
for _ in range(int(sys.argv[3])):
    start = time.perf_counter()
    results = execute.execute_many(jobs)
    together.append(time.perf_counter() - start)
    assert all(error is None for _, error in results), results
print(json.dumps({"alone": times, "together": round(min(together), 2)}))
"""


def exercise_times(repeat: int) -> dict:
    """Each learner notebook executed alone, without cache (kernel start-up included), then
    all of them together as the site build runs them (``execute_many``)."""
    log("exercise execution times (no cache, one at a time)")
    work = BENCH / "work"
    rmtree(work)
    result = subprocess.run(
        [str(PYTHON), "-c", EXEC_SCRIPT, str(ROOT), str(work), str(repeat)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-2000:])
    return json.loads(result.stdout.strip().splitlines()[-1])

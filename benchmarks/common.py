"""What every part of the benchmark shares: paths, log, edits undone, best of several runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "_build" / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
# The benchmark has its own execution cache (same code path as _build/.cache, see README):
# deleting it for the cold build never disturbs a build or a test run going on meanwhile.
CACHE_REL = "_build/bench/cache"
OUT = BENCH / "html"
DOCTREES = BENCH / "doctrees"
FLOOR = BENCH / "floor"
PROSE_DOC = "modules/histoire.md"
EXERCISE_DOC = "exercises/seuil-qpv.md"
EDIT_TEXT = "\nPhrase ajoutée par le banc d'essai (retirée à la fin de la mesure).\n"
EXERCISE_PROSE = "\n\nPhrase ajoutée par le banc d'essai (retirée à la fin de la mesure).\n"
EXERCISE_CODE = (
    "\n```{code-cell} ipython3\n# cellule ajoutée par le banc d'essai (retirée)\n1 + 1\n```\n"
)

COURSE_LINE = re.compile(r"\[course\] (\d+) exercice\(s\), (\d+) exécuté\(s\)")
UPDATING = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, "
    r"(\d+) removed"
)
READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


class Edited:
    """Append ``text`` to ``path`` for the duration of a ``with`` block, then restore it."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text

    def __enter__(self):
        self.original = self.path.read_bytes()
        self.path.write_bytes(self.original + self.text.encode("utf-8"))
        return self

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)
        return False


def best(runs: list[dict]) -> dict:
    """The fastest of several runs (the least disturbed by other work on the machine)."""
    ok = [r for r in runs if r["ok"]] or runs
    result = dict(min(ok, key=lambda r: r["seconds"]))
    result["runs"] = [r["seconds"] for r in runs]
    return result


def measured(command: list[str], cwd: Path = ROOT) -> dict:
    """Run ``command``; its wall time, CPU time (user + system, children included) and the
    peak memory of its largest process (``ru_maxrss`` of ``wait4``: the child and every
    descendant it waited for, kernels and Sphinx workers included), with its output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "seconds": round(seconds, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "max_rss_mb": round(usage.ru_maxrss / 1024),  # kilobytes on Linux
            "returncode": child.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }

"""Benchmark of the course site, side by side with Jupyter Book 1.x (``make bench``).

One run on this machine measures, for the learner edition:

- a clean build with a cold execution cache, then a clean build with the warm cache;
- a no-op rebuild; a rebuild after editing one module's prose; a rebuild after editing one
  exercise (the number of notebooks executed in each case, read from the build log line
  ``[course] N exercice(s), K exécuté(s)``, and the documents re-read);
- the full test-suite time (``--skip-tests`` to leave it out);
- each exercise's execution time (``course.execute.execute`` without cache, one at a time);
- the median and largest page weight (HTML + the local CSS, JS and images it loads),
  uncompressed and gzip-compressed (what a server with gzip transfers);
- the same content built by Jupyter Book 1.x, installed in its own virtual environment
  (``_build/bench/jb-venv``), with its own execution cache (``--skip-jb`` to leave it out);
- ``make session`` (the trainer's session kit, PDFs included) on the full course path, from
  the learner site just built (``benchmarks/session_bench.py``);
- the workshop hub (``make hub``): how many learners running the heaviest exercise at once
  each finish under 10 s, and the memory per learner (``benchmarks/hub_bench.py``;
  ``--only-hub`` runs this part alone, ``--skip-hub`` leaves it out);
- a floor: Sphinx and MyST alone on the same Markdown pages (no theme, no course
  extension, no notebooks), to show what no Sphinx-based build of these pages can go under;
- scale: the same builds on a generated course ten times larger than the real one, with CPU
  time and peak memory (``benchmarks/scale.py``; ``--only-scale`` runs this part alone and
  writes ``scale.md`` / ``scale.json``, ``--skip-scale`` leaves it out).

The parts: ``builds.py`` (our builds, the floor), ``suite.py`` (tests, exercise execution),
``weights.py`` (page weight), ``jb.py`` (Jupyter Book), ``session_bench.py``,
``hub_bench.py``, ``scale.py``,
``report.py`` (the table); ``common.py`` holds what they share.

It writes a Markdown table to ``_build/bench/results.md`` (and the raw figures to
``results.json``) and prints it. See benchmarks/README.md for the method.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import traceback

# benchmarks/ is on sys.path: run.py is run as a script
import hub_bench
import scale
import session_bench
from builds import our_builds, sphinx_floor
from common import BENCH, OUT, ROOT, log
from jb import jupyter_book
from report import report
from suite import exercise_times, test_suite
from weights import page_weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-tests", action="store_true", help="sans la suite de tests")
    parser.add_argument("--skip-jb", action="store_true", help="sans Jupyter Book")
    parser.add_argument("--skip-hub", action="store_true", help="sans le hub d'atelier")
    parser.add_argument(
        "--only-hub", action="store_true", help="seulement le hub d'atelier (hub_bench.py)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="mesures répétées, la plus rapide est retenue (défaut : 3)",
    )
    parser.add_argument(
        "--only-scale",
        action="store_true",
        help="seulement le passage à l'échelle (vrai cours et cours généré × 10)",
    )
    parser.add_argument("--skip-scale", action="store_true", help="sans le passage à l'échelle")
    args = parser.parse_args(argv)
    BENCH.mkdir(parents=True, exist_ok=True)
    if args.only_hub:
        return hub_bench.main([])
    import sphinx as sphinx_pkg

    data: dict = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "platform": f"{platform.system()} {platform.machine()}",
            "sphinx": sphinx_pkg.__version__,
        },
        "errors": [],
    }

    def step(name, function):
        if args.only_scale and name != "scale":
            return
        try:
            data[name] = function()
        except Exception as exc:  # the table reports it; the run goes on
            log(f"{name} failed: {exc}")
            data["errors"].append(f"{name} : {str(exc).strip().splitlines()[-1][:300]}")
            (BENCH / f"{name}-error.log").write_text(traceback.format_exc(), encoding="utf-8")

    data["machine"]["load_before"] = [round(x, 1) for x in os.getloadavg()]
    step("ours", lambda: our_builds(args.repeat))
    for key, result in data.get("ours", {}).items():
        if not result["ok"]:
            data["errors"].append(f"build {key} en échec : {result['log_tail'][-300:]}")
    step("weights", lambda: page_weights(OUT))
    trainer = ROOT / "_build" / "formateur"  # make formateur's output, if there is one
    trainer = trainer if (trainer / "_course" / "cours.json").exists() else None
    step(
        "session",
        lambda: session_bench.session_times(OUT, BENCH / "session", args.repeat, trainer),
    )
    step("floor", lambda: sphinx_floor(args.repeat))
    step("exercise_times", lambda: exercise_times(args.repeat))
    if not args.skip_hub:
        step("hub", lambda: hub_bench.measure(hub_bench.MAX_LEARNERS, BENCH / "hub"))
    if not args.skip_tests:
        step("tests", test_suite)
    if not args.skip_jb:
        step("jb", lambda: jupyter_book(args.repeat))
        if "jb" not in data and not args.only_scale:
            data["jb"] = {"error": data["errors"][-1]}
    if not args.skip_scale:
        step("scale", lambda: scale.scale(args.repeat))
    data["machine"]["load_after"] = [round(x, 1) for x in os.getloadavg()]
    data["repeat"] = args.repeat
    name = "scale" if args.only_scale else "results"
    table = scale.report(data) if args.only_scale else report(data)
    (BENCH / f"{name}.md").write_text(table, encoding="utf-8")
    (BENCH / f"{name}.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Our learner builds: clean (cold and warm cache), no-op and one-edit rebuilds; the floor."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from common import (
    CACHE_REL,
    COURSE_LINE,
    DOCTREES,
    EDIT_TEXT,
    EXERCISE_CODE,
    EXERCISE_DOC,
    EXERCISE_PROSE,
    FLOOR,
    OUT,
    PROSE_DOC,
    READING,
    ROOT,
    UPDATING,
    VENV_BIN,
    Edited,
    best,
    log,
    measured,
    rmtree,
)


def sphinx(
    *extra: str,
    src: Path = ROOT,
    out: Path = OUT,
    doctrees: Path = DOCTREES,
    cache: str = CACHE_REL,
) -> dict:
    """One learner build of ``src`` (the repository by default) into ``out``; returns time,
    CPU time, peak memory, counts and the documents read."""
    command = [
        str(VENV_BIN / "sphinx-build"),
        "-b",
        "html",
        "-n",
        "-j",
        "auto",
        "-d",
        str(doctrees),
        "-D",
        f"course_cache_dir={cache}",
        *extra,
        str(src),
        str(out),
    ]
    result = measured(command, cwd=src)
    text = result["stdout"] + result["stderr"]
    course = COURSE_LINE.search(text)
    updating = UPDATING.search(text)
    read = []
    for match in READING.finditer(result["stdout"]):
        read += [d.strip() for d in match.group(1).split("..")]
    ok = result["returncode"] == 0
    return {
        "seconds": result["seconds"],
        "cpu_s": result["cpu_s"],
        "max_rss_mb": result["max_rss_mb"],
        "ok": ok,
        "exercises": int(course.group(1)) if course else None,
        "executed": int(course.group(2)) if course else None,
        "changed": ([int(g) for g in updating.groups()] if updating else None),
        "read": read,
        "warnings": text.count("WARNING"),
        "log_tail": "" if ok else text[-3000:],
    }


def our_builds(repeat: int) -> dict:
    runs: dict[str, list[dict]] = {
        k: []
        for k in ("clean_cold", "clean_warm", "noop", "prose", "exercise_prose", "exercise_code")
    }
    for n in range(1, repeat + 1):
        log(f"run {n}/{repeat}: clean build, cold cache (output, doctrees, cache deleted)")
        for path in (OUT, DOCTREES, ROOT / CACHE_REL):
            rmtree(path)
        runs["clean_cold"].append(sphinx())
        log(f"  {runs['clean_cold'][-1]['seconds']} s")
        rmtree(OUT)
        rmtree(DOCTREES)
        runs["clean_warm"].append(sphinx())
        log(f"  clean build, warm cache: {runs['clean_warm'][-1]['seconds']} s")
        runs["noop"].append(sphinx())
        log(f"  no-op rebuild: {runs['noop'][-1]['seconds']} s")
        prose = edited_build(ROOT / PROSE_DOC, EDIT_TEXT.replace("(", f"n° {n} ("))
        runs["prose"].append(prose)
        log(f"  prose edit: {prose['seconds']} s, read {prose['read']}")
        text = EXERCISE_PROSE.replace("(", f"n° {n} (")
        runs["exercise_prose"].append(edited_build(ROOT / EXERCISE_DOC, text))
        # new code each time, so the edited notebook is not in the cache yet
        code = EXERCISE_CODE.replace("(retir", f"(n° {n}, retir")
        runs["exercise_code"].append(edited_build(ROOT / EXERCISE_DOC, code))
        for key in ("exercise_prose", "exercise_code"):
            last = runs[key][-1]
            log(f"  {key.replace('_', ' ')} edit: {last['seconds']} s, executed {last['executed']}")
    return {key: best(value) for key, value in runs.items()}


def edited_build(path: Path, text: str, **paths) -> dict:
    """One build (:func:`sphinx` with ``paths``) measured with ``text`` added to ``path``, then
    one, not measured, back to the unedited source (an edited exercise's cached execution is
    then reused)."""
    with Edited(path, text):
        result = sphinx(**paths)
    sphinx(**paths)
    return result


FLOOR_CONF = """
# Sphinx and MyST alone: what any Sphinx-based build of these pages has to do at least.
# (benchmarks/run.py writes this file; see benchmarks/README.md)
import runpy

_ours = runpy.run_path({conf!r})
extensions = ["myst_parser"]
myst_enable_extensions = _ours.get("myst_enable_extensions", [])
myst_heading_anchors = _ours.get("myst_heading_anchors")
language = _ours.get("language")
root_doc = _ours.get("root_doc", "index")
exclude_patterns = _ours["exclude_patterns"] + {skip!r}
html_theme = "basic"
suppress_warnings = ["myst", "toc", "ref", "image", "misc", "docutils"]
"""


def sphinx_floor(repeat: int) -> dict:
    """Clean builds of the Markdown pages by Sphinx + MyST alone (our directives are then
    unknown: docutils reports them in a few microseconds instead of running them)."""
    log("floor: Sphinx + MyST alone, same Markdown pages, clean builds")
    conf_dir = FLOOR / "conf"
    conf_dir.mkdir(parents=True, exist_ok=True)
    skip = ["exercises/**", "exercices/**", "formateur/**", "_build/**"]
    (conf_dir / "conf.py").write_text(
        FLOOR_CONF.format(conf=str(ROOT / "conf.py"), skip=skip), encoding="utf-8"
    )
    runs = []
    for _ in range(repeat):
        rmtree(FLOOR / "html")
        rmtree(FLOOR / "doctrees")
        command = [str(VENV_BIN / "sphinx-build"), "-q", "-b", "html", "-j", "auto"]
        command += ["-c", str(conf_dir), "-d", str(FLOOR / "doctrees"), str(ROOT)]
        start = time.perf_counter()
        result = subprocess.run(command + [str(FLOOR / "html")], capture_output=True, text=True)
        runs.append(
            {
                "seconds": round(time.perf_counter() - start, 2),
                "ok": result.returncode == 0,
                "pages": len(list((FLOOR / "html").rglob("*.html"))),
                "log_tail": "" if result.returncode == 0 else result.stderr[-3000:],
            }
        )
    log(f"  {[r['seconds'] for r in runs]} s")
    return best(runs)

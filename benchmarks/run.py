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
  each finish under 10 s, and the memory per learner (``benchmarks/hub_bench.py``);
- a floor: Sphinx and MyST alone on the same Markdown pages (no theme, no course
  extension, no notebooks), to show what no Sphinx-based build of these pages can go under.

It writes a Markdown table to ``_build/bench/results.md`` (and the raw figures to
``results.json``) and prints it. See benchmarks/README.md for the method.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

import hub_bench  # benchmarks/ is on sys.path: run.py is run as a script
import session_bench

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
JB_VENV = BENCH / "jb-venv"
JB_SRC = BENCH / "jb-src"
JB_SPEC = "jupyter-book<2"
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

TARGETS = {
    "clean_vs_jb": 0.5,
    "noop_s": 2.0,
    "prose_s": 3.0,
    "warm_vs_cold": 0.3,
    "median_page_gz_kb": 350.0,
}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- our builds --------------------------------------------------------------------


def sphinx(*extra: str) -> dict:
    """One learner build into _build/bench/html; returns time, counts and the documents read."""
    command = [
        str(VENV_BIN / "sphinx-build"),
        "-b",
        "html",
        "-n",
        "-j",
        "auto",
        "-d",
        str(DOCTREES),
        "-D",
        f"course_cache_dir={CACHE_REL}",
        *extra,
        str(ROOT),
        str(OUT),
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    text = result.stdout + result.stderr
    course = COURSE_LINE.search(text)
    updating = UPDATING.search(text)
    read = []
    for match in READING.finditer(result.stdout):
        read += [d.strip() for d in match.group(1).split("..")]
    return {
        "seconds": round(seconds, 2),
        "ok": result.returncode == 0,
        "exercises": int(course.group(1)) if course else None,
        "executed": int(course.group(2)) if course else None,
        "changed": ([int(g) for g in updating.groups()] if updating else None),
        "read": read,
        "warnings": text.count("WARNING"),
        "log_tail": "" if result.returncode == 0 else text[-3000:],
    }


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
        with Edited(ROOT / PROSE_DOC, EDIT_TEXT.replace("(", f"n° {n} (")):
            runs["prose"].append(sphinx())
        log(f"  prose edit: {runs['prose'][-1]['seconds']} s, read {runs['prose'][-1]['read']}")
        sphinx()  # back to the committed text (not measured)
        with Edited(ROOT / EXERCISE_DOC, EXERCISE_PROSE.replace("(", f"n° {n} (")):
            runs["exercise_prose"].append(sphinx())
        log(
            f"  exercise prose edit: {runs['exercise_prose'][-1]['seconds']} s, "
            f"executed {runs['exercise_prose'][-1]['executed']}"
        )
        sphinx()  # back to the committed exercise (not measured)
        # new code each time, so the edited notebook is not in the cache yet
        with Edited(ROOT / EXERCISE_DOC, EXERCISE_CODE.replace("(retir", f"(n° {n}, retir")):
            runs["exercise_code"].append(sphinx())
        log(
            f"  exercise code edit: {runs['exercise_code'][-1]['seconds']} s, "
            f"executed {runs['exercise_code'][-1]['executed']}"
        )
        sphinx()  # back to the committed exercise; its cached execution is reused
    return {key: best(value) for key, value in runs.items()}


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


# -- test suite, exercises --------------------------------------------------------------------


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
ex_lib.prepare_workdir(work, src / ex_lib.DATA_DIR, loaded)
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


# -- page weight --------------------------------------------------------------------

ASSETS = (("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"))


def page_weights(outdir: Path) -> dict:
    """HTML + local CSS/JS/images each page loads: bytes and gzip bytes, per page."""
    from bs4 import BeautifulSoup

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import is_external

    gz_cache: dict[Path, tuple[int, int]] = {}

    def size(path: Path) -> tuple[int, int]:
        if path not in gz_cache:
            data = path.read_bytes()
            gz_cache[path] = (len(data), len(gzip.compress(data, compresslevel=6)))
        return gz_cache[path]

    pages, skipped, external = {}, [], 0
    for page in sorted(outdir.rglob("*.html")):
        rel = page.relative_to(outdir).as_posix()
        if rel.startswith(("node_modules/", "_build/", ".venv/")):
            skipped.append(rel)  # not course pages (conf.py exclusions), see the report
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        files = {page}
        for tag, attr in ASSETS:
            for element in soup.find_all(tag):
                if tag == "link" and not {"stylesheet", "icon", "preload", "modulepreload"} & set(
                    element.get("rel") or []
                ):
                    continue
                url = (element.get(attr) or "").split("#")[0].split("?")[0]
                if not url or url.startswith("data:"):
                    continue
                if is_external(url):
                    external += 1
                    continue
                target = (page.parent / url).resolve()
                if target.is_file():
                    files.add(target)
        raw = sum(size(f)[0] for f in files)
        gz = sum(size(f)[1] for f in files)
        pages[rel] = (raw, gz)
    if not pages:
        raise RuntimeError(f"aucune page dans {outdir}")
    by_gz = sorted(pages.items(), key=lambda kv: kv[1][1])
    largest = by_gz[-1]
    return {
        "pages": len(pages),
        "median_raw_kb": round(statistics.median(v[0] for v in pages.values()) / 1024, 1),
        "median_gz_kb": round(statistics.median(v[1] for v in pages.values()) / 1024, 1),
        "largest_page": largest[0],
        "largest_raw_kb": round(largest[1][0] / 1024, 1),
        "largest_gz_kb": round(largest[1][1] / 1024, 1),
        "external_refs": external,
        "skipped": skipped,
    }


# -- Jupyter Book 1.x --------------------------------------------------------------------


def jb_install() -> str:
    """Create _build/bench/jb-venv with jupyter-book<2 (once); returns the installed version."""
    python = JB_VENV / "bin" / "python"
    if not (JB_VENV / "bin" / "jupyter-book").exists():
        log(f"installing {JB_SPEC} into {JB_VENV.relative_to(ROOT)}")
        subprocess.run(
            [sys.executable, "-m", "venv", str(JB_VENV)], check=True, capture_output=True
        )
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                JB_SPEC,
                "ipykernel",
                "pandas",
                "numpy",
                "matplotlib",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"pip install {JB_SPEC} a échoué : {result.stderr[-1500:]}")
    result = subprocess.run(
        [
            str(python),
            "-c",
            "import jupyter_book, sphinx, myst_nb; "
            "print(jupyter_book.__version__, sphinx.__version__, "
            "myst_nb.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    jb, sx, nb = result.stdout.split()
    return f"jupyter-book {jb} (Sphinx {sx}, MyST-NB {nb})"


# Our directives, unknown to Jupyter Book: what the JB copy gets instead (see README).
AS_ADMONITION = {
    "objectifs": "Objectifs",
    "prerequis": "Prérequis",
    "points-cles": "Points clés",
    "question": "Question",
}
AS_WARNING = {"a-verifier"}
STRIPPED = {
    "note-formateur",
    "toctree",
    "toctree-formateur",
    "recueil-notes-formateur",
    "programme",
    "parcours",
}
OPEN = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[a-z-]+)\}\s*(?P<arg>.*)$")


def convert_markdown(text: str) -> str:
    """Our MyST → plain MyST for Jupyter Book: course directives become admonitions or go."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        match = OPEN.match(lines[i])
        name = match.group("name") if match else None
        if name not in AS_ADMONITION and name not in AS_WARNING and name not in STRIPPED:
            out.append(lines[i])
            i += 1
            continue
        fence = match.group("fence")
        close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), len(lines))
        body = lines[i + 1 : end]
        while body and re.match(r"^:[a-z-]+:", body[0]):  # directive options
            body = body[1:]
        if name in AS_ADMONITION:
            title = AS_ADMONITION[name] + (f" : {match.group('arg')}" if match.group("arg") else "")
            out += [f"{fence}{{admonition}} {title}", *body, fence]
        elif name in AS_WARNING:
            out += [f"{fence}{{warning}}", *body, fence]
        i = end + 1
    text = "\n".join(out)
    text = re.sub(r"\{exercice\}`([^`]+)`", r"{doc}`/exercices/\1`", text)
    return text


def toctree_entries(doc: str) -> list[tuple[str | None, list[str]]]:
    """(caption, entries) of each ``{toctree}`` in ``doc`` (docnames from the root)."""
    text = (ROOT / f"{doc}.md").read_text(encoding="utf-8")
    folder = str(Path(doc).parent)
    found = []
    for block in re.finditer(r"^:::\{toctree\}\n(.*?)^:::\s*$", text, re.M | re.S):
        caption, entries = None, []
        for line in block.group(1).splitlines():
            if line.startswith(":caption:"):
                caption = line.split(":", 2)[2].strip()
            elif line.strip() and not line.startswith(":"):
                entry = line.strip()
                entries.append(entry if folder == "." else f"{folder}/{entry}")
        found.append((caption, entries))
    return found


def jb_chapter(doc: str) -> dict:
    chapter: dict = {"file": doc}
    sections = (
        [e for _, entries in toctree_entries(doc) for e in entries]
        if (ROOT / f"{doc}.md").exists()
        else []
    )
    if sections:
        chapter["sections"] = [jb_chapter(s) for s in sections]
    return chapter


def jb_project() -> list[str]:
    """Write _build/bench/jb-src: our pages converted, learner notebooks, _config/_toc."""
    import yaml

    rmtree(JB_SRC)
    JB_SRC.mkdir(parents=True)
    parts = [
        {"caption": caption, "chapters": [jb_chapter(e) for e in entries]}
        for caption, entries in toctree_entries("index")
    ]
    docs = ["index"]

    def walk(chapters):
        for chapter in chapters:
            docs.append(chapter["file"])
            walk(chapter.get("sections", []))

    for part in parts:
        walk(part["chapters"])
    for doc in docs:
        target = JB_SRC / doc
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / f"{doc}.md").exists():
            text = convert_markdown((ROOT / f"{doc}.md").read_text(encoding="utf-8"))
            target.with_suffix(".md").write_text(text, encoding="utf-8")
        elif (ROOT / f"{doc}.ipynb").exists():  # generated learner notebook, no outputs
            shutil.copy2(ROOT / f"{doc}.ipynb", target.with_suffix(".ipynb"))
        else:
            raise RuntimeError(f"{doc} : ni .md ni .ipynb (lancez d'abord un build)")
    # what the notebooks read when they run: the helper and the data, next to them
    shutil.copy2(ROOT / "exercices" / "verif.py", JB_SRC / "exercices" / "verif.py")
    shutil.copytree(ROOT / "exercices" / "donnees", JB_SRC / "exercices" / "donnees")
    conf = {
        "title": "Politique de la ville & DST",
        "author": "Les contributeurs du cours",
        "only_build_toc_files": True,
        "execute": {"execute_notebooks": "cache", "timeout": 120, "allow_errors": False},
        "parse": {"myst_enable_extensions": ["colon_fence", "deflist"], "myst_heading_anchors": 3},
        "sphinx": {"config": {"language": "fr", "html_show_sourcelink": False}},
    }
    (JB_SRC / "_config.yml").write_text(
        yaml.safe_dump(conf, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    toc = {"format": "jb-book", "root": "index", "parts": parts}
    (JB_SRC / "_toc.yml").write_text(
        yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return docs


def jb_build() -> dict:
    command = [str(JB_VENV / "bin" / "jupyter-book"), "build", str(JB_SRC)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=JB_SRC)
    seconds = time.perf_counter() - start
    text = result.stdout + result.stderr
    return {
        "seconds": round(seconds, 2),
        "ok": result.returncode == 0 and (JB_SRC / "_build" / "html" / "index.html").exists(),
        "executed": len(re.findall(r"Executed notebook in", text)),
        "warnings": text.count("WARNING"),
        "log_tail": "" if result.returncode == 0 else text[-3000:],
    }


def jupyter_book(repeat: int) -> dict:
    results = {"version": jb_install()}
    docs = jb_project()
    results["docs"] = len(docs)
    runs: dict[str, list[dict]] = {k: [] for k in ("clean_cold", "clean_warm", "noop", "prose")}
    for n in range(1, repeat + 1):
        log(f"Jupyter Book run {n}/{repeat}: clean build, cold cache ({len(docs)} pages)")
        rmtree(JB_SRC / "_build")
        runs["clean_cold"].append(jb_build())
        log(f"  {runs['clean_cold'][-1]['seconds']} s")
        rmtree(JB_SRC / "_build" / "html")
        rmtree(JB_SRC / "_build" / ".doctrees")
        runs["clean_warm"].append(jb_build())
        log(f"  clean build, warm cache: {runs['clean_warm'][-1]['seconds']} s")
        runs["noop"].append(jb_build())
        with Edited(JB_SRC / PROSE_DOC, EDIT_TEXT.replace("(", f"n° {n} (")):
            runs["prose"].append(jb_build())
        jb_build()
    results.update({key: best(value) for key, value in runs.items()})
    if results["clean_cold"]["ok"]:
        results["weights"] = page_weights(JB_SRC / "_build" / "html")
    return results


# -- report --------------------------------------------------------------------


def fmt_s(step: dict | None) -> str:
    if not step:
        return "—"
    if not step.get("ok", True):
        return f"échec ({step['seconds']} s)"
    return f"{step['seconds']:.1f} s"


def ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or not a.get("ok") or not b.get("ok") or not b["seconds"]:
        return "—"
    return f"{a['seconds'] / b['seconds']:.2f}"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def executed(step: dict | None) -> str:
    if not step or step.get("executed") is None:
        return "—"
    return str(step["executed"])


def report(data: dict) -> str:
    ours, jb, errors = data.get("ours", {}), data.get("jb") or {}, data["errors"]
    jbs = jb if "clean_cold" in jb else {}
    cold, warm = ours.get("clean_cold"), ours.get("clean_warm")
    floor = data.get("floor")
    noop, prose = ours.get("noop"), ours.get("prose")
    exo_prose, exo_code = ours.get("exercise_prose"), ours.get("exercise_code")

    def ok_if(step, test):
        return None if not step or not step.get("ok") else test(step)

    jb_cold = jbs.get("clean_cold")
    clean_ok = (
        None
        if not (cold and jb_cold and cold["ok"] and jb_cold["ok"])
        else cold["seconds"] <= TARGETS["clean_vs_jb"] * jb_cold["seconds"]
    )
    warm_ok = (
        None
        if not (cold and warm and cold["ok"] and warm["ok"])
        else warm["seconds"] <= TARGETS["warm_vs_cold"] * cold["seconds"]
    )
    w, jw = data.get("weights"), jbs.get("weights")
    m = data["machine"]
    lines = [
        "# Banc d'essai du site (édition apprenant)",
        "",
        f"- Date : {data['date']}",
        f"- Machine : {m['nproc']} cœur(s), {m['platform']}, Python {m['python']} ; charge "
        f"moyenne (1, 5, 15 min) au début {m.get('load_before')}, à la fin {m.get('load_after')}",
        f"- Chaque durée est la plus courte de {data.get('repeat', 1)} mesure(s) (toutes les "
        "mesures : results.json) ; la machine peut être partagée avec d'autres travaux",
        f"- Notre chaîne : Sphinx {m.get('sphinx', '?')}, build `-n -j auto`, "
        f"cache d'exécution `{CACHE_REL}`",
        f"- Pair : {jb.get('version', 'Jupyter Book non mesuré')}"
        + (f" — {jb['error']}" if jb.get("error") else ""),
        "",
        "| Mesure | Ce cours | Jupyter Book 1.x | Ratio cours / JB | Cible | Atteinte |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| Build propre, cache froid | {fmt_s(cold)} | {fmt_s(jb_cold)} | "
        f"{ratio(cold, jb_cold)} | ≤ 0,5 × JB | {verdict(clean_ok)} |",
        f"| Build propre, cache chaud | {fmt_s(warm)} | {fmt_s(jbs.get('clean_warm'))} | "
        f"{ratio(warm, jbs.get('clean_warm'))} | ≤ 0,3 × le premier "
        f"({ratio(warm, cold)} ×) | {verdict(warm_ok)} |",
        f"| Plancher : Sphinx + MyST seuls, build propre des mêmes pages Markdown "
        f"(sans thème, extension ni notebooks) | {fmt_s(floor)} | — | — | "
        f"{ratio(floor, cold)} × le premier | — |",
        f"| Reconstruction sans changement | {fmt_s(noop)} | {fmt_s(jbs.get('noop'))} | "
        f"{ratio(noop, jbs.get('noop'))} | ≤ 2 s | "
        f"{verdict(ok_if(noop, lambda s: s['seconds'] <= TARGETS['noop_s']))} |",
        f"| Texte d'un module modifié (`{PROSE_DOC}`) | {fmt_s(prose)} | "
        f"{fmt_s(jbs.get('prose'))} | {ratio(prose, jbs.get('prose'))} | ≤ 3 s, "
        f"0 notebook exécuté | "
        f"{verdict(ok_if(prose, lambda s: s['seconds'] <= TARGETS['prose_s'] and s['executed'] == 0))} |",  # noqa: E501
        f"| Exercice modifié, texte (`{EXERCISE_DOC}`) | {fmt_s(exo_prose)} | — | — | — | — |",
        f"| Exercice modifié, code (une cellule ajoutée) | {fmt_s(exo_code)} | — | — | — | — |",
        f"| Notebooks exécutés (froid / chaud / sans changement / texte / exercice texte / "
        f"exercice code) | "
        f"{' / '.join(executed(s) for s in (cold, warm, noop, prose, exo_prose, exo_code))} | "
        f"{' / '.join(executed(jbs.get(k)) for k in ('clean_cold', 'clean_warm', 'noop', 'prose'))} / — / —"  # noqa: E501
        f" | — | texte : 0 | — |",
    ]
    if w:
        gz_ok = w["median_gz_kb"] <= TARGETS["median_page_gz_kb"]
        jb_median = f"{jw['median_gz_kb']} Ko ({jw['median_raw_kb']} Ko)" if jw else "—"
        jb_largest = (
            f"{jw['largest_gz_kb']} Ko ({jw['largest_raw_kb']} Ko), `{jw['largest_page']}`"
            if jw
            else "—"
        )
        lines += [
            f"| Page médiane, gzip (non compressé) | {w['median_gz_kb']} Ko "
            f"({w['median_raw_kb']} Ko) | {jb_median} | "
            + (f"{w['median_gz_kb'] / jw['median_gz_kb']:.2f}" if jw else "—")
            + f" | ≤ 350 Ko transférés | {verdict(gz_ok)} |",
            f"| Page la plus lourde, gzip (non compressé) | {w['largest_gz_kb']} Ko "
            f"({w['largest_raw_kb']} Ko), `{w['largest_page']}` | {jb_largest} | — | — | — |",
            f"| Ressources chargées depuis un autre site | {w['external_refs']} | "
            f"{jw['external_refs'] if jw else '—'} | — | 0 | {verdict(w['external_refs'] == 0)} |",
        ]
    if "session" in data or any(e.startswith("session") for e in errors):
        lines.append(session_bench.row(data.get("session")))
    tests = data.get("tests")
    if tests:
        lines.append(
            f"| Suite de tests complète (`pytest -n auto`) | {tests['seconds']:.0f} s "
            f"({tests['summary']}) | — | — | — | {verdict(tests['ok'])} |"
        )
    measured = data.get("exercise_times")
    if measured:
        times = measured.get("alone", measured)  # older results.json: the dict alone
        lines += [
            "",
            "Exécution de chaque exercice (notebook apprenant, sans cache, noyau "
            "compris, l'un après l'autre) :",
            "",
            "| Exercice | Temps |",
            "| --- | --- |",
        ]
        lines += [f"| `{slug}` | {sec:.1f} s |" for slug, sec in times.items()]
        lines.append(f"| **Total, l'un après l'autre** | {sum(times.values()):.1f} s |")
        if "together" in measured:
            lines.append(
                f"| **Tous ensemble, comme dans le build** | {measured['together']:.1f} s |"
            )
    details = []
    for key, label in (
        ("prose", "texte modifié"),
        ("exercise_prose", "texte d'exercice modifié"),
        ("exercise_code", "code d'exercice modifié"),
        ("noop", "sans changement"),
    ):
        step = ours.get(key)
        if step:
            details.append(
                f"- Documents relus ({label}) : "
                + (", ".join(f"`{d}`" for d in step["read"]) or "aucun")
            )
    if w and w["skipped"]:
        details.append(
            f"- {len(w['skipped'])} page(s) hors cours exclues du poids "
            f"(ex. `{w['skipped'][0]}`) : `node_modules` manque dans "
            "`exclude_patterns` de conf.py."
        )
    for key in ("clean_cold", "clean_warm", "noop", "prose", "exercise_prose", "exercise_code"):
        step = ours.get(key)
        if step and step.get("warnings"):
            details.append(f"- Avertissements Sphinx ({key}) : {step['warnings']}")
            break
    if details:
        lines += ["", *details]
    if "hub" in data:
        lines += ["", hub_bench.report(data["hub"]).rstrip()]
    if errors:
        lines += ["", "Mesures en échec :", ""] + [f"- {e}" for e in errors]
    lines += ["", "Méthode : benchmarks/README.md."]
    return "\n".join(lines) + "\n"


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
        if "jb" not in data:
            data["jb"] = {"error": data["errors"][-1]}
    data["machine"]["load_after"] = [round(x, 1) for x in os.getloadavg()]
    data["repeat"] = args.repeat
    table = report(data)
    (BENCH / "results.md").write_text(table, encoding="utf-8")
    (BENCH / "results.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scale: the same builds on the real course and on a generated course ten times larger.

``--only-scale`` runs this part alone. The large course is *generated* (never committed)
under ``_build/bench/scale/x10/src``: the real sources plus 9 copies of every module and every
exercise (120 modules, 60 exercises), deterministic. Copy ``k`` of ``modules/loi-2014.md`` is
``modules/loi-2014-c<k>.md``, titled « … (copie générée n° k) » (two modules may not share a
title); its objective references (``:objectif: dst/definitions``) and exercise links point to
copy ``k`` of the same modules and exercises, so alignment stays valid and complete. An
exercise copy serves the module copy and ends with one more code cell (a comment naming the
copy): its execution-cache key differs from the original's, so a cold build really executes
all 60 notebooks (without it, the 10 copies of one notebook would share one cache entry).

The real course is measured the same way, from a plain copy (``x1``). Per size: a clean build
with a cold execution cache, a clean build with a warm cache, a no-op rebuild and a rebuild
after one prose edit of ``modules/histoire.md``; wall time, CPU time (user + system, all the
build's processes) and peak memory of the largest process (``wait4``'s ``ru_maxrss``).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from builds import edited_build, sphinx
from common import BENCH, EDIT_TEXT, PROSE_DOC, ROOT, best, log, rmtree

SCALE = BENCH / "scale"
COPIES = 9  # the real course plus 9 copies: ten times the modules and the exercises
# top-level entries of the repository that are not course sources
NOT_SOURCES = {
    ".ci",
    ".git",
    ".venv",
    ".pytest_cache",
    ".ruff_cache",
    "_build",
    "benchmarks",
    "binder",
    "course",
    "exercices",
    "node_modules",
    "sources",
    "tests",
}
GENERATED_NOTE = (
    "\n```{{note}}\nCours **généré** par le banc d'essai (`benchmarks/scale.py`) à partir du vrai "
    "cours, pour mesurer le passage à l'échelle : {modules} modules, {exercises} exercices. "
    "Ne pas publier.\n```\n"
)
TARGETS = {"clean": 10.0, "noop": 2.0, "edit": 2.0}  # large / real, at most
STEPS = ("clean_cold", "clean_warm", "noop", "edit")


def _copy_slug(slug: str, k: int) -> str:
    return f"{slug}-c{k}"


def rewrite(text: str, k: int, modules: list[str], exercises: list[str]) -> str:
    """Copy ``k`` of a module or exercise source: references to modules and exercises point
    to their copy ``k``; the first title says it is a generated copy."""
    mod = "|".join(re.escape(m) for m in sorted(modules, key=len, reverse=True))
    exo = "|".join(re.escape(e) for e in sorted(exercises, key=len, reverse=True))

    def refs(match: re.Match) -> str:  # module/id inside an :objectif: or objectifs_module line
        return re.sub(rf"(?<![\w/-])({mod})/", lambda m: f"{_copy_slug(m[1], k)}/", match[0])

    text = re.sub(r"^(?::objectif:|  objectifs_module:).*$", refs, text, flags=re.M)
    text = re.sub(r"^(  module: )(\S+)$", lambda m: m[1] + _copy_slug(m[2], k), text, flags=re.M)
    text = re.sub(rf"\{{exercice\}}`({exo})`", lambda m: f"{{exercice}}`{m[1]}-c{k}`", text)
    return re.sub(r"^# (.+)$", rf"# \1 (copie générée n° {k})", text, count=1, flags=re.M)


def generate(dest: Path, copies: int) -> dict:
    """Write the course with ``copies`` extra copies of each module and exercise at ``dest``."""
    rmtree(dest)
    dest.mkdir(parents=True)
    for entry in sorted(ROOT.iterdir()):
        if entry.name in NOT_SOURCES or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name)
        elif entry.suffix in {".md", ".py", ".yaml"}:
            shutil.copy2(entry, dest / entry.name)
    modules = sorted(p.stem for p in (dest / "modules").glob("*.md"))
    exercises = sorted(p.stem for p in (dest / "exercises").glob("*.md"))
    for k in range(1, copies + 1):
        for slug in modules:
            text = (dest / "modules" / f"{slug}.md").read_text(encoding="utf-8")
            target = dest / "modules" / f"{_copy_slug(slug, k)}.md"
            target.write_text(rewrite(text, k, modules, exercises), encoding="utf-8")
        for slug in exercises:
            text = (dest / "exercises" / f"{slug}.md").read_text(encoding="utf-8")
            text = rewrite(text, k, modules, exercises).rstrip("\n") + (
                f"\n\n```{{code-cell}} ipython3\n# copie n° {k} générée par le banc d'essai\n```\n"
            )
            (dest / "exercises" / f"{_copy_slug(slug, k)}.md").write_text(text, encoding="utf-8")
    index = dest / "index.md"
    lines = []
    for line in index.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        entry = re.fullmatch(r"(modules|exercices)/([a-z0-9-]+)", line.strip())
        if entry and entry[2] in (modules if entry[1] == "modules" else exercises):
            lines += [f"{entry[1]}/{_copy_slug(entry[2], k)}" for k in range(1, copies + 1)]
    counts = {
        "modules": len(modules) * (copies + 1),
        "exercises": len(exercises) * (copies + 1),
    }
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines.insert(title + 1, GENERATED_NOTE.format(**counts))
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def measure(src: Path, repeat: int) -> dict:
    """Clean (cold, warm), no-op and one-edit builds of ``src``; the best of ``repeat``."""
    base = src.parent
    out, doctrees, cache = base / "html", base / "doctrees", base / "cache"
    paths = {"src": src, "out": out, "doctrees": doctrees, "cache": str(cache)}
    runs: dict[str, list[dict]] = {key: [] for key in STEPS}
    for n in range(1, repeat + 1):
        for path in (out, doctrees, cache):
            rmtree(path)
        runs["clean_cold"].append(sphinx(**paths))
        rmtree(out)
        rmtree(doctrees)
        runs["clean_warm"].append(sphinx(**paths))
        runs["noop"].append(sphinx(**paths))
        runs["edit"].append(
            edited_build(src / PROSE_DOC, EDIT_TEXT.replace("(", f"n° {n} ("), **paths)
        )
        log(
            f"  {src.parent.name} run {n}/{repeat}: "
            + ", ".join(f"{key} {runs[key][-1]['seconds']} s" for key in STEPS)
        )
    result = {key: best(value) for key, value in runs.items()}
    result["pages"] = len(list(out.rglob("*.html")))
    result["staging"] = min(
        (staging_copy(out, doctrees) for _ in range(repeat)), key=lambda r: r["seconds"]
    )
    return result


def staging_copy(out: Path, doctrees: Path) -> dict:
    """What ``make html`` adds to every rebuild: the staging copy of the last output and of
    its doctrees (``course publish --incremental``), measured alone, then dropped."""
    from course.publish import Output

    folders = [Output(out), Output(doctrees)]
    start = time.perf_counter()
    for folder in folders:
        folder.stage(incremental=True)
    seconds = time.perf_counter() - start
    size = sum(f.stat().st_size for d in (out, doctrees) for f in d.rglob("*") if f.is_file())
    for folder in folders:
        folder.discard()
    return {"seconds": round(seconds, 2), "mb": round(size / 1e6, 1)}


def scale(repeat: int) -> dict:
    """Both sizes, generated then measured: ``{"x1": …, "x10": …}``."""
    data = {}
    for name, copies in (("x1", 0), ("x10", COPIES)):
        src = SCALE / name / "src"
        counts = generate(src, copies)
        log(f"scale {name}: {counts['modules']} modules, {counts['exercises']} exercises")
        data[name] = {**counts, **measure(src, repeat)}
    return data


def _ratio(data: dict, step: str, key: str = "seconds") -> float | None:
    """Large / real course, in wall time (``seconds``) or CPU time (``cpu_s``)."""
    small, large = data["x1"][step], data["x10"][step]
    if not (small["ok"] and large["ok"] and small.get(key)):
        return None
    return large[key] / small[key]


def verdicts(data: dict) -> dict[str, bool | None]:
    """Whether each target holds: clean ≤ 10 ×, no-op and one edit ≤ 2 × the real course."""
    checks = {"clean_cold": "clean", "clean_warm": "clean", "noop": "noop", "edit": "edit"}
    return {
        step: (None if (r := _ratio(data, step)) is None else r <= TARGETS[target])
        for step, target in checks.items()
    }


LABELS = {
    "clean_cold": "Build propre, cache d'exécution froid",
    "clean_warm": "Build propre, cache chaud",
    "noop": "Reconstruction sans changement",
    "edit": f"Texte d'un module modifié (`{PROSE_DOC}`)",
}


def table(data: dict) -> list[str]:
    """The French table of the scale part (lines of Markdown)."""
    small, large = data["x1"], data["x10"]
    ok = verdicts(data)
    lines = [
        f"Passage à l'échelle : le vrai cours ({small['modules']} modules, "
        f"{small['exercises']} exercices, {small['pages']} pages) et un cours généré dix fois "
        f"plus grand ({large['modules']} modules, {large['exercises']} exercices, "
        f"{large['pages']} pages ; `benchmarks/scale.py`). Durée (temps processeur ; "
        "mémoire du plus gros processus) ; notebooks exécutés. Rapport : durée (temps "
        "processeur), cours × 10 / vrai cours ; la cible est jugée sur la durée.",
        "",
        "| Mesure | Vrai cours | Cours × 10 | Rapport | Cible | Atteinte |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for step in STEPS:
        target = TARGETS["clean" if step.startswith("clean") else step]
        ratios = [_ratio(data, step), _ratio(data, step, "cpu_s")]
        shown = "—" if None in ratios else f"{ratios[0]:.1f} × ({ratios[1]:.1f} ×)"
        verdict = "—" if ok[step] is None else ("✅" if ok[step] else "❌")
        lines.append(
            f"| {LABELS[step]} | {_cell(small[step])} | {_cell(large[step])} | {shown} | "
            f"≤ {target:g} × | {verdict} |"
        )
    copies = [data[size].get("staging") for size in ("x1", "x10")]
    if None not in copies:
        lines += [
            "",
            "`make html` et `make formateur` ajoutent à chaque reconstruction la copie de travail "
            f"de la publication atomique (site et doctrees) : {copies[0]['seconds']:.2f} s "
            f"({copies[0]['mb']:g} Mo) pour le vrai cours, {copies[1]['seconds']:.2f} s "
            f"({copies[1]['mb']:g} Mo) pour le cours × 10.",
        ]
    return lines


def _cell(step: dict) -> str:
    if not step["ok"]:
        return f"échec ({step['seconds']} s)"
    executed = "—" if step.get("executed") is None else step["executed"]
    return (
        f"{step['seconds']:.1f} s ({step['cpu_s']:.1f} s CPU ; {step['max_rss_mb']} Mo) ; "
        f"{executed} exécuté(s)"
    )


def report(data: dict) -> str:
    """``--only-scale``: the date, the machine and its load, the scale table."""
    m = data["machine"]
    lines = [
        "# Banc d'essai : passage à l'échelle (édition apprenant)",
        "",
        f"- Date : {data['date']}",
        f"- Machine : {m['nproc']} cœur(s), {m['platform']}, Python {m['python']}, Sphinx "
        f"{m.get('sphinx', '?')} ; charge moyenne (1, 5, 15 min) au début "
        f"{m.get('load_before')}, à la fin {m.get('load_after')}",
        f"- Chaque durée est la plus courte de {data.get('repeat', 1)} mesure(s) (toutes : "
        "scale.json) ; build `sphinx-build -b html -n -j auto`",
        "",
    ]
    if data.get("scale"):
        lines += table(data["scale"])
    for error in data["errors"]:
        lines.append(f"- Mesure en échec : {error}")
    return "\n".join(lines) + "\n"

"""Jupyter Book 1.x on the same content, in its own virtual environment (``--skip-jb``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import BENCH, EDIT_TEXT, PROSE_DOC, ROOT, Edited, best, log, rmtree
from weights import page_weights

JB_VENV = BENCH / "jb-venv"
JB_SRC = BENCH / "jb-src"
JB_SPEC = "jupyter-book<2"


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

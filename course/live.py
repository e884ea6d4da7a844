"""``make live``: rebuild on every save, and keep serving the last good site when a build fails.

::

    python -m course live _build/live --doctrees _build/doctrees/live --port 8000 -- \\
        sphinx -b html -W --keep-going -n -d {doctrees} . {out}

sphinx-autobuild's watcher, web server and browser reload are kept (``RebuildServer``,
``IgnoreFilter``, Starlette's static files); what changes is the build and what the browser
shows when it fails:

* each rebuild is an **atomic publish** (:mod:`course.publish`, ``--incremental``): the site
  is built aside and swapped in only when the build succeeded, so a typo never replaces the
  pages being read by half-written or missing ones (sphinx-autobuild alone writes
  ``_build/live`` in place and keeps serving whatever a failed build left there);
* the build's messages go to the terminal as they come, and what the trainer must fix (the
  course's French messages, the warnings with file and line, the « conservé » line) is kept in
  ``_build/.live.etat.json``;
* every HTML page served while the last rebuild failed carries a **banner** (``role="alert"``,
  inline styles: nothing is fetched) saying that this is the last good version, when it was
  built, and what to fix; the browser reloads after every rebuild, so the banner goes away by
  itself once the file is fixed. Before any good build there is no site: ``/`` then answers
  with a French page that says so, with the same banner.

The rebuild runs in a worker process (sphinx-autobuild's ``ProcessPoolExecutor``): :class:`Rebuild`
is a plain picklable object, and the server reads the state from the file, never from memory.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import publish
from .files import atomic_write
from .publish import french_date, parse_with_command

# what the banner lists: the course's and Sphinx's messages that name a problem
PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL):|^Erreur|^Échec|^Construction interrompue")
MAX_LINES = 12  # the banner's list; the terminal has them all
IGNORED = (".git", ".venv", "node_modules", "_build", "exercices", ".ruff_cache", "__pycache__")


def state_path(out: Path) -> Path:
    """``_build/live`` → ``_build/.live.etat.json`` (beside the output, never inside it)."""
    return publish.hidden(out, ".etat.json")


@dataclass
class Rebuild:
    """One rebuild through ``course publish``; called by the watcher with the changed paths."""

    out: Path
    doctrees: Path
    command: list[str]  # after ``--``: a ``python -m course`` command with {out}, {doctrees}
    watched: Path  # the sources: paths in the banner are shown relative to it

    def publish_command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "course",
            "publish",
            str(self.out),
            "--doctrees",
            str(self.doctrees),
            "--incremental",
            "--",
            *self.command,
        ]

    def __call__(self, *, changed_paths=()) -> int:
        names = [_shown(Path(p)) for p in changed_paths if Path(p).exists()][:5]  # not temp files
        if names:
            print(f"[live] modifié : {', '.join(names)} — reconstruction…", flush=True)
        started = time.time()
        child = subprocess.Popen(
            self.publish_command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        problems = []
        for line in child.stdout:
            sys.stdout.write(line)
            if PROBLEM.search(_plain(line)):
                problems.append(_plain(line).replace(f"{self.watched}{os.sep}", ""))
        code = child.wait()
        sys.stdout.flush()
        write_state(self.out, code, started, problems)
        if code == 0:
            print(f"[live] site à jour ({time.time() - started:.1f} s)", flush=True)
        else:
            kept = "garde la dernière version réussie et " if self.out.is_dir() else ""
            print(
                f"[live] la reconstruction a échoué : le navigateur {kept}affiche les "
                "problèmes ci-dessus ; corrigez puis enregistrez.",
                flush=True,
            )
        return code


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _plain(line: str) -> str:
    """A message line without terminal colours, trimmed."""
    return re.sub(r"\x1b\[[0-9;]*m", "", line).strip()


def write_state(out: Path, code: int, started: float, problems: list[str]) -> None:
    state = {"ok": code == 0, "code": code, "at": started, "problems": problems}
    data = json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write(state_path(out), data)


def read_state(out: Path) -> dict:
    """The last rebuild's state; a missing or unreadable file counts as a success."""
    try:
        state = json.loads(state_path(out).read_text(encoding="utf-8"))
        return state if isinstance(state, dict) else {"ok": True}
    except (OSError, ValueError):
        return {"ok": True}


def banner(out: Path, state: dict) -> str:
    """The French alert shown on every page while the last rebuild failed ('' otherwise)."""
    if state.get("ok", True):
        return ""
    when = publish.built_on(publish.Output(out))  # None when there is no site yet
    kept = (
        f"Vous lisez la dernière version réussie du site, construite le {french_date(when)}."
        if when
        else "Aucune version réussie du site n'existe encore."
    )
    failed = french_date(float(state.get("at") or time.time()))
    shown = state.get("problems") or ["voir le terminal de make live"]
    more = len(shown) - MAX_LINES
    items = "".join(f"<li>{html.escape(line)}</li>" for line in shown[:MAX_LINES])
    if more > 0:
        items += f"<li>… et {more} autre(s) : voir le terminal de make live</li>"
    # placed first in the page by the script (without it: at the end, still announced)
    return (
        '<div id="course-live-echec" role="alert" style="background:#fff4f4;color:#1a1a1a;'
        "border-bottom:4px solid #b00020;padding:0.8em 1.2em;font:16px/1.4 sans-serif;"
        'text-align:left;max-height:50vh;overflow:auto">'
        f'<p style="margin:0 0 .4em"><strong>La reconstruction du {failed} a échoué.</strong> '
        f"{kept} Corrigez le fichier indiqué et enregistrez : la page se rechargera.</p>"
        f'<ul style="margin:0;padding-left:1.2em">{items}</ul></div>'
        "<script>document.body.prepend(document.getElementById('course-live-echec'))</script>"
    )


def empty_page() -> bytes:
    """``/`` before any good build (the banner, when a build failed, is added as on any page)."""
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        "<title>make live : pas encore de site</title></head>"
        '<body><main style="padding:1em"><h1>Pas encore de site</h1>'
        "<p>Le site apparaîtra ici dès qu'une construction aura réussi.</p></main>"
        "</body></html>"
    ).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course live",
        description="Reconstruit le site à chaque enregistrement et sert la dernière version "
        "réussie (avec les erreurs affichées dans le navigateur).",
    )
    parser.add_argument("out", help="dossier servi (par exemple _build/live)")
    parser.add_argument("--doctrees", required=True, help="dossier des doctrees Sphinx")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--watch", default=".", help="dossier surveillé (les sources)")
    args, command = parse_with_command(parser, argv)
    from . import live_server  # uvicorn, Starlette, sphinx-autobuild: only for make live

    out = Path(args.out).resolve()
    watched = Path(args.watch).resolve()
    rebuild = Rebuild(out, Path(args.doctrees).resolve(), command, watched)
    return live_server.serve(rebuild, watched, args.host, args.port)

"""Atomic publish: an output is built aside and swapped in only when the build succeeded.

Stdlib only. The Makefile runs every build through it::

    python -m course publish _build/html --doctrees _build/doctrees/html --incremental -- \\
        sphinx -b html -W --keep-going -d {doctrees} . {out}

The command after ``--`` is a ``python -m course`` command; ``{out}`` and ``{doctrees}`` are
replaced by the staging folders. What happens:

1. **Lock** ``_build/.html.lock`` (``fcntl.flock``: the system releases it when the process
   dies, so it is never stale). A second build of the same output is refused with a French
   message naming the process that holds it.
2. **Recover**: a swap cut short (``.html.old`` without ``html``) is undone; staging folders
   left by a killed build are removed.
3. **Stage**: ``_build/.html.staging`` (and ``_build/doctrees/.html.staging``). With
   ``--incremental``, a real copy of the last good output and doctrees, mtimes kept
   (``copy2``; never hard links: Sphinx truncates files in place), so Sphinx rewrites only
   what changed; otherwise empty.
4. **Build**: the command runs in its own session (its Sphinx workers with it); SIGINT and
   SIGTERM received here are passed on to that whole process group as SIGINT (Python and
   Sphinx stop cleanly on it: kernels shut down), then SIGKILL after
   :data:`course.buildchild.GRACE` seconds.
5. **Publish** on exit status 0: the doctrees, then the output, each by two renames with
   the signals held back (``html`` → ``.html.old``, staging → ``html``), and the date kept in
   ``_build/.html.built``. **On failure or interruption** the staging folders are removed and
   the previous output, never touched, is kept: the message says so and when it was built.
   Discarding the staged doctrees too means that the next build reads again every source
   changed since the last good one, so every error is reported again.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import time
from datetime import datetime
from pathlib import Path

from .buildchild import Signals, held_signals, run
from .oserrors import from_exception

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()

# what is kept, by kind of output: (kept, with its date; nothing to keep)
KINDS = {
    "site": (
        "le site précédent, construit le {date}, est conservé : {path}",
        "aucun site précédent n'existait : rien n'est publié dans {path}",
    ),
    "lms": (
        "les exports LMS précédents, construits le {date}, sont conservés : {path}",
        "aucun export LMS précédent n'existait : rien n'est publié dans {path}",
    ),
    "session": (
        "le kit de session précédent, construit le {date}, est conservé : {path}",
        "aucun kit de session précédent n'existait : rien n'est publié dans {path}",
    ),
    "notebooks": (
        "les notebooks précédents, construits le {date}, sont conservés : {path}",
        "aucun notebook précédent n'existait : rien n'est publié dans {path}",
    ),
}


class Locked(Exception):
    """Another build holds the output's lock."""


def french_date(timestamp: float) -> str:
    """« 2 décembre 2026 à 18 h 05 » (local time)."""
    when = datetime.fromtimestamp(timestamp)
    return f"{when.day} {MONTHS[when.month - 1]} {when.year} à {when.hour} h {when.minute:02d}"


def hidden(path: Path, suffix: str) -> Path:
    """``_build/html`` → ``_build/.html<suffix>`` (same folder: renames stay atomic)."""
    return path.with_name(f".{path.name}{suffix}")


class Output:
    """One published folder and its bookkeeping files next to it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.staging = hidden(self.path, ".staging")
        self.old = hidden(self.path, ".old")
        # commands that write aside themselves (course lms, notebooks) use <staging>.tmp
        self.scratch = self.staging.with_name(self.staging.name + ".tmp")

    def recover(self) -> None:
        """Undo a swap cut short, drop what a killed build left (call with the lock held)."""
        if self.old.exists() and not self.path.exists():
            self.old.rename(self.path)
        for leftover in (self.old, self.staging, self.scratch):
            shutil.rmtree(leftover, ignore_errors=True)

    def stage(self, incremental: bool) -> Path:
        """A fresh staging folder: a copy of the output (mtimes kept) or an empty folder."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if incremental and self.path.is_dir():
            shutil.copytree(self.path, self.staging, symlinks=True, copy_function=shutil.copy2)
        else:
            self.staging.mkdir()
        return self.staging

    def swap(self) -> None:
        """Put the staging folder in place of the output (two renames, then cleanup)."""
        shutil.rmtree(self.old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(self.old)
        self.staging.rename(self.path)
        shutil.rmtree(self.old, ignore_errors=True)

    def discard(self) -> None:
        for folder in (self.staging, self.scratch):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def lock(out: Path):
    """Hold ``_build/.<name>.lock`` for the block; :class:`Locked` if another build has it."""
    path = hidden(Path(out), ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            _try_lock(fd)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            holder = os.read(fd, 200).decode("utf-8", "replace").split()
            pid = holder[0] if holder else "?"
            since = french_date(float(holder[1])) if len(holder) > 1 else "?"
            raise Locked(
                f"Une autre construction de {out} est en cours (processus {pid}, lancée le "
                f"{since}) : attendez qu'elle se termine, puis relancez. Rien n'a été modifié."
            ) from None
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()} {time.time()}\n".encode())
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def built_on(out: Output) -> float | None:
    """When the current output was published (its date file, else the folder's mtime)."""
    if not out.path.is_dir():
        return None  # removed by hand: nothing is kept, whatever the date file says
    stamp = hidden(out.path, ".built")
    try:
        return float(stamp.read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        pass
    try:
        return out.path.stat().st_mtime
    except OSError:
        return None


def kept_message(out: Output, kind: str) -> str:
    kept, nothing = KINDS[kind]
    when = built_on(out)
    if when is None:
        return nothing.format(path=out.path)
    return kept.format(date=french_date(when), path=out.path)


def publish(
    out: Path,
    command: list[str],
    doctrees: Path | None = None,
    incremental: bool = False,
    kind: str = "site",
    stderr=None,
) -> int:
    """Build ``out`` with ``command`` (``{out}``, ``{doctrees}`` replaced), publish on success.

    Returns 0 when published, the command's status on failure, 128 + the signal number when
    interrupted, :data:`EXIT_LOCKED` when another build holds the lock.
    """
    stderr = stderr or sys.stderr
    output = Output(out)
    trees = Output(doctrees) if doctrees else None
    try:
        with lock(output.path):
            for folder in (output, trees):
                if folder:
                    folder.recover()
            with Signals() as signals:
                try:
                    try:
                        staged = {"{out}": str(output.stage(incremental))}
                        if trees:
                            staged["{doctrees}"] = str(trees.stage(incremental))
                    except OSError as exc:  # a full disk while copying the last output
                        problem = from_exception(exc, str(output.staging))
                        print(f"Erreur : copie de travail impossible : {problem}", file=stderr)
                        return _failed(out, output, kind, stderr, 1)
                    code = (
                        None
                        if signals.received
                        else run([staged.get(arg, arg) for arg in command], signals)
                    )
                    if code == 0 and not signals.received:
                        with held_signals():
                            if trees:
                                trees.swap()
                            output.swap()
                            hidden(output.path, ".built").write_text(
                                f"{time.time()}\n", encoding="utf-8"
                            )
                        print(f"Publié : {out} (construit à part, puis mis en place)")
                        return 0
                finally:  # after a swap, nothing is left to discard
                    for folder in (output, trees):
                        if folder:
                            folder.discard()
            kept = kept_message(output, kind)
            if signals.received:
                name = signal.Signals(signals.received).name
                print(f"Construction de {out} interrompue ({name}) : {kept}", file=stderr)
                return 128 + signals.received
            return _failed(out, output, kind, stderr, code)
    except Locked as exc:
        print(f"Erreur : {exc}", file=stderr)
        return EXIT_LOCKED


def _failed(out: Path, output: Output, kind: str, stderr, code: int | None) -> int:
    print(f"Échec de la construction de {out} : {kept_message(output, kind)}", file=stderr)
    return code if code and code > 0 else 1


def parse_with_command(parser: argparse.ArgumentParser, argv: list[str] | None):
    """``<options> -- <python -m course command>``: the parsed options and the command."""
    argv = sys.argv[1:] if argv is None else list(argv)
    cut = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:cut])
    command = argv[cut + 1 :]
    if not command:
        parser.error("commande attendue après -- (par exemple : -- sphinx -b html … {out})")
    return args, command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course publish",
        description="Construit une sortie à part et ne la publie que si la construction a réussi.",
    )
    parser.add_argument("out", help="dossier publié (par exemple _build/html)")
    parser.add_argument("--doctrees", help="dossier des doctrees Sphinx, mis à part lui aussi")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="partir d'une copie de la dernière sortie publiée (constructions incrémentales)",
    )
    parser.add_argument("--kind", choices=sorted(KINDS), default="site")
    parser.epilog = "Après -- : la commande python -m course, par exemple : -- sphinx … {out}"
    args, command = parse_with_command(parser, argv)
    return publish(
        Path(args.out),
        [sys.executable, "-m", "course", *command],
        Path(args.doctrees) if args.doctrees else None,
        args.incremental,
        args.kind,
    )

"""The learner notebooks as a git repository, and ``git daemon`` to serve it from this machine.

``make notebooks`` writes a folder (``_build/notebooks``); a hub's nbgitpuller link needs a git
repository. :func:`commit` records the folder in a bare repository (one commit on branch
``main`` each time its content changes, none otherwise); :class:`GitDaemon` serves the folder
of bare repositories over ``git://`` on one address of this machine (127.0.0.1 for the
learners' servers of a hub running here).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from .process import Background, free_port, wait_for_port

BRANCH = "main"
# commits made by the course's tools, not by a person
AUTHOR = {
    "GIT_AUTHOR_NAME": "Cours politique de la ville",
    "GIT_AUTHOR_EMAIL": "cours@localhost",
    "GIT_COMMITTER_NAME": "Cours politique de la ville",
    "GIT_COMMITTER_EMAIL": "cours@localhost",
}


class RepositoryError(RuntimeError):
    """A git command failed; the message is French and names the folder."""


def git_available() -> bool:
    return shutil.which("git") is not None


def _git(args: list[str], git_dir: Path, work_tree: Path | None = None) -> str:
    command = ["git", f"--git-dir={git_dir}"]
    if work_tree is not None:
        command.append(f"--work-tree={work_tree}")
    env = {**os.environ, **AUTHOR, "LANG": "C", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(command + args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RepositoryError(
            f"git {' '.join(args[:2])} a échoué pour {git_dir} : {done.stderr.strip()[-500:]}"
        )
    return done.stdout


def commit(folder: Path, repository: Path, message: str = "Notebooks apprenant") -> str:
    """Record ``folder`` (its whole content) as the tip of ``main`` in the bare ``repository``.

    Creates the repository if needed. Returns the commit id; makes no commit when nothing
    changed since the last one.
    """
    if not folder.is_dir():
        raise RepositoryError(f"dossier introuvable : {folder} (lancez d'abord make notebooks)")
    if not (repository / "HEAD").exists():
        repository.mkdir(parents=True, exist_ok=True)
        _git(["init", "--bare", "--quiet", f"--initial-branch={BRANCH}"], repository)
        # git daemon serves only repositories that say so (or all, with --export-all)
        (repository / "git-daemon-export-ok").touch()
    _git(["add", "--all", "."], repository, folder)
    has_head = subprocess.run(
        ["git", f"--git-dir={repository}", "rev-parse", "--verify", "--quiet", BRANCH],
        capture_output=True,
    )
    if has_head.returncode == 0:
        changed = subprocess.run(
            ["git", f"--git-dir={repository}", f"--work-tree={folder}", "diff", "--cached"]
            + ["--quiet", BRANCH],
            capture_output=True,
        )
        if changed.returncode == 0:
            return _git(["rev-parse", BRANCH], repository).strip()
    _git(["commit", "--quiet", "--no-verify", "-m", message], repository, folder)
    return _git(["rev-parse", BRANCH], repository).strip()


def retarget(clones: list[Path], url: str) -> list[Path]:
    """Point learners' existing clones at ``url``, the repository's address for this run.

    nbgitpuller fetches from a clone's own ``origin``, not from the link's address: a clone
    made when the repository was served elsewhere (another git port) could no longer be
    updated. Returns the clones changed.
    """
    changed = []
    for clone in clones:
        git_dir = clone / ".git"
        current = subprocess.run(
            ["git", f"--git-dir={git_dir}", "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
        )
        if current.returncode == 0 and current.stdout.strip() != url:
            _git(["remote", "set-url", "origin", url], git_dir)
            changed.append(clone)
    return changed


def files(repository: Path, ref: str = BRANCH) -> list[str]:
    """The paths recorded at ``ref`` (for checks)."""
    return _git(["ls-tree", "-r", "--name-only", ref], repository).split()


class GitDaemon:
    """``git daemon`` serving the bare repositories under ``base`` on ``ip`` (read only)."""

    def __init__(self, base: Path, log: Path, ip: str = "127.0.0.1", port: int | None = None):
        self.base, self.ip = base, ip
        self.port = port or free_port(ip)
        self.server = Background(
            [
                "git",
                "daemon",
                "--reuseaddr",
                "--informative-errors",
                f"--listen={ip}",
                f"--port={self.port}",
                f"--base-path={base}",
                str(base),
            ],
            log,
        )
        if not wait_for_port(ip, self.port, 20, self.server.alive):
            tail = self.server.log_tail()
            self.server.stop(5)
            raise RepositoryError(f"git daemon n'a pas démarré (journal {log}) :\n{tail}")

    def url(self, name: str) -> str:
        """The ``git://`` address of the repository ``base/name``."""
        return f"git://{self.ip}:{self.port}/{name}"

    def stop(self) -> None:
        self.server.stop(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

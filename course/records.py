"""Exercises left as they were: what one build generated, reused by the next (no Sphinx import).

Generating an exercise at the start of a build (``course.sphinxext.generation.generate``) reads
its source, the data files it declares, ``verif.py`` and a few configuration values, and writes
its notebooks and downloads; on a course of 60 exercises this took about a second of every
build, even when nothing had changed. After a build that raised nothing, each exercise that
was generated *without a warning* gets a record, one file per edition
(``<cache>/records/<edition>.json``):

* its **fingerprint**, a SHA-256 of everything generation depends on: the source's bytes; for
  each data file it declares, its bytes and its line of ``SHA256SUMS``, and the data
  ``README.md`` that downloads carry; ``verif.py``; the edition, whether notebooks are
  executed, the per-cell timeout, the folders, the exercise's JupyterHub and Binder links; the
  Python files of the ``course`` package (the marker rules, the leak guard, the zips…) and the
  versions of Python, jupytext and nbformat;
* **every file generation read from a cache or wrote**, with its SHA-256: the parsed source and
  the download zips in the caches (each with its digest file), the execution cache entry, the
  generated notebook, the downloads, the page of this edition;
* what the build keeps of it: the exercise's entry in ``env.course_exercises`` and its
  **secrets** (the distinctive solution lines that the leak guard looks for in the learner
  pages at ``build-finished``); secrets are kept here, with the cached sources that hold the
  whole solutions, never in Sphinx's environment.

The next build reuses a record, and does nothing else for that exercise, only when its
fingerprint is the same and every listed file is still there with the same bytes. Why that
keeps every guarantee: with the same inputs and the same code, generation would parse the
same source, make the same notebooks and zips and take the same executed notebook from the
cache, so the bytes it would write are those already on disk; those bytes were checked, when
they were written, by the leak guard with the same solution lines (the secrets are a function
of the source's bytes and of :mod:`course.leaks`, both in the fingerprint) and, in the trainer
edition, passed the self-test; an exercise that raised a warning (a cache entry altered, a
self-test failure without ``-W``) has no record, so its warning comes back on every build. The
learner pages are still searched for the secrets at every build. Anything else — an input
changed, a file altered or removed, another version of the code, a record file damaged — and
the exercise is generated and checked again, in full.

Inputs are digested before anything is generated, and again once generation is over: an
exercise whose source, data, ``verif.py`` or code changed meanwhile (a file saved while the
build runs) gets no record, since what it generated may come from either version.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from . import exercises
from .datafiles import CHECKSUMS, checksum_table
from .files import sha256, write_if_changed
from .leaks import Secret

#: the records' layout; another value and every exercise is generated again
FORMAT = 1
#: the records' folder in the build cache
FOLDER = "records"
PACKAGE = Path(__file__).parent


def code_digest() -> str:
    """The Python files of the ``course`` package and the versions of Python, jupytext and
    nbformat: a record written by other code is never reused (a version number alone would
    not change while a developer edits the code)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{sys.version}\0{version('jupytext')}\0{version('nbformat')}".encode())
    return digest.hexdigest()


class Inputs:
    """What exercises are generated from, digested once per build (before anything is
    generated): ``settings`` (the configuration values and folders), the data folder."""

    def __init__(self, settings: dict, data_dir: Path):
        self.settings = {"format": FORMAT, "code": code_digest(), **settings}
        self.settings["verif.py"] = sha256(exercises.HELPER)  # the one copied and zipped
        self.data_dir = data_dir
        self.checksums = checksum_table(data_dir)
        self._digests: dict[Path, str | None] = {}
        self._same_code: bool | None = None

    def digest(self, path: Path) -> str | None:
        """The SHA-256 of a file as it was the first time this build asked (None: unreadable)."""
        if path not in self._digests:
            self._digests[path] = sha256(path)
        return self._digests[path]

    def digest_data(self) -> None:
        """Digest every data file now, before generation reads any of them."""
        if self.data_dir.is_dir():
            for path in sorted(self.data_dir.rglob("*")):
                if path.is_file():
                    self.digest(path)

    def unchanged(self, source: Path, donnees: Iterable[str]) -> bool:
        """Whether an exercise's files and the code are still as they were first digested."""
        paths = [source] + [self.data_dir / n for n in donnees]
        if donnees:
            paths += [self.data_dir / "README.md", self.data_dir / CHECKSUMS]
        if self._same_code is None:  # once per build, after generation
            self._same_code = (
                checksum_table(self.data_dir) == self.checksums
                and sha256(exercises.HELPER) == self.settings["verif.py"]
                and code_digest() == self.settings["code"]
            )
        return self._same_code and all(sha256(path) == self.digest(path) for path in paths)

    def fingerprint(self, source: Path, donnees: Iterable[str], links) -> str | None:
        """An exercise's fingerprint (None when its source cannot be read)."""
        source_digest = self.digest(source)
        if source_digest is None:
            return None
        names = list(donnees)
        table = self.checksums or {}
        data = [[n, self.digest(self.data_dir / n), table.get(n)] for n in names]
        readme = self.digest(self.data_dir / "README.md") if names else None
        described = [self.settings, source.name, source_digest, [list(x) for x in links]]
        described += [data, readme, CHECKSUMS if self.checksums is not None else None]
        text = json.dumps(described, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Record:
    """What generating one exercise produced (see the module's docstring)."""

    fingerprint: str
    exercise: dict  # its entry in env.course_exercises (``rendered`` included)
    secrets: list[Secret]
    files: dict[str, str]  # every file read from a cache or written → its SHA-256

    def holds(self, fingerprint: str | None, digest) -> bool:
        """Same fingerprint, and every listed file still there with the same bytes."""
        return (
            fingerprint is not None
            and fingerprint == self.fingerprint
            and all(digest(Path(path)) == expected for path, expected in self.files.items())
        )

    def entry(self) -> dict:
        """A copy of the exercise's entry, for ``env.course_exercises``."""
        return plain(self.exercise)

    def to_json(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "exercise": self.exercise,
            "secrets": [[s.cell, s.line] for s in self.secrets],
            "files": self.files,
        }

    @classmethod
    def from_json(cls, item: dict) -> Record:
        secrets = [Secret(int(cell), str(line)) for cell, line in item["secrets"]]
        files = {str(k): str(v) for k, v in item["files"].items()}
        if not isinstance(item["exercise"], dict) or not files:
            raise ValueError("incomplete record")
        return cls(str(item["fingerprint"]), item["exercise"], secrets, files)


def made(fingerprint: str | None, exercise: dict, secrets, listed: Iterable[Path]):
    """The record of an exercise just generated (None if a listed file cannot be read)."""
    files = {str(path): sha256(path) for path in listed}
    if fingerprint is None or None in files.values():
        return None
    return Record(fingerprint, plain(exercise), list(secrets), files)


def plain(value):
    """``value`` as a record gives it back (a JSON round trip: no object shared by two
    places), so that an entry compares the same, pickled, whether reused or just made."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def _checksum(records: dict) -> str:
    text = json.dumps(records, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class Store:
    """The records of one edition, in one JSON file with the SHA-256 of its records (a file
    altered since it was written, or written by another layout, holds no record)."""

    def __init__(self, path: Path):
        self.path = path
        self.records = self._read()

    def _read(self) -> dict[str, Record]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or raw.get("sha256") != _checksum(raw["records"]):
                return {}
            return {str(slug): Record.from_json(item) for slug, item in raw["records"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def save(self, records: dict[str, Record]) -> None:
        """Write ``records`` (and only them); nothing is written when they are the ones read."""
        if records.keys() == self.records.keys() and all(
            records[slug] is self.records[slug] for slug in records
        ):
            return
        items = {slug: records[slug].to_json() for slug in sorted(records)}
        data = {"format": FORMAT, "sha256": _checksum(items), "records": items}
        # keys in their order: an exercise's entry comes back as generate() made it
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        write_if_changed(self.path, text.encode("utf-8"))

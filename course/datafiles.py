"""Exercise data files and their ``SHA256SUMS`` (no Sphinx import).

``exercises/donnees/SHA256SUMS`` lists the SHA-256 of every data file (``sha256sum``'s
format); the learner's ``verif.charger`` checks it before loading, and the build checks it
before executing or packaging anything, naming the file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHECKSUMS = "SHA256SUMS"


class DataError(ValueError):
    """A data file is not listed in ``SHA256SUMS``; the message names it."""


def data_problems(data_dir: Path, name: str) -> list[str]:
    """A data file must match its line of ``SHA256SUMS`` (what ``verif.charger`` checks on
    the learner's side): an altered or truncated copy is caught here, naming the file,
    rather than as an error in whichever cell loads it."""
    try:
        expected = _checksums(data_dir).get(name)
    except OSError:
        return [f"course.donnees : {data_dir / CHECKSUMS} absent (empreintes des données)"]
    if expected is None:
        return [f"course.donnees : empreinte absente pour {name} dans {data_dir / CHECKSUMS}"]
    if hashlib.sha256((data_dir / name).read_bytes()).hexdigest() != expected:
        return [
            f"course.donnees : {data_dir / name} ne correspond pas à son empreinte SHA-256 "
            f"({data_dir / CHECKSUMS}) : fichier modifié ou incomplet ; reprenez la version "
            "d'origine, ou, si la modification est voulue, recalculez l'empreinte "
            f"(sha256sum {name} > … dans {data_dir.name}/) et mettez à jour {CHECKSUMS}"
        ]
    return []


def _checksums(data_dir: Path) -> dict[str, str]:
    table = {}
    for line in (data_dir / CHECKSUMS).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            table[name.lstrip("*")] = digest
    return table


def checksum_table(data_dir: Path) -> dict[str, str] | None:
    """``SHA256SUMS`` as ``{name: digest}``, or None when it cannot be read as such."""
    try:
        return _checksums(data_dir)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def checksum_lines(data_dir: Path, names: list[str]) -> str:
    """The lines of ``SHA256SUMS`` for ``names`` (all must be listed there)."""
    table = _checksums(data_dir)
    missing = [n for n in names if n not in table]
    if missing:
        raise DataError(f"{data_dir / CHECKSUMS} : empreinte absente pour {', '.join(missing)}")
    return "".join(f"{table[n]}  {n}\n" for n in sorted(names))

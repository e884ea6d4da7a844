"""The last guard: no trainer-only line in a learner output (pure functions, no Sphinx).

Whatever happens upstream (a marker typo that slipped through, a cache mix-up between
editions, a bug in a transformation), the build looks for every distinctive line of the
solutions (:func:`secrets`) in what learners receive: the learner notebooks, the learner
downloads, the learner exercise pages. It is a plain string search on text with its
whitespace collapsed, so it costs next to nothing.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace

from . import notebooks

#: shorter lines (``x = 1``, ``total``) are not distinctive enough to search for
MIN_LENGTH = 16
#: entries of a download that are text written by the build (data files are not searched)
TEXT_SUFFIXES = (".ipynb", ".md", ".py", ".txt")

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Secret:
    """One distinctive solution line and the source cell (1-based) it comes from."""

    cell: int
    line: str


def _flat(text: str) -> str:
    return " ".join(text.split())


def secrets(source_nb) -> list[Secret]:
    """Distinctive lines of the solutions that appear nowhere else in the source.

    Comments and headings (``#``…) and short lines are left out, and so is a line that the
    source also shows learners (a solution may repeat a line of the statement).
    """
    public = set()
    for cell in source_nb.cells:
        if notebooks.SOLUTION_TAG not in notebooks._tags(cell):
            kept = notebooks.replace_regions(notebooks._source(cell), keep=False)
            public.update(_flat(line) for line in kept.splitlines())
    found = []
    for index, cell in enumerate(source_nb.cells, start=1):
        for text in notebooks.solution_texts(SimpleNamespace(cells=[cell])):
            for line in text.splitlines():
                flat = _flat(line)
                if len(flat) >= MIN_LENGTH and not flat.startswith("#") and flat not in public:
                    found.append(Secret(index, flat))
    return found


def notebook_text(nb) -> str:
    """The sources and text outputs of a notebook (a node, or its JSON as text or bytes)."""
    if isinstance(nb, (str, bytes)):
        nb = json.loads(nb)
    parts = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        parts.append("".join(source) if isinstance(source, list) else source)
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")]
            texts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            parts += ["".join(t) if isinstance(t, list) else str(t) for t in texts]
    return "\n".join(parts)


def html_text(page: str) -> str:
    """The text of an HTML page: tags removed (highlighted code keeps its spacing), unescaped."""
    return html.unescape(_TAG.sub("", page))


def found_in(found: list[Secret], text: str) -> list[Secret]:
    """The secrets that occur in ``text`` (whitespace collapsed on both sides)."""
    flat = _flat(text)
    return [secret for secret in found if secret.line in flat]


def in_files(found: list[Secret], files: dict[str, bytes]) -> list[tuple[str, Secret]]:
    """``(entry, secret)`` for each secret in the text entries of a download."""
    leaks = []
    for name in sorted(files):
        if not name.endswith(TEXT_SUFFIXES):
            continue
        data = files[name]
        text = notebook_text(data) if name.endswith(".ipynb") else data.decode("utf-8", "replace")
        leaks += [(name, secret) for secret in found_in(found, text)]
    return leaks


def in_zip(found: list[Secret], data: bytes) -> list[tuple[str, Secret]]:
    """``(entry, secret)`` for each secret in the text entries of a zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.endswith(TEXT_SUFFIXES)]
        return in_files(found, {name: archive.read(name) for name in names})


def message(source: str, secret: Secret, output: str) -> str:
    """The French, located message for one leak."""
    return (
        f"{source}, cellule {secret.cell} : une ligne réservée au formateur se retrouve dans "
        f"une sortie apprenant ({output}) : « {secret.line} ». Vérifiez les marqueurs de "
        "solution de cette cellule ; rien n'est publié tant que la fuite demeure"
    )

"""Learner and trainer notebooks from one solution-complete source (pure functions, no Sphinx).

Markers (a closed set):

* ``# BEGIN SOLUTION`` / ``# END SOLUTION`` in a code cell: the region becomes the French
  stub :data:`CODE_STUB` at the same indentation in the learner notebook;
* cell tag ``solution``: the whole cell is dropped from the learner notebook;
* cell tag ``enonce``: the cell is kept only in the learner notebook.

Every function takes a notebook and returns a new one (the input is never modified), so
they chain like nbgrader's preprocessors: see :func:`learner_notebook` and
:func:`trainer_notebook` for the order.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass

import nbformat

SOLUTION_TAG = "solution"
PROMPT_TAG = "enonce"
#: standard tags understood by nbclient, nbsphinx or Jupyter Book, allowed as they are
STANDARD_TAGS = frozenset(
    {
        "raises-exception",
        "skip-execution",
        "hide-input",
        "hide-output",
        "hide-cell",
        "remove-input",
        "remove-output",
        "remove-cell",
    }
)
KNOWN_TAGS = STANDARD_TAGS | {SOLUTION_TAG, PROMPT_TAG}

BEGIN = "BEGIN SOLUTION"
END = "END SOLUTION"
CODE_STUB = "# Écrivez votre code ici"

_MARKER = re.compile(r"^(?P<indent>\s*)(?P<hashes>#+)\s*(?P<verb>BEGIN|END)\b\s*(?P<what>.*?)\s*$")


class MarkerError(ValueError):
    """A malformed exercise source; the message names the file and the cell."""

    def __init__(self, path: str, cell: int | None, message: str):
        self.path, self.cell, self.message = path, cell, message
        where = f"{path}, cellule {cell}" if cell is not None else path
        super().__init__(f"{where} : {message}")


@dataclass(frozen=True)
class Marker:
    kind: str  # "begin" or "end"
    indent: str
    line: int


def _copy(nb):
    """A deep copy of a notebook: a pickle round trip, several times faster than
    ``copy.deepcopy`` on nbformat's nodes (each transformation below returns a new notebook;
    on a course of 60 exercises this was a third of a no-op rebuild's own work)."""
    return pickle.loads(pickle.dumps(nb, pickle.HIGHEST_PROTOCOL))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def find_markers(source: str, path: str, cell: int) -> list[Marker]:
    """Return the solution markers of one cell, raising :class:`MarkerError` on unknown ones."""
    found = []
    for number, line in enumerate(source.splitlines(), start=1):
        match = _MARKER.match(line)
        if not match:
            continue
        what = f"{match['verb']} {match['what']}".strip()
        if match["hashes"] != "#" or match["what"] != "SOLUTION":
            raise MarkerError(
                path,
                cell,
                f"marqueur inconnu « {line.strip()} » (ligne {number} de la cellule) ; "
                f"marqueurs reconnus : « # {BEGIN} » et « # {END} »",
            )
        kind = "begin" if what == BEGIN else "end"
        found.append(Marker(kind, match["indent"], number))
    return found


def check_markers(nb, path: str) -> None:
    """Validate every marker and tag of a source notebook.

    Raises:
        MarkerError: unknown tag or marker, marker in a Markdown cell, nested or unbalanced
            regions, a ``solution`` cell that also holds markers.
    """
    for index, cell in enumerate(nb.cells, start=1):
        for tag in _tags(cell):
            if tag not in KNOWN_TAGS:
                raise MarkerError(
                    path,
                    index,
                    f"étiquette inconnue « {tag} » ; étiquettes "
                    f"reconnues : {', '.join(sorted(KNOWN_TAGS))}",
                )
        if SOLUTION_TAG in _tags(cell) and PROMPT_TAG in _tags(cell):
            raise MarkerError(path, index, "une cellule ne peut être à la fois solution et énoncé")
        markers = find_markers(_source(cell), path, index)
        if not markers:
            continue
        if cell.cell_type != "code":
            raise MarkerError(
                path,
                index,
                "marqueur de solution dans une cellule de texte ; "
                "étiquetez plutôt la cellule « solution »",
            )
        if SOLUTION_TAG in _tags(cell):
            raise MarkerError(
                path,
                index,
                "cellule étiquetée « solution » ET marqueurs : choisissez l'un ou l'autre",
            )
        open_marker = None
        for marker in markers:
            if marker.kind == "begin" and open_marker:
                raise MarkerError(path, index, f"« {BEGIN} » imbriqué (ligne {marker.line})")
            if marker.kind == "end" and not open_marker:
                raise MarkerError(path, index, f"« {END} » sans « {BEGIN} » (ligne {marker.line})")
            open_marker = marker if marker.kind == "begin" else None
        if open_marker:
            raise MarkerError(path, index, f"« {BEGIN} » non fermé (ligne {open_marker.line})")


def replace_regions(source: str, keep: bool) -> str:
    """Remove marker lines; keep the solution (``keep``) or put the stub in its place."""
    out, inside = [], False
    for line in source.splitlines():
        match = _MARKER.match(line)
        if match and match["verb"] == "BEGIN":
            inside = True
            if not keep:
                out.append(match["indent"] + CODE_STUB)
            continue
        if match and match["verb"] == "END":
            inside = False
            continue
        if keep or not inside:
            out.append(line)
    return "\n".join(out)


def strip_solutions(nb):
    """Learner side: drop ``solution`` cells and replace solution regions by the stub."""
    nb = _copy(nb)
    cells = []
    for cell in nb.cells:
        if SOLUTION_TAG in _tags(cell):
            continue
        if cell.cell_type == "code":
            cell.source = replace_regions(_source(cell), keep=False)
        cells.append(cell)
    nb.cells = cells
    return nb


def keep_solutions(nb):
    """Trainer side: keep solutions (markers removed) and drop the learner-only prompts."""
    nb = _copy(nb)
    cells = []
    for cell in nb.cells:
        if PROMPT_TAG in _tags(cell):
            continue
        if cell.cell_type == "code":
            cell.source = replace_regions(_source(cell), keep=True)
        cells.append(cell)
    nb.cells = cells
    return nb


def drop_course_tags(nb):
    """Remove our own tags (``solution``, ``enonce``) once they have done their job."""
    nb = _copy(nb)
    for cell in nb.cells:
        tags = [t for t in _tags(cell) if t not in (SOLUTION_TAG, PROMPT_TAG)]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
    return nb


def clear_outputs(nb):
    """Remove outputs and execution counts."""
    nb = _copy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def normalise(nb):
    """Deterministic ids (``cell-1``…) and no jupytext metadata, so outputs diff cleanly."""
    nb = _copy(nb)
    nb.metadata.pop("jupytext", None)
    for index, cell in enumerate(nb.cells, start=1):
        cell["id"] = f"cell-{index}"
        cell.metadata.pop("jupytext", None)
    return nb


def insert_after_title(nb, markdown: str):
    """Insert a Markdown cell after the first cell (the title cell)."""
    nb = _copy(nb)
    # built as a plain node: new_markdown_cell() would validate it against the JSON schema
    # (compiling the validator costs more than the rest of a no-op build's generation);
    # the id is renumbered by normalise(), and the tests validate every generated notebook
    cell = {"cell_type": "markdown", "id": "fiche", "metadata": {}, "source": markdown}
    nb.cells.insert(1, nbformat.from_dict(cell))
    return nb


def learner_notebook(source_nb, fiche: str = ""):
    """Source → learner notebook: solutions out, French stubs in, no outputs."""
    nb = strip_solutions(source_nb)
    nb = drop_course_tags(nb)
    if fiche:
        nb = insert_after_title(nb, fiche)
    return normalise(clear_outputs(nb))


def trainer_notebook(source_nb, fiche: str = ""):
    """Source → trainer notebook: solutions kept, learner-only prompts dropped, no outputs."""
    nb = keep_solutions(source_nb)
    nb = drop_course_tags(nb)
    if fiche:
        nb = insert_after_title(nb, fiche)
    return normalise(clear_outputs(nb))


_SCOPED_STYLE = re.compile(r"<style scoped>.*?</style>\s*", re.S)


def drop_scoped_styles(nb):
    """Remove the ``<style scoped>`` blocks pandas puts in its HTML tables (invalid in HTML 5;
    the site's stylesheet styles ``.dataframe`` instead)."""
    nb = _copy(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is not None:
                text = "".join(html) if isinstance(html, list) else html
                output["data"]["text/html"] = _SCOPED_STYLE.sub("", text)
    return nb


def solution_texts(source_nb) -> list[str]:
    """The texts that must never reach a learner: solution cells and solution regions."""
    texts = []
    for cell in source_nb.cells:
        source = _source(cell)
        if SOLUTION_TAG in _tags(cell):
            texts.append(source)
            continue
        inside, region = False, []
        for line in source.splitlines():
            match = _MARKER.match(line)
            if match and match["verb"] == "BEGIN":
                inside, region = True, []
            elif match and match["verb"] == "END":
                inside = False
                texts.append("\n".join(region))
            elif inside:
                region.append(line)
    return [t for t in texts if t.strip()]

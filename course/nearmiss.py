"""Near misses of the solution markers and tags: what a typo would publish silently.

:mod:`course.notebooks` recognises a closed set of markers written exactly. A marker written
slightly wrong (``# begin solution``, ``# BEGN SOLUTION``, ``# ED SOLUTION``), a misspelt
metadata key (``"tag"``, ``"Tags"``) or tag (``"Solution"``) would not be seen as a marker at
all, and the solution would reach learners. :func:`check` refuses them, naming the file and
the cell, with the same :class:`~course.notebooks.MarkerError` as the other marker errors.
"""

from __future__ import annotations

import re
import unicodedata

from .notebooks import _MARKER, BEGIN, END, KNOWN_TAGS, PROMPT_TAG, SOLUTION_TAG, MarkerError

#: words that make a short comment look like a solution marker (compared without accents)
SOLUTION_WORDS = ("SOLUTION", "CORRIGE")
#: a comment with more words than this is a sentence, not a marker
MAX_MARKER_WORDS = 4
TAGS_KEY = "tags"

_COMMENT = re.compile(r"^\s*#+\s*(?P<text>.*?)\s*$")


def distance(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions, swaps of two neighbours)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def normalise(text: str) -> str:
    """Upper case, no accents, punctuation as spaces: « Début-Solution : » → « DEBUT SOLUTION »."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).upper()
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", plain).split())


def resembles_marker(comment: str) -> bool:
    """Whether a comment's text (after ``#``) looks like a solution marker without being one."""
    text = normalise(comment)
    words = text.split()
    if not words or len(words) > MAX_MARKER_WORDS:
        return False
    if any(distance(text, marker) <= 2 for marker in (BEGIN, END)):
        return True
    return any(distance(word, target) <= 1 for word in words for target in SOLUTION_WORDS)


def _comment_problem(source: str) -> str | None:
    for number, line in enumerate(source.splitlines(), start=1):
        if _MARKER.match(line):
            continue  # a real marker: checked by notebooks.find_markers
        match = _COMMENT.match(line)
        if match and resembles_marker(match["text"]):
            return (
                f"« {line.strip()} » (ligne {number} de la cellule) ressemble à un marqueur de "
                f"solution sans en être un : la solution serait publiée aux apprenants. Écrivez "
                f"exactement « # {BEGIN} » et « # {END} » (en majuscules), ou reformulez "
                "le commentaire"
            )
    return None


def _metadata_problem(metadata: dict) -> str | None:
    for key in metadata:
        folded = key.lower()
        if key != TAGS_KEY and distance(folded, TAGS_KEY) <= 1:
            return (
                f"clé de métadonnées « {key} » : écrivez « {TAGS_KEY} » (en minuscules) ; "
                "sinon les étiquettes sont ignorées et la cellule est publiée telle quelle"
            )
        if any(distance(folded, tag) <= 1 for tag in (SOLUTION_TAG, PROMPT_TAG)):
            return (
                f"clé de métadonnées « {key} » : une étiquette s'écrit "
                f'{{"{TAGS_KEY}": ["{SOLUTION_TAG}"]}} (ou « {PROMPT_TAG} »)'
            )
    tags = metadata.get(TAGS_KEY, [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        return f'« {TAGS_KEY} » doit être une liste de textes, par exemple ["{SOLUTION_TAG}"]'
    for tag in tags:
        if tag in KNOWN_TAGS:
            continue
        for real in (SOLUTION_TAG, PROMPT_TAG):
            if distance(normalise(tag), real.upper()) <= 2:
                return (
                    f"étiquette « {tag} » : vouliez-vous dire « {real} » ? (sans elle, "
                    "la cellule est traitée comme une cellule ordinaire)"
                )
    return None


def check(nb, path: str) -> None:
    """Refuse near-miss markers, metadata keys and tags in a source notebook.

    Raises:
        MarkerError: the first near miss, with the file and the cell (1-based).
    """
    for index, cell in enumerate(nb.cells, start=1):
        problem = _metadata_problem(cell.get("metadata", {}))
        if problem is None and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            problem = _comment_problem("".join(source) if isinstance(source, list) else source)
        if problem:
            raise MarkerError(path, index, problem)

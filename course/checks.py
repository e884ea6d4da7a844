"""The trainer edition's self-test: every check passes on the solution (no Sphinx import).

The trainer notebook runs every ``verifier(...)`` on the solution. Once it has executed
(or come from the execution cache), each check cell must have printed only « ✅ … correct »
lines (:mod:`course.verif`); a « ❌ pas encore » or « ✏️ à compléter » line means that no
learner can ever get « correct » (a wrong expected fingerprint, or a wrong solution).
"""

from __future__ import annotations

import re

from . import notebooks

#: a cell that checks an answer
CALL = re.compile(r"\bverifier\s*\(")
#: the first characters of verif.verifier's lines (tests/test_checks.py ties them to verif.py)
PASSED = "✅"
NOT_PASSED = ("❌", "✏️")


def _output_text(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        text = output.get("text", "") or output.get("data", {}).get("text/plain", "")
        parts.append("".join(text) if isinstance(text, list) else text)
    return "".join(parts)


def failures(executed) -> list[tuple[int, str]]:
    """``(index, what it printed)`` for each check cell (0-based) that did not pass."""
    failed = []
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code" or not CALL.search(notebooks._source(cell)):
            continue
        lines = [line.strip() for line in _output_text(cell).splitlines()]
        wrong = [line for line in lines if line.startswith(NOT_PASSED)]
        if wrong:
            failed.append((index, wrong[0]))
        elif not any(line.startswith(PASSED) for line in lines):
            failed.append((index, "aucun résultat de vérification affiché"))
    return failed


def source_cell(source_nb, code: str) -> int | None:
    """The 1-based number, in the source, of the code cell that gave ``code`` (markers out)."""
    for number, cell in enumerate(source_nb.cells, start=1):
        if cell.cell_type == "code":
            if notebooks.replace_regions(notebooks._source(cell), keep=True) == code:
                return number
    return None


def messages(path: str, source_nb, executed) -> list[str]:
    """French, located messages for the checks a trainer notebook's solution does not pass."""
    found = []
    for index, printed in failures(executed):
        number = source_cell(source_nb, notebooks._source(executed.cells[index]))
        where = f"{path}, cellule {number}" if number else f"{path} (notebook formateur)"
        found.append(
            f"{where} : la solution ne passe pas sa propre vérification (« {printed} ») ; "
            "aucun apprenant ne pourrait obtenir « correct ». Corrigez la solution ou "
            "l'empreinte attendue (empreinte(valeur) la calcule)"
        )
    return found

"""A YAML error in a front matter as one located French line (no Sphinx import).

PyYAML says where it noticed a problem (``problem_mark``), what it was reading
(``context``, from ``context_mark``) and what went wrong (``problem``), over several English
lines. A trainer gets one line instead: the line and its text, what the most frequent problems
of a hand-written front matter mean (:data:`YAML_PROBLEMS`), where the construct began, then
PyYAML's own words in parentheses.
"""

from __future__ import annotations

import yaml


def located(exc: yaml.YAMLError, raw: str, first_line: int) -> tuple[int, str]:
    """``(line in the file, one French line)`` for a YAML error in ``raw``, which begins at
    line ``first_line`` of its file: where it was seen (line and text), what it means, where
    the construct PyYAML was reading began, and PyYAML's own words (to search for them)."""
    lines = raw.splitlines()
    mark, start = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    if mark is None:
        return 1, f"YAML invalide : {' '.join(str(exc).split())}"

    def quoted(at) -> str:
        text = lines[at.line].strip() if at.line < len(lines) else ""
        return f" « {text} »" if text else ""

    said = yaml_in_french(exc.context or "", exc.problem or "")
    message = f"YAML invalide ligne {first_line + mark.line}{quoted(mark)} : {said}"
    if start is not None and start.line != mark.line:
        begun = f"ligne {first_line + start.line}{quoted(start)}"
        message += f" ; repéré en lisant ce qui commence {begun}"
    message += f" (PyYAML : {exc.problem})"
    return first_line + mark.line, message


#: PyYAML's most frequent problems in a hand-written front matter, said in French: (words of its
#: context, words of its problem) → what to check; the first match wins
YAML_PROBLEMS = (
    (
        "flow sequence",
        "",
        "crochet « [ » sans crochet « ] », ou virgule manquante entre deux valeurs",
    ),
    ("flow mapping", "", "accolade « { » sans accolade « } », ou virgule manquante"),
    ("quoted scalar", "", "guillemet ouvert et jamais fermé"),
    ("", "'\\t'", "tabulation : indentez avec des espaces"),
    (
        "",
        "mapping values are not allowed",
        "deux-points en trop : une valeur qui contient « : » "
        "s'écrit entre guillemets, et chaque champ va sur sa propre ligne, sans retrait",
    ),
    (
        "simple key",
        "could not find expected ':'",
        "ligne sans deux-points : écrivez « champ: valeur »",
    ),
    (
        "",
        "expected <block end>",
        "indentation ou liste mal alignée : alignez les champs à gauche, "
        "les éléments d'une liste sous le même retrait",
    ),
    (
        "",
        "cannot start any token",
        "caractère spécial en début de valeur : mettez la valeur entre guillemets",
    ),
)


def yaml_in_french(context: str, problem: str) -> str:
    """What a YAML problem means for whoever wrote the front matter (PyYAML's words otherwise)."""
    for in_context, in_problem, french in YAML_PROBLEMS:
        if in_context in context and in_problem in problem:
            return french
    return (
        "syntaxe YAML incorrecte : vérifiez les deux-points (« champ: valeur »), les guillemets "
        "et les crochets"
    )

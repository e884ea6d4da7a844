"""Pages that copy quiz questions by hand stay equal to the quizzes they copy.

``formateur/evaluation-formation.md`` gives trainers a ten-question positioning quiz « repris
tel quel » from the modules: each row names the module, the question's stem (its beginning,
ending in « … », or all of it) and the expected answer, which must be a right option of that
question. A reworded quiz option once left three rows stale; this test finds such rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "formateur" / "evaluation-formation.md"
ROW = re.compile(r"^\| (\d+) \| (.+?) \| \{doc\}`/modules/([a-z0-9-]+)` \| (.+?) \|$")
QUESTION = re.compile(r"^:::\{question\}\s*(.+)$")
OPTION = re.compile(r"^- \[([ xX])\]\s*(.+)$")


def questions(markdown: str) -> list[tuple[str, list[str]]]:
    """(stem, right options) of every ``{question}`` block of a module."""
    found: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if match := QUESTION.match(line):
            found.append((match.group(1).strip(), []))
        elif found and (match := OPTION.match(line)) and match.group(1) in "xX":
            found[-1][1].append(match.group(2).strip())
    return found


def rows(markdown: str) -> list[tuple[str, str, str, str]]:
    return [m.groups() for line in markdown.splitlines() if (m := ROW.match(line.strip()))]


def stale(page: str, modules: dict[str, str]) -> list[str]:
    """The rows of ``page`` whose question or expected answer no module quiz has."""
    problems = []
    for number, stem, slug, answer in rows(page):
        if slug not in modules:
            problems.append(f"ligne {number} : module inconnu {slug}")
            continue
        prefix = stem.removesuffix("…").strip()
        same = [rights for text, rights in questions(modules[slug]) if text.startswith(prefix)]
        if not same:
            problems.append(f"ligne {number} : question absente du quiz de {slug} : {stem}")
        elif not any(answer.strip() in rights for rights in same):
            problems.append(f"ligne {number} : « {answer} » n'est pas une bonne réponse ({slug})")
    return problems


@pytest.fixture(scope="module")
def modules() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "modules").glob("*.md")}


def test_the_positioning_quiz_copies_the_module_quizzes(modules):
    page = PAGE.read_text(encoding="utf-8")
    assert len(rows(page)) == 10  # the table is still found: ten questions
    assert stale(page, modules) == []


def test_a_reworded_option_or_stem_is_found(modules):
    page = PAGE.read_text(encoding="utf-8")
    first = rows(page)[0]
    reworded = page.replace(f"| {first[3]} |", "| une réponse qui n'est plus dans le quiz |")
    assert stale(reworded, modules) == [
        f"ligne 1 : « une réponse qui n'est plus dans le quiz » n'est pas une bonne réponse "
        f"({first[2]})"
    ]
    moved = page.replace(f"| {first[1]} |", "| Une question que le module ne pose pas |")
    assert len(stale(moved, modules)) == 1 and "question absente" in stale(moved, modules)[0]

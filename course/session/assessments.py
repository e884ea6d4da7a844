"""The positioning test and the end-of-training assessment, chosen from the quiz bank.

Deterministic: objectives are taken in course order; an objective already covered by a
chosen question is skipped; otherwise the lowest-numbered question of the path's modules that
assesses it is chosen — for the final assessment, one not used by the positioning test when
there is one, so the two tests differ as much as the bank allows. An objective that no
question assesses (an exercise does) is listed as such, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import metadata
from ..lms import gift, moodle
from .plan import Plan


@dataclass
class Test:
    key: str  # "positionnement" or "evaluation-finale"
    title: str
    purpose: str
    questions: list[dict]  # question dicts, with "module", "module_title", "ref" added
    uncovered: list[dict]  # objectives no question assesses (with their exercises)

    def covered(self) -> set[str]:
        return {ref for q in self.questions for ref in q["objectifs"]}


TITLES = {
    "positionnement": (
        "Test de positionnement",
        "À passer avant la formation (ou à son ouverture) : il situe les acquis de départ de "
        "chaque participant sur les objectifs de la formation. Il n'est pas noté.",
    ),
    "evaluation-finale": (
        "Évaluation des acquis de fin de formation",
        "À passer à la fin de la formation : il mesure l'atteinte de chaque objectif.",
    ),
}


def _candidates(plan: Plan) -> dict[str, list[dict]]:
    """Objective ref → the path's questions that assess it, in course order."""
    found: dict[str, list[dict]] = {}
    for module in plan.modules:
        for q in module.get("questions", []):
            item = {**q, "module": module["slug"], "module_title": module["title"]}
            item["ref"] = f"{module['slug']}-q{q['number']}"
            for ref in q.get("objectifs", []):
                found.setdefault(ref, []).append(item)
    return found


def choose(plan: Plan, avoid: set[str] = frozenset()) -> tuple[list[dict], list[dict]]:
    candidates = _candidates(plan)
    chosen: list[dict] = []
    covered: set[str] = set()
    uncovered = []
    for objective in plan.objectives:
        if objective["ref"] in covered:
            continue
        pool = candidates.get(objective["ref"], [])
        if not pool:
            uncovered.append(objective)
            continue
        fresh = [q for q in pool if q["ref"] not in avoid]
        question = (fresh or pool)[0]
        if question["ref"] not in {q["ref"] for q in chosen}:
            chosen.append(question)
        covered.update(question.get("objectifs", []))
    order = {m["slug"]: i for i, m in enumerate(plan.modules)}
    chosen.sort(key=lambda q: (order[q["module"]], q["number"]))
    return chosen, uncovered


def build(plan: Plan) -> list[Test]:
    first, uncovered = choose(plan)
    final, _ = choose(plan, avoid={q["ref"] for q in first})
    return [
        Test("positionnement", *TITLES["positionnement"], first, uncovered),
        Test("evaluation-finale", *TITLES["evaluation-finale"], final, uncovered),
    ]


def _bank_module(test: Test) -> dict:
    """The test as a pseudo-module for the LMS writers, questions renumbered 1…n."""
    questions = [{**q, "number": i} for i, q in enumerate(test.questions, start=1)]
    return {"slug": test.key, "title": test.title, "questions": questions}


def moodle_xml(course: dict, test: Test) -> str:
    return moodle.bank(course, _bank_module(test))


def gift_text(course: dict, test: Test) -> str:
    return gift.bank(course, _bank_module(test))


def estimated_minutes(test: Test) -> str:
    """About one minute per question, five at least (said as an estimate in the documents)."""
    return metadata.format_minutes(max(5, len(test.questions)))

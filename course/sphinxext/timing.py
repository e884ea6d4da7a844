"""Module durations that leave room for what the module asks of the learner.

A module's ``duree_activites`` covers its quiz and the activities its facilitator notes time
(CONTRIBUTING, « Durées ») :

- the quiz counts ``QUIZ_MINUTES_PER_QUESTION`` minute(s) per question;
- every ``{note-formateur}`` counts its ``:duree:``, except a *variante* (a note whose title
  begins with « Variante »), which replaces an activity instead of adding one;
- the ``{activite-autonomie}`` blocks (what a learner alone does instead of the workshops)
  count their ``:duree:`` as an alternative: the module needs the longer of the two, animated
  activities or self-study activities, never their sum.

``env-check-consistency`` warns when ``duree_activites`` is smaller than quiz + that longer
time; course paths (``{parcours}``) time each module with at least its reading time plus that
sum, so the quiz is always in the timetable. Notes and activities are recorded in both editions
(``timed``), so both editions warn alike.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from .. import metadata
from . import registry

logger = logging.getLogger(__name__)

QUIZ_MINUTES_PER_QUESTION = 1
VARIANT_PREFIX = "variante"


def is_variant(title: str) -> bool:
    return title.strip().casefold().startswith(VARIANT_PREFIX)


def record_note(env, title: str, minutes: int, line: int) -> None:
    """Called by ``{note-formateur}`` in both editions."""
    registry.data(env)["timed"].setdefault(env.docname, []).append(
        {"titre": title, "duree": minutes, "ligne": line, "variante": is_variant(title)}
    )


def record_self_study(env, title: str, minutes: int, line: int) -> None:
    """Called by ``{activite-autonomie}`` (both editions)."""
    registry.data(env)["timed"].setdefault(env.docname, []).append(
        {"titre": title, "duree": minutes, "ligne": line, "variante": False, "autonomie": True}
    )


def quiz_minutes(env, docname: str) -> int:
    return QUIZ_MINUTES_PER_QUESTION * len(registry.data(env)["quizzes"].get(docname, []))


def animated_minutes(env, docname: str) -> int:
    """The facilitator notes' activities (variants excluded)."""
    notes = registry.data(env)["timed"].get(docname, [])
    return sum(n["duree"] for n in notes if not n["variante"] and not n.get("autonomie"))


def self_study_minutes(env, docname: str) -> int:
    """The ``{activite-autonomie}`` blocks of the module."""
    notes = registry.data(env)["timed"].get(docname, [])
    return sum(n["duree"] for n in notes if n.get("autonomie"))


def activity_minutes(env, docname: str) -> int:
    """Animated activities in a session, or self-study alone: whichever takes longer."""
    return max(animated_minutes(env, docname), self_study_minutes(env, docname))


def needed_activities(env, docname: str) -> int:
    """The least ``duree_activites`` the module can declare: quiz + timed activities."""
    return quiz_minutes(env, docname) + activity_minutes(env, docname)


def path_minutes(env, meta: dict) -> int:
    """A module's time in a course path: its total, and never less than reading + quiz +
    activities (a module that under-declares is already warned about)."""
    return max(
        meta["duree_totale"], meta["duree_lecture"] + needed_activities(env, meta["docname"])
    )


def _line(env, docname: str) -> int:
    try:
        text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except OSError:
        return 1
    fields, _ = metadata.read_front_matter(text)
    return fields.get("duree_activites", (None, 1))[1]


def check(app, env) -> None:
    """``env-check-consistency``: ``duree_activites`` holds the quiz and the activities."""
    for meta in registry.ordered_modules(env):
        docname = meta["docname"]
        quiz, activities = quiz_minutes(env, docname), activity_minutes(env, docname)
        if meta["duree_activites"] >= quiz + activities:
            continue
        count = len(registry.data(env)["quizzes"].get(docname, []))
        what = (
            "les activités animées"
            if animated_minutes(env, docname) >= self_study_minutes(env, docname)
            else "les activités en autonomie"
        )
        logger.warning(
            f"[durée] duree_activites : {meta['duree_activites']} min, moins que le quiz "
            f"({count} question(s), {metadata.format_minutes(quiz)}) et {what} "
            f"({metadata.format_minutes(activities)}) : comptez au moins {quiz + activities} min",
            location=(docname, _line(env, docname)),
            type="course",
            subtype="duration",
        )

"""Module handouts: the learner page of each module of the session, for print, leak-checked.

The same last guard as the site (:mod:`course.leaks`): every distinctive solution line of the
exercises is searched for in each handout, and so are the quiz answers the handout must not
carry (each option's feedback and each question's explanation), and any facilitator note
(``course-note-formateur``). A leak stops the kit; nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from .. import exercises, leaks
from . import SessionError
from .pages import printable

TRAINER_MARKS = ("course-note-formateur", "course-correction")


def solution_secrets(source: Path) -> list[tuple[str, leaks.Secret]]:
    """``(exercise source, secret)`` for every exercise of ``source`` (the site's list)."""
    found = []
    for path in exercises.discover(Path(source)):
        try:
            exercise = exercises.load(path, Path(source) / exercises.DATA_DIR)
        except exercises.ExerciseError as exc:
            raise SessionError(f"{exc}") from None
        found += [(str(path), secret) for secret in leaks.secrets(exercise.source)]
    return found


def quiz_answers(module: dict) -> list[str]:
    """The texts a handout must not show: feedback and explanations of the module's quiz."""
    texts = []
    for q in module.get("questions", []):
        texts += [o["feedback"] for o in q["options"] if o.get("feedback")]
        if q.get("explanation"):
            texts.append(q["explanation"])
    return [" ".join(t.split()) for t in texts if len(t.split()) >= 3]


def check(html: str, name: str, secrets: list, answers: list[str]) -> None:
    """:class:`SessionError` naming the first leak of ``html`` (output ``name``), if any."""
    for mark in TRAINER_MARKS:
        if mark in html:
            raise SessionError(f"{name} : contenu réservé au formateur ({mark}) : refusé")
    text = " ".join(leaks.html_text(html).split())
    for source, secret in secrets:
        if secret.line in text:
            raise SessionError(leaks.message(source, secret, name))
    for answer in answers:
        if answer in text:
            raise SessionError(f"{name} : la correction d'un quiz y figure (« {answer[:80]} »)")


def content(site: Path, module: dict, secrets: list) -> str:
    """The checked printable content of ``module``'s learner page."""
    html = printable(site, module["page"])
    check(html, f"support {module['slug']}", secrets, quiz_answers(module))
    return html

"""``build-finished``: the course's data as JSON, for the LMS export and other tools.

``<outdir>/_course/cours.json`` holds, in course order, every module's metadata and its
questions, the exercises, and the edition. Only what the edition shows is written (the
learner edition records no facilitator note).
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from . import registry


def course_data(app) -> dict:
    env = app.env
    store = registry.data(env)
    modules = []
    for meta in registry.ordered_modules(env):
        docname = meta["docname"]
        modules.append(
            {
                **meta,
                "page": app.builder.get_target_uri(docname),
                "questions": store["quizzes"].get(docname, []),
                "notes_formateur": store["notes"].get(docname, []),
            }
        )
    return {
        "format": 1,
        "version": __version__,
        "titre": app.config.project,
        "langue": app.config.language,
        "edition": app.config.course_edition,
        "modules": modules,
        "exercices": list(getattr(env, "course_exercises", {}).values()),
    }


def write_course_json(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    data = course_data(app)
    for exercise in data["exercices"]:
        exercise.pop("path", None)  # paths on the build machine mean nothing to readers
        exercise.pop("rendered", None)
    target = Path(app.outdir) / "_course" / "cours.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")

"""``build-finished``: the course's data as JSON, for the LMS export and other tools.

``<outdir>/_course/cours.json`` holds, in course order, every module's metadata and its
questions, the exercises, the course paths of the trainer's guide (``parcours``, read from
the sources by :mod:`course.parcours`), and the edition. Only what the edition shows is written (the
learner edition records no facilitator note).
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__, parcours
from . import alignment, registry
from .config import is_trainer


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
        "alignment": alignment_data(app),
        "version": __version__,
        "titre": app.config.project,
        "langue": app.config.language,
        "edition": app.config.course_edition,
        "modules": modules,
        "exercices": list(getattr(env, "course_exercises", {}).values()),
        # read from the sources: the learner edition does not read formateur/, the session
        # kit (course.session) needs the paths from a learner site
        "parcours": [
            {**path, "page": app.builder.get_target_uri(path["page"])}
            for path in parcours.from_sources(Path(app.srcdir))
        ],
    }


def alignment_data(app) -> list[dict]:
    """Per module: each objective (id, ``module/id`` ref, text) and what assesses it.

    Questions are named by module page and number (their ``objectifs`` are also on each
    question), exercises by slug; activities (facilitator notes, and self-study activities with
    ``autonomie: true``) only in the trainer edition.
    """
    trainer = is_trainer(app.config)
    modules = []
    for module in alignment.index(app.env):
        objectives = []
        for row in module["objectifs"]:
            row = {**row, "questions": [q["numero"] for q in row["questions"]]}
            row["exercices"] = [ex["slug"] for ex in row["exercices"]]
            if trainer:
                row["activites"] = [
                    {
                        "page": app.builder.get_target_uri(a["page"]),
                        "titre": a["titre"],
                        "duree": a["duree"],
                        "autonomie": a["autonomie"],
                    }
                    for a in row["activites"]
                ]
            else:
                row.pop("activites")
            objectives.append(row)
        modules.append({"module": module["module"], "objectifs": objectives})
    return modules


def write_course_json(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    data = course_data(app)
    # paths on the build machine mean nothing to readers (copies: the env keeps its own)
    data["exercices"] = [
        {key: value for key, value in exercise.items() if key not in ("path", "rendered")}
        for exercise in data["exercices"]
    ]
    target = Path(app.outdir) / "_course" / "cours.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")

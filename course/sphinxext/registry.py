"""Cross-document state kept on the Sphinx environment (parallel- and incremental-safe).

Everything the extension learns while reading a document is stored under
``env.course_data[<kind>][<docname>]``: removed by ``env-purge-doc`` when the document
is re-read, merged by ``env-merge-info`` when documents were read in parallel.

Pages that summarise the others (« aggregators »: the syllabus, the digest of facilitator
notes, the alignment matrix, the course paths) are resolved when written, from this state.
They are rewritten only when what they summarise changed (:func:`updated_aggregators`): a
prose edit in one module rewrites that module's page, not a syllabus of every module.
"""

from __future__ import annotations

import pickle

KINDS = (
    "modules",
    "quizzes",
    "notes",
    "aggregators",
    "exercises",
    "objectives",
    "activities",
    "timed",
    "invalid",  # modules whose metadata was refused: docname → slug (no cascade of errors)
)


def data(env) -> dict[str, dict]:
    if not hasattr(env, "course_data"):
        env.course_data = {kind: {} for kind in KINDS}
    return env.course_data


SUMMARISED = tuple(kind for kind in KINDS if kind != "aggregators")


def _declared(env, docname: str) -> dict:
    store = data(env)
    return {kind: store[kind].get(docname) for kind in SUMMARISED}


def purge(app, env, docname: str) -> None:
    """``env-purge-doc``: forget what a document declared before it is read again (what it
    declared is kept aside for :func:`updated_aggregators`)."""
    before = app.__dict__.setdefault("_course_declared", {})
    before.setdefault(docname, _declared(env, docname))
    for store in data(env).values():
        store.pop(docname, None)


def merge(app, env, docnames, other) -> None:
    """``env-merge-info``: bring back what parallel readers learnt."""
    mine, theirs = data(env), data(other)
    for kind in KINDS:
        for docname in docnames:
            if docname in theirs[kind]:
                mine[kind][docname] = theirs[kind][docname]


def toctree_order(env) -> list[str]:
    """Docnames in reading order: depth-first through the toctrees from the root document."""
    seen: list[str] = []

    def walk(docname: str) -> None:
        if docname in seen:
            return
        seen.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return seen


def known_slugs(env) -> set[str]:
    """Slugs of every module read, valid or not (a module refused for its metadata has its
    own located error: what refers to it is not reported again as « inconnu »)."""
    store = data(env)
    return {m["slug"] for m in store["modules"].values()} | set(store["invalid"].values())


def ordered_modules(env) -> list[dict]:
    """Module metadata in toctree order (modules outside every toctree come last, sorted)."""
    modules = data(env)["modules"]
    order = [d for d in toctree_order(env) if d in modules]
    order += sorted(d for d in modules if d not in order)
    return [modules[d] for d in order]


def updated_aggregators(app, env) -> list[str]:
    """``env-get-updated``: the summarising pages to write again, after reading.

    All of them when a document read again (or removed) declared something else than before
    (metadata, questions, objectives, notes, timings), when the modules' order changed
    (toctrees) or when the exercises changed; none after a prose edit.
    """
    before = app.__dict__.pop("_course_declared", {})
    changed = any(declared != _declared(env, docname) for docname, declared in before.items())
    summarised = (toctree_order(env), getattr(env, "course_exercises", {}))
    snapshot = pickle.dumps(summarised, pickle.HIGHEST_PROTOCOL)
    if snapshot != getattr(env, "course_summarised", None):
        env.course_summarised = snapshot  # kept with the environment for the next build
        changed = True
    return sorted(data(env)["aggregators"]) if changed else []

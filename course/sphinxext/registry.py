"""Cross-document state kept on the Sphinx environment (parallel- and incremental-safe).

Everything the extension learns while reading a document is stored under
``env.course_data[<kind>][<docname>]``: removed by ``env-purge-doc`` when the document
is re-read, merged by ``env-merge-info`` when documents were read in parallel.
"""

from __future__ import annotations

KINDS = (
    "modules",
    "quizzes",
    "notes",
    "aggregators",
    "exercises",
    "objectives",
    "activities",
    "timed",
)


def data(env) -> dict[str, dict]:
    if not hasattr(env, "course_data"):
        env.course_data = {kind: {} for kind in KINDS}
    return env.course_data


def purge(app, env, docname: str) -> None:
    """``env-purge-doc``: forget what a document declared before it is read again."""
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


def ordered_modules(env) -> list[dict]:
    """Module metadata in toctree order (modules outside every toctree come last, sorted)."""
    modules = data(env)["modules"]
    order = [d for d in toctree_order(env) if d in modules]
    order += sorted(d for d in modules if d not in order)
    return [modules[d] for d in order]


def outdated_aggregators(app, env, added, changed, removed) -> list[str]:
    """``env-get-outdated``: pages that summarise other pages are re-read when those change."""
    store = data(env)
    touched = set(added) | set(changed) | set(removed)
    if not touched:
        return []
    return [doc for doc in store["aggregators"] if doc not in touched]

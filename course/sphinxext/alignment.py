"""Constructive alignment: objectives, what assesses them, what practises them, the matrix.

Syntax (MyST)::

    :::{objectifs}
    - (definition) Citer la définition de la politique de la ville (art. 1er).
    :::

    :::{question} Selon l'article 1er, …
    :objectif: definition

    :::{note-formateur} Atelier : …
    :duree: 20
    :objectif: loi-2014/definition

    :::{matrice-alignement}
    :::

An objective's identifier is the short label in parentheses; a reference is ``id`` in the
objective's own module page, ``module-slug/id`` anywhere else. Exercises declare
``objectifs_module`` in their ``course:`` metadata. After every document is read
(``env-check-consistency``): an unknown reference is an error, an objective that no question
and no exercise assesses, and a question that assesses no objective, are warnings (so
``-W`` fails). Facilitator-note activities and self-study activities (``{activite-autonomie}``)
practise objectives; they do not assess them.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import metadata
from . import labels, registry
from .config import is_trainer

logger = logging.getLogger(__name__)


def _warn(message: str, location) -> None:
    logger.warning(f"[objectifs] {message}", location=location, type="course", subtype="alignment")


def module_slug(env, docname: str) -> str | None:
    """The module slug of a module page (its file name, as in its metadata), ``None`` for any
    other page."""
    prefix = env.config.course_modules_dir.rstrip("/") + "/"
    return docname.rsplit("/", 1)[-1] if docname.startswith(prefix) else None


def label_objective(item: nodes.list_item, trainer: bool) -> tuple[str | None, str]:
    """Take the ``(id)`` label off a rendered objective; the trainer edition shows it."""
    ident, text = metadata.split_objective(item.astext())
    para = item[0] if item.children and isinstance(item[0], nodes.paragraph) else None
    first = para[0] if para is not None and para.children else None
    if ident is None or not isinstance(first, nodes.Text):
        return ident, text
    rest = first.astext().lstrip()[len(ident) + 2 :].lstrip()
    para.replace(first, nodes.Text(rest))
    if trainer:
        para.insert(0, nodes.literal(ident, ident, classes=["course-objectif-id"]))
        para.insert(1, nodes.Text(" "))
    return ident, text


def record_objectives(env, docname: str, block) -> None:
    """Keep a module's objectives with their lines; warn on a missing or repeated id."""
    found, seen = [], set()
    for ident, text, line in zip(
        block.get("ids_objectifs", []), block["items"], block.get("lines", []), strict=False
    ):
        if ident is None:
            _warn(labels.ALIGN_NO_ID.format(text=text[:40]), (docname, line))
        elif ident in seen:
            _warn(labels.ALIGN_DUPLICATE_ID.format(id=ident), (docname, line))
        else:
            seen.add(ident)
            found.append({"id": ident, "texte": text, "ligne": line})
    registry.data(env)["objectives"][docname] = found


def option_refs(directive: SphinxDirective) -> list[str]:
    """The ``:objectif:`` option of a directive as qualified refs (problems are located)."""
    if "objectif" not in directive.options:
        return []
    slug = module_slug(directive.env, directive.env.docname)
    refs, problems = metadata.parse_refs(directive.options["objectif"], slug)
    for problem in problems:
        _warn(problem, directive.get_location())
    return refs


# -- the index: objective → questions, exercises, activities ---------------------------------


def index(env) -> list[dict]:
    """Per module, in course order: its objectives with what assesses and practises them."""
    store = registry.data(env)
    by_ref: dict[str, dict] = {}
    result = []
    for meta in registry.ordered_modules(env):
        docname = meta["docname"]
        rows = []
        for obj in store["objectives"].get(docname, []):
            row = {
                "id": obj["id"],
                "ref": f"{meta['slug']}/{obj['id']}",
                "texte": obj["texte"],
                "questions": [],
                "exercices": [],
                "activites": [],
            }
            by_ref[row["ref"]] = row
            rows.append(row)
        result.append({"module": meta["slug"], "docname": docname, "objectifs": rows})
    for docname, questions in sorted(store["quizzes"].items()):
        for q in questions:
            for ref in q.get("objectifs", []):
                if ref in by_ref:
                    by_ref[ref]["questions"].append({"page": docname, "numero": q["number"]})
    for ex in sorted(getattr(env, "course_exercises", {}).values(), key=lambda e: e["slug"]):
        for ref in ex.get("objectifs_module", []):
            if ref in by_ref:
                by_ref[ref]["exercices"].append({"slug": ex["slug"], "duree": ex["duree"]})
    order = [d for d in registry.toctree_order(env) if d in store["activities"]]
    order += sorted(d for d in store["activities"] if d not in order)
    for docname in order:
        for act in store["activities"][docname]:
            for ref in act["objectifs"]:
                if ref in by_ref:
                    by_ref[ref]["activites"].append(
                        {
                            "page": docname,
                            "titre": act["titre"],
                            "duree": act["duree"],
                            "ancre": act.get("ancre", ""),
                            "autonomie": act.get("autonomie", False),
                        }
                    )
    for module in result:
        for row in module["objectifs"]:
            row["evalue"] = bool(row["questions"] or row["exercices"])
    return result


def check(app, env) -> None:
    """``env-check-consistency``: unknown refs (errors), unassessed objectives, bare questions."""
    store = registry.data(env)
    known = {
        f"{module_slug(env, d)}/{o['id']}": (d, o["ligne"])
        for d, objs in store["objectives"].items()
        for o in objs
    }

    def unknown(refs, location) -> None:
        for ref in refs:
            if ref not in known:
                _warn(labels.ALIGN_UNKNOWN.format(ref=ref), location)

    for docname, questions in sorted(store["quizzes"].items()):
        for q in questions:
            location = (docname, q.get("ligne"))
            if not q.get("objectifs") and module_slug(env, docname):
                _warn(labels.ALIGN_UNTAGGED.format(n=q["number"]), location)
            unknown(q.get("objectifs", []), location)
    for docname, acts in sorted(store["activities"].items()):
        for act in acts:
            unknown(act["objectifs"], (docname, act["ligne"]))
    for slug, ex in sorted(getattr(env, "course_exercises", {}).items()):
        location = f"{ex['path']}:{_key_line(ex['path'], 'objectifs_module:')}"
        if not ex.get("objectifs_module"):
            _warn(labels.ALIGN_EXERCISE_UNTAGGED.format(slug=slug), location)
        unknown(ex.get("objectifs_module", []), location)
    for module in index(env):
        for row in module["objectifs"]:
            if not row["evalue"]:
                where = known.get(row["ref"], (module["docname"], None))  # two modules, one slug
                _warn(labels.ALIGN_UNASSESSED.format(id=row["id"]), where)


def _key_line(path: str, key: str) -> int:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next((i for i, text in enumerate(lines, 1) if text.strip().startswith(key)), 1)


# -- the short view in the trainer edition's fiche module -------------------------------------


def counts_text(questions: int, exercises: int, activities: int) -> str:
    parts = [
        labels.ALIGN_COUNT[kind][min(n, 2)].format(n=n)
        for kind, n in (("q", questions), ("e", exercises), ("a", activities))
    ]
    return ", ".join(parts)


def add_fiche_view(app, doctree) -> None:
    """``doctree-read`` (trainer edition): one line per objective in the fiche module."""
    from .modules import course_fiche  # modules imports this module

    env = app.env
    slug = module_slug(env, env.docname)
    if not is_trainer(app.config) or slug is None:
        return
    fiche = next(iter(doctree.findall(course_fiche)), None)
    objectives = registry.data(env)["objectives"].get(env.docname)
    if fiche is None or not objectives:
        return
    store = registry.data(env)
    view = nodes.bullet_list(classes=["course-alignement"])
    for obj in objectives:
        ref = f"{slug}/{obj['id']}"
        n_q = sum(ref in q.get("objectifs", []) for q in store["quizzes"].get(env.docname, []))
        n_e = sum(
            ref in ex.get("objectifs_module", [])
            for ex in getattr(env, "course_exercises", {}).values()
        )
        n_a = sum(ref in a["objectifs"] for a in store["activities"].get(env.docname, []))
        para = nodes.paragraph()
        para += nodes.literal(obj["id"], obj["id"])
        para += nodes.Text(" : " + counts_text(n_q, n_e, n_a))
        if not n_q and not n_e:
            para += nodes.strong("", " — " + labels.ALIGN_GAP)
        view += nodes.list_item("", para)
    fields = next(iter(fiche.findall(nodes.field_list)))
    body = nodes.field_body("", nodes.paragraph("", labels.ALIGN_FICHE_INTRO), view)
    fields += nodes.field("", nodes.field_name("", labels.ALIGN_FICHE), body)


# -- the matrix page ---------------------------------------------------------------------------


class course_matrix(nodes.General, nodes.Element):
    """Placeholder for the alignment matrix of every module."""


class MatrixDirective(SphinxDirective):
    """``{matrice-alignement}``: objectives × questions × exercises × activities, per module."""

    def run(self):
        registry.data(self.env)["aggregators"][self.env.docname] = "matrice"
        return [course_matrix()]


def resolve_matrix(app, doctree, fromdocname: str) -> None:
    for node in list(doctree.findall(course_matrix)):
        node.replace_self(nodes.raw("", matrix_html(app, fromdocname), format="html"))


def matrix_html(app, fromdocname: str) -> str:
    env, esc = app.env, html.escape
    out = app.config.course_exercises_output.rstrip("/")
    titles = {m["slug"]: m["title"] for m in registry.ordered_modules(env)}

    def link(docname: str, text: str, anchor: str = "") -> str:
        uri = app.builder.get_relative_uri(fromdocname, docname) + (f"#{anchor}" if anchor else "")
        return f'<a href="{esc(uri)}">{esc(text)}</a>'

    def items(values: list[str]) -> str:
        if not values:
            return "—"
        return "<ul>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>"

    modules = index(env)
    gaps = sum(not r["evalue"] for m in modules for r in m["objectifs"])
    total = sum(len(m["objectifs"]) for m in modules)
    parts = [f"<p>{esc(labels.ALIGN_SUMMARY.format(total=total, gaps=gaps))}</p>"]
    for module in modules:
        rows, questions, exercises, activities = [], set(), {}, {}
        for row in module["objectifs"]:
            qs = [
                link(q["page"], labels.QUESTION.format(n=q["numero"]), f"question-{q['numero']}")
                for q in row["questions"]
            ]
            questions |= {(q["page"], q["numero"]) for q in row["questions"]}
            exs = []
            for ex in row["exercices"]:
                exercises[ex["slug"]] = ex["duree"]
                title = env.course_exercises[ex["slug"]]["title"]
                duree = metadata.format_minutes(ex["duree"])
                page = f"{out}/{ex['slug']}"
                exs.append(f"{link(page, title)} ({esc(duree)})")
            acts = []
            for act in row["activites"]:
                activities[(act["page"], act["titre"])] = act["duree"]
                duree = metadata.format_minutes(act["duree"])
                title = act["titre"]
                if act["autonomie"]:
                    title = labels.SELF_STUDY_MATRIX.format(title=title)
                acts.append(f"{link(act['page'], title, act['ancre'])} ({esc(duree)})")
            counts = counts_text(len(qs), len(exs), len(acts))
            verdict = labels.ALIGN_OK if row["evalue"] else labels.ALIGN_GAP
            klass = "" if row["evalue"] else ' class="course-lacune"'
            rows.append(
                f'<tr{klass}><th scope="row"><code>{esc(row["id"])}</code> '
                f"{esc(row['texte'])}</th><td>{items(qs)}</td><td>{items(exs)}</td>"
                f"<td>{items(acts)}</td><td><strong>{esc(verdict)}</strong><br>"
                f"{esc(counts)}</td></tr>"
            )
        caption = labels.ALIGN_CAPTION.format(title=titles.get(module["module"], module["module"]))
        head = "".join(f'<th scope="col">{esc(h)}</th>' for h in labels.ALIGN_HEAD)
        foot = labels.ALIGN_TOTAL.format(
            objectifs=len(module["objectifs"]),
            questions=len(questions),
            exercices=len(exercises),
            duree_ex=metadata.format_minutes(sum(exercises.values())),
            activites=len(activities),
            duree_act=metadata.format_minutes(sum(activities.values())),
        )
        parts.append(
            f'<table class="course-table course-matrice" id="matrice-{esc(module["module"])}">'
            f"<caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f'<tbody>{"".join(rows)}</tbody><tfoot><tr><th scope="row">'
            f'{esc(labels.ALIGN_TOTAL_HEAD)}</th><td colspan="4">{esc(foot)}</td></tr></tfoot>'
            "</table>"
        )
    return "\n".join(parts) + "\n"

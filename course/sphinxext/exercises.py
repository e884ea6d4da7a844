"""Exercises in the site: generation before reading, links from modules, page header.

``builder-inited`` turns every ``exercises/<slug>.md`` into ``exercices/<slug>.ipynb`` (the
learner or trainer notebook, by edition), executed through the cache, plus the downloads;
nbsphinx then renders the notebooks (``nbsphinx_execute = "never"``: we executed them).

Syntax (MyST), in a module::

    Faites l'exercice {exercice}`seuil-qpv`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import checks, files, notebooks, records
from .. import execute as ex_run
from .. import exercises as ex_lib
from ..files import write_if_changed
from ..hub import links as hub_links
from . import labels, nbsphinx_cache
from . import leaks as leak_guard
from .config import is_trainer
from .errors import CourseError
from .syllabus import doc_xref

logger = logging.getLogger(__name__)


def _paths(app) -> tuple[Path, Path, Path, Path]:
    """Exercise sources, their data, the generated folder, the build cache's root."""
    src = Path(app.srcdir) / app.config.course_exercises_source
    out = Path(app.srcdir) / app.config.course_exercises_output
    return src, src / ex_lib.DATA_DIR, out, Path(app.srcdir) / app.config.course_cache_dir


def exclude_sources(app, config) -> None:
    """``config-inited``: exercise sources and generated side files are not pages."""
    out = config.course_exercises_output.rstrip("/")
    config.exclude_patterns.extend(
        [
            config.course_exercises_source.rstrip("/") + "/**",
            f"{out}/{ex_lib.DATA_DIR}/**",
            f"{out}/{ex_lib.DOWNLOADS}/**",
        ]
    )


def configure_nbsphinx(app, config) -> None:
    """``config-inited``: we execute notebooks ourselves, and nothing comes from a CDN."""
    config.nbsphinx_execute = "never"  # executed (and cached) by generate() below
    # offline and private: nbsphinx would otherwise load require.js from a CDN
    config.nbsphinx_requirejs_path = ""
    config.nbsphinx_widgets_path = ""
    config.nbsphinx_assume_equations = False  # else MathJax from a CDN on every notebook page
    if not config.nbsphinx_prolog:
        config.nbsphinx_prolog = ".. course-exercice-liens::\n"


def expose_pandoc(app, config) -> None:
    """``config-inited``: nbsphinx calls ``pandoc``; use the one the pypandoc-binary wheel ships."""
    if shutil.which("pandoc"):
        return
    try:
        import pypandoc

        pandoc = Path(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return  # nbsphinx will say that pandoc is missing
    os.environ["PATH"] = f"{pandoc.parent}{os.pathsep}{os.environ.get('PATH', '')}"


def _settings(app, src: Path, data_dir: Path, out: Path, cache_root: Path) -> dict:
    """The configuration values and folders that generation reads (for the fingerprints)."""
    config = app.config
    return {
        "edition": config.course_edition,
        "execute": bool(config.course_execute),
        "timeout": config.course_execute_timeout,
        "folders": [str(src), str(data_dir), str(out), str(cache_root)],
    }


def generate(app) -> None:
    """``builder-inited``: write this edition's notebooks and downloads, executing as needed.

    An exercise whose record from an earlier build still holds (same fingerprint, every file
    it read from a cache or wrote still byte-identical: :mod:`course.records`) is not
    generated again: its entry, page and secrets come from the record. Every other exercise
    is loaded, checked, zipped, executed (or taken from the execution cache) and leak-checked
    as before; the records are kept at ``build-finished`` (:func:`save_records`).
    """
    src, data_dir, out, cache_root = _paths(app)
    cache, zips = cache_root / "notebooks", cache_root / "zips"
    app.env.course_exercises = {}
    app.course_records = None
    if not src.is_dir():
        return
    sources = ex_lib.discover(src)
    trainer = is_trainer(app.config)
    store = records.Store(cache_root / records.FOLDER / f"{app.config.course_edition}.json")
    inputs = records.Inputs(_settings(app, src, data_dir, out, cache_root), data_dir)
    links = {path.stem: launch_links(app.config, path.stem) for path in sources}
    reused = {}
    for path in sources:
        inputs.digest(path)  # before anything reads it (see course.records)
        record = store.records.get(path.stem)
        if record is None:
            continue
        fingerprint = inputs.fingerprint(path, record.exercise.get("donnees", []), links[path.stem])
        if record.holds(fingerprint, inputs.digest):
            reused[path.stem] = record
    todo = [path for path in sources if path.stem not in reused]
    if todo:
        inputs.digest_data()  # before generation reads any data file
    used: dict[str, list[Path]] = {}  # per exercise: cache entries read, files written
    warned: set[str] = set()  # exercises that raised a warning: no record for them
    loaded, failed = [], False
    for path in todo:
        try:
            with files.cache_entries() as entries:
                loaded.append(ex_lib.load(path, data_dir, cache_root / "sources"))
            used[path.stem] = entries
        except ex_lib.ExerciseError as exc:
            logger.warning(str(exc), type="course", subtype="exercise")  # names file and cell
            failed = True
    if failed:
        raise CourseError(labels.EX_INVALID)
    names = [n for ex in loaded for n in ex.donnees]
    names += [n for record in reused.values() for n in record.exercise.get("donnees", [])]
    ex_lib.prepare_workdir(out, data_dir, names)
    jobs, leaked, made = [], False, {}
    for ex in loaded:
        learner_nb = ex_lib.learner(ex)
        page_nb = ex_lib.trainer(ex) if trainer else learner_nb
        job_inputs = [out / "verif.py"] + [out / ex_lib.DATA_DIR / n for n in ex.donnees]
        jobs.append(
            (page_nb, out, job_inputs, cache, app.config.course_execute_timeout, str(ex.path))
        )
        downloads = out / ex_lib.DOWNLOADS
        corrupt = _corrupt_of(ex.slug, warned)
        with files.cache_entries() as entries:
            learner_zip = ex_lib.make_zip(
                ex, learner_nb, data_dir, "", zips, links[ex.slug], corrupt
            )
        used[ex.slug] += entries
        if leak_guard.check_learner(app, ex, learner_nb, learner_zip):  # before any write
            leaked = True
            continue
        write_if_changed(downloads / f"{ex.slug}.zip", learner_zip)
        used[ex.slug].append(downloads / f"{ex.slug}.zip")
        if trainer:
            with files.cache_entries() as entries:
                trainer_zip = ex_lib.make_zip(
                    ex, ex_lib.trainer(ex), data_dir, "-corrige", zips, corrupt=corrupt
                )
            write_if_changed(downloads / f"{ex.slug}-corrige.zip", trainer_zip)
            used[ex.slug] += [*entries, downloads / f"{ex.slug}-corrige.zip"]
        made[ex.slug] = ex.to_dict()
    if leaked:
        raise CourseError(leak_guard.FAILED)
    if app.config.course_execute and jobs:
        # while kernels run, the pages' Markdown fills the pandoc cache (nbsphinx reads it)
        results = ex_run.execute_many(jobs, meanwhile=nbsphinx_cache.prewarm)
    else:
        results = [((job[0], True), None) for job in jobs]
    errors = [error for _, error in results if error]
    for error in errors:  # each names the file and the cell; the traceback only with -v
        summary, _, details = error.partition("\n")
        if "erreur à l'exécution" in summary:  # a cell raised (not a timeout, a dead kernel)
            summary = f"{summary} ; {labels.EX_RUN_HINT}"
        logger.warning(summary, type="course", subtype="exercise")
        if details:
            logger.verbose(details)
    if errors:
        raise CourseError(labels.EX_FAILED)
    executed = 0
    rendered_dir = cache_root / "pages" / app.config.course_edition
    for ex, ((nb, from_cache), _), job in zip(loaded, results, jobs, strict=True):
        executed += 0 if from_cache else 1
        nb = notebooks.drop_scoped_styles(nb)
        nb.metadata["nbsphinx"] = {"execute": "never"}
        rendered = rendered_dir / f"{ex.slug}.ipynb"
        # The file in the source folder is the same in both editions (the learner notebook
        # without outputs), so two editions can be built at once from one checkout; the page
        # of this edition is swapped in at source-read (see render_edition below).
        placeholder = ex_lib.learner(ex) if trainer else job[0]
        if trainer and app.config.course_execute:  # each solution passes its own checks
            for text in checks.messages(str(ex.path), ex.source, nb):
                logger.warning(text, type="course", subtype="exercise")
                warned.add(ex.slug)
        secrets = app.course_secrets[ex.slug][1]
        if not trainer and leak_guard.check_outputs(str(ex.path), secrets, {str(rendered): nb}, {}):
            leaked = True
            continue
        write_if_changed(out / f"{ex.slug}.ipynb", ex_lib.dumps(placeholder).encode())
        write_if_changed(rendered, ex_lib.dumps(nb).encode())
        used[ex.slug] += [out / f"{ex.slug}.ipynb", rendered]
        if app.config.course_execute:
            used[ex.slug].append(ex_run.cache_entry(job))
        made[ex.slug]["rendered"] = str(rendered)
    if leaked:
        raise CourseError(leak_guard.FAILED)
    kept = {}
    for slug, record in reused.items():
        leak_guard.remember(app, slug, record.exercise["path"], record.secrets)
        kept[slug] = record
    for ex in loaded:  # no record after a warning, or for inputs changed during the build
        if ex.slug not in warned and inputs.unchanged(ex.path, ex.donnees):
            fingerprint = inputs.fingerprint(ex.path, ex.donnees, links[ex.slug])
            record = records.made(
                fingerprint, made[ex.slug], app.course_secrets[ex.slug][1], used[ex.slug]
            )
            if record is not None:
                kept[ex.slug] = record
    # in the order of the sources, as when every exercise is generated
    app.env.course_exercises = {
        path.stem: reused[path.stem].entry()
        if path.stem in reused
        else records.plain(made[path.stem])
        for path in sources
    }
    app.env.course_executed = executed
    app.course_records = (store, kept)
    logger.info(
        f"[course] {len(sources)} exercice(s), {executed} exécuté(s), "
        f"{len(loaded) - executed} repris du cache, "
        f"{len(reused)} inchangé(s) depuis la dernière construction"
    )


def save_records(app, exception) -> None:
    """``build-finished``, after the leak guard of the pages: keep, for the next build, the
    records of the exercises generated without a warning (nothing when the build raised)."""
    pending = getattr(app, "course_records", None)
    if exception is None and pending is not None:
        store, kept = pending
        store.save(kept)


def _corrupt_of(slug: str, warned: set[str]):
    """The ``corrupt`` callback of one exercise's zips: warn, and keep no record of it."""

    def corrupt(path: Path) -> None:
        warned.add(slug)
        _corrupt(path)

    return corrupt


def _corrupt(path: Path) -> None:
    """A cached download was altered since it was written: it is made again; say so."""
    logger.warning(f"{path} : {labels.CACHE_CORRUPT}", type="course", subtype="cache")


def render_edition(app, docname: str, source: list[str]) -> None:
    """``source-read``: an exercise page is read from this edition's executed notebook."""
    out = app.config.course_exercises_output.rstrip("/")
    if not docname.startswith(out + "/"):
        return
    exercise = getattr(app.env, "course_exercises", {}).get(docname[len(out) + 1 :])
    if exercise and "rendered" in exercise:
        source[0] = Path(exercise["rendered"]).read_text(encoding="utf-8")
        app.env.note_dependency(exercise["rendered"])  # re-read when this edition's page changes


class ExerciseRole(SphinxRole):
    """``{exercice}`slug``` → a link to the exercise page, titled with its title."""

    def run(self):
        slug = self.text.strip()
        out = self.config.course_exercises_output.rstrip("/")
        if slug not in getattr(self.env, "course_exercises", {}):
            src = f"{self.config.course_exercises_source}/{slug}.md"
            logger.warning(
                labels.EX_LINK_MISSING.format(slug=slug, path=src),
                location=self.get_location(),
                type="course",
                subtype="exercise",
            )
            return [nodes.literal(slug, slug)], []
        node = doc_xref(self.env, f"/{out}/{slug}", "")  # Sphinx titles it with the H1
        return [node], []


class ExerciseLinksDirective(SphinxDirective):
    """Header of an exercise page: downloads, JupyterHub and Binder links (from config)."""

    def run(self):
        slug = self.env.docname.rsplit("/", 1)[-1]
        if slug not in getattr(self.env, "course_exercises", {}):
            return []
        out = self.config.course_exercises_output.rstrip("/")
        links = nodes.bullet_list(classes=["course-exercise-links"])
        downloads = [(f"{slug}.zip", labels.EX_DOWNLOAD)]
        if is_trainer(self.config):
            downloads.append((f"{slug}-corrige.zip", labels.EX_DOWNLOAD_TRAINER))
        for filename, text in downloads:
            ref = addnodes.download_reference(
                "",
                "",
                reftarget=f"/{out}/{ex_lib.DOWNLOADS}/{filename}",
                refdoc=self.env.docname,
                refexplicit=True,
                refdomain="",
                reftype="download",
            )
            ref += nodes.inline(text, text)
            links += nodes.list_item("", nodes.paragraph("", "", ref))
        for url, text in launch_links(self.config, slug):
            ref = nodes.reference(text, text, refuri=url)
            # what happens after the click, for a learner who has never seen a hub
            help_text = nodes.paragraph(LINK_HELP[text], LINK_HELP[text])
            help_text["classes"].append("course-launch-help")
            links += nodes.list_item("", nodes.paragraph("", "", ref), help_text)
        return [links]


def place_links(app, doctree) -> None:
    """``doctree-read``: the prolog comes before the notebook; put the links under the title."""
    for links in list(doctree.findall(nodes.bullet_list)):
        if "course-exercise-links" not in links["classes"]:
            continue
        section = next(iter(doctree.findall(nodes.section)), None)
        if section is not None:
            links.parent.remove(links)
            section.insert(1, links)


_OUTPUT_IMAGE = re.compile(r"_(\d+)_\d+\.(?:png|jpg|jpeg|svg)$")


def add_alt_texts(app, doctree) -> None:
    """``doctree-read``: a chart takes its text alternative from its cell's ``alt`` option.

    nbsphinx names output images ``<doc>_<cell>_<output>.png`` and gives them no alt; the
    exercise source declares one per chart cell (``:alt: "…"`` under ``{code-cell}``).
    """
    out = app.config.course_exercises_output.rstrip("/")
    docname = app.env.docname
    exercise = getattr(app.env, "course_exercises", {}).get(docname[len(out) + 1 :])
    if not docname.startswith(out + "/") or not exercise or "rendered" not in exercise:
        return
    # written by generate(): read without validating it again
    cells = nbformat.v4.reads(Path(exercise["rendered"]).read_text(encoding="utf-8")).cells
    for image in doctree.findall(nodes.image):
        match = _OUTPUT_IMAGE.search(image["uri"])
        if not match or int(match.group(1)) >= len(cells):
            continue
        alt = cells[int(match.group(1))].metadata.get("alt")
        if alt:
            image["alt"] = alt
        else:
            logger.warning(
                labels.EX_NO_ALT.format(cell=int(match.group(1)) + 1),
                location=f"{exercise['path']}:1",
                type="course",
                subtype="exercise",
            )


def check_modules(app, env) -> None:
    """``env-check-consistency``: each exercise names a module that exists."""
    modules_dir = app.config.course_modules_dir.rstrip("/")
    for slug, ex in getattr(env, "course_exercises", {}).items():
        if f"{modules_dir}/{ex['module']}" not in env.found_docs:
            lines = Path(ex["path"]).read_text(encoding="utf-8").splitlines()
            line = next(
                (i for i, text in enumerate(lines, 1) if text.strip().startswith("module:")), 1
            )
            logger.warning(
                f"exercice « {slug} » : module inconnu « {ex['module']} » (course.module)",
                location=f"{ex['path']}:{line}",
                type="course",
                subtype="exercise",
            )


def launch_links(config, slug: str) -> list[tuple[str, str]]:
    """JupyterHub (nbgitpuller) and Binder links for one exercise, when configured."""
    found = hub_links.launch_links(
        slug,
        hub=config.course_jupyterhub_url,
        repo=config.course_notebooks_repo,
        branch=config.course_notebooks_branch,
        binder=config.course_binder_url,
        binder_spec=config.course_binder_repo,
        path_template=config.course_launch_path,
    )
    return [(url, LINK_LABELS[kind]) for url, kind in found]


LINK_LABELS = {"hub": labels.EX_HUB, "binder": labels.EX_BINDER}
LINK_HELP = {labels.EX_HUB: labels.EX_HUB_HELP, labels.EX_BINDER: labels.EX_BINDER_HELP}

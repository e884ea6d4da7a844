"""Exercise generation, at ``builder-inited`` (before Sphinx looks for documents).

Every ``exercises/<slug>.md`` becomes ``exercices/<slug>.ipynb`` (the learner or trainer
notebook, by edition), executed through the cache, plus its downloads; the learner notebooks
and zips are leak-checked before anything is written, and in the trainer edition each solution
must pass its own checks. An exercise left as it was since the last build that raised nothing
is taken from its record instead (:mod:`course.records`); the records are kept at
``build-finished`` (:func:`save_records`).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

from .. import checks, files, notebooks, records
from .. import execute as ex_run
from .. import exercises as ex_lib
from ..files import write_if_changed
from . import labels, nbsphinx_cache
from . import leaks as leak_guard
from .config import is_trainer
from .errors import CourseError
from .exercises import exercise_paths, launch_links

logger = logging.getLogger(__name__)


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
    src, data_dir, out, cache_root = exercise_paths(app)
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

"""The ``course`` Sphinx extension: ``extensions = ["course.sphinxext"]``.

It adds what no anchor provides: module metadata (validated, shown in a « fiche module »,
gathered in the syllabus), self-assessment questions, self-study activities with a model
answer, facilitator notes and the trainer edition, and exercise notebooks generated from one
source. Read ``setup()`` top to bottom: config, events in the order Sphinx fires them, nodes,
directives and roles, assets.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from . import (
    alignment,
    config,
    distinct,
    errors,
    exercises,
    export,
    generation,
    html,
    leaks,
    modules,
    navigation,
    nbsphinx_cache,
    options,
    paths,
    quiz,
    quiz_html,
    registry,
    selfstudy,
    syllabus,
    timing,
    trainer,
)

STATIC = Path(__file__).with_name("static")


def _static_path(app, conf) -> None:
    conf.html_static_path.append(str(STATIC))


def setup(app):
    # -- configuration: the course_* table (config.py), checked once -------------------------
    config.register(app)
    app.setup_extension("myst_parser")
    app.setup_extension("nbsphinx")

    # -- events, in the order Sphinx fires them ------------------------------------------------
    app.connect("config-inited", config.validate)
    app.connect("config-inited", trainer.exclude_trainer_pages)  # learner: skip formateur/
    app.connect("config-inited", exercises.exclude_sources)  # exercises/ are not pages
    app.connect("config-inited", exercises.configure_nbsphinx)  # no CDN, our execution
    app.connect("config-inited", exercises.expose_pandoc)  # from the pypandoc-binary wheel
    app.connect("config-inited", _static_path)
    app.connect("builder-inited", nbsphinx_cache.install)  # pandoc and conversions, cached
    app.connect("builder-inited", html.translate_theme)  # Furo's English labels in French
    app.connect("builder-inited", html.cache_templates)  # compiled templates kept
    app.connect("builder-inited", navigation.install)  # Furo's sidebar: once per folder
    app.connect("builder-inited", distinct.one_message_per_module)  # no English twin (toctree)
    app.connect("builder-inited", generation.generate)  # before Sphinx looks for documents
    app.connect("env-before-read-docs", errors.check_pages)  # not UTF-8, too large: which file
    app.connect("source-read", exercises.render_edition)  # exercise page of this edition
    app.connect("env-purge-doc", registry.purge)  # per re-read document
    app.connect("env-merge-info", registry.merge)  # after a parallel read
    app.connect("env-get-updated", registry.updated_aggregators)  # summaries follow changes
    app.connect("doctree-read", modules.collect_module)  # validate metadata, add the fiche
    app.connect("doctree-read", alignment.add_fiche_view)  # trainer: objectives × activities
    app.connect("doctree-read", quiz.add_score)
    app.connect("doctree-read", exercises.place_links)  # download/launch links under the title
    app.connect("doctree-read", exercises.add_alt_texts)  # charts: alt text from the source
    app.connect("env-check-consistency", exercises.check_modules)  # after all docs are read
    app.connect("env-check-consistency", distinct.check_titles)  # no two modules share a title
    app.connect("env-check-consistency", distinct.check_in_toctree)  # every module in a menu
    app.connect("env-check-consistency", alignment.check)  # refs, unassessed objectives
    app.connect("env-check-consistency", quiz.check_cues)  # right answer not mostly longest/first
    app.connect("env-check-consistency", timing.check)  # duree_activites: quiz + activities
    app.connect("env-check-consistency", paths.check_sources)  # learner: paths for cours.json
    app.connect("doctree-resolved", syllabus.resolve_programme)  # per written document
    app.connect("doctree-resolved", trainer.resolve_digest)
    app.connect("doctree-resolved", paths.resolve_paths)
    app.connect("doctree-resolved", alignment.resolve_matrix)
    app.connect("html-page-context", quiz_html.html_page_context)  # quiz script where needed
    app.connect("build-finished", export.write_course_json)  # data for the LMS export
    app.connect("build-finished", leaks.check_pages)  # no solution in a learner page
    app.connect("build-finished", generation.save_records)  # last: reused by the next build

    # -- nodes (HTML only: the course is published as a web site and LMS packages) -------------
    app.add_node(modules.course_block, html=(modules.visit_block, modules.depart_block))
    app.add_node(modules.course_fiche, html=(modules.visit_fiche, modules.depart_fiche))
    for node, visit, depart in quiz_html.NODES:
        app.add_node(node, html=(visit, depart))
    app.add_node(
        selfstudy.course_model_answer,
        html=(selfstudy.visit_model_answer, selfstudy.depart_model_answer),
    )
    app.add_node(syllabus.course_programme)
    app.add_node(trainer.course_notes_digest)
    app.add_node(paths.course_path)
    app.add_node(alignment.course_matrix)

    # -- directives and roles (names are French: trainers type them) ---------------------------
    # (an unknown option is reported in French with the closest known one: options.french)
    for kind in ("objectifs", "prerequis", "points-cles"):
        app.add_directive(kind, options.french(modules.ListBlockDirective))
    app.add_directive("question", options.french(quiz.QuestionDirective))
    app.add_directive("programme", options.french(syllabus.ProgrammeDirective))
    app.add_directive("note-formateur", options.french(trainer.FacilitatorNoteDirective))
    app.add_directive("activite-autonomie", options.french(selfstudy.SelfStudyDirective))
    app.add_directive("reponse-modele", options.french(selfstudy.ModelAnswerDirective))
    app.add_directive("recueil-notes-formateur", options.french(trainer.NotesDigestDirective))
    app.add_directive("parcours", options.french(paths.PathDirective))
    app.add_directive("matrice-alignement", options.french(alignment.MatrixDirective))
    app.add_directive("toctree-formateur", options.french(trainer.TrainerTocTree))
    app.add_directive("a-verifier", options.french(trainer.ToCheckDirective))
    app.add_directive("course-exercice-liens", exercises.ExerciseLinksDirective)
    app.add_role("exercice", exercises.ExerciseRole())

    # -- HTML translator: ARIA fixes for toctree captions and scrolling outputs -----------
    html.install(app)

    # -- assets ---------------------------------------------------------------------------------
    app.add_css_file("course.css")

    return {
        "version": __version__,
        "env_version": 4,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

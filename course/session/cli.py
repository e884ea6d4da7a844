"""``python -m course session``: the session kit of a built learner site.

Writes, under ``--out`` (default ``_build/session``)::

    programme.html, programme.pdf           programme de formation (Qualiopi indicator 1)
    positionnement-apprenant.pdf            positioning test, without answers
    positionnement-formateur.pdf            the same with the answer key
    evaluation-finale-apprenant.pdf         end-of-training assessment, without answers
    evaluation-finale-formateur.pdf         the same with the answer key
    banques/<test>.moodle.xml, <test>.gift.txt   both tests as Moodle XML / GIFT banks
    satisfaction.html, satisfaction.pdf     satisfaction survey (page and printable)
    emargement.pdf                          attendance sheets, one page per day
    attestations.pdf                        one certificate of completion per participant
    supports/<module>.pdf                   module handouts (learner text)
    guide-formateur.pdf                     the trainer's guide (with --formateur-site only)

Everything is built in memory first; the output folder is replaced as a whole, only when
every document was built (a session error or a leak writes nothing).
"""

from __future__ import annotations

import html
import json
import shutil
import sys
import time
from pathlib import Path

from . import SessionError, assessments, documents, handouts, pages, pdf, plan, sessionfile


def _load_course(site: Path) -> dict:
    from ..lms import LmsError
    from ..lms.site import load_course

    try:
        return load_course(site)
    except LmsError as exc:
        raise SessionError(str(exc)) from None


def _trainer_guide(trainer_site: Path, modules: list[dict]) -> list[str]:
    """The printable content of each page of the trainer's guide (trainer edition only),
    then the facilitator notes of the session's modules, module by module."""
    path = Path(trainer_site) / "_course" / "cours.json"
    try:
        edition = json.loads(path.read_text(encoding="utf-8")).get("edition")
    except (OSError, ValueError):
        raise SessionError(
            f"{path} introuvable : construisez d'abord l'édition formateur (make formateur)"
        ) from None
    if edition != "formateur":
        raise SessionError(f"{trainer_site} n'est pas l'édition formateur (make formateur)")
    sections = [pages.printable(trainer_site, page) for page in pages.trainer_pages(trainer_site)]
    for module in modules:
        notes = pages.printable(trainer_site, module["page"], only=".course-note-formateur")
        if notes.strip():
            heading = html.escape(f"Notes d'animation — {module['title']}", quote=False)
            sections.append(f"<h1>{heading}</h1>\n{notes}")
    return sections


def build(
    site: Path, session_path: Path, exercises_source: Path, trainer_site: Path | None = None
) -> dict[str, bytes]:
    """Every document of the kit as ``{path relative to the output: bytes}``; the trainer's
    guide too when ``trainer_site`` (a trainer-edition build) is given."""
    site = Path(site)
    session = sessionfile.load(session_path)  # first: its errors are the trainer's to fix
    course = _load_course(site)
    the_plan = plan.build(course, session, pages.case_studies(site))
    tests = assessments.build(the_plan)
    files: dict[str, bytes] = {}
    jobs: list[tuple[str, str, Path | None]] = []  # PDFs: (name, HTML, base folder)
    files["programme.html"] = documents.programme(the_plan, tests, page=True).encode("utf-8")
    jobs.append(("programme.pdf", documents.programme(the_plan, tests), None))
    secrets = handouts.solution_secrets(exercises_source)
    answers = [a for m in the_plan.modules for a in handouts.quiz_answers(m)]
    for test in tests:
        learner = documents.test_document(the_plan, test, key=False)
        handouts.check(learner, f"{test.key}-apprenant", secrets, answers)
        jobs.append((f"{test.key}-apprenant.pdf", learner, None))
        key = documents.test_document(the_plan, test, key=True)
        jobs.append((f"{test.key}-formateur.pdf", key, None))
        files[f"banques/{test.key}.moodle.xml"] = assessments.moodle_xml(course, test).encode()
        files[f"banques/{test.key}.gift.txt"] = assessments.gift_text(course, test).encode()
    files["satisfaction.html"] = documents.satisfaction(the_plan, form=True).encode("utf-8")
    jobs.append(("satisfaction.pdf", documents.satisfaction(the_plan, form=False), None))
    jobs.append(("emargement.pdf", documents.attendance(the_plan), None))
    jobs.append(("attestations.pdf", documents.attestations(the_plan), None))
    for module in the_plan.modules:
        body = handouts.content(site, module, secrets)
        page = documents.handout(the_plan, module, body)
        jobs.append((f"supports/{module['slug']}.pdf", page, (site / module["page"]).parent))
    if trainer_site is not None:
        guide = documents.guide(the_plan, _trainer_guide(trainer_site, the_plan.modules))
        jobs.append(("guide-formateur.pdf", guide, Path(trainer_site) / "formateur"))
    files.update(pdf.render_many(jobs))
    return files


def write(files: dict[str, bytes], out: Path) -> None:
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for name, data in sorted(files.items()):
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)


def main(args) -> int:
    """Build the kit from ``args.site`` and ``args.session`` into ``args.out``; 0 or 1."""
    start = time.perf_counter()
    out = Path(args.out)
    try:
        trainer = getattr(args, "formateur_site", None)
        files = build(
            Path(args.site),
            Path(args.session),
            Path(args.exercises),
            Path(trainer) if trainer else None,
        )
    except SessionError as exc:
        print(f"Erreur : {exc}".replace("\n", "\nErreur : "), file=sys.stderr)
        return 1
    write(files, out)
    pdfs = sum(1 for name in files if name.endswith(".pdf"))
    print(
        f"Kit de session écrit dans {out} : {len(files)} fichiers dont {pdfs} PDF, "
        f"en {time.perf_counter() - start:.1f} s"
    )
    return 0

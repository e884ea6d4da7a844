"""The session kit built from the real learner site: contents, coverage, leaks, determinism."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import solution_lines

from course import metadata
from course.session import assessments, cli, documents, pages, plan, sessionfile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "session-exemple.yaml"
PARTICIPANTS = ("Alex Fictif", "Sam Imaginaire", "Charlie Exemple")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def session_file(tmp_path_factory) -> Path:
    """The example, over two days (three half-days), with three named fictional people."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        '    apres_midi: "13:45-17:30"\n',
        '    apres_midi: "13:45-17:30"\n  - date: 2027-03-22\n    matin: "9:00-12:00"\n',
    )
    text = text.replace(
        "participants: 12", "participants:\n" + "".join(f"  - {p}\n" for p in PARTICIPANTS)
    )
    path = tmp_path_factory.mktemp("session") / "session.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kit(site, session_file):
    learner, result = site["html"]
    assert result.returncode == 0, result.stderr[-3000:]
    trainer, result = site["formateur"]
    assert result.returncode == 0, result.stderr[-3000:]
    files = cli.build(learner, session_file, ROOT / "exercises", trainer)
    course = json.loads((learner / "_course" / "cours.json").read_text(encoding="utf-8"))
    session = sessionfile.load(session_file)
    the_plan = plan.build(course, session, pages.case_studies(learner))
    return {
        "files": files,
        "plan": the_plan,
        "site": learner,
        "trainer": trainer,
        "session": session_file,
    }


def test_every_document_is_written(kit):
    names = set(kit["files"])
    expected = {
        "programme.html",
        "programme.pdf",
        "satisfaction.html",
        "satisfaction.pdf",
        "emargement.pdf",
        "attestations.pdf",
        "guide-formateur.pdf",
    }
    for test in ("positionnement", "evaluation-finale"):
        expected |= {f"{test}-apprenant.pdf", f"{test}-formateur.pdf"}
        expected |= {f"banques/{test}.moodle.xml", f"banques/{test}.gift.txt"}
    expected |= {f"supports/{m['slug']}.pdf" for m in kit["plan"].modules}
    assert expected <= names, expected - names
    assert [m["slug"] for m in kit["plan"].modules] == [
        "loi-2014",
        "geographie-prioritaire",
        "contrat-de-ville",
        "participation",
        "dst",
        "diagnostic-partage",
    ]


def test_programme_has_every_indicator_1_item(kit):
    text = pdf_text(kit["files"]["programme.pdf"])
    the_plan = kit["plan"]
    for heading in documents.INDICATOR_1:
        assert heading in text, heading
    for module in the_plan.modules:
        assert flat(module["title"]) in text
        for objective in module["objectifs"]:
            assert flat(objective) in text, objective
    total = sum(m["duree_totale"] for m in the_plan.modules)
    assert f"Durée des modules : {metadata.format_minutes(total)}" in text
    assert "Programme établi le 1er février 2027" in text
    session = kit["plan"].session
    for value in (
        session["referent_handicap"]["nom"],
        session["referent_handicap"]["contact"],
        session["organisation"]["contacts"][0]["courriel"],
        "350 €",
        flat(session["acces"]["delai"]),
    ):
        assert value in text.replace("- ", "-"), value  # an address may wrap after a dash
    # the HTML page says the same, in French, with its title
    page = kit["files"]["programme.html"].decode("utf-8")
    assert '<html lang="fr">' in page and "<title>Programme de formation" in page
    page_text = flat(BeautifulSoup(page, "html.parser").get_text(" "))
    for heading in documents.INDICATOR_1:
        assert heading in page_text


def test_methods_come_from_the_content(kit):
    text = pdf_text(kit["files"]["programme.pdf"])
    the_plan = kit["plan"]
    assert f"Quiz d'autoévaluation corrigés et commentés ({the_plan.questions} questions)" in text
    assert the_plan.exercises and f"({len(the_plan.exercises)} :" in text
    assert the_plan.case_studies and "Études de cas" in text


def test_tests_cover_every_objective_of_the_path(kit):
    the_plan = kit["plan"]
    first, final = assessments.build(the_plan)
    refs = {o["ref"] for o in the_plan.objectives}
    assessed_by_questions = {
        ref for m in the_plan.modules for q in m["questions"] for ref in q["objectifs"]
    }
    for test in (first, final):
        assert refs & assessed_by_questions <= test.covered()
        # the objectives left out are exactly those no question assesses; an exercise does
        assert {o["ref"] for o in test.uncovered} == refs - assessed_by_questions
        assert all(o["exercices"] for o in test.uncovered)
    assert {q["ref"] for q in first.questions} != {q["ref"] for q in final.questions}
    # deterministic choice
    assert [q["ref"] for q in assessments.build(the_plan)[0].questions] == [
        q["ref"] for q in first.questions
    ]


def test_banks_hold_the_chosen_questions_with_objective_tags(kit):
    first = assessments.build(kit["plan"])[0]
    xml = kit["files"]["banques/positionnement.moodle.xml"].decode("utf-8")
    assert xml.count('<question type="multichoice">') == len(first.questions)
    for ref in first.covered():
        assert f"<text>objectif-{ref}</text>" in xml
    gift = kit["files"]["banques/positionnement.gift.txt"].decode("utf-8")
    assert gift.count("::positionnement-q") == len(first.questions)


def quiz_answers(the_plan) -> list[str]:
    found = []
    for module in the_plan.modules:
        for q in module["questions"]:
            found.append(flat(q["explanation"]))
            found += [flat(o["feedback"]) for o in q["options"] if len(o["feedback"]) > 30]
    return found


def test_learner_outputs_hold_no_solution_nor_facilitator_note(kit, site):
    trainer_site, result = site["formateur"]
    assert result.returncode == 0, result.stderr[-3000:]
    notes = []  # the paragraphs of the facilitator notes of the path's modules
    for module in kit["plan"].modules:
        soup = BeautifulSoup((trainer_site / module["page"]).read_text("utf-8"), "html.parser")
        for note in soup.select(".course-note-formateur"):
            notes += [flat(p.get_text(" ")) for p in note.find_all("p")]
    notes = [n for n in notes if len(n) > 40]
    assert len(notes) > 10  # the trainer edition has notes: the check below means something
    solutions = solution_lines()
    answers = quiz_answers(kit["plan"])
    learner = [n for n in kit["files"] if n.startswith("supports/") or "-apprenant" in n]
    assert len(learner) == len(kit["plan"].modules) + 2
    for name in learner:
        text = pdf_text(kit["files"][name])
        for line in solutions:
            assert flat(line) not in text, (name, line)
        for answer in answers:
            assert answer not in text, (name, answer)
        for note in notes:
            assert note not in text, (name, note)
    # the trainer's version of the tests carries the explanations
    key = pdf_text(kit["files"]["positionnement-formateur.pdf"])
    first = assessments.build(kit["plan"])[0]
    assert all(flat(q["explanation"]) in key for q in first.questions)


def test_trainer_guide_holds_the_guide_and_the_session_notes(kit):
    text = pdf_text(kit["files"]["guide-formateur.pdf"])
    assert "Parcours de formation" in text and "Le kit de session" in text
    for module in kit["plan"].modules:
        page = (kit["trainer"] / module["page"]).read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        titles = [
            flat(t.get_text(" ")) for t in soup.select(".course-note-formateur .admonition-title")
        ]
        assert titles, module["slug"]
        assert f"Notes d'animation — {flat(module['title'])}" in text
        for title in titles:
            assert title in text, title


def test_handout_keeps_the_module_text(kit):
    module = kit["plan"].modules[0]
    text = pdf_text(kit["files"][f"supports/{module['slug']}.pdf"])
    assert flat(module["title"]) in text
    assert flat(module["points_cles"][0]) in text
    assert "Page 1 sur" in text


def test_attendance_one_row_per_participant_one_column_per_half_day(kit):
    the_plan = kit["plan"]
    soup = BeautifulSoup(documents.attendance(the_plan), "html.parser")
    sheets = soup.select("section.page")
    days = sorted({h.date for h in the_plan.half_days})
    assert len(sheets) == len(days) == 2
    columns = 0
    for sheet, day in zip(sheets, days, strict=True):
        table = sheet.select_one("table.attendance")
        rows = table.select("tbody tr.participant")
        assert [r.td.get_text(strip=True) for r in rows] == list(PARTICIPANTS)
        half = [h for h in the_plan.half_days if h.date == day]
        assert len(table.select("thead th")) == 1 + len(half)
        assert all(len(r.select("td.signature")) == len(half) for r in rows)
        columns += len(half)
    assert columns == len(the_plan.half_days) == 3
    text = pdf_text(kit["files"]["emargement.pdf"])
    assert text.count("Signature — matin (") == 2 and text.count("Signature — après-midi (") == 1
    for name in PARTICIPANTS:
        assert text.count(name) == 2  # on both days' sheets


def test_one_certificate_per_participant(kit):
    from pypdf import PdfReader

    data = kit["files"]["attestations.pdf"]
    text = pdf_text(data)
    assert text.count("Attestation de fin de formation") >= len(PARTICIPANTS)
    for name in PARTICIPANTS:
        assert name in text
    assert flat(kit["plan"].objectives[0]["texte"]) in text
    assert len(PdfReader(BytesIO(data)).pages) >= len(PARTICIPANTS)


def test_pdfs_are_tagged_french_titled_with_embedded_fonts(kit):
    from pypdf import PdfReader

    for name, data in kit["files"].items():
        if not name.endswith(".pdf"):
            continue
        reader = PdfReader(BytesIO(data))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "fr", name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], name
        assert root["/MarkInfo"]["/Marked"], name
        assert "/StructTreeRoot" in root, name
        assert reader.metadata.title, name
        assert str(reader.metadata["/CreationDate"]).startswith("D:20270201"), name
        for page in reader.pages[:2]:
            for font in page["/Resources"]["/Font"].values():
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()
                assert "/FontFile2" in descriptor["/FontDescriptor"], (name, font)


def test_generation_is_deterministic(kit):
    again = cli.build(kit["site"], kit["session"], ROOT / "exercises", kit["trainer"])
    assert sorted(again) == sorted(kit["files"])
    changed = [name for name in again if again[name] != kit["files"][name]]
    assert not changed

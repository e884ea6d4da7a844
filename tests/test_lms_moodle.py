"""The real course's LMS export in a real Moodle 5.0, played as a learner would.

Moodle is installed from ``../shared/moodle`` (once per machine, under /opt/moodle) and served
on 127.0.0.1; packages and banks are imported with Moodle's own code; a student plays each SCO
in Moodle's own player in headless Chromium; what Moodle stored (tracks, its reading of them,
grade, gradebook, completion) is read back with Moodle's API (tests/moodle/scorm_state.php).
Skipped with the reason where Moodle cannot be installed (no root/apt); mandatory in CI.

The activity settings are the ones ``organisations-lms.md`` recommends (grading method
« Note la plus élevée » for a module package); the other grading methods are read from the
same tracks (``grades``), which is what the page's table reports.
"""

from __future__ import annotations

import json
import zipfile

import pytest
import realmoodle
from conftest import require_tool
from realmoodle import Learner, answer, mode, question_ids

from course.lms.moodle import category

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("site")]

FOLDER = {"1.2": "scorm12", "2004": "scorm2004"}
HIGHEST = 1  # Moodle's GRADEHIGHEST


@pytest.fixture(scope="module")
def moodle(tmp_path_factory):
    reason = realmoodle.available()
    require_tool(reason is None, reason or "")
    return realmoodle.Moodle(tmp_path_factory.mktemp("moodle"))


@pytest.fixture(scope="module")
def scored(exported):
    """The first module with a quiz, and the number of its questions."""
    for module in exported["course"]["modules"]:
        questions = module["questions"]
        if questions:
            return module, len(questions)
    raise AssertionError("aucun module n'a de quiz")


def sco_track(state: dict, sco: dict) -> dict:
    """The stored elements of one SCO in the learner's last attempt."""
    last = max(state["attempts"], key=int)
    return state["attempts"][last].get(str(sco["id"]), {})


def assert_result(state: dict, sco: dict, version: str, status: str, score: float):
    """Moodle's stored status/score for ``sco``: 1.2 lesson_status, 2004 completion+success."""
    track = sco_track(state, sco)
    if version == "1.2":
        assert track.get("cmi.core.lesson_status") == status, track
        assert float(track["cmi.core.score.raw"]) == score, track
    else:
        assert track.get("cmi.completion_status") == "completed", track
        assert track.get("cmi.success_status") == status, track
        assert float(track["cmi.score.raw"]) == score, track
        assert float(track["cmi.score.scaled"]) == round(score / 100, 4), track


def stored_objectives(track: dict) -> dict[str, tuple[str, str]]:
    """Objective id → (raw score, status) as Moodle stored them: ``cmi.objectives_N.*`` in
    SCORM 1.2 (Moodle's own spelling), ``cmi.objectives.N.*`` in 2004."""
    import re

    fields: dict[str, dict] = {}
    for element, value in track.items():
        match = re.match(r"^cmi\.objectives[._](\d+)\.(.+)$", element)
        if match:
            fields.setdefault(match.group(1), {})[match.group(2)] = value
    return {
        f["id"]: (f.get("score.raw"), f.get("status") or f.get("success_status"))
        for f in fields.values()
        if f.get("id") != "maitrise"  # the 2004 primary objective, declared by the manifest
    }


def activity(moodle, exported, scored, version: str, name: str):
    """A new activity of the scored module's package, graded « Note la plus élevée »."""
    module, count = scored
    package = exported["out"] / FOLDER[version] / f"{module['slug']}.zip"
    imported = moodle.import_scorm(package, f"{name}-{version}", grademethod=HIGHEST)
    return module, count, imported, imported["scoes"][-1]


def play(learner, imported, sco, version: str, right: int | None = None) -> list[str]:
    """Opens ``sco`` in Moodle's player, answers its first ``right`` questions right (all by
    default) and the others wrong, and leaves; returns the questions' ids."""
    frame = learner.open(imported, sco)
    assert mode(frame, version) == "normal"
    ids = question_ids(frame)
    for n, qid in enumerate(ids):
        answer(frame, qid, right is None or n < right)
    learner.leave(imported)
    return ids


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_all_right_passes_then_review_changes_nothing(moodle, exported, scored, browser, version):
    module, count, imported, sco = activity(moodle, exported, scored, version, "full")
    learner = Learner(browser, imported)
    try:
        assert len(play(learner, imported, sco, version)) == count
        state = moodle.state(imported)
        assert_result(state, sco, version, "passed", 100)
        assert state["gradebook"] == 100 and state["grades"]["learning objects"] == 1
        # one stored objective per learning objective its questions assess
        assessed = {f"objectif-{r}" for q in module["questions"] for r in q["objectifs"]}
        assert assessed
        assert stored_objectives(sco_track(state, sco)) == {o: ("100", "passed") for o in assessed}
        assert state["completion"] == "complete"

        # re-opened after finishing: Moodle's review mode; the learner may click, nothing is stored
        frame = learner.open(imported, sco)
        assert mode(frame, version) == "review"
        first = question_ids(frame)[0]
        # the saved answers are shown (2004: because the page always exits "suspend")
        assert frame.locator(f"#{first} .course-result").inner_text() == "Bonne réponse."
        answer(frame, first, False)
        assert learner.leave_review(imported) == 0  # not one request to datamodel.php
        again = moodle.state(imported)
        assert sco_track(again, sco) == sco_track(state, sco)
        assert again["gradebook"] == 100 and again["completion"] == "complete"
        assert not learner.outside and not learner.errors, (learner.outside, learner.errors)
    finally:
        learner.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_half_done_leave_come_back_finish_is_one_sitting(
    moodle, exported, scored, browser, version
):
    module, count, imported, sco = activity(moodle, exported, scored, version, "resume")
    learner = Learner(browser, imported)
    try:
        frame = learner.open(imported, sco)
        ids = question_ids(frame)
        half = ids[: count // 2]
        for qid in half:
            answer(frame, qid, True)
        section = frame.evaluate(
            "q => document.getElementById(q).closest('section[id]').id", half[-1]
        )
        frame.evaluate(
            "s => document.getElementById(s).scrollIntoView({behavior: 'instant'})", section
        )
        frame.wait_for_timeout(400)
        learner.leave(imported)
        state = moodle.state(imported)
        track = sco_track(state, sco)
        location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
        status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
        # not finished: incomplete, no score (Moodle's mastery override has nothing to fail)
        assert track[status] == "incomplete", track
        assert ("cmi.core.score.raw" if version == "1.2" else "cmi.score.raw") not in track, track
        assert sorted(json.loads(track["cmi.suspend_data"])["r"]) == sorted(half)
        assert track[location] == section
        assert state["gradebook"] in (None, 0) and state["completion"] == "incomplete"

        frame = learner.open(imported, sco)
        assert mode(frame, version) == "normal"
        for qid in half:  # answers restored and checked again
            assert frame.locator(f"#{qid} .course-result").inner_text() == "Bonne réponse."
        top = frame.evaluate("s => document.getElementById(s).getBoundingClientRect().top", section)
        assert abs(top) < 120, f"section {section} à {top} px du haut de la fenêtre"
        for qid in ids[count // 2 :]:
            answer(frame, qid, True)
        learner.leave(imported)
        state = moodle.state(imported)
        assert_result(state, sco, version, "passed", 100)
        assert sorted(json.loads(sco_track(state, sco)["cmi.suspend_data"])["r"]) == sorted(ids)
        assert state["gradebook"] == 100 and state["completion"] == "complete"
    finally:
        learner.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_wrong_answers_fail_with_the_right_score(moodle, exported, scored, browser, version):
    module, count, imported, sco = activity(moodle, exported, scored, version, "wrong")
    learner = Learner(browser, imported)
    try:
        ids = play(learner, imported, sco, version, right=1)  # one right, the others wrong
        state = moodle.state(imported)
        score = round(100 / count, 2)
        assert_result(state, sco, version, "failed", score)
        objectives = stored_objectives(sco_track(state, sco))
        first = {f"objectif-{r}" for r in module["questions"][0]["objectifs"]}
        assert ids[0] == "question-1" and first <= set(objectives)
        assert all(status in ("passed", "failed") for _, status in objectives.values())
        assert any(status == "failed" for _, status in objectives.values())
        assert state["gradebook"] == pytest.approx(score, abs=0.01)
        # « learning objects » counts 1.2 passed/completed, 2004 completed (even when failed)
        assert state["grades"]["learning objects"] == (0 if version == "1.2" else 1)
        assert state["completion"] == ("incomplete" if version == "1.2" else "complete")

        # coming back: review mode; a new attempt (the activity page's check box) starts afresh
        assert mode(learner.open(imported, sco), version) == "review"
        learner.leave_review(imported)
        frame = learner.open(imported, sco, new_attempt=True)
        assert mode(frame, version) == "normal"
        assert frame.locator(f"#{ids[1]} .course-result").inner_text() == ""
        for qid in ids:
            answer(frame, qid, True)
        learner.leave(imported)
        state = moodle.state(imported)
        assert sorted(state["attempts"]) == ["1", "2"]
        assert_result(state, sco, version, "passed", 100)
        assert state["gradebook"] == 100  # default « what grade »: the highest attempt
    finally:
        learner.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_whole_course_package_stores_and_grades_each_module(moodle, exported, browser, version):
    package = exported["out"] / FOLDER[version] / "cours-complet.zip"
    imported = moodle.import_scorm(package, f"cours-{version}")
    scos = [s for s in imported["scoes"] if s["scormtype"] == "sco"]
    assert len(scos) == len(exported["course"]["modules"])
    quizzed = {m["page"] for m in exported["course"]["modules"] if m["questions"]}
    played = [s for s in scos if s["launch"] in quizzed][:2]
    learner = Learner(browser, imported)
    try:
        play(learner, imported, played[0], version)
        second = len(play(learner, imported, played[1], version, right=1))
        state = moodle.state(imported)
        assert_result(state, played[0], version, "passed", 100)
        assert_result(state, played[1], version, "failed", round(100 / second, 2))
        assert state["grades"]["highest"] == 100
        # the average of the modules that have a score (Moodle leaves out a score of 0)
        assert state["grades"]["average"] == pytest.approx((100 + 100 / second) / 2, abs=0.01)
        assert state["grades"]["learning objects"] == (1 if version == "1.2" else 2)
        assert state["completion"] == "incomplete"  # the other modules are not done

        # the attempt is not over: the first module re-opens in normal mode, with its answers;
        # leaving it again keeps its result (Moodle stores what the page sends)
        frame = learner.open(imported, played[0])
        assert mode(frame, version) == "normal"
        first = question_ids(frame)[0]
        assert frame.locator(f"#{first} .course-result").inner_text() == "Bonne réponse."
        learner.leave(imported)
        again = moodle.state(imported)
        assert_result(again, played[0], version, "passed", 100)
        kept = {k: v for k, v in sco_track(state, played[0]).items() if "time" not in k}
        now = {k: v for k, v in sco_track(again, played[0]).items() if "time" not in k}
        assert now == kept
    finally:
        learner.close()


def test_every_package_imports_with_its_scos(moodle, exported):
    modules = exported["course"]["modules"]
    for folder in FOLDER.values():
        for path in sorted((exported["out"] / folder).glob("*.zip")):
            imported = moodle.import_scorm(path, path.stem)
            launches = [s["launch"] for s in imported["scoes"] if s["scormtype"] == "sco"]
            with zipfile.ZipFile(path) as archive:
                assert all(launch in archive.namelist() for launch in launches)
            expected = len(modules) if path.stem == "cours-complet" else 1
            assert len(launches) == expected, (path, launches)


def test_every_bank_imports_with_its_feedback_and_accents(moodle, exported):
    course = exported["course"]
    for module in course["modules"]:
        questions = module["questions"]
        if not questions:
            continue
        for fmt, path in (
            ("xml", exported["out"] / "moodle" / f"{module['slug']}.xml"),
            ("gift", exported["out"] / "gift" / f"{module['slug']}.gift.txt"),
        ):
            bank = moodle.import_bank(fmt, path)
            assert bank["ok"], bank["printed"][-2000:]
            stored = bank["questions"]
            assert len(stored) == len(questions), (path, len(stored))
            assert bank["category"][-1] == category(course, module).split("/")[-1], bank["category"]
            for question, expected in zip(stored, questions, strict=True):
                assert question["qtype"] == "multichoice"
                assert question["generalfeedback"].strip(), question["name"]
                assert len(question["answers"]) == len(expected["options"])
                assert all(a["feedback"].strip() for a in question["answers"]), question["name"]
                assert " ".join(expected["stem"].split()[:4]) in " ".join(
                    question["questiontext"].split()
                ), (question["questiontext"], expected["stem"])

"""Each SCO played in headless Chromium against scorm-again (npm) acting as the LMS API.

A player page served from 127.0.0.1 creates ``window.API`` (SCORM 1.2) or ``window.API_1484_11``
(SCORM 2004) with scorm-again, logs every call the SCO makes with its result and error code,
and loads the SCO from the unzipped package in an iframe. The tests drive the page as a
learner (answer the quiz, scroll, leave) and assert what the LMS recorded: status, score,
session time format, bookmark, and a clean Terminate/LMSFinish; then relaunch with the saved
data to check the resume. Every request that would leave 127.0.0.1 is recorded and aborted.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from argparse import Namespace
from urllib.parse import quote

import pytest
import quality
from conftest import build, copy_root

from course.lms import cli

pytestmark = [pytest.mark.browser]

PLAYER = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Lecteur d'essai</title>
<script src="scorm-again.js"></script></head>
<body><iframe id="sco" title="SCO" style="width:800px;height:300px"></iframe>
<script>
var params = new URLSearchParams(location.search);
var v2004 = params.get("v") === "2004";
var settings = {logLevel: 5, lmsCommitUrl: false, autocommit: false};
var api = v2004 ? new Scorm2004API(settings) : new Scorm12API(settings);
var methods = v2004 ? ["Initialize", "GetValue", "SetValue", "Commit", "Terminate"]
                    : ["LMSInitialize", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSFinish"];
var lastError = v2004 ? "GetLastError" : "LMSGetLastError";
window.calls = [];
methods.forEach(function (m) {
  var f = api[m].bind(api);
  api[m] = function (a, b) {
    var r = f(a, b);
    window.calls.push({m: m, a: String(a), b: b === undefined ? null : String(b),
                       r: String(r), e: String(api[lastError]())});
    return r;
  };
});
api.loadFromJSON(JSON.parse(params.get("seed") || "{}"));
if (v2004) { window.API_1484_11 = api; } else { window.API = api; }
if (params.get("mode") === "popup") { window.open(params.get("sco"), "sco"); }
else { document.getElementById("sco").src = params.get("sco"); }
</script></body></html>
"""
EL = {
    "1.2": {
        "status": "cmi.core.lesson_status",
        "raw": "cmi.core.score.raw",
        "time": "cmi.core.session_time",
        "exit": "cmi.core.exit",
        "location": "cmi.core.lesson_location",
        "finish": "LMSFinish",
        "init": "LMSInitialize",
        "set": "LMSSetValue",
    },
    "2004": {
        "status": "cmi.completion_status",
        "raw": "cmi.score.raw",
        "time": "cmi.session_time",
        "exit": "cmi.exit",
        "location": "cmi.location",
        "finish": "Terminate",
        "init": "Initialize",
        "set": "SetValue",
    },
}
TIME = {
    "1.2": re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$"),
    "2004": re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$"),
}
FOLDER = {"1.2": "scorm12", "2004": "scorm2004"}


@pytest.fixture(scope="module")
def served(tmp_path_factory, node_modules):
    """The tiny course's packages unzipped next to the player, served from 127.0.0.1."""
    base = tmp_path_factory.mktemp("lms-browser")
    result = build(copy_root("basic", base), base / "_build")
    out = base / "lms"
    assert cli.main(Namespace(site=str(result.outdir), out=str(out))) == 0
    www = base / "www"
    www.mkdir()
    (www / "player.html").write_text(PLAYER, encoding="utf-8")
    shutil.copy(node_modules / "scorm-again" / "dist" / "scorm-again.js", www)
    for folder in FOLDER.values():
        for package in (out / folder).glob("*.zip"):
            zipfile.ZipFile(package).extractall(www / folder / package.stem)
    with quality.serve(www) as url:
        yield url


class Session:
    """One browser page with the offline guard, console warnings and page errors recorded."""

    def __init__(self, browser):
        self.outside, self.errors, self.requests = [], [], []
        self.context = browser.new_context()
        self.context.route("**/*", self.guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type in ("warning", "error") else None,
        )

    def guard(self, route):
        url = route.request.url
        self.requests.append(url)
        if re.match(r"^http://127\.0\.0\.1:\d+/", url) or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def assert_clean(self):
        """No page error was raised and nothing was requested outside 127.0.0.1."""
        assert not self.errors, self.errors
        assert not self.outside, self.outside

    def launch(self, served, version, sco, seed=None):
        url = (
            f"{served}/player.html?v={version}&sco={quote(sco)}"
            f"&seed={quote(json.dumps(seed or {}))}"
        )
        self.page.goto(url, wait_until="load")
        self.frame = self.page.frame_locator("#sco")
        self.page.wait_for_function(
            "() => { const d = document.getElementById('sco').contentDocument;"
            " return d && d.documentElement.dataset.courseScorm === 'lms'; }"
        )
        return self.frame

    def calls(self) -> list[dict]:
        return self.page.evaluate("window.calls")

    def value(self, element: str) -> str | None:
        """The last value the SCO set for ``element``."""
        sets = [
            c for c in self.calls() if c["m"] in ("LMSSetValue", "SetValue") and c["a"] == element
        ]
        return sets[-1]["b"] if sets else None

    def leave(self, version):
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        self.page.wait_for_function(
            f"() => window.calls.some(c => c.m === '{EL[version]['finish']}')"
        )

    def close(self):
        self.context.close()


def answer(frame, question: int, options: list[int]):
    fieldset = frame.locator(f"#question-{question}")
    for box in fieldset.locator("input[type=checkbox]").all():
        box.uncheck()
    for option in options:
        fieldset.locator(f"#question-{question}-o{option}").check()
    fieldset.locator("button.course-check").click()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_sco_reports_status_score_time_bookmark_and_resumes(served, browser, version):
    el, session = EL[version], Session(browser)
    sco = f"{FOLDER[version]}/alpha/modules/alpha.html"
    try:
        frame = session.launch(
            served,
            version,
            sco,
            seed={"core": {"entry": "ab-initio"}} if version == "1.2" else {"entry": "ab-initio"},
        )
        assert [c["r"] for c in session.calls() if c["m"] == el["init"]] == ["true"]
        status = session.page.evaluate(
            "v => v === '2004' ? API_1484_11.cmi.completion_status : API.cmi.core.lesson_status",
            version,
        )
        assert status == "incomplete"

        answer(frame, 1, [1])  # right
        answer(frame, 2, [1, 3])  # wrong: all checked, 50 % < 80 %
        assert float(session.value(el["raw"])) == 50
        if version == "1.2":
            assert session.value("cmi.core.lesson_status") == "failed"
        else:
            assert session.value("cmi.completion_status") == "completed"
            assert session.value("cmi.success_status") == "failed"
            assert float(session.value("cmi.score.scaled")) == 0.5
        answer(frame, 2, [1, 2])  # now right: 100 %
        assert float(session.value(el["raw"])) == 100
        assert (
            session.value("cmi.core.lesson_status" if version == "1.2" else "cmi.success_status")
            == "passed"
        )
        frame.locator("#quiz").scroll_into_view_if_needed()
        frame.locator("#quiz h2").evaluate("h => h.scrollIntoView({block: 'start'})")
        session.page.wait_for_timeout(300)
        session.leave(version)

        calls = session.calls()
        # every write accepted; a read may only find an element "not initialized" (2004: 403)
        failed = [
            c
            for c in calls
            if c["r"] == "false"
            or c["e"] not in ("0", "", "403")
            or (c["e"] == "403" and c["m"] != "GetValue")
        ]
        assert not failed, failed
        assert calls[-1]["m"] == el["finish"] and calls[-1]["r"] == "true"
        assert TIME[version].match(session.value(el["time"])), session.value(el["time"])
        assert session.value(el["exit"]) == "suspend"  # always: the LMS keeps the answers
        assert session.value(el["location"]) == "quiz"
        suspend = session.value("cmi.suspend_data")
        assert len(suspend) <= 4096  # SCORM 1.2 limit (scorm-again accepts more: P10)
        assert json.loads(suspend)["r"] == {"question-1": [1], "question-2": [1, 2]}

        seed = (
            {"suspend_data": suspend, "core": {"entry": "resume", "lesson_location": "quiz"}}
            if version == "1.2"
            else {"suspend_data": suspend, "entry": "resume", "location": "quiz"}
        )
        frame = session.launch(served, version, sco, seed=seed)
        assert frame.locator("#question-2-o2").is_checked()
        assert not frame.locator("#question-2-o3").is_checked()
        assert float(session.value(el["raw"])) == 100
        assert frame.locator("#question-2 .course-result").inner_text() == "Bonne réponse."
        assert frame.locator("html").evaluate("() => window.scrollY") > 0
        session.assert_clean()
    finally:
        session.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_reaching_the_end_completes_a_module_and_closing_suspends_before(served, browser, version):
    el, session = EL[version], Session(browser)
    try:
        frame = session.launch(
            served, version, f"{FOLDER[version]}/cours-complet/modules/beta.html"
        )
        session.page.wait_for_timeout(200)
        assert session.value(el["status"]) == "incomplete"
        frame.locator(".course-scorm-fin").scroll_into_view_if_needed()
        session.page.wait_for_function(
            f"() => window.calls.some(c => c.a === '{el['status']}' && c.b === 'completed')"
        )
        session.leave(version)
        assert session.value(el["exit"]) == "suspend"  # always: the LMS keeps the answers
        assert session.value(el["raw"]) is None  # no quiz, no score
        # a module left before its end is suspended, with its bookmark
        frame = session.launch(served, version, f"{FOLDER[version]}/alpha/modules/alpha.html")
        answer(frame, 1, [1])
        session.leave(version)
        assert session.value(el["exit"]) == "suspend"
        # 1 of 2 questions checked: no score yet (an LMS's mastery rule would fail the learner)
        assert session.value(el["raw"]) is None
        assert session.value(el["status"]) == "incomplete"
        assert json.loads(session.value("cmi.suspend_data"))["r"] == {"question-1": [1]}
        assert not [c for c in session.calls() if c["r"] == "false"]
        session.assert_clean()
    finally:
        session.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_sco_opened_in_a_new_window_finds_the_api_of_its_opener(served, browser, version):
    el, session = EL[version], Session(browser)
    try:
        sco = quote(f"{FOLDER[version]}/alpha/modules/alpha.html")
        with session.context.expect_page() as popup_info:
            session.page.goto(f"{served}/player.html?v={version}&mode=popup&sco={sco}")
        popup = popup_info.value
        popup.wait_for_load_state("load")
        assert popup.locator("html").get_attribute("data-course-scorm") == "lms"
        popup.locator("#question-1-o1").check()
        popup.locator("#question-1 button.course-check").click()
        popup.close(run_before_unload=True)
        session.page.wait_for_function(f"() => window.calls.some(c => c.m === '{el['finish']}')")
        assert session.value(el["raw"]) is None  # one question of two: no score yet
        assert session.value(el["exit"]) == "suspend"
        assert json.loads(session.value("cmi.suspend_data"))["r"] == {"question-1": [1]}
        assert TIME[version].match(session.value(el["time"]))
        assert not session.outside, session.outside
    finally:
        session.close()


def test_without_an_lms_the_page_works_normally(served, browser):
    session = Session(browser)
    try:
        session.page.goto(f"{served}/scorm12/alpha/modules/alpha.html", wait_until="load")
        page = session.page
        assert page.locator("html").get_attribute("data-course-scorm") == "sans-lms"
        page.locator("#question-1-o1").check()
        page.locator("#question-1 button.course-check").click()
        assert page.locator("#question-1 .course-result").inner_text() == "Bonne réponse."
        session.assert_clean()
        assert all(url.startswith(served) for url in session.requests)
    finally:
        session.close()


def test_packages_hold_what_the_player_serves(served):
    """Guard for the fixture itself: both versions and the course package were unzipped."""
    import urllib.request

    for path in ("scorm12/alpha/imsmanifest.xml", "scorm2004/cours-complet/imsmanifest.xml"):
        with urllib.request.urlopen(f"{served}/{path}") as response:
            assert b"<manifest " in response.read()


def seed_for(version: str, suspend: str = "", mode: str = "normal", **more) -> dict:
    """What an LMS hands a returning learner: saved answers, mode and earlier results."""
    if version == "1.2":
        core = {"entry": "resume" if suspend else "ab-initio", "lesson_mode": mode}
        if "status" in more:
            core["lesson_status"] = more["status"]
        if "raw" in more:
            core["score"] = {"raw": str(more["raw"]), "min": "0", "max": "100"}
        return {"suspend_data": suspend, "core": core}
    seed = {"suspend_data": suspend, "entry": "resume" if suspend else "ab-initio", "mode": mode}
    if "status" in more:
        seed["completion_status"] = "completed"
        seed["success_status"] = more["status"]
    if "raw" in more:
        seed["score"] = {"raw": str(more["raw"]), "min": "0", "max": "100"}
    return seed


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_returning_learner_finishes_with_the_score_of_both_sittings(served, browser, version):
    """Half done, leave, come back, finish: the same result as in one sitting."""
    el, session = EL[version], Session(browser)
    sco = f"{FOLDER[version]}/alpha/modules/alpha.html"
    try:
        frame = session.launch(served, version, sco, seed=seed_for(version))
        answer(frame, 1, [1])  # right
        session.leave(version)
        suspend = session.value("cmi.suspend_data")
        assert json.loads(suspend)["r"] == {"question-1": [1]}

        frame = session.launch(served, version, sco, seed=seed_for(version, suspend))
        # the saved answer is ticked and checked again, before the learner does anything
        assert frame.locator("#question-1-o1").is_checked()
        assert frame.locator("#question-1 .course-result").inner_text() == "Bonne réponse."
        assert session.value(el["raw"]) is None
        # leaving at once keeps the restored answer in the bookmark
        session.leave(version)
        assert json.loads(session.value("cmi.suspend_data"))["r"] == {"question-1": [1]}

        frame = session.launch(served, version, sco, seed=seed_for(version, suspend))
        answer(frame, 2, [1, 2])  # right: 2 of 2 over two sittings
        assert float(session.value(el["raw"])) == 100
        status = "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
        assert session.value(status) == "passed"
        session.leave(version)
        saved = json.loads(session.value("cmi.suspend_data"))["r"]
        assert saved == {"question-1": [1], "question-2": [1, 2]}
        assert session.value(el["exit"]) == "suspend"  # always: the LMS keeps the answers
        session.assert_clean()
    finally:
        session.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
@pytest.mark.parametrize("mode", ["review", "browse"])
def test_review_and_browse_modes_show_the_answers_and_write_nothing(served, browser, version, mode):
    el, session = EL[version], Session(browser)
    suspend = json.dumps({"v": 1, "fin": 1, "r": {"question-1": [1], "question-2": [1, 3]}})
    try:
        frame = session.launch(
            served,
            version,
            f"{FOLDER[version]}/alpha/modules/alpha.html",
            seed=seed_for(version, suspend, mode=mode, status="failed", raw=50),
        )
        assert frame.locator("#question-2-o3").is_checked()
        assert "pas tout à fait" in frame.locator("#question-2 .course-result").inner_text()
        answer(frame, 2, [1, 2])  # the learner may still try: nothing reaches the LMS
        frame.locator(".course-scorm-fin").scroll_into_view_if_needed()
        session.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        session.page.wait_for_timeout(300)
        calls = session.calls()
        assert calls[0]["m"] == el["init"] and calls[0]["r"] == "true"
        # only reads: no value, no commit, and no Terminate (an LMS such as Moodle stores at
        # Terminate a total time of its own making)
        assert {c["m"] for c in calls} <= {el["init"], "LMSGetValue", "GetValue"}, calls
        session.assert_clean()
    finally:
        session.close()


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_nothing_is_downgraded_within_an_attempt(served, browser, version):
    """Passed at 100 in an earlier sitting; a wrong answer now changes neither score nor status."""
    el, session = EL[version], Session(browser)
    suspend = json.dumps({"v": 1, "fin": 1, "r": {"question-1": [1], "question-2": [1, 2]}})
    try:
        frame = session.launch(
            served,
            version,
            f"{FOLDER[version]}/alpha/modules/alpha.html",
            seed=seed_for(version, suspend, status="passed", raw=100),
        )
        answer(frame, 2, [3])  # now wrong: the page says 50 %, the LMS keeps the best result
        assert "1 bonne(s) réponse(s) sur 2" in frame.locator(".course-score").inner_text()
        session.leave(version)
        assert session.value(el["raw"]) in (None, "100")
        assert session.value(
            "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
        ) in (
            None,
            "passed",
        )
        if version == "2004":
            assert session.value("cmi.completion_status") in (None, "completed")
        stored = session.page.evaluate(
            "v => v === '2004' ? [API_1484_11.cmi.success_status, API_1484_11.cmi.score.raw]"
            " : [API.cmi.core.lesson_status, API.cmi.core.score.raw]",
            version,
        )
        assert stored == ["passed", "100"]
        session.assert_clean()
    finally:
        session.close()


def objectives_set(session) -> dict[str, dict]:
    """``cmi.objectives.n.*`` as the SCO set them, keyed by objective id (last value wins)."""
    by_index: dict[str, dict] = {}
    for c in session.calls():
        match = re.match(r"^cmi\.objectives\.(\d+)\.(.+)$", c["a"])
        if c["m"] in ("LMSSetValue", "SetValue") and match and c["r"] == "true":
            by_index.setdefault(match.group(1), {})[match.group(2)] = c["b"]
    return {fields.pop("id"): fields for fields in by_index.values()}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_each_objective_gets_the_score_of_its_questions(served, browser, version):
    """Question 1 assesses alpha/article-1; question 2 article-1, loi-decret and beta/seuil."""
    session = Session(browser)
    status = "status" if version == "1.2" else "success_status"
    try:
        frame = session.launch(
            served, version, f"{FOLDER[version]}/alpha/modules/alpha.html", seed=seed_for(version)
        )
        answer(frame, 1, [1])  # right: article-1 still waits for question 2
        assert objectives_set(session) == {}
        answer(frame, 2, [1, 3])  # wrong
        found = objectives_set(session)
        assert set(found) == {
            "objectif-alpha/article-1",
            "objectif-alpha/loi-decret",
            "objectif-beta/seuil",
        }
        assert found["objectif-alpha/article-1"]["score.raw"] == "50"
        assert found["objectif-alpha/article-1"][status] == "failed"
        assert found["objectif-alpha/loi-decret"]["score.raw"] == "0"
        answer(frame, 2, [1, 2])  # right now
        found = objectives_set(session)
        assert {k: (v["score.raw"], v[status]) for k, v in found.items()} == {
            "objectif-alpha/article-1": ("100", "passed"),
            "objectif-alpha/loi-decret": ("100", "passed"),
            "objectif-beta/seuil": ("100", "passed"),
        }
        if version == "2004":
            assert found["objectif-beta/seuil"]["score.scaled"] == "1"
            assert found["objectif-beta/seuil"]["completion_status"] == "completed"
        session.leave(version)
        session.assert_clean()
    finally:
        session.close()

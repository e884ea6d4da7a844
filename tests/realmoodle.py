"""A real Moodle 5.0 for the LMS tests: set up from ../shared/moodle, driven as a learner.

``../shared/moodle`` holds Moodle 5.0's code and the scripts that install it (PHP and
PostgreSQL from Debian, under /opt/moodle, outside the clone, so that it is set up once per
machine and CI run), import a SCORM zip or a question bank with Moodle's own code, and read
what Moodle stored. This module wraps them for pytest:

- :func:`available` installs and starts Moodle when it can (root, apt) and otherwise says why
  not, in French, for the skip message;
- :class:`Moodle` imports packages and banks and reads a learner's tracks, grades and
  completion (``tests/moodle/scorm_state.php``, our own reader on Moodle's API);
- :class:`Learner` is a student in headless Chromium who opens a SCO in Moodle's own player,
  answers its questions, leaves and comes back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "moodle"
HERE = Path(__file__).resolve().parent / "moodle"
CODE = Path(os.environ.get("MOODLE_DIR", "/opt/moodle/src"))
# waits, not timings: on a shared CI machine under a load of 15 on 2 cores, Moodle's player
# once took more than 30 s to open a SCO (6 Dec 2026)
PATIENCE = 120
URL = os.environ.get("MOODLE_URL", "http://127.0.0.1:8080")
LOG = Path("/opt/moodle/course-setup.log")


def _up() -> bool:
    try:
        with urllib.request.urlopen(f"{URL}/login/index.php", timeout=20) as response:
            return response.status == 200
    except OSError:
        return False


def available() -> str | None:
    """None when a Moodle answers at ``URL``; else why it cannot here (French)."""
    if not (SHARED / "setup.sh").is_file():
        return f"Moodle de test absent : {SHARED} introuvable"
    if not (CODE / "config.php").is_file():
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            return (
                "Moodle non installé, et son installation demande root et apt : "
                f"sudo bash {SHARED}/unpack.sh && sudo bash {SHARED}/setup.sh"
            )
        LOG.parent.mkdir(parents=True, exist_ok=True)
        with LOG.open("w") as log:
            for script in ("unpack.sh", "setup.sh"):
                done = subprocess.run(["bash", str(SHARED / script)], stdout=log, stderr=log)
                if done.returncode != 0:
                    return f"installation de Moodle en échec ({script}) : voir {LOG}"
    if not _up():
        subprocess.run(
            ["bash", str(SHARED / "serve.sh"), "start"],
            env={**os.environ, "MOODLE_DIR": str(CODE)},
            # not captured: the server started in the background would hold the pipe open
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return None if _up() else f"Moodle ne répond pas sur {URL} (voir /opt/moodle/server.log)"


class Moodle:
    """Moodle's own import code and our reader of what it stored."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.count = 0

    def _php(self, script: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["php", str(script), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "MOODLE_DIR": str(CODE)},
        )

    def _import(self, script: str, kind: str, *args: str) -> dict:
        """Runs one of ../shared/moodle's import scripts; returns the JSON it wrote."""
        self.count += 1
        out = self.workdir / f"{kind}-{self.count}.json"
        done = self._php(SHARED / script, *args, f"--json={out}")
        assert done.returncode == 0 and out.is_file(), done.stdout[-3000:] + done.stderr[-3000:]
        return json.loads(out.read_text(encoding="utf-8"))

    def import_scorm(self, package: Path, name: str, **settings) -> dict:
        """A new SCORM activity made from ``package`` by Moodle's upload path; ``settings``
        (e.g. ``grademethod=1``) are then saved as a teacher would in the activity form."""
        unique = f"{name}-{self.count}-{time.time_ns()}"
        imported = self._import(
            "import_scorm.php", "import", f"--moodle={CODE}", f"--zip={package}", f"--name={unique}"
        )
        if settings:
            self.state(imported, **settings)
        return imported

    def state(self, imported: dict, **settings) -> dict:
        """Tracks, Moodle's reading per SCO, grades under each method, gradebook, completion."""
        args = [f"--moodle={CODE}", f"--scormid={imported['scormid']}"]
        args.append(f"--userid={imported['studentid']}")
        if settings:
            args.append("--set=" + ",".join(f"{k}:{v}" for k, v in settings.items()))
        done = self._php(HERE / "scorm_state.php", *args)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return json.loads(done.stdout)

    def import_bank(self, fmt: str, path: Path) -> dict:
        """A Moodle XML or GIFT file imported into a new course's bank by qformat_xml/gift."""
        course = f"banque{self.count}{time.time_ns()}"
        return self._import(
            "import_questions.php",
            "bank",
            f"--format={fmt}",
            f"--file={path}",
            f"--course={course}",
        )


class Learner:
    """The student of the imported activities, in one browser context (one login)."""

    def __init__(self, browser, imported: dict):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.context.set_default_timeout(PATIENCE * 1000)  # navigations and locators alike
        self.outside, self.errors, self.missing = [], [], []
        self.sent, self.answered = 0, 0  # finish requests (beacons) sent, and answered
        self.posts = 0  # every request to Moodle's datamodel.php (commits and finishes)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on(  # our run-time warns when the LMS refuses a value
            "console", lambda m: self.errors.append(m.text) if "SCORM" in m.text else None
        )
        self.context.route("**/*", self._guard)
        # beacons are seen by the context, not by the page that is being left
        self.context.on("request", lambda r: self._finish(r, "sent"))
        self.context.on("requestfinished", lambda r: self._finish(r, "answered"))
        self.context.on("requestfailed", lambda r: self._finish(r, "answered"))
        self.context.on(
            "response",
            lambda r: (
                self.missing.append(r.url)
                if r.status >= 400 and "/mod_scorm/content/" in r.url
                else None
            ),
        )
        self.login(imported["student"], imported["studentpass"])

    def _guard(self, route):
        url = route.request.url
        if url.startswith((URL + "/", "data:", "about:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _finish(self, request, counter: str):
        if "/mod/scorm/datamodel.php" not in request.url:
            return
        if counter == "sent":
            self.posts += 1
        # Moodle's player sends the SCO's LMSFinish/Terminate with the total time
        if "total_time" in (request.post_data or ""):
            setattr(self, counter, getattr(self, counter) + 1)

    def login(self, user: str, password: str):
        # Moodle 5.0 re-renders the password field after "load" (shared/moodle/README.md)
        for _ in range(3):
            self.page.goto(f"{URL}/login/index.php")
            self.page.wait_for_load_state("networkidle")
            self.page.fill("#username", user)
            self.page.fill("#password", password)
            if self.page.input_value("#password") != password:
                continue
            self.page.click("#loginbtn")
            self.page.wait_for_load_state("load")
            if "/login/index.php" not in self.page.url:
                return
        raise AssertionError(f"connexion de {user} à Moodle impossible")

    def open(self, imported: dict, sco: dict, new_attempt: bool = False):
        """Moodle's player on ``sco`` (as « Entrer » does, with « Commencer une nouvelle
        tentative » ticked if ``new_attempt``); returns the SCO's frame, ready."""
        self.page.goto(
            f"{URL}/mod/scorm/player.php?a={imported['scormid']}&scoid={sco['id']}"
            f"&currentorg={sco['organization']}&mode=normal"
            + ("&newattempt=on" if new_attempt else "")
        )
        deadline = time.time() + PATIENCE
        while time.time() < deadline:
            for frame in self.page.frames:
                if "/mod_scorm/content/" in frame.url:
                    try:
                        if frame.evaluate(
                            "() => !!(window.courseScorm && window.courseScorm.state.ready)"
                        ):
                            return frame
                    except Exception:  # the frame is still navigating
                        pass
            time.sleep(0.2)
        raise AssertionError(f"le SCO {sco['identifier']} ne s'est pas ouvert dans Moodle")

    def leave(self, imported: dict):
        """Back to the activity page, as a learner does; waits for the SCO's finish to arrive."""
        self.page.wait_for_timeout(200)  # the last check's commit is on its way
        before = self.sent
        self.page.goto(f"{URL}/mod/scorm/view.php?id={imported['cmid']}")
        deadline = time.time() + PATIENCE
        while self.sent == before and time.time() < deadline:
            self.page.wait_for_timeout(100)
        assert self.sent > before, "le SCO n'a envoyé aucune fin de session à Moodle"
        deadline = time.time() + 5  # a beacon's answer is not always reported
        while self.answered < self.sent and time.time() < deadline:
            self.page.wait_for_timeout(100)
        self.page.wait_for_timeout(500)

    def leave_review(self, imported: dict) -> int:
        """Leaves a SCO opened in review mode; returns how many requests it sent to Moodle
        (none is expected: there is no finish to wait for, so give pending ones a moment)."""
        before = self.posts
        self.page.goto(f"{URL}/mod/scorm/view.php?id={imported['cmid']}")
        self.page.wait_for_timeout(1500)
        return self.posts - before

    def close(self):
        self.context.close()


def answer(frame, question_id: str, right: bool):
    """Ticks the right options of a question, or one wrong option, then « Vérifier »."""
    fieldset = frame.locator(f"#{question_id}")
    for box in fieldset.locator("input").all():
        if box.get_attribute("type") == "checkbox":
            box.uncheck()
    wanted = fieldset.locator("input[data-correct='1']" if right else "input[data-correct='0']")
    for box in wanted.all() if right else wanted.all()[:1]:
        box.check()
    fieldset.locator("button.course-check").click()


def question_ids(frame) -> list[str]:
    return frame.evaluate(
        "() => [...document.querySelectorAll('fieldset.course-question')].map(q => q.id)"
    )


def mode(frame, version: str) -> str:
    """The mode Moodle launched the SCO in (normal, review, browse), read from its API."""
    return frame.evaluate(
        "v => v === '2004' ? window.parent.API_1484_11.GetValue('cmi.mode')"
        " : window.parent.API.LMSGetValue('cmi.core.lesson_mode')",
        version,
    )

"""``make live`` (course.live): a failed rebuild keeps the last good pages served, with a banner.

A real ``python -m course live`` (what ``make live`` runs: the watcher, the web server, each
rebuild an atomic publish with ``-W --keep-going``) on a copy of test-basic, on a free port.
The pages are read over HTTP as a browser gets them, and in Chromium (Playwright) for what a
trainer sees: an open page reloads by itself after the rebuild, shows the banner while the
source is broken and loses it once the source is fixed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_root, course_env, edit

from course import live

PAGE = "modules/alpha.html"
GOOD_TEXT = "Du texte."
NEW_TEXT = "Un texte réécrit pendant la séance."
# an option the directive does not know: a located error, the rebuild fails
BROKEN = ":duree: 13\n:inconnue: oui\n"
FIXED = ":duree: 13\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Live:
    """One ``course live`` process and what it printed."""

    def __init__(self, src: Path):
        self.src, self.port = src, free_port()
        self.out = src / "_build" / "live"
        self.lines: list[str] = []
        command = [sys.executable, "-m", "course", "live", str(self.out)]
        command += ["--doctrees", str(src / "_build" / "doctrees" / "live")]
        command += ["--port", str(self.port), "--watch", str(src), "--"]
        command += ["sphinx", "-b", "html", "-W", "--keep-going", "-n", "-d", "{doctrees}"]
        command += [str(src), "{out}"]
        self.process = subprocess.Popen(
            command,
            cwd=src,
            env=course_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def url(self, page: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{page}"

    def wait_for(self, text: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log:
            assert self.process.poll() is None, f"course live s'est arrêté :\n{self.log}"
            assert time.monotonic() < deadline, f"{text!r} attendu :\n{self.log}"
            time.sleep(0.2)

    def rebuilt(self, since: float, timeout: float = 180) -> dict:
        """The state of the first rebuild that started after ``since``."""
        deadline = time.monotonic() + timeout
        while True:
            state = live.read_state(self.out)
            if state.get("at", 0) > since:
                return state
            assert self.process.poll() is None, f"course live s'est arrêté :\n{self.log}"
            assert time.monotonic() < deadline, f"pas de reconstruction :\n{self.log}"
            time.sleep(0.2)

    def ready(self, timeout: float = 60) -> None:
        """Until the server answers (it prints its address just before listening)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None, f"course live s'est arrêté :\n{self.log}"
                assert time.monotonic() < deadline, f"le serveur ne répond pas :\n{self.log}"
                time.sleep(0.1)

    def get(self, page: str = PAGE):
        with urllib.request.urlopen(self.url(page), timeout=30) as response:
            return response.read().decode("utf-8"), dict(response.headers)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def source(tmp_path) -> Path:
    return copy_root("basic", tmp_path / "src")


@pytest.fixture
def server(source):
    running = Live(source)
    try:
        running.wait_for("site servi sur")
        running.ready()
        yield running
    finally:
        running.stop()


def change(src: Path, old: str, new: str) -> float:
    """Edit modules/alpha.md as a trainer saves it; returns when."""
    time.sleep(1.1)  # a new mtime, and the watcher's debounce, are seconds apart
    when = time.time()
    edit(src / "modules" / "alpha.md", old, new)
    return when


def test_a_failed_rebuild_keeps_the_last_good_page_with_a_banner(server, source):
    page, headers = server.get()
    assert GOOD_TEXT in page and "websocket-reload" in page
    assert "course-live-echec" not in page
    assert headers.get("cache-control") == "no-store"  # a reload never shows an old banner
    published = (server.out / PAGE).read_bytes()

    # the text and an error saved together: the new text must not be published
    when = change(source, f"{GOOD_TEXT}\n", f"{NEW_TEXT}\n")
    edit(source / "modules" / "alpha.md", FIXED, BROKEN)
    state = server.rebuilt(when)
    if state["ok"]:  # the watcher saw the first save alone: the next rebuild is the broken one
        state = server.rebuilt(state["at"])
    assert not state["ok"], server.log
    assert (server.out / PAGE).read_bytes() == published  # the last good page, untouched
    page, _ = server.get()
    assert GOOD_TEXT in page and NEW_TEXT not in page
    assert 'id="course-live-echec" role="alert"' in page
    assert "dernière version réussie du site, construite le" in page
    assert "alpha.md" in page and "inconnue" in page  # what to fix, and where
    assert "[live] la reconstruction a échoué" in server.log
    assert "Traceback" not in server.log

    when = change(source, BROKEN, FIXED)
    state = server.rebuilt(when)
    assert state["ok"], server.log
    page, _ = server.get()
    assert NEW_TEXT in page and "course-live-echec" not in page
    assert "[live] site à jour" in server.log


def test_an_open_page_reloads_and_shows_then_loses_the_banner(server, source, browser):
    page = browser.new_page()
    page.goto(server.url(PAGE))
    assert page.locator("#course-live-echec").count() == 0

    state = server.rebuilt(change(source, FIXED, BROKEN))
    assert not state["ok"], server.log
    banner = page.locator("#course-live-echec")
    banner.wait_for(state="visible", timeout=30_000)  # reloaded by the server, not by us
    assert banner.get_attribute("role") == "alert"
    assert "alpha.md" in banner.inner_text()
    assert GOOD_TEXT in page.content()

    state = server.rebuilt(change(source, BROKEN, FIXED))
    assert state["ok"], server.log
    banner.wait_for(state="detached", timeout=30_000)
    page.close()


def test_before_any_good_build_a_french_page_says_what_to_fix(source):
    edit(source / "modules" / "alpha.md", FIXED, BROKEN)
    running = Live(source)
    try:
        running.wait_for("site servi sur")
        running.ready()
        assert not live.read_state(running.out)["ok"]
        assert not running.out.exists()
        page, _ = running.get("")
        assert "Pas encore de site" in page
        assert "Aucune version réussie du site n'existe encore." in page
        assert "alpha.md" in page
    finally:
        running.stop()


def test_a_port_in_use_is_a_french_message(source):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "course", "live", str(source / "_build" / "live")]
            + ["--doctrees", str(source / "_build" / "d"), "--port", str(port), "--"]
            + ["sphinx", "-b", "html", str(source), "{out}"],
            capture_output=True,
            text=True,
            env=course_env(),
            timeout=120,
        )
    assert result.returncode == 1
    assert f"le port {port} est déjà utilisé" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_the_banner_lists_the_problems_escaped_and_at_most_twelve(tmp_path):
    out = tmp_path / "live"
    problems = [f"modules/m{i}.md:{i}: WARNING: <b>{i}</b>" for i in range(15)]
    live.write_state(out, 1, time.time(), problems)
    text = live.banner(out, live.read_state(out))
    assert "&lt;b&gt;0&lt;/b&gt;" in text and "<b>0</b>" not in text
    assert text.count("<li>") == 13  # twelve, then « … et 3 autre(s) »
    assert "et 3 autre(s)" in text
    live.write_state(out, 0, time.time(), [])
    assert live.banner(out, live.read_state(out)) == ""
    assert json.loads(live.state_path(out).read_text(encoding="utf-8"))["ok"] is True

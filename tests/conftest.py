"""Shared fixtures: tiny Sphinx projects and builds of the real site."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir():
    """Test roots for ``@pytest.mark.sphinx(testroot=...)``: tests/roots/test-<name>/."""
    return ROOTS


class Build:
    """The result of one Sphinx build: app, warnings and the output folder."""

    def __init__(self, app: SphinxTestApp, warnings: str):
        self.app, self.warnings = app, warnings
        self.outdir = Path(app.outdir)

    def html(self, page: str) -> str:
        return (self.outdir / page).read_text(encoding="utf-8")


def build(
    srcdir: Path,
    builddir: Path,
    edition: str = "apprenant",
    parallel: int = 0,
    freshenv: bool = True,
    **overrides,
) -> Build:
    """Build ``srcdir`` into ``builddir/html``; warnings are captured, not raised."""
    warnings = io.StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        builddir=builddir,
        freshenv=freshenv,
        parallel=parallel,
        confoverrides={"course_edition": edition, **overrides},
        status=io.StringIO(),
        warning=warnings,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app, strip_colors(warnings.getvalue()))


def copy_root(name: str, dest: Path) -> Path:
    """Copy tests/roots/test-<name> into ``dest`` and return the copy."""
    target = dest / name
    shutil.copytree(ROOTS / f"test-{name}", target)
    return target


def built_clean(name: str, dest: Path, edition: str = "apprenant", **options) -> Build:
    """Copy tests/roots/test-<name> into ``dest``, build it, assert that it warns of nothing."""
    src = copy_root(name, dest)
    result = build(src, src / "_build", edition=edition, **options)
    assert result.warnings == "", result.warnings
    return result


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# -- offline check: what a page would load from elsewhere -------------------------------------

RESOURCE_ATTRS = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "track": ["src"],
    "input": ["src"],
}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.I)


def is_external(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or bool(re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I))


def external_resources(html: str) -> list[str]:
    """Every URL on another host that the page would load (not plain links)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    found = []
    for tag, attrs in RESOURCE_ATTRS.items():
        for element in soup.find_all(tag):
            if tag == "link" and "alternate" in (element.get("rel") or []):
                continue
            for attr in attrs:
                for url in re.split(r",\s*", element.get(attr, "") or ""):
                    url = url.split()[0] if url.split() else ""
                    if url and is_external(url):
                        found.append(f"<{tag} {attr}={url}>")
    for style in soup.find_all("style"):
        found += [u for u in CSS_URL.findall(style.get_text()) if is_external(u)]
    for element in soup.find_all(style=True):
        found += [u for u in CSS_URL.findall(element["style"]) if is_external(u)]
    return found


def external_css(css: str) -> list[str]:
    return [u for u in CSS_URL.findall(css) if is_external(u)]


# -- browser and Node tools: skipped with a reason on a machine without them, mandatory in CI --

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NODE_MODULES = ROOT / "node_modules"


def require_tool(available: bool, reason: str) -> None:
    """Skip the calling test when a tool is missing, unless CI demands it (then fail)."""
    import os

    if available:
        return
    if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (obligatoire en CI : voir .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    require_tool(CHROMIUM is not None, "Chromium absent : sudo apt install chromium")
    return CHROMIUM


@pytest.fixture(scope="session")
def node_modules() -> Path:
    require_tool(
        (NODE_MODULES / ".package-lock.json").exists(),
        "outils npm absents : lancez `npm ci` à la racine du dépôt",
    )
    return NODE_MODULES


# -- the real site, both editions, built once per session (tests/test_site.py, test_quality.py) --


def publish_command(outdir: Path, doctrees: Path, *options: str, source: Path = ROOT) -> list:
    """What ``make html`` runs: the atomic publish of ``course sphinx`` (-W --keep-going -n)."""
    return [
        sys.executable,
        "-m",
        "course",
        "publish",
        str(outdir),
        "--doctrees",
        str(doctrees),
        "--incremental",
        "--",
        "sphinx",
        "-b",
        "html",
        "-W",
        "--keep-going",
        "-n",
        "-d",
        "{doctrees}",
        *options,
        str(source),
        "{out}",
    ]


def course_env() -> dict:
    """The environment of a subprocess that must import this checkout's ``course``."""
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def sphinx_build(outdir: Path, *options: str) -> subprocess.CompletedProcess:
    """Build the repository's site into ``outdir`` as ``make html`` does (publish, -j auto)."""
    doctrees = outdir.parent / f"doctrees-{outdir.name}"
    return subprocess.run(
        publish_command(outdir, doctrees, "-j", "auto", *options),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=course_env(),
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Both editions, built one after the other (they share the generated exercices/).

    Session-scoped: tests that use it are marked ``xdist_group("site")`` so that one worker
    builds the site once for all of them.
    """
    base = tmp_path_factory.mktemp("site")
    learner = sphinx_build(base / "html")
    trainer = sphinx_build(base / "formateur", "-D", "course_edition=formateur")
    return {"html": (base / "html", learner), "formateur": (base / "formateur", trainer)}


@pytest.fixture(scope="session")
def exported(site, tmp_path_factory):
    """The LMS export (``make lms``) of the learner edition of the session's real site."""
    import json
    from argparse import Namespace

    from course.lms import cli

    learner, result = site["html"]
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path_factory.mktemp("lms-site") / "lms"
    assert cli.main(Namespace(site=str(learner), out=str(out))) == 0
    course = json.loads((learner / "_course" / "cours.json").read_text(encoding="utf-8"))
    return {"site": learner, "out": out, "course": course}


# what Sphinx prints when an extension crashes: a bad source must never look like that
CRASH_BANNER = re.compile(r"Traceback|error!|To report this error|full traceback has been saved")


def failed_build(src: Path, capsys, *options: str) -> str:
    """Run ``course sphinx -W --keep-going`` (what ``make`` runs) as a user would; assert it
    fails without Sphinx's crash banner; return stderr."""
    from course.sphinxext import command

    code = command.main(
        ["-b", "html", "-W", "--keep-going", "-q", *options, str(src), str(src / "_fail")]
    )
    err = capsys.readouterr().err
    assert code != 0, err
    assert not CRASH_BANNER.search(err), err
    return err


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in a test copy of a source file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    import quality
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=quality.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def solution_lines() -> list[str]:
    """Distinctive lines of every exercise's solutions: none may reach a learner output."""
    from course import exercises, notebooks

    lines = []
    for path in exercises.discover(ROOT / "exercises"):
        ex = exercises.load(path, ROOT / "exercises" / "donnees")
        for text in notebooks.solution_texts(ex.source):
            lines += [
                line.strip()
                for line in text.splitlines()
                if len(line.strip()) > 15 and not line.strip().startswith("#")
            ]
    return lines

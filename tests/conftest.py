"""Shared fixtures: tiny Sphinx projects and builds of the real site."""

from __future__ import annotations

import io
import shutil
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


def build(srcdir: Path, builddir: Path, edition: str = "apprenant", parallel: int = 0,
          freshenv: bool = True, **overrides) -> Build:
    """Build ``srcdir`` into ``builddir/html``; warnings are captured, not raised."""
    warnings = io.StringIO()
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=builddir, freshenv=freshenv, parallel=parallel,
        confoverrides={"course_edition": edition, **overrides},
        status=io.StringIO(), warning=warnings,
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


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path

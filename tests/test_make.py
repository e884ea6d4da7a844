"""``make test`` installs the npm test tools and says how to get the system ones."""

from __future__ import annotations

import shutil
import subprocess

from conftest import ROOT

MAKE = shutil.which("make")


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MAKE, "-o", ".venv/.installed", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )


def test_make_test_installs_the_npm_tools_before_running_the_tests():
    dry = make("-n", "-W", "package-lock.json", "test").stdout  # as if the lock file changed
    assert "npm ci --no-audit --no-fund" in dry
    assert dry.index("npm ci") < dry.index("-m pytest")


def test_make_test_says_how_to_get_chromium_java_and_npm(tmp_path):
    empty_path = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no npm, chromium, java
    said = make("-s", "-W", "package-lock.json", "test-tools", env=empty_path).stdout
    assert "npm absent : les tests navigateur et LMS seront ignorés" in said
    assert "sudo apt install npm" in said
    assert "Chromium absent" in said and "sudo apt install chromium" in said
    assert "Java absent" in said and "sudo apt install default-jre-headless" in said

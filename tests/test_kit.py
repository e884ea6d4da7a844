"""course.kit: what a learner download says to install, consistent with the project's pins."""

from __future__ import annotations

import tomllib

from conftest import ROOT
from packaging.requirements import Requirement

from course import kit


def test_requirements_have_the_lower_bounds_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["learner"]
    by_name = {Requirement(line).name: str(Requirement(line).specifier) for line in declared}
    for line in kit.REQUIREMENTS:
        requirement = Requirement(line)
        assert str(requirement.specifier) == by_name[requirement.name], line
        assert str(requirement.specifier).startswith(">="), "lower bounds only"


def test_pinned_versions_satisfy_the_requirements():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, pinned = line.split("==", 1)
            pins[name.strip().lower()] = pinned.split(";")[0].strip()
    checked = 0
    for line in kit.REQUIREMENTS:
        requirement = Requirement(line)
        if requirement.name in pins:
            assert requirement.specifier.contains(pins[requirement.name]), line
            checked += 1
    assert checked >= 2  # pandas and matplotlib are pinned


def test_guide_without_links_says_how_to_install_and_open():
    text = kit.guide("Exercice : seuil", "seuil.ipynb", data=False)
    assert "python -m pip install -r requirements.txt" in text
    assert "jupyter lab seuil.ipynb" in text
    assert "donnees/" not in text and "En ligne" not in text

"""A learner's download runs in a fresh virtual environment, following only its own
« Avant de commencer »: ``python3 -m venv .venv``, ``pip install -r requirements.txt``, then
the notebook (executed here by the nbconvert that JupyterLab brings, as « run all » would).

Needs the package index (pip): skipped with the reason where it cannot be reached, mandatory
in CI. One venv for all the exercises (the same requirements in every download).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, require_tool

from course import kit

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site")]

DOWNLOADS = ROOT / "exercices" / "_telechargements"


@pytest.fixture(scope="module")
def fresh_venv(site, tmp_path_factory):
    """A new venv (no site packages) with exactly what requirements.txt asks for."""
    assert site["html"][1].returncode == 0, site["html"][1].stderr[-3000:]
    venv = tmp_path_factory.mktemp("apprenant") / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    requirements = tmp_path_factory.mktemp("req") / kit.REQUIREMENTS_FILE
    requirements.write_text(kit.requirements_txt(), encoding="utf-8")
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-r", str(requirements)],
        capture_output=True,
        text=True,
    )
    require_tool(
        done.returncode == 0,
        "pip install -r requirements.txt impossible ici (index des paquets injoignable ?) : "
        + done.stderr.strip()[-300:],
    )
    return venv


def learner_zips() -> list:
    return sorted(p for p in DOWNLOADS.glob("*.zip") if not p.stem.endswith("-corrige"))


def test_every_learner_download_runs_in_a_fresh_venv_with_its_own_instructions(
    fresh_venv, tmp_path
):
    zips = learner_zips()
    assert len(zips) >= 6, zips
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{fresh_venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            archive.extractall(tmp_path)
        folder = tmp_path / path.stem
        guide = (folder / kit.GUIDE_FILE).read_text(encoding="utf-8")
        assert f"pip install -r {kit.REQUIREMENTS_FILE}" in guide
        assert (folder / kit.REQUIREMENTS_FILE).read_text() == kit.requirements_txt()
        notebook = f"{path.stem}.ipynb"
        assert f"{path.stem}/{notebook}" in names
        done = subprocess.run(
            ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--output", "run.ipynb"]
            + ["--ExecutePreprocessor.timeout=120", notebook],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (path.name, done.stderr[-3000:])
        ran = json.loads((folder / "run.ipynb").read_text(encoding="utf-8"))
        texts = [
            "".join(out.get("text", ""))
            for cell in ran["cells"]
            if cell["cell_type"] == "code"
            for out in cell.get("outputs", [])
        ]
        errors = [
            out
            for cell in ran["cells"]
            for out in cell.get("outputs", [])
            if out.get("output_type") == "error"
        ]
        assert not errors, (path.name, errors[:1])
        checks = [
            line
            for text in texts
            for line in text.splitlines()
            if line.startswith(("✏️", "✅", "❌"))  # verif.verifier's three answers
        ]
        assert checks, f"{path.name} : aucune vérification exécutée"
        # a learner who has written nothing yet: every check waits for an answer
        assert all("à compléter" in line for line in checks), (path.name, checks)

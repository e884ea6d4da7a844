"""deploy/ (Zero to JupyterHub) and binder/ are checked as far as this machine allows.

No Docker engine, Helm or Kubernetes here: the image is not built and the chart not
rendered. What is checked: the image's Dockerfile installs its requirements with the
course's pins; those requirements, resolved by pip with those pins, give exactly the versions
the tests run with (the workshop hub of tests/test_hub.py); the Helm values use the course's
launch link format, its trainer account and limits; Binder's files still match the course.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import ROOT, require_tool
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course import kit
from course.hub import contents, links
from course.hub.settings import TRAINER

DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "image" / "Dockerfile"
IMAGE_REQUIREMENTS = DEPLOY / "image" / "requirements.txt"
VALUES = DEPLOY / "kubernetes" / "values.yaml"
LAB_SETTINGS = "course/hub/lab/overrides.json"
# the chart's top-level keys (its values.schema.yaml: additionalProperties is false)
CHART_KEYS = {
    "enabled", "fullnameOverride", "nameOverride", "imagePullSecret", "imagePullSecrets",
    "hub", "proxy", "singleuser", "scheduling", "ingress", "prePuller", "custom", "cull",
    "debug", "rbac", "global",
}  # fmt: skip


def names(path: Path) -> set[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {canonicalize_name(Requirement(line).name) for line in lines if line}


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            found[canonicalize_name(name)] = version.strip()
    return found


def dockerfile_problems(text: str) -> list[str]:
    """What would make the image differ from the course's tested environment."""
    problems = []
    if not re.search(rf"^FROM python:{re.escape(contents.PYTHON)}-", text, re.M):
        problems.append(f"l'image ne part pas de Python {contents.PYTHON}")
    copy = re.search(r"^COPY constraints\.txt deploy/image/requirements\.txt (\S+)/$", text, re.M)
    if not copy:
        problems.append("constraints.txt et requirements.txt ne sont pas copiés ensemble")
    else:
        folder = copy.group(1)
        install = (
            rf"pip install [^\n]*-c {folder}/constraints\.txt\s*\\?\s*-r {folder}/requirements"
        )
        if not re.search(install, text):
            problems.append("pip n'installe pas requirements.txt avec les versions figées")
    if f"COPY {LAB_SETTINGS} /usr/local/share/jupyter/lab/settings/overrides.json" not in text:
        problems.append("réglages de JupyterLab (français) absents")
    if 'CMD ["jupyterhub-singleuser"]' not in text:
        problems.append("le conteneur ne lance pas jupyterhub-singleuser")
    if "NBGITPULLER_APP=lab" not in text:
        problems.append("nbgitpuller n'ouvre pas JupyterLab")
    return problems


def test_dockerfile_installs_the_pinned_requirements():
    assert dockerfile_problems(DOCKERFILE.read_text()) == []
    assert (ROOT / LAB_SETTINGS).is_file()


def test_dockerfile_check_catches_an_unpinned_install():
    text = DOCKERFILE.read_text()
    unpinned = text.replace("-c /tmp/cours/constraints.txt", "")
    assert dockerfile_problems(unpinned) == [
        "pip n'installe pas requirements.txt avec les versions figées"
    ]
    assert "l'image ne part pas de Python 3.11" in dockerfile_problems(
        text.replace("FROM python:3.11-", "FROM python:3.13-")
    )


def test_image_requirements_cover_the_notebooks_and_the_hub():
    wanted = names(IMAGE_REQUIREMENTS)
    for line in kit.REQUIREMENTS:  # what the notebooks import
        assert canonicalize_name(Requirement(line).name) in wanted, line
    assert {"jupyterhub", "nbgitpuller", "jupyterlab-language-pack-fr-fr"} <= wanted
    pinned = pins()
    assert wanted <= set(pinned), wanted - set(pinned)


@pytest.mark.slow
def test_image_resolves_to_the_versions_the_tests_run(tmp_path):
    """pip resolves the image's requirements with constraints.txt (what ``docker build``
    runs): every package must come out at the version installed here and be pinned."""
    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        + ["--disable-pip-version-check", "--report", str(report)]
        + ["-c", str(ROOT / "constraints.txt"), "-r", str(IMAGE_REQUIREMENTS)],
        capture_output=True,
        text=True,
    )
    require_tool(
        done.returncode == 0,
        "pip ne peut pas résoudre l'image ici (index des paquets injoignable ?) : "
        + done.stderr.strip()[-300:],
    )
    resolved = {
        canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    pinned = pins()
    assert names(IMAGE_REQUIREMENTS) <= set(resolved)
    unpinned = sorted(set(resolved) - set(pinned))
    assert unpinned == [], "paquets de l'image sans version figée dans constraints.txt"
    different = {
        name: (version, metadata.version(name))
        for name, version in resolved.items()
        if version != metadata.version(name)
    }
    assert different == {}, "l'image n'aurait pas les versions des tests"


def test_helm_values_use_the_courses_link_account_and_limits():
    values = yaml.safe_load(VALUES.read_text())
    assert set(values) <= CHART_KEYS, set(values) - CHART_KEYS
    user = values["singleuser"]
    # after signing in: the same pull as the exercise links, into the same folder
    url = urlsplit(user["defaultUrl"])
    assert url.path == "/git-pull"
    query = parse_qs(url.query)
    repo = query["repo"][0]
    folder = links.target_folder(repo)
    assert url.query == links.git_pull_query(repo, "main", f"lab/tree/{folder}")
    assert user["extraEnv"]["NBGITPULLER_APP"] == "lab"
    assert user["extraEnv"]["OMP_NUM_THREADS"] == "1"

    def size(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)([KMG]?)", str(text)).groups()
        return float(number) * {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}[unit]

    assert size(user["memory"]["guarantee"]) <= size(user["memory"]["limit"])
    assert float(user["cpu"]["guarantee"]) <= float(user["cpu"]["limit"])
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    config = values["hub"]["config"]
    assert config["Authenticator"]["admin_users"] == [TRAINER]
    workshop = (ROOT / "course" / "hub" / "jupyterhub_config.py").read_text()
    spawn = re.search(r"implicit_spawn_seconds = ([\d.]+)", workshop).group(1)
    assert config["JupyterHub"]["implicit_spawn_seconds"] == float(spawn)

    def keys(tree):
        return [k for k, v in tree.items() for k in [k, *keys(v)]] if isinstance(tree, dict) else []

    assert not [k for k in keys(values) if "password" in k.lower() or "secret" in k.lower()]


def test_binder_files_still_match_the_course():
    import tomllib

    post_build = (ROOT / "binder" / "postBuild").read_text()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    extra = re.search(r'-e "\.\[(\w+)\]"', post_build).group(1)
    assert extra in extras
    assert "python -m course notebooks --out notebooks" in post_build
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == f"python-{contents.PYTHON}"
    from course import cli

    with pytest.raises(SystemExit) as done:  # the command postBuild runs exists
        cli.main(["notebooks", "--help"])
    assert done.value.code == 0

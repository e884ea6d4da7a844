"""A real JupyterHub serves every exercise through the launch link the site prints.

One hub for the module (``course.hub.server.WorkshopHub``, what ``make hub`` starts), on
127.0.0.1: the learner notebooks of ``python -m course notebooks`` committed to a git
repository that ``git daemon`` serves from this machine, configurable-http-proxy from
``node_modules`` (npm ci), one account per exercise. In Debian's Chromium, each learner opens
their exercise's nbgitpuller link as printed on the exercise page, logs in on the hub's French
page, is redirected to JupyterLab, runs every cell from the menu and saves: every check must
say « à compléter ». A second click must keep the learner's edits while bringing the course's
updates (nbgitpuller's merge).

Skipped with the reason where npm's proxy or Chromium is missing; mandatory in CI.
"""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import hubcheck
import psutil
import pytest
from conftest import ROOT, require_tool

from course import cli, exercises
from course.hub import repository
from course.hub.process import free_port
from course.hub.server import HubError, WorkshopHub, find_proxy
from course.sphinxext.config import OPTIONS
from course.sphinxext.exercises import launch_links

EXERCISES = [
    exercises.load(path, ROOT / "exercises" / "donnees")
    for path in exercises.discover(ROOT / "exercises")
]


def site_config(hub: WorkshopHub) -> SimpleNamespace:
    """The course's configuration of an organisation whose hub is this one."""
    values = {opt.name: opt.default for opt in OPTIONS}
    values.update(course_jupyterhub_url=hub.url, course_notebooks_repo=hub.settings.repo_url)
    return SimpleNamespace(**values)


def hub_link(hub: WorkshopHub, slug: str) -> str:
    [(url, label)] = launch_links(site_config(hub), slug)
    assert label == "Ouvrir sur le JupyterHub de votre organisation"
    return url


@pytest.fixture(scope="module")
def hub(tmp_path_factory, chromium_path):
    require_tool(
        find_proxy(ROOT) is not None,
        "configurable-http-proxy absent : lancez `npm ci` à la racine du dépôt",
    )
    require_tool(repository.git_available(), "git absent : sudo apt install git")
    base = tmp_path_factory.mktemp("hub")
    notebooks = base / "notebooks"
    source = str(ROOT / "exercises")
    assert cli.main(["notebooks", "--source", source, "--out", str(notebooks)]) == 0
    port = free_port()
    workshop = WorkshopHub(
        notebooks,
        base / "etat",
        learners=len(EXERCISES),
        ip="127.0.0.1",
        port=port,
        root=ROOT,
        git_port=free_port(),
    )
    workshop.start()
    yield workshop
    workshop.stop()


def open_every_exercise(hub: WorkshopHub, browser) -> list[SimpleNamespace]:
    """Each learner clicks their exercise's link, logs in, runs every cell and saves."""
    opened = []
    for user, ex in zip(hub.settings.learners, EXERCISES, strict=True):
        context = browser.new_context()
        page = context.new_page()
        page.goto(hub_link(hub, ex.slug))
        hubcheck.log_in(page, user, hub.settings.user_password)
        path = f"{hub.settings.folder}/{ex.slug}/{ex.slug}.ipynb"
        opened.append(
            SimpleNamespace(
                user=user,
                ex=ex,
                context=context,
                page=page,
                url_end=f"/user/{user}/lab/tree/{path}",
                file=hub.settings.home(user) / path,
            )
        )
    # the six servers start, pull and open JupyterLab at the same time
    for learner in opened:
        hubcheck.wait_for_notebook(learner.page, learner.url_end)
    for learner in opened:
        hubcheck.run_all(learner.page)
    for learner in opened:
        hubcheck.wait_until_run(learner.page)
        hubcheck.save(learner.page)
    return opened


def check_first_run(learner) -> None:
    """JupyterLab opened the exercise, with its data, in French; it ran to the end."""
    page, ex = learner.page, learner.ex
    assert page.url.endswith(learner.url_end), page.url
    assert page.get_by_role("menuitem", name="Exécution", exact=True).is_visible()
    home = learner.file.parent
    for name in ex.donnees:
        assert (home / "donnees" / name).is_file(), (ex.slug, name)
    if ex.donnees:
        listing = page.locator(".jp-DirListing-item").all_inner_texts()
        assert any("donnees" in item for item in listing), listing
    assert (home / "verif.py").is_file()
    titles = [check["titre"] for check in ex.verifications]
    assert len(titles) >= 1
    assert hubcheck.problems(learner.file, titles) == [], ex.slug
    # what the learner sees under the checks
    shown = page.locator(".jp-OutputArea-output").filter(has_text="à compléter").count()
    assert shown >= len(titles), (ex.slug, shown)


def check_limits(hub: WorkshopHub, learners: list) -> None:
    """Every learner's kernel runs with the hub's address-space limit and one thread."""
    import resource

    kernels = [
        proc
        for proc in psutil.process_iter(["cmdline", "environ"])
        if "ipykernel_launcher" in " ".join(proc.info["cmdline"] or [])
        and str(hub.settings.state) in (proc.info["environ"] or {}).get("HOME", "")
    ]
    assert len(kernels) >= len(learners)
    for proc in kernels:
        assert proc.rlimit(resource.RLIMIT_AS) == (hub.settings.memory_limit,) * 2
        assert proc.info["environ"]["OMP_NUM_THREADS"] == "1"


def check_second_click(hub: WorkshopHub, learner, other) -> None:
    """A second click keeps the learner's edits and brings the course's updates."""
    page = learner.page
    # the learner writes in the first answer cell, then saves
    cell = page.locator(".jp-CodeCell").filter(has_text="Écrivez votre code ici").first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nmon_essai = 2014  # écrit par l'apprenant")
    hubcheck.save(page)
    assert "mon_essai = 2014" in learner.file.read_text(encoding="utf-8")
    # and removes another exercise's notebook (a click must bring it back, fresh)
    removed = learner.file.parents[1] / other.ex.slug / f"{other.ex.slug}.ipynb"
    removed.unlink()
    # the organisation updates the course meanwhile
    readme = hub.notebooks / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nMise à jour du cours.\n")
    repository.commit(hub.notebooks, hub.repo_path, "Mise à jour")
    page.goto(hub_link(hub, learner.ex.slug))
    hubcheck.wait_for_notebook(page, learner.url_end)
    assert "mon_essai = 2014" in learner.file.read_text(encoding="utf-8")
    assert page.locator(".jp-CodeCell").filter(has_text="mon_essai = 2014").count() == 1
    clone = learner.file.parents[1]
    assert "Mise à jour du cours." in (clone / "README.md").read_text(encoding="utf-8")
    assert removed.is_file()
    assert "mon_essai" not in removed.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.browser
def test_a_real_hub_serves_every_exercise_through_its_link(hub, browser):
    """One test, so that one worker starts one hub: pytest-xdist's groups do not hold with
    pytest 9 (see ARCHITECTURE.md), and a second hub would double the cost."""
    learners = []
    try:
        learners = open_every_exercise(hub, browser)
        assert len(learners) == len(EXERCISES) == 6
        for learner in learners:
            check_first_run(learner)
        check_limits(hub, learners)
        check_second_click(hub, learners[0], learners[1])
    finally:
        for learner in learners:
            learner.context.close()


# -- without a browser ----------------------------------------------------------------------


def test_problems_names_each_failure(tmp_path):
    """The check of a run notebook fails on an error, a missing check and a given answer."""
    import nbformat

    def run(outputs):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("verifier(...)", execution_count=1)
        cell.outputs = outputs
        nb.cells = [cell]
        path = tmp_path / "nb.ipynb"
        nbformat.write(nb, path)
        return hubcheck.problems(path, ["Question 1", "Question 2"])

    def text(value):
        return nbformat.v4.new_output("stream", name="stdout", text=value)

    good = [text("✏️ Question 1 : à compléter.\n✏️ Question 2 : à compléter.\n")]
    assert run(good) == []
    assert run([text("✏️ Question 1 : à compléter.\n")]) == [
        "pas de « à compléter » pour Question 2"
    ]
    error = nbformat.v4.new_output("error", ename="FileNotFoundError", evalue="x", traceback=[])
    assert "erreur : FileNotFoundError: x" in run([*good, error])
    answered = [*good, text("✅ Question 3 : correct.\n")]
    assert run(answered) == ["réponse inattendue : ✅ Question 3 : correct."]


def test_repository_commits_only_changes_and_serves_them_over_git(tmp_path):
    require_tool(repository.git_available(), "git absent : sudo apt install git")
    folder = tmp_path / "notebooks"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "a.ipynb").write_text("{}")
    repo = tmp_path / "depot" / "notebooks.git"
    first = repository.commit(folder, repo)
    assert repository.commit(folder, repo) == first  # nothing changed: no commit
    (folder / "README.md").write_text("# Exercices\n")
    second = repository.commit(folder, repo)
    assert second != first
    assert repository.files(repo) == ["README.md", "a/a.ipynb"]
    with repository.GitDaemon(repo.parent, tmp_path / "daemon.log") as daemon:
        clone = tmp_path / "clone"
        done = subprocess.run(
            ["git", "clone", "--quiet", daemon.url("notebooks.git"), str(clone)],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    assert (clone / "a" / "a.ipynb").read_text() == "{}"
    assert not daemon.server.alive()


def test_hub_refuses_missing_notebooks_and_a_busy_port_in_french(tmp_path):
    require_tool(find_proxy(ROOT) is not None, "configurable-http-proxy absent : lancez `npm ci`")
    with pytest.raises(HubError, match="notebooks introuvables .* make notebooks"):
        WorkshopHub(tmp_path / "rien", tmp_path / "etat", root=ROOT, ip="127.0.0.1").start()
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "README.md").write_text("# x\n")
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        hub = WorkshopHub(tmp_path / "nb", tmp_path / "etat", ip="127.0.0.1", port=port, root=ROOT)
        hub.git_port = free_port()
        with pytest.raises(HubError, match=f"le port {port} est déjà utilisé"):
            hub.start()


def test_hub_without_the_proxy_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    hub = WorkshopHub(tmp_path, tmp_path / "etat", root=tmp_path, ip="127.0.0.1")
    with pytest.raises(HubError, match="configurable-http-proxy introuvable .*npm ci"):
        hub.start()


@pytest.mark.slow
def test_make_hub_command_prints_the_access_then_stops_cleanly_on_ctrl_c(tmp_path):
    """``python -m course hub`` (what ``make hub`` runs): ready, reachable, stopped by SIGINT."""
    import signal
    import sys
    import time
    import urllib.request

    from conftest import course_env

    require_tool(
        find_proxy(ROOT) is not None,
        "configurable-http-proxy absent : lancez `npm ci` à la racine du dépôt",
    )
    notebooks = tmp_path / "notebooks"
    source = str(ROOT / "exercises")
    assert cli.main(["notebooks", "--source", source, "--out", str(notebooks)]) == 0
    port, state, out = free_port(), tmp_path / "etat", tmp_path / "sortie.txt"
    command = [
        *(sys.executable, "-m", "course", "hub", "--notebooks", str(notebooks)),
        *("--state", str(state), "--learners", "3", "--ip", "127.0.0.1"),
        *("--port", str(port), "--git-port", str(free_port()), "--source", source),
    ]
    with open(out, "w") as log:  # a file, never a pipe: the hub keeps running
        proc = subprocess.Popen(command, cwd=ROOT, env=course_env(), stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while "Hub de l'atelier prêt" not in out.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, out.read_text()
            time.sleep(0.5)
        shown = out.read_text()
        assert f"http://127.0.0.1:{port}/" in shown
        assert "apprenant01 à apprenant03" in shown and "Ctrl-C" in shown
        access = (state / "ACCES.txt").read_text(encoding="utf-8")
        for ex in EXERCISES:
            assert f"urlpath=lab%2Ftree%2Fnotebooks-apprenant%2F{ex.slug}%2F" in access
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/hub/login", timeout=30).read()
        assert "Connexion à l'atelier" in page.decode()
        hub_pid = int((state / "jupyterhub.pid").read_text())
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(60)
    assert code == 0, out.read_text()
    assert out.read_text().rstrip().endswith("Hub arrêté.")
    assert not psutil.pid_exists(hub_pid) or psutil.Process(hub_pid).status() == "zombie"


def test_hub_command_error_is_one_french_line_and_exit_1(tmp_path, capsys):
    from course import cli as course_cli

    code = course_cli.main(
        ["hub", "--notebooks", str(tmp_path / "rien"), "--state", str(tmp_path / "etat")]
        + ["--ip", "127.0.0.1", "--port", str(free_port()), "--git-port", str(free_port())]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "Erreur : " in err and "Traceback" not in err
    assert "rien" in err or "configurable-http-proxy" in err  # names what is missing


def test_the_readmes_publishing_steps_publish_the_folder(tmp_path):
    """The organisation's README says how to publish; those very commands work (twice)."""
    import os
    import shlex

    from course.hub import contents

    require_tool(repository.git_available(), "git absent : sudo apt install git")
    env = {**os.environ, **repository.AUTHOR, "GIT_CONFIG_NOSYSTEM": "1"}
    forge = tmp_path / "forge.git"
    subprocess.run(["git", "init", "--bare", "-q", "-b", "main", str(forge)], check=True)
    course = tmp_path / "cours"
    notebooks = course / "_build" / "notebooks"

    def publish(steps, unchanged=False):
        for step in steps:
            if step == "make notebooks":  # what make notebooks runs
                source = str(ROOT / "exercises")
                assert cli.main(["notebooks", "--source", source, "--out", str(notebooks)]) == 0
                continue
            command = shlex.split(step.format(url=forge, depot=tmp_path / "depot"))
            done = subprocess.run(command, cwd=course, env=env, capture_output=True, text=True)
            if unchanged and " commit " in step:  # what the README says « nothing to commit » is
                assert done.returncode == 1 and "nothing to commit" in done.stdout
            else:
                assert done.returncode == 0, (step, done.stderr)

    course.mkdir()
    publish(contents.PUBLISH_STEPS)
    readme = (notebooks / "README.md").read_text(encoding="utf-8")
    for step in contents.PUBLISH_STEPS:  # the README shows these commands
        example = step.format(url=contents.EXAMPLE_URL, depot=contents.EXAMPLE_DEPOT)
        assert example in readme
    published = repository.files(forge)
    assert {"README.md", ".gitignore", "requirements.txt", "runtime.txt"} <= set(published)
    for ex in EXERCISES:
        assert f"{ex.slug}/{ex.slug}.ipynb" in published and f"{ex.slug}/verif.py" in published
    # an exercise removed from the course disappears at the next publication
    gone = EXERCISES[0].slug
    publish(contents.PUBLISH_STEPS[2:], unchanged=True)  # the same folder again
    assert repository.files(forge) == published
    shutil.rmtree(notebooks / gone)
    publish(contents.PUBLISH_STEPS[2:])
    assert not any(name.startswith(f"{gone}/") for name in repository.files(forge))


def test_clones_follow_the_repository_when_its_address_changes(tmp_path):
    """A learner's clone made while git daemon used another port is pointed at the new one
    (nbgitpuller fetches from the clone's origin, not from the link)."""
    require_tool(repository.git_available(), "git absent : sudo apt install git")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "README.md").write_text("# Exercices\n")
    repo = tmp_path / "depot" / "notebooks.git"
    repository.commit(folder, repo)
    clone = tmp_path / "apprenants" / "apprenant01" / "notebooks"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    assert repository.retarget([clone], str(repo)) == []  # already right: untouched
    with repository.GitDaemon(repo.parent, tmp_path / "daemon.log") as daemon:
        url = daemon.url("notebooks.git")
        assert repository.retarget([clone], url) == [clone]
        (folder / "README.md").write_text("# Exercices, mis à jour\n")
        repository.commit(folder, repo)
        subprocess.run(["git", "-C", str(clone), "pull", "-q"], check=True)
    assert "mis à jour" in (clone / "README.md").read_text()

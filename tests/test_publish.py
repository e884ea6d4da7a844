"""Atomic publish (course/publish.py) and errors told without Sphinx's crash banner.

The builds run as ``make html`` runs them: ``python -m course publish … -- sphinx …`` in a
subprocess, on tiny copies of tests/roots.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CRASH_BANNER, copy_root, course_env, edit, publish_command

from course import exercises, publish

KEPT = re.compile(
    r"le site précédent, construit le \d{1,2} \w+ \d{4} à \d{1,2} h \d{2}, est conservé : "
    r"_build/html"
)


def tree(path: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``path``: its SHA-256 and mtime (byte-identical and untouched)."""
    return {
        str(p.relative_to(path)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def make_html(src: Path, *options: str, wait: bool = True):
    """``make html`` on ``src`` (relative paths, as the Makefile gives them)."""
    command = publish_command(
        Path("_build/html"), Path("_build/doctrees/html"), "-q", *options, source=Path(".")
    )
    if not wait:
        return subprocess.Popen(
            command, cwd=src, env=course_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    return subprocess.run(command, cwd=src, env=course_env(), capture_output=True, text=True)


def leftovers(src: Path) -> list[str]:
    """Staging or half-swapped folders left behind."""
    return sorted(
        str(p.relative_to(src))
        for p in (src / "_build").rglob(".*")
        if p.suffix in {".staging", ".old"}
    )


@pytest.fixture
def built(tmp_path):
    """A copy of test-basic with a good published learner edition."""
    src = copy_root("basic", tmp_path)
    result = make_html(src)
    assert result.returncode == 0, result.stderr
    assert (src / "_build/html/modules/alpha.html").exists()
    return src


def test_a_broken_source_keeps_the_previous_site_then_the_fix_is_published(built):
    site, doctrees = tree(built / "_build/html"), tree(built / "_build/doctrees/html")
    alpha = built / "modules/alpha.md"
    good = alpha.read_text("utf-8")
    edit(alpha, "duree_lecture: 30\n", "")
    for _ in range(2):  # the doctrees were not kept either: the error is reported again
        failed = make_html(built)
        assert failed.returncode != 0
        assert re.search(r"modules/alpha\.md:\d+: WARNING: .*duree_lecture", failed.stderr)
        assert "Échec de la construction de _build/html : " in failed.stderr
        assert KEPT.search(failed.stderr), failed.stderr
        assert not CRASH_BANNER.search(failed.stderr), failed.stderr
        assert tree(built / "_build/html") == site
        assert tree(built / "_build/doctrees/html") == doctrees
        assert leftovers(built) == []

    alpha.write_text(good.replace("# Module alpha", "# Module alpha corrigé"), "utf-8")
    fixed = make_html(built)
    assert fixed.returncode == 0, fixed.stderr
    assert "Module alpha corrigé" in (built / "_build/html/modules/alpha.html").read_text("utf-8")
    assert leftovers(built) == []


def test_a_build_without_changes_rewrites_no_page(built):
    """The staging folder starts as a copy with mtimes kept: Sphinx stays incremental."""
    before = tree(built / "_build/html")
    again = make_html(built)
    assert again.returncode == 0, again.stderr
    after = tree(built / "_build/html")
    additional = {"genindex.html", "search.html"}  # Sphinx writes these every time
    pages = [name for name in before if name.endswith(".html") and name not in additional]
    assert pages and all(after[name] == before[name] for name in pages)


SLOW = """
import pathlib, time

def setup(app):
    pages = []

    def slow(app, pagename, templatename, context, doctree):
        pages.append(pagename)
        if len(pages) == 2:  # one page already written in the staging folder
            pathlib.Path(app.srcdir, "started").touch()
            time.sleep(120)

    app.connect("html-page-context", slow)
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_keeps_the_previous_site_and_a_second_build_is_refused(built, sig):
    site = tree(built / "_build/html")
    with (built / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(SLOW)  # a changed configuration: every page is written again
    running = make_html(built, wait=False)
    deadline = time.monotonic() + 90
    while not (built / "started").exists():
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, "the slow build never started writing"
        time.sleep(0.2)
    assert list((built / "_build/.html.staging").rglob("*.html"))  # half-written, aside

    second = make_html(built)
    assert second.returncode == publish.EXIT_LOCKED
    assert re.search(
        r"Une autre construction de _build/html est en cours \(processus \d+, lancée le .*\) : "
        r"attendez qu'elle se termine",
        second.stderr,
    ), second.stderr

    running.send_signal(sig)
    _, err = running.communicate(timeout=60)
    err = err.decode("utf-8")
    assert running.returncode == 128 + sig
    assert f"Construction de _build/html interrompue ({sig.name}) : " in err
    assert KEPT.search(err), err
    assert not re.search(r"Traceback|error!", err), err
    assert tree(built / "_build/html") == site
    assert leftovers(built) == []

    edit(built / "conf.py", SLOW, "")  # the lock was released with the build
    assert make_html(built).returncode == 0


def test_an_invalid_exercise_is_a_french_message_without_crash_banner(tmp_path):
    src = copy_root("exercise", tmp_path)
    edit(src / "exercises/essai.md", "  duree: 15\n", "  duree: 500\n")
    result = make_html(src)
    assert result.returncode != 0
    assert re.search(r"exercises/essai\.md.*course\.duree : entier de 5 à 120", result.stderr)
    assert "Erreur : exercices invalides : voir les messages ci-dessus" in result.stderr
    assert "aucun site précédent n'existait : rien n'est publié dans _build/html" in result.stderr
    assert not CRASH_BANNER.search(result.stderr), result.stderr
    assert "Extension error" not in result.stderr
    assert not (src / "_build/html").exists() and leftovers(src) == []

    verbose = make_html(src, "-v")  # the traceback is still there for whoever asks
    assert verbose.returncode != 0 and "Traceback" in verbose.stderr


def test_a_latin1_module_names_the_file_and_asks_for_utf8(built):
    site = tree(built / "_build/html")
    alpha = built / "modules/alpha.md"
    alpha.write_bytes(
        alpha.read_text("utf-8").replace("Module alpha.", "Module été.").encode("latin-1")
    )
    result = make_html(built, "-j", "2")
    assert result.returncode != 0
    assert re.search(
        r"modules/alpha\.md:6: WARNING: ce fichier n'est pas enregistré en UTF-8 \(octet 0xe9 "
        r"illisible, ligne 6, colonne 16.*enregistrez-le en UTF-8",
        result.stderr,
    ), result.stderr
    assert "UnicodeDecodeError" not in result.stderr
    assert not CRASH_BANNER.search(result.stderr), result.stderr
    assert KEPT.search(result.stderr) and tree(built / "_build/html") == site


def test_a_latin1_exercise_source_names_the_file(tmp_path):
    source = tmp_path / "essai.md"
    source.write_bytes("---\ncourse:\n  duree: 15\n---\n\n# Été\n".encode("latin-1"))
    with pytest.raises(exercises.ExerciseError, match=r"essai\.md:6 : .*octet 0xc9.*UTF-8"):
        exercises.read_source(source)


# -- the publish module alone, with small commands instead of Sphinx ----------------------


def script(code: str) -> list[str]:
    return [sys.executable, "-c", code, "{out}"]


WRITE = "import pathlib, sys; pathlib.Path(sys.argv[1], 'page.html').write_text('{text}')"


def test_publish_swaps_in_on_success_and_keeps_the_old_output_on_failure(tmp_path, capsys):
    out = tmp_path / "_build" / "lms"
    assert publish.publish(out, script(WRITE.format(text="v1")), kind="lms") == 0
    assert (out / "page.html").read_text() == "v1"
    before = tree(out)
    code = publish.publish(out, script(WRITE.format(text="v2") + "; sys.exit(3)"), kind="lms")
    assert code == 3 and tree(out) == before
    err = capsys.readouterr().err
    assert re.search(r"les exports LMS précédents, construits le .*, sont conservés : ", err)
    assert not (tmp_path / "_build" / ".lms.staging").exists()


def test_incremental_staging_is_a_real_copy_with_mtimes(tmp_path):
    out = tmp_path / "html"
    assert publish.publish(out, script(WRITE.format(text="v1"))) == 0
    os.utime(out / "page.html", ns=(1_000_000_000, 1_000_000_000))
    check = (
        "import os, sys; p = os.path.join(sys.argv[1], 'page.html'); "
        "assert os.stat(p).st_mtime_ns == 1_000_000_000; "
        "assert os.stat(p).st_nlink == 1; open(p, 'w').write('v2')"  # truncated in place
    )
    assert publish.publish(out, script(check), incremental=True) == 0
    assert (out / "page.html").read_text() == "v2"


def test_a_swap_cut_short_is_undone_before_the_next_build(tmp_path):
    out = tmp_path / "html"
    assert publish.publish(out, script(WRITE.format(text="v1"))) == 0
    out.rename(tmp_path / ".html.old")  # killed between the two renames
    (tmp_path / ".html.staging").mkdir()
    assert publish.publish(out, script("import sys; sys.exit(1)")) == 1
    assert (out / "page.html").read_text() == "v1"
    assert not (tmp_path / ".html.old").exists() and not (tmp_path / ".html.staging").exists()


def test_the_lock_refuses_a_second_build(tmp_path, capsys):
    out = tmp_path / "html"
    with publish.lock(out):
        code = subprocess.run(
            [sys.executable, "-m", "course", "publish", str(out), "--", "notebooks"],
            capture_output=True,
            text=True,
            env=course_env(),
        )
    assert code.returncode == publish.EXIT_LOCKED
    assert f"Une autre construction de {out} est en cours (processus {os.getpid()}" in code.stderr
    assert not out.exists()


def test_french_dates():
    assert re.fullmatch(r"\d{1,2} [a-zéû]+ \d{4} à \d{1,2} h \d{2}", publish.french_date(0))


@pytest.mark.parametrize(
    "target, published",
    [
        ("html", "_build/html --doctrees _build/doctrees/html --incremental"),
        ("formateur", "_build/formateur --doctrees _build/doctrees/formateur --incremental"),
        ("lms", "_build/lms --kind lms"),
        ("notebooks", "_build/notebooks --kind notebooks"),
        ("session", "_build/session --kind session"),
    ],
)
def test_every_make_output_is_published_atomically(target, published):
    from conftest import ROOT

    dry = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"-m course publish {published} -- " in dry
    assert "rm -rf" not in dry  # nothing deletes a published output any more


def test_a_failing_cell_is_one_located_line_and_its_traceback_comes_with_v(tmp_path, capsys):
    from conftest import failed_build

    from course.sphinxext import command

    src = copy_root("exercise", tmp_path)
    edit(src / "exercises/essai.md", ".sum())", ".sum() / 0 + 1 / 0)")
    err = failed_build(src, capsys, "-D", "course_edition=formateur")  # no banner, no traceback
    assert re.search(
        r"essai\.md, cellule 5 : erreur à l'exécution : ZeroDivisionError: division by zero ; "
        r"corrigez cette cellule",
        err,
    ), err
    options = ["-b", "html", "-W", "--keep-going", "-v", "-D", "course_edition=formateur"]
    assert command.main([*options, str(src), str(src / "_fail_v")]) != 0
    verbose = capsys.readouterr()
    shown = verbose.out + verbose.err  # nbclient's report and the traceback, for whoever asks
    assert "An error occurred while executing the following cell" in shown
    assert "Traceback" in shown

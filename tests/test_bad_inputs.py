"""Every bad input: a located French message, never a crash banner (issue 16).

One table. After one good build of a tiny course (test-exercise with test-basic's modules and
trainer pages), each case breaks a fresh copy of it (sources, build output and caches, mtimes
kept), runs what ``make html`` runs (``python -m course publish … -- sphinx -W …``) and checks:
exit status ≠ 0; the message of the case and where it points (file, and line or cell);
Sphinx's crash banner and Python tracebacks absent; the published output and its doctrees
byte- and mtime-identical to before. The table is in CONTRIBUTING.md (« Erreurs »).

A full disk is simulated with ``RLIMIT_FSIZE`` set in the build's process (``preexec_fn``):
the kernel refuses the first write past the limit (``EFBIG``; Python ignores ``SIGXFSZ``) in
``course publish``, Sphinx and its parallel workers alike, with no test hook in the code and
no root tool (a small tmpfs needs mount rights). ``ENOSPC`` itself takes the same path; its
wording is checked in tests/test_oserrors.py.
"""

from __future__ import annotations

import hashlib
import re
import resource
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CRASH_BANNER, ROOTS, build, copy_root, course_env, edit, publish_command

from course import publish

MODULE = "modules/alpha.md"
EXERCISE = "exercises/essai.md"
DATA = "exercises/donnees/quartiers.csv"
INDEX = """\
# Cours d'essai

:::{toctree}
:caption: Modules
modules/alpha
modules/beta
modules/m
exercices/essai
programme
:::

:::{toctree-formateur}
formateur/notes
formateur/alignement
:::
"""


@dataclass(frozen=True)
class Case:
    id: str
    breaks: Callable[[Path], object]  # applied to the copy of the good course
    message: str  # regular expression: the French message
    location: str  # regular expression: the file, and line or cell
    edition: str = "apprenant"
    options: tuple[str, ...] = ()
    file_limit: Callable[[Path], int] | None = None  # RLIMIT_FSIZE for the build (bytes)
    locked: bool = False  # another build holds the output's lock
    absent: str | None = None  # regular expression: what must not be said (an English twin)


# -- breakages -------------------------------------------------------------------------------


def latin1(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` written in Latin-1 (the rest of the file untouched)."""
    data = path.read_bytes()
    assert old.encode() in data
    path.write_bytes(data.replace(old.encode(), new.encode("latin-1")))


def second_alpha(src: Path) -> None:
    """A module in a subfolder with the file name (slug) of modules/alpha.md."""
    (src / "modules/sous").mkdir()
    text = (src / "modules/beta.md").read_text("utf-8").replace("# Module beta", "# Module gamma")
    (src / "modules/sous/alpha.md").write_text(text, "utf-8")


def corrupt_zips(src: Path) -> None:
    zips = sorted((src / "_build/.cache/zips").glob("*.zip"))
    assert zips
    for path in zips:  # the same size, the last bytes changed
        data = path.read_bytes()
        path.write_bytes(data[:-40] + b"x" * 40)


def cache_is_a_file(src: Path) -> None:
    """The cache folder cannot be written: a file stands where it should be (the tests run
    as root in CI, for whom permission bits are no obstacle)."""
    shutil.rmtree(src / "_build/.cache")
    (src / "_build/.cache").write_text("pas un dossier", encoding="utf-8")


def longer_module(src: Path) -> None:
    with (src / MODULE).open("a", encoding="utf-8") as module:
        module.write("\nUne phrase de plus pour un module plus long.\n" * 10_000)


def largest_file(src: Path) -> int:
    """Just above every file there is: the copy for staging passes, a larger new file fails."""
    return max(p.stat().st_size for p in src.rglob("*") if p.is_file()) + 1


CASES = [
    Case(
        "option-de-quiz-mal-ecrite",
        lambda s: edit(s / MODULE, "- [ ] La mauvaise", "- [-] La mauvaise"),
        r"\[question\] option 2 : chaque option commence par \[x\] \(bonne réponse\) ou \[ \]",
        r"modules/alpha\.md:38: ",
    ),
    Case(
        "option-de-directive-inconnue",
        lambda s: edit(s / MODULE, ":objectif: article-1\n\n", ":objectifs: article-1\n\n"),
        r"\[question\] option inconnue « :objectifs: » ; vouliez-vous dire « :objectif: » \?",
        r"modules/alpha\.md:38: ",
    ),
    Case(
        "champ-obligatoire-absent",
        lambda s: edit(s / MODULE, "duree_lecture: 30\n", ""),
        r"\[duree_lecture\] champ obligatoire absent",
        r"modules/alpha\.md:1: ",
    ),
    Case(
        "champ-de-mauvais-type",
        lambda s: edit(s / MODULE, "duree_lecture: 30\n", "duree_lecture: trente\n"),
        r"\[duree_lecture\] doit être un nombre entier de minutes, pas 'trente'",
        r"modules/alpha\.md:2: ",
    ),
    Case(
        "front-matter-yaml-invalide",
        lambda s: edit(s / MODULE, "duree_lecture: 30\n", "duree_lecture: [30\n"),
        r"\[front matter\] YAML invalide ligne 3 « duree_activites: 15 » : crochet « \[ » sans "
        r"crochet « \] ».*commence ligne 2 « duree_lecture: \[30 » \(PyYAML : ",
        r"modules/alpha\.md:3: ",
        # one message: not MyST's English twin, not the module's questions' objectives (its
        # objectives are known though its metadata is refused), not the course paths' modules
        absent=r"Malformed YAML|objectif inconnu|module inconnu",
    ),
    Case(
        "module-pas-en-utf8",
        lambda s: latin1(s / MODULE, "Module alpha.", "Module été."),
        r"ce fichier n'est pas enregistré en UTF-8 \(octet 0xe9 illisible.*enregistrez-le en UTF-8",
        r"modules/alpha\.md:6: ",
    ),
    Case(
        "exercice-pas-en-utf8",
        lambda s: latin1(s / EXERCISE, "Calculez la population", "Calculez la population été"),
        r"ce fichier n'est pas enregistré en UTF-8 \(octet 0xe9 illisible.*enregistrez-le en UTF-8",
        r"exercises/essai\.md:30 : ",
    ),
    Case(
        "cellule-en-erreur",
        lambda s: edit(s / EXERCISE, '("quartiers.csv")\n', '("quartiers.csv")\n1 / 0\n'),
        r"erreur à l'exécution : ZeroDivisionError: division by zero ; corrigez cette cellule",
        r"exercises/essai\.md, cellule 3 : ",
    ),
    Case(
        "cellule-sans-fin",
        lambda s: edit(s / EXERCISE, "quartiers\n```", "quartiers\nwhile True:\n    pass\n```"),
        r"délai dépassé : la cellule tournait encore après 3 s \(course_execute_timeout",
        r"exercises/essai\.md, cellule 3 : ",
        options=("-D", "course_execute_timeout=3"),
    ),
    Case(
        "donnees-modifiees-d-un-octet",
        lambda s: edit(s / DATA, "QA,1200", "QA,1201"),
        r"quartiers\.csv ne correspond pas à son empreinte SHA-256 .*fichier modifié ou incomplet",
        r"exercises/essai\.md : course\.donnees : \S*exercises/donnees/quartiers\.csv ",
    ),
    Case(
        "donnees-absentes",
        lambda s: (s / DATA).unlink(),
        r"course\.donnees : fichier absent",
        r"exercises/essai\.md : course\.donnees : fichier absent \S*donnees/quartiers\.csv",
    ),
    Case(
        "titre-en-double",
        lambda s: edit(s / "modules/beta.md", "# Module beta", "# Module  ALPHA"),
        r"\[titre\] « Module  ALPHA » est déjà le titre de modules/alpha\.md",
        r"modules/beta\.md:9: ",
    ),
    Case(
        "slug-en-double",
        second_alpha,
        r"\[slug\] le module « alpha » existe déjà : modules/alpha\.md",
        r"modules/sous/alpha\.md:1: ",
    ),
    Case(
        "module-hors-toctree",
        lambda s: edit(s / "index.md", "modules/beta\n", ""),
        r"\[toctree\] module absent de toute table des matières : ajoutez .*« modules/beta »",
        r"modules/beta\.md:1: ",
        absent=r"isn't included in any toctree",
    ),
    Case(
        "objectif-inconnu",
        lambda s: edit(s / MODULE, ":objectif: article-1\n\n", ":objectif: article-2\n\n"),
        r"\[objectifs\] objectif inconnu « alpha/article-2 »",
        r"modules/alpha\.md:38: ",
    ),
    Case(
        "parcours-module-inconnu",
        lambda s: edit(s / "formateur/notes.md", ": beta, alpha", ": beta, gamma"),
        r"\[parcours\] module inconnu « gamma »",
        r"formateur/notes\.md:10: ",
    ),
    Case(
        "parcours-module-inconnu-formateur",
        lambda s: edit(s / "formateur/notes.md", ": beta, alpha", ": beta, gamma"),
        r"\[parcours\] module inconnu « gamma »",
        r"formateur/notes\.md:10: ",
        edition="formateur",
    ),
    Case(
        "module-de-5-mo",
        lambda s: (s / MODULE).write_text(
            (s / MODULE).read_text("utf-8") + "\nUne ligne de remplissage.\n" * 200_000, "utf-8"
        ),
        r"page de 5,\d Mo, au-delà de la limite de 1024 Ko \(course_page_max_kb\)",
        r"modules/alpha\.md:1: ",
    ),
    Case(
        "zip-du-cache-corrompu",
        corrupt_zips,
        r"fichier du cache modifié depuis son écriture .*il n'est pas publié, il vient d'être",
        r"_build/\.cache/zips/[0-9a-f]{32}\.zip : ",
    ),
    Case(
        "cache-impossible-a-ecrire",
        cache_is_a_file,
        r"lecture ou écriture impossible : .*un fichier occupe la place d'un dossier \(ENOTDIR\)",
        r"_build/\.cache/\w+ : ",
    ),
    Case(
        "disque-plein-pendant-la-construction",
        longer_module,
        r"lecture ou écriture impossible : .*fichier plus gros que la limite fixée par le système",
        r"un fichier de _build/\.html\.staging ou de _build/doctrees/\.html\.staging",
        file_limit=largest_file,
    ),
    Case(
        "disque-plein-pendant-la-copie-de-travail",
        lambda s: None,
        r"copie de travail impossible : .*fichier plus gros que la limite fixée par le système",
        r"_build/\.html\.staging/\S+ : ",
        file_limit=lambda s: 2000,
    ),
    Case(
        "deux-constructions-en-meme-temps",
        lambda s: None,
        r"Une autre construction de _build/html est en cours \(processus \d+, lancée le .*\) : "
        r"attendez qu'elle se termine, puis relancez\. Rien n'a été modifié\.",
        r"_build/html",
        locked=True,
    ),
    Case(
        "marqueur-de-solution-presque-juste",
        lambda s: edit(s / EXERCISE, "# BEGIN SOLUTION", "# BEGN SOLUTION"),
        r"« # BEGN SOLUTION » \(ligne 2 de la cellule\) ressemble à un marqueur de solution",
        r"exercises/essai\.md, cellule 4 : ",
    ),
    Case(
        "solution-fausse-formateur",
        lambda s: edit(s / EXERCISE, ".sum())\n# END", ".sum()) + 1\n# END"),
        r"la solution ne passe pas sa propre vérification .*Corrigez la solution ou l'empreinte",
        r"exercises/essai\.md, cellule 5 : ",
        edition="formateur",
    ),
    Case(
        "lien-vers-un-exercice-inconnu",
        lambda s: edit(s / "modules/m.md", "{exercice}`essai`", "{exercice}`essay`"),
        r"exercice inconnu : « essay » \(aucun fichier exercises/essay\.md\)",
        r"modules/m\.md:19: ",
    ),
]


# -- the good build, then each case on a copy ----------------------------------------------


def output_of(edition: str) -> str:
    return "formateur" if edition == "formateur" else "html"


def make(src: Path, edition: str, *options: str, file_limit: int | None = None):
    """``make html`` (or ``make formateur``) in ``src``, with the Makefile's relative paths."""
    out = output_of(edition)
    if edition == "formateur":
        options = (*options, "-D", "course_edition=formateur")
    command = publish_command(
        Path(f"_build/{out}"), Path(f"_build/doctrees/{out}"), "-q", *options, source=Path(".")
    )

    def limit():  # in the child: what it and its children may write per file
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(
        command,
        cwd=src,
        env=course_env(),
        capture_output=True,
        text=True,
        preexec_fn=limit if file_limit else None,
    )


def tree(path: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``path``: its SHA-256 and mtime."""
    assert path.is_dir(), path
    return {
        str(p.relative_to(path)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """The tiny course, with a good build of both editions (shared by every case)."""
    src = tmp_path_factory.mktemp("bad-inputs") / "cours"
    shutil.copytree(ROOTS / "test-exercise", src)
    for name in ("alpha", "beta"):
        shutil.copy2(ROOTS / "test-basic" / "modules" / f"{name}.md", src / "modules")
    shutil.copytree(ROOTS / "test-basic" / "formateur", src / "formateur")
    (src / "index.md").write_text(textwrap.dedent(INDEX), encoding="utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("course_quiz_shuffle = False\n")  # test-basic's modules expect it
    for edition in ("apprenant", "formateur"):
        result = make(src, edition)
        assert result.returncode == 0, result.stderr
    return src


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_input_is_a_located_french_message_and_keeps_the_site(case, good, tmp_path):
    src = tmp_path / "cours"
    shutil.copytree(good, src, symlinks=True)  # copy2: mtimes kept, Sphinx stays incremental
    out = output_of(case.edition)
    published = {
        folder: tree(src / folder) for folder in (f"_build/{out}", f"_build/doctrees/{out}")
    }
    case.breaks(src)
    limit = case.file_limit(src) if case.file_limit else None
    if case.locked:
        with publish.lock(src / "_build" / out):
            result = make(src, case.edition, *case.options)
    else:
        result = make(src, case.edition, *case.options, file_limit=limit)
    err = result.stderr
    assert result.returncode != 0, err
    lines = [line for line in err.splitlines() if re.search(case.message, line)]
    assert lines, err
    assert any(re.search(case.location, line) for line in lines), f"{case.location!r}: {err}"
    assert not CRASH_BANNER.search(err), err
    assert not (case.absent and re.search(case.absent, err)), err
    kept = "Rien n'a été modifié" if case.locked else f"est conservé : _build/{out}"
    assert kept in err, err
    for folder, before in published.items():
        assert tree(src / folder) == before, folder
    assert not list((src / "_build").glob(".*.staging")), "staging folder left behind"


def test_the_table_has_at_least_twenty_cases_each_with_its_own_breakage():
    assert len(CASES) >= 20
    assert len({case.id for case in CASES}) == len(CASES)


def test_the_corrupted_cache_entry_is_made_again_and_the_next_build_passes(good, tmp_path):
    """The zip case fails once (the altered entry is reported), then the cache is sound."""
    src = tmp_path / "cours"
    shutil.copytree(good, src, symlinks=True)
    corrupt_zips(src)
    assert make(src, "apprenant").returncode != 0
    again = make(src, "apprenant")
    assert again.returncode == 0, again.stderr


def test_a_page_that_is_not_a_module_keeps_sphinx_s_toctree_warning(tmp_path):
    """Only modules lose Sphinx's English line (the French one replaces it)."""
    src = copy_root("basic", tmp_path)
    (src / "annexe.md").write_text("# Annexe\n\nHors de toute table.\n", encoding="utf-8")
    edit(src / "index.md", "modules/beta\n", "")
    warnings = build(src, tmp_path / "_build").warnings
    assert re.search(r"annexe\.md: WARNING: document isn't included in any toctree", warnings)
    assert "beta.md: WARNING: document isn't included" not in warnings
    assert "module absent de toute table des matières" in warnings

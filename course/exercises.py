"""Exercise sources → generated notebooks, helper, data and downloads (no Sphinx import).

Layout of the generated folder (``exercices/`` by default, git-ignored)::

    exercices/<slug>.ipynb          the page of this edition (executed)
    exercices/verif.py              the check helper, next to the notebooks
    exercices/donnees/…             the data files the exercises use
    exercices/_telechargements/<slug>.zip          learner download
    exercices/_telechargements/<slug>-corrige.zip  trainer download (trainer edition)

A download unpacks to ``<slug>/<slug>.ipynb``, ``<slug>/verif.py``, ``<slug>/donnees/``
(data, checksums, README), ``<slug>/requirements.txt`` and ``<slug>/AVANT-DE-COMMENCER.md``
(what to install and how, :mod:`course.kit`): it runs on its own.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import nbformat

from . import kit, metadata, nearmiss, notebooks
from .datafiles import CHECKSUMS, checksum_lines, data_problems
from .files import cached, deterministic_zip, utf8_problem, write_if_changed

HELPER = Path(__file__).with_name("verif.py")
DATA_DIR = "donnees"
DOWNLOADS = "_telechargements"


class ExerciseError(ValueError):
    """A malformed exercise source; the message names the file (and cell)."""


@dataclass
class Exercise:
    slug: str
    path: Path
    title: str
    duree: int
    module: str
    objectifs: list[str]
    donnees: list[str] = field(default_factory=list)
    source: object = None  # the source notebook (nbformat)
    objectifs_module: list[str] = field(default_factory=list)  # "module/id" refs
    verifications: list[dict] = field(default_factory=list)  # each check and what it assesses

    def to_dict(self) -> dict:
        return {
            "slug": self.slug,
            "title": self.title,
            "duree": self.duree,
            "module": self.module,
            "objectifs": self.objectifs,
            "donnees": self.donnees,
            "objectifs_module": self.objectifs_module,
            "verifications": self.verifications,
            "path": str(self.path),
        }


def discover(source_dir: Path) -> list[Path]:
    """Exercise sources: the ``.md`` files directly in ``source_dir`` (README excluded)."""
    return sorted(p for p in source_dir.glob("*.md") if p.name.lower() != "readme.md")


def _title(nb, path: Path) -> str:
    if not nb.cells or nb.cells[0].cell_type != "markdown":
        raise ExerciseError(f"{path}, cellule 1 : la première cellule doit être le titre (# …)")
    first = nb.cells[0].source.strip().splitlines()[0] if nb.cells[0].source.strip() else ""
    if not first.startswith("# "):
        raise ExerciseError(f"{path}, cellule 1 : la première ligne doit être un titre « # … »")
    return first[2:].strip()


def read_source(path: Path, cache_dir: Path | None = None):
    """The source as a notebook (jupytext, MyST format).

    With ``cache_dir``, the notebook is kept there under a hash of the source's bytes and
    of the jupytext and nbformat versions: an unchanged source is not parsed again.

    Raises:
        ExerciseError: the file cannot be read as a MyST notebook.
    """
    data = path.read_bytes()
    kept = None
    if cache_dir is not None:
        digest = hashlib.sha256(data)
        digest.update(f"{version('jupytext')} {version('nbformat')}".encode())
        kept = cache_dir / f"{digest.hexdigest()[:32]}.pickle"
    parsed = cached(kept, lambda: pickle.dumps(_parse(path, data), pickle.HIGHEST_PROTOCOL))
    return pickle.loads(parsed)


def _parse(path: Path, data: bytes):
    import jupytext  # only when a source must really be parsed

    problem = utf8_problem(data)
    if problem:
        raise ExerciseError(f"{path}:{problem[0]} : {problem[1]}")
    try:
        return jupytext.reads(data.decode("utf-8"), fmt="md:myst")
    except Exception as exc:  # jupytext raises several types on bad input
        raise ExerciseError(f"{path} : lecture impossible ({exc})") from None


_CHECK = re.compile(r"""verifier\(\s*(["'])(.+?)\1""")


def checks(nb, module: str | None, declared: list[str]) -> tuple[list[dict], list[str]]:
    """Every ``verifier("…")`` check with the objectives it assesses, and the problems.

    A check cell may say which of the exercise's ``objectifs_module`` it assesses, with
    ``:objectif: id`` under its ``{code-cell}`` line; without it, the check assesses them all.
    """
    found, problems = [], []
    for index, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code":
            continue
        titles = [m.group(2) for m in _CHECK.finditer(cell.source)]
        if "objectif" not in cell.metadata:
            found += [{"cellule": index, "titre": t, "objectifs": declared} for t in titles]
            continue
        refs, more = metadata.parse_refs(cell.metadata["objectif"], module)
        problems += [f"cellule {index}, :objectif: : {m}" for m in more]
        if not titles:
            problems.append(f"cellule {index} : :objectif: sur une cellule sans verifier(…)")
        outside = [r for r in refs if r not in declared]
        if outside:
            problems.append(
                f"cellule {index} : {', '.join(outside)} absent de course.objectifs_module"
            )
        found += [{"cellule": index, "titre": t, "objectifs": refs} for t in titles]
    return found, problems


def load(path: Path, data_dir: Path, cache_dir: Path | None = None) -> Exercise:
    """Read and validate one exercise source (parsed once per content with ``cache_dir``).

    Raises:
        ExerciseError: bad metadata, missing data file, or a marker problem.
    """
    nb = read_source(path, cache_dir)
    try:
        nearmiss.check(nb, str(path))  # typos first: they would hide a marker
        notebooks.check_markers(nb, str(path))
    except notebooks.MarkerError as exc:
        raise ExerciseError(str(exc)) from None
    meta = nb.metadata.get("course")
    if not isinstance(meta, dict):
        raise ExerciseError(f"{path} : en-tête « course: » absent (duree, module, objectifs)")
    problems = []
    duree = meta.get("duree")
    if isinstance(duree, bool) or not isinstance(duree, int) or not 5 <= duree <= 120:
        problems.append(f"course.duree : entier de 5 à 120 minutes attendu, lu {duree!r}")
    module = meta.get("module")
    if not isinstance(module, str) or not module:
        problems.append("course.module : slug du module servi attendu")
    objectifs = meta.get("objectifs")
    if not isinstance(objectifs, list) or not objectifs:
        problems.append("course.objectifs : liste non vide attendue")
    else:
        for text in objectifs:
            message = metadata.check_objective(str(text))
            if message:
                problems.append(f"course.objectifs : {message}")
    donnees = meta.get("donnees", []) or []
    for name in donnees:
        if not (data_dir / name).is_file():
            problems.append(f"course.donnees : fichier absent {data_dir / name}")
        else:
            problems += data_problems(data_dir, name)
    refs = []
    if meta.get("objectifs_module") is not None:
        refs, more = metadata.parse_refs(meta["objectifs_module"], module or None)
        problems += [f"course.objectifs_module : {m}" for m in more]
    verifications, more = checks(nb, module or None, refs)
    problems += more
    unknown = set(meta) - {"duree", "module", "objectifs", "donnees", "objectifs_module"}
    if unknown:
        problems.append(f"course : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
    if problems:
        raise ExerciseError(f"{path} : " + " ; ".join(problems))
    return Exercise(
        path.stem,
        path,
        _title(nb, path),
        duree,
        module,
        [str(o) for o in objectifs],
        list(donnees),
        nb,
        refs,
        verifications,
    )


def fiche_markdown(ex: Exercise) -> str:
    """The « fiche exercice » cell inserted after the title, in both editions."""
    lines = [
        '<div class="alert alert-info">',
        "",
        "**Fiche exercice**",
        "",
        f"**Durée :** {metadata.format_minutes(ex.duree)}",
        "",
        "**Objectifs :** à la fin de cet exercice, vous serez capable de :",
        "",
    ]
    lines += [f"- {o}" for o in ex.objectifs]
    if ex.donnees:
        lines += [
            "",
            "**Données :** "
            + ", ".join(f"`{DATA_DIR}/{d}`" for d in ex.donnees)
            + f" (voir `{DATA_DIR}/README.md`).",
        ]
    lines += ["", "</div>"]
    return "\n".join(lines)


def learner(ex: Exercise):
    return notebooks.learner_notebook(ex.source, fiche_markdown(ex))


def trainer(ex: Exercise):
    return notebooks.trainer_notebook(ex.source, fiche_markdown(ex))


def dumps(nb) -> str:
    """The notebook's JSON, as ``nbformat.writes`` gives it, without validating it again
    (the tests validate every generated notebook)."""
    return nbformat.v4.writes(nb) + "\n"


def download_files(
    ex: Exercise, nb, data_dir: Path, suffix: str = "", links: list[tuple[str, str]] = ()
) -> dict[str, bytes]:
    """What a download holds, by path: the notebook, ``verif.py``, the data it uses, what to
    install and how (:mod:`course.kit`; ``links``: JupyterHub / Binder ``(url, label)``)."""
    root = f"{ex.slug}{suffix}"
    guide = kit.guide(ex.title, f"{ex.slug}.ipynb", bool(ex.donnees), links)
    files = {
        f"{root}/{ex.slug}.ipynb": dumps(nb).encode(),
        f"{root}/verif.py": HELPER.read_bytes(),
        f"{root}/{kit.REQUIREMENTS_FILE}": kit.requirements_txt().encode(),
        f"{root}/{kit.GUIDE_FILE}": guide.encode(),
    }
    if ex.donnees:
        for name in ex.donnees:
            files[f"{root}/{DATA_DIR}/{name}"] = (data_dir / name).read_bytes()
        files[f"{root}/{DATA_DIR}/{CHECKSUMS}"] = checksum_lines(data_dir, ex.donnees).encode()
        readme = data_dir / "README.md"
        if readme.exists():
            files[f"{root}/{DATA_DIR}/README.md"] = readme.read_bytes()
    return files


def make_zip(
    ex: Exercise,
    nb,
    data_dir: Path,
    suffix: str = "",
    cache_dir: Path | None = None,
    links: list[tuple[str, str]] = (),
    corrupt=None,
) -> bytes:
    """A deterministic zip that runs on its own once unpacked (kept in ``cache_dir``;
    ``corrupt(path)`` is told of a cached zip altered since it was written)."""
    files = download_files(ex, nb, data_dir, suffix, links)
    return deterministic_zip(files, cache_dir, corrupt)


def prepare_workdir(out: Path, data_dir: Path, names) -> list[Path]:
    """Put the helper and the data files ``names`` (those the exercises use) next to the
    generated notebooks.

    Returns the input files, for the execution cache key.
    """
    write_if_changed(out / "verif.py", HELPER.read_bytes())
    used = sorted(set(names))
    for name in used:
        write_if_changed(out / DATA_DIR / name, (data_dir / name).read_bytes())
    if used:
        write_if_changed(out / DATA_DIR / CHECKSUMS, checksum_lines(data_dir, used).encode())
    return [out / "verif.py"] + [out / DATA_DIR / name for name in used]

"""Module metadata: schema, parsing with line numbers, validation (no Sphinx import).

A module declares its scalars in YAML front matter and its lists (objectives,
prerequisites, key points) in directives. This module owns the schema of both, so
the Sphinx extension, the LMS export and the trainer's guide all read one definition.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import asdict, dataclass, field

import yaml

from . import yamlerrors

LEVELS = ("initiation", "intermédiaire", "approfondissement")

#: front-matter keys that belong to Sphinx or MyST, tolerated but not ours
FOREIGN_KEYS = frozenset({"orphan", "nocomments", "tocdepth", "html_meta", "myst", "nosearch"})

#: measurable action verbs (Bloom-style, in French): an objective starts with one of them
MEASURABLE_VERBS = frozenset(
    """
    adapter analyser animer appliquer argumenter associer calculer caractériser choisir citer
    classer comparer compter concevoir construire conduire décrire définir démontrer
    différencier distinguer élaborer énoncer énumérer estimer évaluer expliquer exposer
    formuler hiérarchiser identifier illustrer interpréter justifier lister localiser mener
    mesurer mobiliser nommer organiser planifier préparer présenter proposer rédiger
    reconnaître relever repérer reformuler représenter résumer réaliser schématiser
    sélectionner situer synthétiser utiliser vérifier
    """.split()
)
#: shown in the message when an objective's verb is not measurable
VERB_EXAMPLES = "citer, définir, décrire, expliquer, distinguer, identifier, comparer, calculer"

#: a file name (without .md) that is a slug: lower-case ASCII words joined by hyphens
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

#: an objective's identifier, written first in its list item: ``- (definition) Citer …``
OBJECTIVE_ID = re.compile(r"^\((?P<id>[a-z0-9][a-z0-9-]{0,39})\)\s+(?P<text>\S.*)$", re.S)
#: a reference to an objective: ``id`` in its own module, ``module-slug/id`` elsewhere
OBJECTIVE_REF = re.compile(r"^(?:(?P<module>[a-z0-9][a-z0-9-]*)/)?(?P<id>[a-z0-9][a-z0-9-]*)$")

_INFINITIVE = re.compile(r"^(?:s'|se\s+)?[a-zàâçéèêëîïôûùüÿœ-]+(?:er|ir|re|oir)$", re.IGNORECASE)


@dataclass(frozen=True)
class Field:
    """One front-matter field: its type, whether it is required, and a French help text."""

    name: str
    kind: str  # "int", "str", "level", "date"
    required: bool
    help: str
    minimum: int = 0
    maximum: int = 240


SCHEMA: dict[str, Field] = {
    f.name: f
    for f in (
        Field("duree_lecture", "int", True, "durée de lecture en minutes", 1, 240),
        Field("duree_activites", "int", True, "durée des activités (quiz, exercices) en minutes"),
        Field("public", "str", True, "public visé"),
        Field("niveau", "level", True, "niveau : " + ", ".join(LEVELS)),
        Field("resume", "str", True, "résumé en une ou deux phrases"),
        Field("etat_du_droit", "date", False, "date de l'état du droit (AAAA-MM-JJ)"),
    )
}

#: list blocks declared with directives in the body of a module
LIST_BLOCKS = {
    "objectifs": "objectifs d'apprentissage",
    "prerequis": "prérequis",
    "points-cles": "points clés",
}


@dataclass
class Problem:
    """A located problem in a source file (line is 1-based, or None for the whole file)."""

    line: int | None
    field: str
    message: str

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: [{self.field}] {self.message}"


@dataclass
class ModuleMeta:
    """Everything a module declares about itself, in one place."""

    docname: str
    title: str
    duree_lecture: int
    duree_activites: int
    public: str
    niveau: str
    resume: str
    etat_du_droit: str | None = None
    objectifs: list[str] = field(default_factory=list)
    objectifs_ids: list[str] = field(default_factory=list)  # same order as ``objectifs``
    prerequis: list[str] = field(default_factory=list)
    points_cles: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.docname.rsplit("/", 1)[-1]

    @property
    def duree_totale(self) -> int:
        return self.duree_lecture + self.duree_activites

    def to_dict(self) -> dict:
        data = asdict(self)
        data["slug"] = self.slug
        data["duree_totale"] = self.duree_totale
        return data


def split_front_matter(text: str) -> tuple[str | None, int]:
    """Return the YAML front matter of a Markdown text and the line where it starts.

    Returns ``(None, 0)`` when the text has no front matter.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None, 0
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:i]), 2
    return None, 0


def read_front_matter(text: str) -> tuple[dict[str, tuple[object, int]], list[Problem]]:
    """Parse front matter, keeping the 1-based line of each key.

    Returns a mapping ``key -> (value, line)`` and the problems met while parsing.
    """
    raw, first_line = split_front_matter(text)
    if raw is None:
        return {}, [
            Problem(1, "front matter", "en-tête YAML (--- … ---) absent en haut du fichier")
        ]
    try:
        node = yaml.compose(raw)
        values = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        line, message = yamlerrors.located(exc, raw, first_line)
        return {}, [Problem(line, "front matter", message)]
    if node is None:
        return {}, []
    if not isinstance(values, dict):
        return {}, [Problem(first_line, "front matter", "l'en-tête doit être une liste de champs")]
    result: dict[str, tuple[object, int]] = {}
    for key_node, _value_node in node.value:
        key = key_node.value
        result[key] = (values.get(key), first_line + key_node.start_mark.line)
    return result, []


def _check_value(spec: Field, value: object, line: int) -> tuple[object, Problem | None]:
    if spec.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, Problem(
                line, spec.name, f"doit être un nombre entier de minutes, pas {value!r}"
            )
        if not spec.minimum <= value <= spec.maximum:
            return None, Problem(
                line,
                spec.name,
                f"{value} hors de l'intervalle {spec.minimum}–{spec.maximum} minutes",
            )
        return value, None
    if spec.kind == "level":
        if value not in LEVELS:
            return None, Problem(
                line, spec.name, f"{value!r} inconnu ; valeurs : {', '.join(LEVELS)}"
            )
        return value, None
    if spec.kind == "date":
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, Problem(line, spec.name, f"date invalide {value!r} (format AAAA-MM-JJ)")
    if not isinstance(value, str) or not value.strip():
        return None, Problem(line, spec.name, "texte attendu, non vide")
    return value.strip(), None


def validate_front_matter(
    fields: dict[str, tuple[object, int]],
) -> tuple[dict[str, object], list[Problem]]:
    """Check front-matter fields against :data:`SCHEMA`.

    Returns the clean values and the list of problems (unknown, missing or invalid fields).
    """
    clean: dict[str, object] = {}
    problems: list[Problem] = []
    for key, (value, line) in fields.items():
        if key in FOREIGN_KEYS:
            continue
        spec = SCHEMA.get(key)
        if spec is None:
            known = ", ".join(SCHEMA)
            problems.append(Problem(line, key, f"champ inconnu ; champs possibles : {known}"))
            continue
        checked, problem = _check_value(spec, value, line)
        if problem:
            problems.append(problem)
        else:
            clean[key] = checked
    for spec in SCHEMA.values():
        if spec.required and spec.name not in fields:
            problems.append(Problem(1, spec.name, f"champ obligatoire absent ({spec.help})"))
    return clean, problems


def check_slug(slug: str) -> str | None:
    """Return a French message when a module's file name is not a valid slug."""
    if SLUG.match(slug):
        return None
    plain = re.sub(r"[^a-z0-9]+", "-", _plain(slug)).strip("-")
    suggestion = plain if SLUG.match(plain) else "geographie-prioritaire"
    return (
        f"nom de fichier « {slug} » invalide : un module s'appelle par un slug (minuscules "
        f"sans accent, chiffres, mots séparés par des tirets, commençant par une lettre), "
        f"par exemple « {suggestion} » ; il sert d'identifiant dans les paquets LMS"
    )


def _plain(word: str) -> str:
    """Lower case without accents: « Évaluer » and « evaluer » are the same verb."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MEASURABLE = frozenset(_plain(verb) for verb in MEASURABLE_VERBS)


def check_objective(text: str) -> str | None:
    """Return a French message when an objective does not start with a measurable verb."""
    words = text.strip().split()
    if not words:
        return "objectif vide"
    first = words[0].strip(",.:;").lower()
    if first in ("s'", "se") and len(words) > 1:
        first = words[1].lower()
    if not _INFINITIVE.match(first):
        return f"un objectif commence par un verbe à l'infinitif (lu : « {words[0]} »)"
    if _plain(first.removeprefix("s'")) not in _MEASURABLE:
        return (
            f"« {words[0]} » n'est pas un verbe d'action mesurable (un résultat observable) ; "
            f"utilisez par exemple : {VERB_EXAMPLES}… (liste complète dans CONTRIBUTING.md)"
        )
    return None


def split_objective(item: str) -> tuple[str | None, str]:
    """``"(definition) Citer …"`` → ``("definition", "Citer …")``; no label → ``(None, item)``."""
    match = OBJECTIVE_ID.match(item.strip())
    if not match:
        return None, item.strip()
    return match.group("id"), match.group("text").strip()


def parse_refs(value: str | list, module: str | None) -> tuple[list[str], list[str]]:
    """Objective references (``"a, b"`` or a list) → qualified ``module/id`` refs, and problems.

    A bare ``id`` belongs to ``module`` (the page's own module); outside a module page
    (``module`` is ``None``) every reference must name its module.
    """
    items = value if isinstance(value, list) else str(value).split(",")
    refs, problems = [], []
    for raw in items:
        text = str(raw).strip()
        if not text:
            continue
        match = OBJECTIVE_REF.match(text)
        if not match:
            problems.append(f"référence d'objectif invalide « {text} » (id ou module/id)")
        elif match.group("module"):
            refs.append(text)
        elif module is None:
            problems.append(
                f"« {text} » : hors d'un module, écrivez module/{text} (ex. loi-2014/{text})"
            )
        else:
            refs.append(f"{module}/{text}")
    if not refs and not problems:
        problems.append("aucun objectif indiqué")
    return refs, problems


def format_minutes(minutes: int) -> str:
    """Format a duration in French: ``95`` → ``1 h 35 min``."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest:02d} min"

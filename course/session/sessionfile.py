"""The session file (YAML): schema, reading with line numbers, French located errors.

The file is composed into YAML nodes (not loaded as plain data), so every value keeps its
line; each problem is reported as ``file:line: message`` and all of them are reported at
once. The schema is :data:`SCHEMA`; the documented example is ``session-exemple.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import SessionError

MODALITES = ("presentiel", "distanciel", "mixte")
HALF_DAYS = (("matin", "matin"), ("apres_midi", "après-midi"))
_TIMES = re.compile(r"^(\d{1,2})\s*[:h]\s*(\d{2})\s*[-–]\s*(\d{1,2})\s*[:h]\s*(\d{2})$")

# field: (required, kind); kinds: "text", "number", "date", "int", "times", a dict (mapping),
# ("list", kind), ("choice", values), "participants" (an integer or a list of names)
CONTACT = {"nom": (True, "text"), "role": (False, "text"), "courriel": (False, "text")}
CONTACT["telephone"] = (False, "text")
SCHEMA = {
    "organisation": (
        True,
        {
            "nom": (True, "text"),
            "siret": (False, "siret"),
            "nda": (False, "nda"),
            "adresse": (True, "text"),
            "contacts": (True, ("list", CONTACT)),
        },
    ),
    "formation": (
        True,
        {
            "intitule": (False, "text"),
            "parcours": (False, "text"),
            "modules": (False, ("list", "text")),
        },
    ),
    "date_edition": (False, "date"),
    "dates": (
        True,
        (
            "list",
            {"date": (True, "date"), "matin": (False, "times"), "apres_midi": (False, "times")},
        ),
    ),
    "lieu": (
        True,
        {
            "modalite": (True, ("choice", MODALITES)),
            "adresse": (False, "text"),
            "distanciel": (False, "text"),
            "accessibilite": (False, "text"),
        },
    ),
    "tarif": (True, {"montant": (True, "number"), "mention": (True, "text")}),
    "acces": (True, {"modalites": (True, "text"), "delai": (True, "text")}),
    "referent_handicap": (True, {"nom": (True, "text"), "contact": (True, "text")}),
    "formateurs": (True, ("list", "text")),
    "participants": (True, "participants"),
}


@dataclass
class Session:
    """The validated session: plain data, plus the file and the line of each section."""

    path: Path
    data: dict
    lines: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    def where(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


class _Checker:
    def __init__(self, path: Path):
        self.path, self.errors = path, []

    def error(self, node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.errors.append((line, f"{self.path}:{line}: {message}"))

    def value(self, node, kind, name: str, line: int = 0):
        """``line``: the line of the key that introduced the value (missing fields there)."""
        if isinstance(kind, dict):
            return self.mapping(node, kind, name, line)
        if isinstance(kind, tuple) and kind[0] == "list":
            if not isinstance(node, yaml.SequenceNode) or not node.value:
                return self.error(node, f"« {name} » : liste d'au moins un élément attendue")
            items = [self.value(n, kind[1], f"{name}[{i}]") for i, n in enumerate(node.value, 1)]
            return items
        if kind == "participants":
            return self.participants(node, name)
        if not isinstance(node, yaml.ScalarNode):
            return self.error(node, f"« {name} » : valeur simple attendue (texte ou nombre)")
        text = str(node.value).strip()
        if isinstance(kind, tuple) and kind[0] == "choice":
            if text not in kind[1]:
                return self.error(node, f"« {name} » : « {text} » inconnu ({', '.join(kind[1])})")
            return text
        return self.scalar(node, text, kind, name)

    def scalar(self, node, text: str, kind: str, name: str):
        if not text:
            return self.error(node, f"« {name} » est vide")
        if kind == "text":
            return " ".join(text.split())
        if kind == "number":
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                number = -1.0
            if number < 0:
                return self.error(node, f"« {name} » : nombre positif attendu, pas « {text} »")
            return int(number) if number.is_integer() else number
        if kind == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return self.error(node, f"« {name} » : date AAAA-MM-JJ attendue, pas « {text} »")
        if kind == "times":
            return self.times(node, text, name)
        digits = text.replace(" ", "")
        size = {"siret": 14, "nda": 11}[kind]
        if not (digits.isdigit() and len(digits) == size):
            return self.error(node, f"« {name} » : {size} chiffres attendus, pas « {text} »")
        return digits

    def times(self, node, text: str, name: str):
        match = _TIMES.match(text)
        if match:
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60 and start < end:
                return (start, end)
        return self.error(node, f"« {name} » : horaires « 9:00-12:30 » attendus, pas « {text} »")

    def participants(self, node, name: str):
        if isinstance(node, yaml.SequenceNode):
            names = []
            for item in node.value:
                if not isinstance(item, yaml.ScalarNode):
                    self.error(item, f"« {name} » : un nom par ligne attendu")
                names.append(" ".join(str(getattr(item, "value", "")).split()))
            if not names:
                self.error(node, f"« {name} » : au moins un participant attendu")
            return names
        if not isinstance(node, yaml.ScalarNode):
            return self.error(node, f"« {name} » : un nombre ou une liste de noms attendu")
        text = str(node.value).strip()
        if not text.isdigit() or not 1 <= int(text) <= 200:
            return self.error(
                node, f"« {name} » : un nombre (1 à 200) ou une liste de noms, pas « {text} »"
            )
        return [""] * int(text)  # blank lines on the sheets

    def mapping(self, node, schema: dict, name: str, line: int = 0):
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, f"« {name} » : rubrique (clé: valeur) attendue")
        out, seen = {}, {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                self.error(key_node, f"« {name}.{key} » figure deux fois")
                continue
            seen[key] = key_node.start_mark.line + 1
            if key not in schema:
                known = ", ".join(schema)
                self.error(key_node, f"champ inconnu « {key} » dans « {name} » (connus : {known})")
                continue
            out[key] = self.value(
                value_node, schema[key][1], f"{name}.{key}".lstrip("."), seen[key]
            )
        for key, (required, _) in schema.items():
            if required and key not in seen:
                where = name or "la racine"
                self.error(line or node, f"champ obligatoire « {key} » manquant dans « {where} »")
            out.setdefault(key, None)  # optional and absent: None
        out["_lines"] = seen
        return out


def rules(checker: _Checker, data: dict, root) -> None:
    """Rules across fields (the schema says what each field is, this what goes together)."""
    lines = data["_lines"]
    formation = data.get("formation") or {}
    if isinstance(formation, dict) and (formation.get("parcours") is None) == (
        formation.get("modules") is None
    ):
        checker.error(
            lines.get("formation", 1),
            "« formation » : donnez soit « parcours » (identifiant d'un parcours du guide du "
            "formateur), soit « modules » (liste de modules), pas les deux ni aucun",
        )
    lieu = data.get("lieu") or {}
    if isinstance(lieu, dict) and lieu.get("modalite"):
        if lieu["modalite"] != "distanciel" and not lieu.get("adresse"):
            checker.error(lines.get("lieu", 1), "« lieu.adresse » est obligatoire en présentiel")
        if lieu["modalite"] != "presentiel" and not lieu.get("distanciel"):
            checker.error(
                lines.get("lieu", 1),
                "« lieu.distanciel » (outil et modalités de connexion) est obligatoire à distance",
            )
    days = [d for d in (data.get("dates") or []) if isinstance(d, dict)]
    for day in days:
        if not any(day.get(key) for key, _ in HALF_DAYS):
            checker.error(
                day["_lines"].get("date", lines.get("dates", 1)),
                "chaque date a au moins une demi-journée (« matin » ou « apres_midi »)",
            )
    dates = [d.get("date") for d in days if d.get("date")]
    if dates != sorted(set(dates)):
        checker.error(lines.get("dates", 1), "« dates » : dates en double ou dans le désordre")


def load(path: Path) -> Session:
    """Read and validate ``path``; :class:`SessionError` lists every problem, located."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SessionError(f"{path} : fichier de session illisible ({exc.strerror})") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise SessionError(f"{path}:{line}: YAML invalide ({exc.problem})") from None
    checker = _Checker(path)
    if root is None:
        raise SessionError(f"{path}:1: fichier de session vide")
    data = checker.mapping(root, SCHEMA, "") or {}
    if isinstance(data, dict) and "_lines" in data:
        rules(checker, data, root)
    if checker.errors:
        raise SessionError("\n".join(message for _, message in sorted(checker.errors)))
    return Session(path=path, data=_strip(data), lines=data["_lines"])


def _strip(value):
    """The data without the ``_lines`` bookkeeping (kept on :class:`Session` for the root)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "_lines"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value

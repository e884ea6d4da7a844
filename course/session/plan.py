"""What a session teaches and when: its modules, objectives, half-days and durations.

Built from the course data (``cours.json``) and a validated :class:`Session`. Nothing here is
written by hand: objectives, prerequisites and durations are the modules' own metadata; the
teaching and assessment methods are counted from what the chosen modules contain.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from .. import metadata
from . import SessionError
from .sessionfile import HALF_DAYS, Session

MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
)
_MODULE_REF = re.compile(r"/modules/([a-z0-9-]+)")
WEEKDAYS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()


def french_date(day: dt.date, weekday: bool = False) -> str:
    """``2027-03-01`` → ``1er mars 2027`` (``lundi 1er mars 2027`` with ``weekday``)."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def clock(minutes: int) -> str:
    """``570`` → ``9 h 30``."""
    return f"{minutes // 60} h {minutes % 60:02d}"


@dataclass
class HalfDay:
    date: dt.date
    key: str  # "matin" or "apres_midi"
    label: str  # "matin" or "après-midi"
    start: int  # minutes after midnight
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def title(self) -> str:
        return f"{french_date(self.date, weekday=True)}, {self.label}"

    @property
    def hours(self) -> str:
        return f"{clock(self.start)} – {clock(self.end)}"


@dataclass
class Plan:
    """Everything the documents need, computed once."""

    course: dict
    session: Session
    modules: list[dict]
    sequences: list[dict]  # [{nom, modules: [module dicts]}], the path's own or one per module
    path: dict | None
    half_days: list[HalfDay]
    issued: dt.date
    objectives: list[dict] = field(default_factory=list)  # alignment rows of the modules
    exercises: list[dict] = field(default_factory=list)
    case_studies: list[dict] = field(default_factory=list)  # [{titre, page}]

    @property
    def minutes(self) -> int:
        return sum(m["duree_totale"] for m in self.modules)

    @property
    def duration(self) -> str:
        return metadata.format_minutes(self.minutes)

    @property
    def presence(self) -> str:
        return metadata.format_minutes(sum(h.minutes for h in self.half_days))

    @property
    def title(self) -> str:
        return self.session["formation"].get("intitule") or self.course["titre"]

    @property
    def questions(self) -> int:
        return sum(len(m.get("questions", [])) for m in self.modules)

    @property
    def prerequisites(self) -> list[str]:
        """The modules' prerequisites that the session itself does not teach, each once.

        « Aucun… » is left out, and so is an item that only names modules of the session
        (``/modules/<slug>`` in ``cours.json``): the session teaches them, in order. Other
        module references become the module's title.
        """
        titles = {m["slug"]: m["title"] for m in self.course["modules"]}
        chosen = {m["slug"] for m in self.modules}
        seen: list[str] = []
        for module in self.modules:
            for item in module.get("prerequis", []):
                refs = set(_MODULE_REF.findall(item))
                if item.strip().lower().startswith("aucun") or (refs and refs <= chosen):
                    continue
                text = _MODULE_REF.sub(lambda m: f"« {titles.get(m[1], m[1])} »", item)
                if text not in seen:
                    seen.append(text)
        return seen

    @property
    def audiences(self) -> str:
        """The modules' audiences, each group once, in course order."""
        seen: list[str] = []
        for module in self.modules:
            for group in (module.get("public") or "").split(","):
                group = group.strip()
                if group and group.lower() not in {g.lower() for g in seen}:
                    seen.append(group)
        return ", ".join(seen)


def issue_date(session: Session) -> dt.date:
    """The documents' date: ``date_edition``, else ``SOURCE_DATE_EPOCH``, else today (UTC)."""
    if session.get("date_edition"):
        return session["date_edition"]
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def half_days(session: Session) -> list[HalfDay]:
    out = []
    for day in session["dates"]:
        for key, label in HALF_DAYS:
            if day.get(key):
                out.append(HalfDay(day["date"], key, label, *day[key]))
    return out


def build(course: dict, session: Session, case_studies: list[dict] | None = None) -> Plan:
    """The plan of ``session``; :class:`SessionError` (located) for an unknown path or module."""
    by_slug = {m["slug"]: m for m in course["modules"]}
    formation = session["formation"]
    where = session.where("formation")
    path = None
    if formation.get("parcours"):
        paths = {p["id"]: p for p in course.get("parcours", [])}
        path = paths.get(formation["parcours"])
        if path is None:
            known = ", ".join(paths) or "aucun : reconstruisez le site (make html)"
            raise SessionError(
                f"{where}: parcours inconnu « {formation['parcours']} » (parcours du guide du "
                f"formateur : {known})"
            )
        sequences = [{"nom": s["nom"], "slugs": s["modules"]} for s in path["seances"]]
    else:
        sequences = [{"nom": slug, "slugs": [slug]} for slug in formation["modules"]]
    unknown = [s for seq in sequences for s in seq["slugs"] if s not in by_slug]
    if unknown:
        raise SessionError(
            f"{where}: module(s) inconnu(s) : {', '.join(unknown)} (modules du cours : "
            f"{', '.join(by_slug)})"
        )
    slugs = [s for seq in sequences for s in seq["slugs"]]
    if len(set(slugs)) != len(slugs):
        raise SessionError(f"{where}: un module figure deux fois dans la formation")
    for seq in sequences:
        seq["modules"] = [by_slug[s] for s in seq.pop("slugs")]
        if path is None:
            seq["nom"] = seq["modules"][0]["title"]
    modules = [by_slug[s] for s in slugs]
    alignment = {row["module"]: row["objectifs"] for row in course.get("alignment", [])}
    objectives = [
        {**objective, "module": m["slug"], "module_title": m["title"]}
        for m in modules
        for objective in alignment.get(m["slug"], [])
    ]
    chosen = set(slugs)
    exercises = [ex for ex in course.get("exercices", []) if ex.get("module") in chosen]
    studies = [cs for cs in (case_studies or []) if chosen & set(cs.get("modules", []))]
    return Plan(
        course=course,
        session=session,
        modules=modules,
        sequences=sequences,
        path=path,
        half_days=half_days(session),
        issued=issue_date(session),
        objectives=objectives,
        exercises=exercises,
        case_studies=studies,
    )

"""The same numbered fact is stated the same way on every page of the course (issue 17).

Only what can be checked mechanically: a numbered text (décret, loi, arrêté) carries one date
everywhere; the counts of quartiers prioritaires take only the values the sources give; two
statements the sources do not support do not come back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    [
        *ROOT.glob("modules/*.md"),
        *ROOT.glob("etudes-de-cas/*.md"),
        *ROOT.glob("formateur/*.md"),
        *(ROOT / name for name in ("glossaire.md", "chronologie.md", "references.md", "index.md")),
    ]
)
SPACE = re.compile(r"[\u00a0\u202f]")
NUMBER = r"(\d{1,3}(?: \d{3})+|\d+)"
NUMBERED_TEXT = re.compile(
    r"\b(décret|loi|arrêté)\s+n°\s*(\d{2,4}-\d+)\s+du\s+(1er|\d{1,2})\s+([a-zéû]+)\s+(\d{4})",
    re.IGNORECASE,
)
# Counts of QPV the sources give (FAITS.md, n° 29, 30 and 67): 1 296 (géographie de 2015),
# 1 362 (1er janvier 2024) in metropolitan France; 217 (original overseas list), 218 (rectified).
METRO_COUNT = re.compile(
    NUMBER + r"\s+(?:quartiers(?: prioritaires)?|QPV)\**\s+"
    r"(?:en France métropolitaine|en métropole|métropolitains)"
)
OVERSEAS_COUNT = re.compile(NUMBER + r"\s+(?:quartiers(?: prioritaires)?|QPV)?\s*outre-mer")
UNSUPPORTED = {
    # the sources show art. 6 modified by loi n° 2017-86, not art. 7
    # (the course says which article loi n° 2017-86 changed, never « modifié(e) en 2017 » alone:
    # both old wordings of the error put the article number on another line)
    "« modifié en 2017 »": re.compile(r"\bmodifiée?s?\s+en\s+2017\b", re.IGNORECASE),
    "70 % attribué à l'ONPV": re.compile(r"ONPV[^.]{0,80}\b70\s?%"),
}


def lines():
    for page in PAGES:
        text = SPACE.sub(" ", page.read_text(encoding="utf-8"))
        for number, line in enumerate(text.splitlines(), 1):
            yield f"{page.relative_to(ROOT)}:{number}", line


def test_a_numbered_text_has_one_date_on_every_page():
    dates = defaultdict(set)
    for where, line in lines():
        for match in NUMBERED_TEXT.finditer(line):
            day, month, year = match.group(3, 4, 5)
            dates[match.group(2)].add((f"{day} {month.lower()} {year}", where))
    assert len(dates) > 10  # the pattern still finds the course's texts
    clashes = {num: sorted(seen) for num, seen in dates.items() if len({d for d, _ in seen}) > 1}
    assert clashes == {}


def test_counts_of_quartiers_prioritaires_take_only_sourced_values():
    found = {"metro": [], "overseas": []}
    for where, line in lines():
        found["metro"] += [(m.group(1), where) for m in METRO_COUNT.finditer(line)]
        found["overseas"] += [(m.group(1), where) for m in OVERSEAS_COUNT.finditer(line)]
    assert found["metro"] and found["overseas"]
    assert [f for f in found["metro"] if f[0] not in {"1 296", "1 362"}] == []
    # "22 outre-mer" counts NPNRU quartiers d'intérêt national, not QPV
    allowed = {"217", "218", "22"}
    assert [f for f in found["overseas"] if f[0] not in allowed and len(f[0]) < 4] == []


def test_statements_the_sources_do_not_support_stay_out():
    hits = [
        (label, where)
        for where, line in lines()
        for label, pattern in UNSUPPORTED.items()
        if pattern.search(line)
    ]
    assert hits == []

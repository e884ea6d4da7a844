"""Every session document as a complete HTML page (Jinja templates in ``templates/``).

Texts a trainer or a participant reads are French; they are assembled from the plan (the
modules' own metadata and the session file), never typed twice. :data:`INDICATOR_1` names the
headings of the programme that answer the items Qualiopi's indicator 1 asks a public
description of a training to give (the issue's list, not a quotation of the referential).
"""

from __future__ import annotations

from functools import lru_cache

from .. import metadata
from . import STATIC, TEMPLATES
from .assessments import Test, estimated_minutes
from .plan import Plan, french_date

INDICATOR_1 = (
    "Prérequis",
    "Objectifs",
    "Durée",
    "Modalités et délais d'accès",
    "Tarif",
    "Contacts",
    "Méthodes mobilisées",
    "Modalités d'évaluation",
    "Accessibilité aux personnes en situation de handicap",
)
MODALITES = {
    "presentiel": "En présentiel",
    "distanciel": "À distance",
    "mixte": "En présentiel et à distance",
}
LEVELS = ("1", "2", "3", "4")
SURVEY = (
    {
        "title": "Objectifs et contenus",
        "items": (
            "Les objectifs de la formation m'ont été présentés clairement.",
            "Les objectifs annoncés ont été atteints.",
            "Les contenus correspondent à mes besoins professionnels.",
            "Je saurai utiliser ce que j'ai appris dans mon travail.",
        ),
    },
    {
        "title": "Animation et méthodes",
        "items": (
            "Les apports et les exemples étaient clairs.",
            "Les quiz, exercices et ateliers m'ont aidé à apprendre.",
            "Le rythme et la durée étaient adaptés.",
            "Le formateur a répondu à mes questions.",
        ),
    },
    {
        "title": "Organisation",
        "items": (
            "J'ai reçu à temps les informations pratiques (dates, lieu, accès).",
            "Les conditions matérielles (salle ou outil à distance, supports) étaient adaptées.",
            "Mes besoins d'adaptation éventuels ont été pris en compte.",
        ),
    },
)
COMMENTS = (
    "Ce qui vous a été le plus utile :",
    "Ce qui serait à améliorer :",
    "Recommanderiez-vous cette formation ? Pourquoi ?",
)


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(minutes=metadata.format_minutes, french_date=french_date)
    return env


def render(template: str, plan: Plan, title: str, page: bool = False, **context) -> str:
    """The page ``template`` for ``plan``; ``page`` inlines the stylesheet (HTML to read)."""
    css = (STATIC / "print.css").read_text(encoding="utf-8") if page else ""
    return (
        _env().get_template(template).render(plan=plan, doc_title=title, inline_css=css, **context)
    )


def dates_text(plan: Plan) -> str:
    days = sorted({h.date for h in plan.half_days})
    if len(days) == 1:
        return f"le {french_date(days[0])}"
    return f"du {french_date(days[0])} au {french_date(days[-1])} ({len(days)} jours)"


def place_text(plan: Plan) -> str:
    lieu = plan.session["lieu"]
    text = MODALITES[lieu["modalite"]]
    return f"{text}, {lieu['adresse']}" if lieu.get("adresse") else text


def price_text(plan: Plan) -> str:
    amount = plan.session["tarif"]["montant"]
    if isinstance(amount, float):
        whole = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    else:
        whole = f"{amount:,}".replace(",", " ")
    return f"{whole} €"


def methods(plan: Plan) -> list[str]:
    """Teaching methods, counted from the modules' content."""
    out = [
        f"Apports du formateur à partir des {len(plan.modules)} modules du cours, dont le texte "
        "est remis aux participants (supports imprimables et site du cours).",
    ]
    activities = sum(m["duree_activites"] for m in plan.modules)
    if activities:
        out.append(
            f"Activités en groupe intégrées aux modules ({metadata.format_minutes(activities)} "
            "au total) : ateliers, mises en situation et mises en commun."
        )
    if plan.questions:
        out.append(
            f"Quiz d'autoévaluation corrigés et commentés ({plan.questions} questions), avec "
            "les sources juridiques de chaque réponse."
        )
    if plan.exercises:
        names = ", ".join(f"« {ex['title'].removeprefix('Exercice : ')} »" for ex in plan.exercises)
        out.append(
            f"Exercices pratiques sur des données ouvertes dans des notebooks Jupyter, avec "
            f"vérification automatique des réponses ({len(plan.exercises)} : {names}), pendant "
            "la session ou après, en autoformation, selon le déroulé."
        )
    if plan.case_studies:
        names = ", ".join(f"« {cs['titre']} »" for cs in plan.case_studies)
        out.append(f"Études de cas situées dans des territoires fictifs : {names}.")
    return out


def assessment(plan: Plan, tests: list[Test]) -> list[str]:
    first, final = tests
    out = [
        f"Avant la formation : test de positionnement ({len(first.questions)} questions à "
        "choix multiples couvrant les objectifs de la formation), pour situer les acquis de "
        "départ.",
        "Pendant la formation : quiz d'autoévaluation de chaque module"
        + (" et vérifications automatiques des exercices." if plan.exercises else "."),
        f"En fin de formation : évaluation des acquis ({len(final.questions)} questions "
        "couvrant chaque objectif), dont les résultats figurent sur l'attestation de fin de "
        "formation remise à chaque participant.",
        "Questionnaire de satisfaction rempli par chaque participant à la fin de la formation.",
        "Feuilles d'émargement signées par demi-journée.",
    ]
    if first.uncovered:
        refs = ", ".join(o["texte"].rstrip(".") for o in first.uncovered)
        out.insert(
            2, f"Objectif(s) évalué(s) par un exercice plutôt que par une question : {refs}."
        )
    return out


def programme(plan: Plan, tests: list[Test], page: bool = False) -> str:
    return render(
        "programme.html",
        plan,
        f"Programme de formation — {plan.title}",
        page=page,
        modalite=place_text(plan).split(",")[0],
        price=price_text(plan),
        methods=methods(plan),
        assessment=assessment(plan, tests),
    )


def test_document(plan: Plan, test: Test, key: bool) -> str:
    modules = []
    for position, q in enumerate(test.questions, start=1):
        if not modules or modules[-1]["slug"] != q["module"]:
            modules.append({"slug": q["module"], "title": q["module_title"], "questions": []})
        modules[-1]["questions"].append({**q, "position": position})
    suffix = " — corrigé" if key else ""
    return render(
        "test.html",
        plan,
        f"{test.title}{suffix} — {plan.title}",
        test=test,
        key=key,
        modules=modules,
        dates=dates_text(plan),
        estimate=estimated_minutes(test),
    )


def satisfaction(plan: Plan, form: bool) -> str:
    return render(
        "satisfaction.html",
        plan,
        f"Questionnaire de satisfaction — {plan.title}",
        page=form,
        form=form,
        survey=SURVEY,
        levels=LEVELS,
        comments=COMMENTS,
        dates=dates_text(plan),
    )


def attendance(plan: Plan) -> str:
    days = []
    for h in plan.half_days:
        if not days or days[-1]["date"] != h.date:
            days.append({"date": h.date, "title": french_date(h.date, True), "half_days": []})
        days[-1]["half_days"].append(h)
    return render(
        "attendance.html",
        plan,
        f"Feuilles d'émargement — {plan.title}",
        days=days,
        participants=plan.session["participants"],
        place=place_text(plan),
    )


def attestations(plan: Plan) -> str:
    return render(
        "attestation.html",
        plan,
        f"Attestations de fin de formation — {plan.title}",
        participants=plan.session["participants"],
        place=place_text(plan)[0].lower() + place_text(plan)[1:],
        dates=dates_text(plan),
    )


def handout(plan: Plan, module: dict, content: str) -> str:
    return render("handout.html", plan, f"{module['title']} — support de cours", content=content)


def guide(plan: Plan, sections: list[str]) -> str:
    return render(
        "guide.html", plan, f"Guide du formateur — {plan.course['titre']}", sections=sections
    )

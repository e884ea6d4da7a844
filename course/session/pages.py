"""What the kit reads from the built learner site's pages: main content, case studies.

A page's printable content is its ``<article role="main">`` (Furo) or ``div.body`` (basic
theme), with what only works on screen removed: the quiz corrections, answer feedback and
buttons (the answers of a quiz are not handed out), the model answers of the self-study
activities (a ``<details>`` that print would show open, right under the task), header links,
scripts, forms. Links to other pages of the site become their text; links to other sites keep
their address, which the print stylesheet writes after the text.
"""

from __future__ import annotations

from pathlib import Path

from . import SessionError

MAIN = ("article[role=main]", "div.body", "main")
SCREEN_ONLY = (
    "a.headerlink",
    "details.course-correction",
    "details.course-reponse-modele",
    "div.course-feedback",
    "div.course-actions",
    "script",
    "form",
    "button",
    "nav",
)
CASE_STUDIES = "etudes-de-cas"


def soup_of(site: Path, page: str):
    from bs4 import BeautifulSoup

    path = Path(site) / page
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SessionError(
            f"{path} illisible ({exc.strerror}) : reconstruisez le site apprenant (make html)"
        ) from None
    return BeautifulSoup(text, "html.parser")


def main(soup, where: str):
    for selector in MAIN:
        found = soup.select_one(selector)
        if found is not None:
            return found
    raise SessionError(f"{where} : contenu principal introuvable (thème inconnu)")


def title(element) -> str:
    heading = element.find("h1")
    if heading is None:
        return ""
    for link in heading.select("a.headerlink"):
        link.decompose()
    return " ".join(heading.get_text(" ").split())


def case_studies(site: Path) -> list[dict]:
    """``[{titre, page, modules}]`` of the site's case studies (the modules they link to)."""
    found = []
    for path in sorted((Path(site) / CASE_STUDIES).glob("*.html")):
        if path.name == "index.html":
            continue
        page = path.relative_to(site).as_posix()
        article = main(soup_of(site, page), page)
        modules = sorted(
            {
                a["href"].split("#")[0].rsplit("/", 1)[-1].removesuffix(".html")
                for a in article.find_all("a", href=True)
                if "modules/" in a["href"]
            }
        )
        found.append({"titre": title(article), "page": page, "modules": modules})
    return found


def printable(site: Path, page: str, only: str | None = None) -> str:
    """The HTML of ``page``'s content, made for print (see the module docstring); with
    ``only`` (a CSS selector), just the elements it selects (e.g. the facilitator notes)."""
    soup = soup_of(site, page)
    article = main(soup, page)
    if only is not None:
        holder = soup.new_tag("div")
        for element in article.select(only):
            holder.append(element.extract())
        article = holder
    for selector in SCREEN_ONLY:
        for element in article.select(selector):
            element.decompose()
    for fieldset in article.find_all("fieldset"):
        fieldset.name = "div"
        fieldset.attrs = {"class": ["question"]}
    for legend in article.find_all("legend"):
        legend.name = "p"
        legend.attrs = {}
    for option in article.select("div.course-option"):
        label = option.find("label")
        text = label.get_text(" ") if label else option.get_text(" ")
        option.clear()
        option.name = "p"
        option.attrs = {"class": ["option"]}
        option.string = f"☐ {' '.join(text.split())}"
    for element in article.find_all(attrs={"data-correct": True}):
        del element["data-correct"]
    for link in article.find_all("a"):
        href = link.get("href", "")
        if not href.startswith(("http://", "https://")):
            link.unwrap()
    for image in article.find_all("img"):
        image.attrs.pop("loading", None)
    return article.decode_contents()


def trainer_pages(site: Path) -> list[str]:
    """The trainer's guide pages (``formateur/…``) in the order of the site's navigation."""
    soup = soup_of(site, "index.html")
    tree = soup.select_one("div.sidebar-tree") or soup
    found: list[str] = []
    for link in tree.find_all("a", href=True):
        page = link["href"].split("#")[0]
        if page.startswith("formateur/") and page.endswith(".html") and page not in found:
            found.append(page)
    if not found:
        raise SessionError(f"{site} : aucune page formateur/ dans la navigation")
    return found

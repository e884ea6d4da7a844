"""What a learner needs to run a downloaded exercise on their own (no Sphinx import).

Every learner download (and every folder of ``python -m course notebooks``) carries:

* ``requirements.txt``: the libraries the notebooks import, with the lower bounds of
  ``pyproject.toml`` (the versions of ``constraints.txt`` satisfy them);
* ``AVANT-DE-COMMENCER.md``: in French, how to install them in a virtual environment and
  open the notebook, or the JupyterHub / Binder links when the course configures them.
"""

from __future__ import annotations

#: what the notebooks need, with the lower bounds of pyproject.toml (tests check both files)
REQUIREMENTS = ("pandas>=2.2", "matplotlib>=3.8", "jupyterlab>=4.2")
REQUIREMENTS_FILE = "requirements.txt"
GUIDE_FILE = "AVANT-DE-COMMENCER.md"


def requirements_txt() -> str:
    return "".join(f"{line}\n" for line in REQUIREMENTS)


def guide(title: str, notebook: str, data: bool, links: list[tuple[str, str]] = ()) -> str:
    """The French « before you start » page of one download.

    ``links`` are ``(url, label)`` pairs (JupyterHub, Binder) to open the exercise online.
    """
    contents = f"le notebook `{notebook}`, `verif.py` (qui vérifie vos réponses)"
    if data:
        contents += " et le dossier `donnees/` (les données et leurs empreintes)"
    lines = [
        f"# Avant de commencer — {title}",
        "",
        f"Ce dossier contient {contents}. Gardez-les ensemble, sans les renommer.",
        "",
    ]
    if links:
        lines += [
            "## En ligne, sans rien installer",
            "",
            *(f"- [{label}]({url})" for url, label in links),
            "",
        ]
    lines += [
        "## Sur votre ordinateur" if links else "## Installation",
        "",
        "Il faut Python 3.11 ou plus récent (<https://www.python.org/downloads/>). Dans un "
        "terminal ouvert dans ce dossier, créez un environnement virtuel et installez-y ce que "
        f"demande `{REQUIREMENTS_FILE}` (pandas, matplotlib et JupyterLab) :",
        "",
        "```bash",
        "python3 -m venv .venv",
        "source .venv/bin/activate        # Windows : .venv\\Scripts\\activate",
        f"python -m pip install -r {REQUIREMENTS_FILE}",
        "```",
        "",
        "## Ouvrir le notebook",
        "",
        "```bash",
        f"jupyter lab {notebook}",
        "```",
        "",
        "Exécutez les cellules dans l'ordre (Maj + Entrée). Écrivez votre code à la place de "
        "`...` ou de « # Écrivez votre code ici » : chaque vérification répond « à compléter », "
        "« pas encore » (avec un indice) ou « correct ».",
        "",
        "La prochaine fois, réactivez l'environnement (`source .venv/bin/activate`) avant "
        "`jupyter lab`.",
        "",
    ]
    return "\n".join(lines)

"""What ``make notebooks`` adds next to the exercise folders, so that a hub can pull it.

The folder becomes the learners' notebooks repository: JupyterHub pulls it with nbgitpuller,
Binder (repo2docker) builds its environment from it. At its root:

- ``README.md``: for the organisation, in French: what is inside, how to publish it step by
  step (:data:`PUBLISH_STEPS`, which the tests run), which ``conf.py`` values print the links;
- ``requirements.txt``: what the notebooks import (``course.kit``), for Binder and any hub
  image built with pip (the course's own image pins it: ``deploy/``);
- ``runtime.txt``: the Python version Binder should use;
- ``.gitignore``: what JupyterLab writes beside the notebooks (checkpoints), never published.
"""

from __future__ import annotations

from .. import kit

PYTHON = "3.11"
GITIGNORE = ".ipynb_checkpoints/\n__pycache__/\n.virtual_documents/\n"

#: the commands of the README, in order ({depot}: the organisation's clone, next to the course)
PUBLISH_STEPS = (
    "git clone {url} {depot}",
    "make notebooks",
    "git --git-dir={depot}/.git --work-tree=_build/notebooks add --all",
    'git --git-dir={depot}/.git --work-tree=_build/notebooks commit -m "Notebooks apprenant"',
    "git -C {depot} push origin HEAD:main",
)

EXAMPLE_URL = "https://forge.exemple.org/formation/notebooks-apprenant.git"
EXAMPLE_DEPOT = "../notebooks-apprenant"

README = """# Exercices — Politique de la ville & développement social territorial

Notebooks **apprenant** (sans solutions), générés par `make notebooks` depuis le dépôt du
cours : ne les modifiez pas ici, modifiez les sources du cours puis publiez de nouveau.

{liste}

Chaque dossier contient le notebook, `verif.py` (vérification des réponses), si besoin
`donnees/` (données, empreintes SHA-256, README avec origine et licence), `requirements.txt`
et `AVANT-DE-COMMENCER.md` (quoi installer, comment ouvrir le notebook sans hub).

## Pour l'organisation : publier ce dossier

Un JupyterHub (avec nbgitpuller) ou Binder ouvre les exercices depuis un dépôt git public ou
accessible au hub. Une fois : créez un dépôt vide sur votre forge (par exemple
`notebooks-apprenant`, branche `main`). Puis, depuis le dossier du cours, à chaque mise à jour :

```bash
{etapes}
```

La première ligne ne sert qu'une fois ; le dossier `_build/notebooks` est enregistré tel quel
dans le dépôt (fichiers ajoutés, modifiés et supprimés) ; « nothing to commit » veut dire que
rien n'a changé depuis la dernière publication. Une branche dédiée d'un dépôt existant
convient aussi, si elle ne contient que ces notebooks : clonez-la (`git clone -b <branche>`),
poussez vers `HEAD:<branche>` et déclarez-la dans `conf.py` (`course_notebooks_branch`).

Dans `conf.py` du cours, pour que chaque page d'exercice affiche ses liens :

```python
course_jupyterhub_url = "https://hub.exemple.org"            # votre JupyterHub
course_notebooks_repo = "https://forge.exemple.org/formation/notebooks-apprenant.git"
course_binder_url = "https://mybinder.org"                   # facultatif
course_binder_repo = "gh/formation/notebooks-apprenant/main"
```

Au premier clic, nbgitpuller copie ce dépôt dans le dossier `notebooks-apprenant` de
l'apprenant ; aux clics suivants, il le met à jour sans écraser ce que l'apprenant a modifié
(un fichier supprimé par l'apprenant revient tel que publié).

## Environnement

`requirements.txt` et `runtime.txt` (Python {python}) suffisent à Binder (repo2docker). Le
hub doit fournir les mêmes bibliothèques, plus nbgitpuller : l'image du dépôt du cours
(`deploy/image/Dockerfile`) les installe aux versions testées.
"""


def readme(exercises: list[tuple[str, str]]) -> str:
    """``exercises``: ``(slug, title)`` pairs, in course order."""
    liste = "\n".join(f"- `{slug}/{slug}.ipynb` : {title}" for slug, title in exercises)
    etapes = "\n".join(step.format(url=EXAMPLE_URL, depot=EXAMPLE_DEPOT) for step in PUBLISH_STEPS)
    return README.format(liste=liste, etapes=etapes, python=PYTHON)


def root_files(exercises: list[tuple[str, str]]) -> dict[str, str]:
    """The files of the repository's root, by name."""
    return {
        "README.md": readme(exercises),
        kit.REQUIREMENTS_FILE: kit.requirements_txt(),
        "runtime.txt": f"python-{PYTHON}\n",
        ".gitignore": GITIGNORE,
    }

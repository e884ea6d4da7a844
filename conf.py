"""Sphinx configuration of the course site (the repository root is the source directory).

Editions: ``make html`` builds the learner edition (the default below);
``make formateur`` passes ``-D course_edition=formateur``.
"""

project = "Politique de la ville & développement social territorial"
author = "Les contributeurs du cours"
copyright = "2026, les contributeurs du cours (textes : CC BY-SA 4.0 ; code : MIT)"
language = "fr"
# French quotes are typed as « … » in the sources; docutils' smart quotes would turn an
# apostrophe before markup (d'**instruction**) into a closing quote, so only dashes and
# ellipses are educated.
smartquotes_action = "De"
root_doc = "index"

extensions = [
    "course.sphinxext",  # loads myst_parser and nbsphinx itself
    "sphinx_copybutton",
]

exclude_patterns = [
    "_build",
    ".venv",
    ".ci",
    "binder",
    "course",
    "tests",
    "benchmarks",
    "README.md",
    "CONTRIBUTING.md",
    "ARCHITECTURE.md",
    "sources",  # notes on what was read (sources/NOTES.md), for authors, not a page
    "**/.ipynb_checkpoints",
    "**/__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "*.egg-info",
]

# -- the course ------------------------------------------------------------------------------
course_edition = "apprenant"
# Organisations fill these to offer « Ouvrir sur JupyterHub / Binder » on exercise pages:
# course_jupyterhub_url = "https://hub.example.org"
# course_notebooks_repo = "https://forge.example.org/formation/notebooks-apprenant"
# course_binder_url = "https://mybinder.org"
# course_binder_repo = "gh/organisation/notebooks-apprenant/main"

# -- MyST ------------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- notebooks: nothing from a CDN -----------------------------------------------------------
nbsphinx_requirejs_path = ""
nbsphinx_widgets_path = ""
nbsphinx_allow_errors = False

# -- HTML: a light, accessible theme with no web fonts ---------------------------------------
html_theme = "furo"
html_title = "Politique de la ville & DST"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "navigation_with_keys": True,
}
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

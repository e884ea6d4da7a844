"""Helpers for tests/test_hub.py: a learner in JupyterLab, driven in Chromium as a person would.

The JupyterLab of the workshop hub is in French (``course/hub/lab/overrides.json``): the
labels clicked here are the ones a learner reads.
"""

from __future__ import annotations

import json
from pathlib import Path

LOGIN_TIMEOUT = 180_000  # ms: the learner's server starts, the repository is pulled
RUN_TIMEOUT = 180_000

ALL_EXECUTED = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def log_in(page, user: str, password: str) -> None:
    """Fill the hub's (French) login page that a launch link leads to."""
    page.get_by_label("Identifiant").fill(user)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def wait_for_notebook(page, url_end: str) -> None:
    """Wait until JupyterLab shows ``url_end`` with its kernel started and idle."""
    page.wait_for_url(f"**{url_end}", timeout=LOGIN_TIMEOUT)
    page.get_by_text("| Inactif").wait_for(timeout=LOGIN_TIMEOUT)


def run_all(page) -> None:
    """Menu « Exécution » → « Exécuter toutes les cellules », as a learner does."""
    page.get_by_role("menuitem", name="Exécution", exact=True).click()
    page.get_by_role("menuitem", name="Exécuter toutes les cellules", exact=True).click()


def wait_until_run(page) -> None:
    page.wait_for_function(ALL_EXECUTED, timeout=RUN_TIMEOUT)
    page.get_by_text("| Inactif").wait_for(timeout=RUN_TIMEOUT)


def save(page) -> None:
    """Ctrl+S, then wait until the tab no longer says the notebook has unsaved changes."""
    page.locator(".lm-TabBar-tab.jp-mod-current").first.click()
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => !document.querySelector('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')",
        timeout=30_000,
    )


def problems(notebook: Path, titles: list[str]) -> list[str]:
    """What is wrong with a learner notebook run to the end without any answer written.

    Each check (``titles``) must have said « à compléter »; no cell may have raised, and no
    check may have said anything else.
    """
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [cell for cell in nb["cells"] if cell["cell_type"] == "code"]
    found = []
    if not code or any(cell.get("execution_count") is None for cell in code):
        found.append("cellule non exécutée")
    texts = "".join("".join(o.get("text", "")) for cell in code for o in cell.get("outputs", []))
    for cell in code:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append(f"erreur : {out.get('ename')}: {out.get('evalue')}")
    for title in titles:
        if f"✏️ {title} : à compléter." not in texts:
            found.append(f"pas de « à compléter » pour {title}")
    for line in texts.splitlines():
        if line.startswith(("✅", "❌")):
            found.append(f"réponse inattendue : {line}")
    return found

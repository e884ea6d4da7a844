"""Launch links of an exercise: nbgitpuller on a JupyterHub, and Binder (no Sphinx import).

The site (``course.sphinxext.exercises``), the learner downloads, the workshop hub and its
tests build their links here, so the link a learner clicks is the link the tests open.

nbgitpuller clones the repository into a folder of the learner's home, named by default after
the last part of the repository's address *with* its ``.git`` suffix; the link names that
folder (``targetpath``, without ``.git``) so that ``urlpath`` always points into it.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def target_folder(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into (``…/notebooks.git`` → ``notebooks``)."""
    return repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")


def git_pull_query(repo: str, branch: str, urlpath: str) -> str:
    """The query of nbgitpuller's ``git-pull`` endpoint (``urlpath`` relative to the server)."""
    return urlencode(
        {"repo": repo, "branch": branch, "targetpath": target_folder(repo), "urlpath": urlpath}
    )


def nbgitpuller_url(hub: str, repo: str, branch: str, path: str) -> str:
    """Open ``path`` (relative to the repository) in JupyterLab on ``hub``, pulling first.

    ``/hub/user-redirect/`` sends the learner to their own server, after the login page and
    the start of that server when needed.
    """
    urlpath = f"lab/tree/{target_folder(repo)}/{path}"
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{git_pull_query(repo, branch, urlpath)}"


def binder_url(binder: str, spec: str, path: str) -> str:
    """Open ``path`` in JupyterLab on a BinderHub (``spec``: ``gh/organisation/depot/branche``)."""
    return f"{binder.rstrip('/')}/v2/{spec.strip('/')}?urlpath={quote('lab/tree/' + path, safe='')}"


def launch_links(
    slug: str,
    *,
    hub: str = "",
    repo: str = "",
    branch: str = "main",
    binder: str = "",
    binder_spec: str = "",
    path_template: str = "{slug}/{slug}.ipynb",
) -> list[tuple[str, str]]:
    """``[(url, kind)]`` for one exercise, ``kind`` being ``"hub"`` or ``"binder"``."""
    path = path_template.format(slug=slug)
    links = []
    if hub and repo:
        links.append((nbgitpuller_url(hub, repo, branch, path), "hub"))
    if binder and binder_spec:
        links.append((binder_url(binder, binder_spec, path), "binder"))
    return links

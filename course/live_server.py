"""The web side of ``make live`` (:mod:`course.live`): watcher, pages, reload and banner.

Imports uvicorn, Starlette and sphinx-autobuild (the ``dev`` extra), so only ``make live``
loads it. sphinx-autobuild's ``RebuildServer`` watches the sources and runs the rebuild in a
worker process, then tells every open page, over its websocket, to reload; Starlette's
``StaticFiles`` serves the published output (renamed into place by each successful rebuild:
files are looked up by path at each request). One middleware adds, to every HTML page, the
reload script and, while the last rebuild failed, the banner of :func:`course.live.banner`;
HTML is sent ``no-store`` so that a reload never shows a copy cached before the banner
changed.
"""

from __future__ import annotations

from pathlib import Path

import uvicorn
from sphinx_autobuild.filter import IgnoreFilter
from sphinx_autobuild.server import RebuildServer
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles

from . import live
from .hub.process import port_in_use

# the page reloads when the server says so; the address is the page's own (any host name)
RELOAD = (
    '<script>new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + '
    'location.host + "/websocket-reload").onmessage = () => location.reload();</script>'
)
# editors' temporary files: saving a module must trigger one rebuild, not three
EDITOR_FILES = [r"\.sw[a-p]$", r"~$", r"/\.#[^/]*$", r"/#[^/]*#$", r"\.pyc$"]


class Pages:
    """The output's files; ``/`` answers a French page while no good build exists yet."""

    def __init__(self, out: Path):
        self.out = out
        self.static = StaticFiles(directory=out, html=True, check_dir=False)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not self.out.is_dir():
            body = live.empty_page()
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.static(scope, receive, send)


class Inject:
    """Add the reload script and, after a failed rebuild, the banner to every HTML page."""

    def __init__(self, app, out: Path):
        self.app, self.out = app, out

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = b""

        async def wrapped(message) -> None:
            nonlocal extra
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    extra = live.banner(self.out, live.read_state(self.out)).encode()
                    extra += RELOAD.encode()
                    if "content-length" in headers:
                        headers["content-length"] = str(int(headers["content-length"]) + len(extra))
                    headers["cache-control"] = "no-store"
                    for name in ("etag", "last-modified"):
                        if name in headers:
                            del headers[name]
            elif extra and message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    message["body"] = message.get("body", b"") + extra
            await send(message)

        await self.app(scope, receive, wrapped)


def serve(rebuild: live.Rebuild, watch: Path, host: str, port: int) -> int:
    """Build once, then serve on ``host:port`` and rebuild on every change, until Ctrl-C."""
    if port_in_use(host, port):
        print(
            f"Erreur : le port {port} est déjà utilisé (un autre make live ?). "
            f"Choisissez-en un autre : make live PORT={port + 1}",
            flush=True,
        )
        return 1
    ignored = [watch / name for name in live.IGNORED] + [rebuild.out, rebuild.doctrees]
    watcher = RebuildServer([watch], IgnoreFilter(ignored, EDITOR_FILES), rebuild)
    app = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=Pages(rebuild.out), name="pages"),
        ],
        middleware=[Middleware(Inject, out=rebuild.out)],
        lifespan=watcher.lifespan,
    )
    print("[live] première construction…", flush=True)
    rebuild()
    print(f"[live] site servi sur http://{host}:{port}/ — Ctrl-C pour arrêter", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    print("[live] arrêté.", flush=True)
    return 0

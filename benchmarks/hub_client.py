"""A learner's server driven without a browser, for benchmarks/hub_bench.py.

Through the hub's proxy, with the tools' service token (``course-outils``, scope
``access:servers``): start the server (JupyterHub's REST API), pull the notebooks
(nbgitpuller's API, what the launch link's page calls), open a kernel in a folder (Jupyter
server's REST API) and run cells over the kernel's websocket as JupyterLab does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import psutil
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

if TYPE_CHECKING:
    from course.hub.server import WorkshopHub

TIMEOUT = 300


class Learner:
    """One learner's server, driven through the hub's proxy with the tools' token."""

    def __init__(self, hub: WorkshopHub, name: str):
        self.hub, self.name = hub, name
        self.base = f"{hub.url}/user/{name}"
        self.headers = {"Authorization": f"token {hub.settings.api_token}"}
        self.kernel: str | None = None

    def start(self) -> None:
        self.hub.api("POST", f"users/{self.name}/server")

    def ready(self) -> bool:
        server = self.hub.api("GET", f"users/{self.name}")["servers"].get("", {})
        return bool(server.get("ready"))

    def request(self, method: str, path: str, body: dict | None = None):
        req = urllib.request.Request(
            f"{self.base}/{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={**self.headers, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            data = response.read()
        return json.loads(data) if data else None

    def pull(self) -> None:
        """nbgitpuller's API, as the launch link's page calls it (an event stream)."""
        s = self.hub.settings
        query = urllib.parse.urlencode({"repo": s.repo_url, "branch": s.branch})
        query += f"&targetpath={s.folder}"
        req = urllib.request.Request(f"{self.base}/git-pull/api?{query}", headers=self.headers)
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            text = response.read().decode()
        if '"phase": "finished"' not in text:
            raise RuntimeError(f"{self.name} : nbgitpuller n'a pas fini : {text[-500:]}")

    def new_kernel(self, folder: str) -> None:
        if self.kernel:
            self.request("DELETE", f"api/kernels/{self.kernel}")
        self.kernel = self.request("POST", "api/kernels", {"name": "python3", "path": folder})["id"]

    def processes(self) -> list[psutil.Process]:
        """The learner's server and what it started (its kernels)."""
        for proc in psutil.Process(self.hub.hub.pid).children(recursive=True):
            try:
                if proc.environ().get("JUPYTERHUB_USER") == self.name and "singleuser" in " ".join(
                    proc.cmdline()
                ):
                    return [proc, *proc.children(recursive=True)]
            except psutil.Error:
                continue
        return []

    async def run(self, cells: list[str]) -> dict:
        """All cells sent at once (Run All), then every reply awaited; times the whole."""
        session = uuid.uuid4().hex
        ws = self.base.replace("http://", "ws://", 1)
        url = f"{ws}/api/kernels/{self.kernel}/channels?session_id={session}"
        opened = time.perf_counter()
        conn = await websocket_connect(HTTPRequest(url, headers=self.headers))
        await self._wait(conn, [self._send(conn, "kernel_info_request", {}, session)])
        cpu = self.cpu()
        start = time.perf_counter()
        ids = [self._send(conn, "execute_request", execute(code), session) for code in cells]
        texts, errors = await self._wait(conn, ids)
        seconds = time.perf_counter() - start
        conn.close()
        ready, cpu = start - opened, self.cpu() - cpu
        return {
            "seconds": seconds,
            "ready": ready,
            "cpu": cpu,
            "text": "".join(texts),
            "errors": errors,
        }

    def cpu(self) -> float:
        """CPU seconds used so far by the learner's server and kernels (load-independent)."""
        total = 0.0
        for proc in self.processes():
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total += times.user + times.system
        return total

    @staticmethod
    def _send(conn, msg_type: str, content: dict, session: str) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": session}
        header |= {"username": "bench", "version": "5.3", "date": dt.datetime.now().isoformat()}
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        conn.write_message(json.dumps({**message, "channel": "shell", "buffers": []}))
        return msg_id

    @staticmethod
    async def _wait(conn, ids: list[str]) -> tuple[list[str], list[str]]:
        """Until each request has its reply and its kernel status back to idle."""
        replied, idle, texts, errors = set(), set(), [], []
        while not (replied >= set(ids) and idle >= set(ids)):
            raw = await asyncio.wait_for(conn.read_message(), TIMEOUT)
            if raw is None:
                raise RuntimeError("websocket fermé par le serveur")
            msg = json.loads(raw)
            parent, kind = msg["parent_header"].get("msg_id"), msg["msg_type"]
            if parent not in ids:
                continue
            if kind.endswith("_reply"):
                replied.add(parent)
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle.add(parent)
            elif kind == "stream":
                texts.append(msg["content"]["text"])
            elif kind == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        return texts, errors


def execute(code: str) -> dict:
    return {"code": code, "silent": False, "store_history": True, "user_expressions": {}}


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]

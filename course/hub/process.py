"""Background servers (git daemon, JupyterHub) that always stop, with everything they started.

A server is started in its own session, its output going to a log file (never to a pipe: a
reader of a pipe that a server keeps open waits for ever). :meth:`Background.stop` asks it to
stop (SIGTERM, what JupyterHub answers by stopping its proxy and every learner's server), then
kills whatever is left of it and of the processes it had started, even those that moved to a
session of their own (JupyterHub starts each learner's server that way).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil

GRACE = 30  # seconds a server has to stop cleanly before it is killed


def free_port(ip: str = "127.0.0.1") -> int:
    """A TCP port that nothing listens on at ``ip`` now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


def port_in_use(ip: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return True
        return False


def wait_for_port(host: str, port: int, timeout: float, alive=lambda: True) -> bool:
    """True once something accepts connections on ``host:port``; False on timeout or death."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


class Background:
    """One server process: its own session, output to ``log``, stopped with its offspring."""

    def __init__(self, command: list[str], log: Path, cwd: Path | None = None, env=None):
        self.command, self.log = command, log
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def offspring(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.pid).children(recursive=True)
        except psutil.Error:
            return []

    def stop(self, grace: float = GRACE) -> None:
        """SIGTERM, ``grace`` seconds to stop, then SIGKILL to all that is left."""
        seen = self.offspring()
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        # processes it started in sessions of their own, and what those started since
        left = {p.pid: p for p in seen if p.is_running()}
        for proc in list(left.values()):
            try:
                left.update({c.pid: c for c in proc.children(recursive=True)})
            except psutil.Error:
                pass
        for proc in left.values():
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(list(left.values()), timeout=10)

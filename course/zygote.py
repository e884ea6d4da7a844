"""Kernels forked from a process that has already imported what exercises import.

Each exercise kernel used to cost about 2 s of CPU, most of it the same imports (ipykernel,
IPython, pandas, matplotlib) done again in every kernel. A *zygote* process does them once,
then forks one child per kernel: each child is a new process (its own memory, no notebook
state, nothing executed) that starts where a kernel would be after its imports.

Two commands, both run as ``python course/zygote.py``:

``serve SOCKET MODULE...``
    the zygote: binds a Unix socket, imports ipykernel and the modules, then forks a kernel
    for each request. It stops, killing its kernels, when its standard input closes (the
    build that started it is done or died).
``launch SOCKET -f CONNECTION_FILE``
    the kernel command given to jupyter_client: asks the zygote for a kernel with these
    arguments, in this directory and environment, forwards SIGINT/SIGTERM to it, and exits
    with the kernel's exit code. jupyter_client manages it like any kernel process.

Modules that pick a backend when imported stay out of the list: ``matplotlib.pyplot`` would
load the inline backend before IPython exists and charts would not show.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time

# what the course's exercises import (a missing one is skipped: it only costs time)
PRELOAD = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets


# Both commands run this file as a script, not ``-m course.zygote``: it needs only the
# standard library, so it works even where the course package is not installed.
SCRIPT = os.path.abspath(__file__)
SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "fork")  # macOS: fork is unsafe


def command(socket_path: str) -> list[str]:
    """The kernel command line (``argv`` of a kernel spec) for kernels from this zygote."""
    return [sys.executable, SCRIPT, "launch", socket_path, "-f", "{connection_file}"]


class Zygote:
    """A running zygote, for the length of a ``with`` block."""

    def __init__(self, directory: str, modules=PRELOAD):
        self.socket = os.path.join(directory, "zygote")
        self.modules = list(modules)
        self.process = None

    def __enter__(self) -> Zygote:
        self.process = subprocess.Popen(
            [sys.executable, SCRIPT, "serve", self.socket, *self.modules],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()  # the zygote stops and kills what is left of its kernels
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- the zygote -------------------------------------------------------------------------------


def _child(request: dict, inherited: list) -> None:
    """In the forked child: become the kernel described by ``request``; never returns."""
    code = 1
    try:
        # the zygote's wake-up pipe, sockets and selector are not the kernel's (its fd numbers
        # will be reused: Python must stop writing signal bytes to the old pipe's number)
        signal.set_wakeup_fd(-1)
        for item in inherited:
            os.close(item) if isinstance(item, int) else item.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.setsid()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        # as ipykernel_launcher: no directory on sys.path[0]; IPython puts the cwd back
        if sys.path and sys.path[0] in ("", os.getcwd(), os.path.dirname(SCRIPT)):
            del sys.path[0]
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(request["argv"])
        code = 0
    finally:
        os._exit(code)


class _KernelShell:
    """What ``get_ipython()`` looks like, to a module imported inside a Jupyter kernel."""

    kernel = True


def _import_as_in_a_kernel(modules: list[str]) -> None:
    """Import ``modules`` as a kernel would: some set defaults by asking where they run.

    pandas chooses ``display.max_columns`` at import: 20 in a Jupyter kernel (its test is
    ``hasattr(get_ipython(), "kernel")``), 0 in a terminal, which prints narrower tables.
    """
    import builtins

    builtins.get_ipython = lambda: _KernelShell
    try:
        for name in modules:
            try:
                __import__(name)
            except Exception:  # noqa: BLE001 - a module the kernels will not find either
                pass
    finally:
        del builtins.get_ipython


def serve(socket_path: str, modules: list[str]) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)  # requests wait here while the imports below run
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    # what every kernel imports while it starts (the debugger module brings debugpy)
    import ipykernel.debugger  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel.zmqshell  # noqa: F401

    _import_as_in_a_kernel(modules)
    children: dict[int, socket.socket] = {}
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ, "request")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    selector.register(sys.stdin, selectors.EVENT_READ, "stop")
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "stop":
                    return
                if key.data == "child":
                    os.read(wake_r, 512)
                    _reap(children)
                    continue
                conn, _ = server.accept()
                request = json.loads(conn.makefile("r", encoding="utf-8").readline())
                pid = os.fork()
                if pid == 0:
                    _child(request, [server, selector, wake_r, wake_w, conn, *children.values()])
                conn.sendall(f"{pid}\n".encode())
                children[pid] = conn
                _reap(children)  # a child may have ended before it was recorded
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.unlink(socket_path)


def _reap(children: dict[int, socket.socket]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
            except OSError:
                pass  # the launcher is gone
            conn.close()


# -- the launcher -------------------------------------------------------------------------------


def launch(socket_path: str, argv: list[str]) -> int:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(200):  # the zygote may still be starting: up to 10 s
        try:
            conn.connect(socket_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(0.05)
    else:
        conn.connect(socket_path)  # raises, with the reason
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    conn.sendall((json.dumps(request) + "\n").encode())
    replies = conn.makefile("r", encoding="utf-8")
    pid = int(replies.readline())

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    line = replies.readline()  # the exit code, when the kernel ends
    return int(line) if line.strip() else 1


def main(args: list[str]) -> int:
    if len(args) >= 2 and args[0] == "serve":
        serve(args[1], args[2:])
        return 0
    if len(args) >= 2 and args[0] == "launch":
        return launch(args[1], args[2:])
    print("usage: zygote.py serve SOCKET MODULE... | launch SOCKET ARG...")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A build command run as a child of ``course publish`` (stdlib only): in its own session, with
SIGINT and SIGTERM passed on to its whole process group as SIGINT (Python and Sphinx stop cleanly
on it: kernels shut down), then SIGKILL after :data:`GRACE` seconds; and a block during which those
signals wait (a swap is never cut in the middle)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

GRACE = 20  # seconds an interrupted build has to stop before it is killed


class Signals:
    """While a child runs: SIGINT/SIGTERM are recorded and passed on to its process group."""

    WATCHED = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self.received: int | None = None
        self.at = 0.0
        self.child: subprocess.Popen | None = None
        self._previous = {}

    def __enter__(self):
        for sig in self.WATCHED:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        if self.received is None:
            self.received, self.at = signum, time.monotonic()
        self.send(signal.SIGINT)  # for SIGTERM too: Python stops cleanly on SIGINT

    def send(self, signum: int) -> None:
        if self.child is None or self.child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if os.name == "posix":
                os.killpg(self.child.pid, signum)
            else:
                self.child.terminate()


@contextlib.contextmanager
def held_signals():
    """Keep SIGINT/SIGTERM for after the block (a swap is never cut in the middle)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    watched = set(Signals.WATCHED)
    signal.pthread_sigmask(signal.SIG_BLOCK, watched)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, watched)


def run(command: list[str], signals: Signals) -> int:
    """Run ``command`` in its own session; its exit status (negative for a signal)."""
    child = subprocess.Popen(command, start_new_session=os.name == "posix")
    signals.child = child
    killed = False
    while True:
        try:
            code = child.wait(timeout=1)
            break
        except subprocess.TimeoutExpired:
            if signals.received and not killed and time.monotonic() - signals.at > GRACE:
                signals.send(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)
                killed = True
    if os.name == "posix" and (code != 0 or signals.received):  # workers left behind
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
    return code

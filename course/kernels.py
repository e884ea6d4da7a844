"""Running notebooks in Jupyter kernels (imported only when something must run).

Kept apart from :mod:`course.execute` so that a build whose notebooks all come from the
cache does not import jupyter_client, nbclient and zmq at all.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import subprocess
import tempfile
from pathlib import Path

import nbformat
from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from traitlets import Unicode

from . import zygote
from .execute import KERNEL, NO_START, ExecutionError, _cached_path
from .files import atomic_write

_LOG = logging.getLogger("course.execute")
# nbclient logs every start at INFO, and a timeout at ERROR in English: the build says it
_LOG.setLevel(logging.CRITICAL)
# jupyter_client warns when it garbage-collects a finished kernel client whose zmq context
# it cannot destroy; the kernel itself was shut down: nothing for the reader to act on
_KERNEL_LOG = logging.getLogger("course.execute.kernel")
_KERNEL_LOG.setLevel(logging.ERROR)


TIMEOUT = (
    "délai dépassé : la cellule tournait encore après {timeout} s (course_execute_timeout, "
    "délai par cellule) ; cherchez une boucle sans fin ou un calcul trop long, ou relevez "
    "course_execute_timeout dans conf.py"
)
DEAD = "exécution interrompue : le noyau Python s'est arrêté (mémoire épuisée ?)"


class _ZygoteSpecs(KernelSpecManager):
    """The python3 kernel spec, with the command that forks kernels from a zygote."""

    socket_path = Unicode()

    def get_kernel_spec(self, kernel_name):
        spec = super().get_kernel_spec(kernel_name)
        spec.argv = zygote.command(self.socket_path)
        return spec


def _transport(folder: str) -> dict:
    # zmq has Unix sockets on POSIX only; elsewhere, TCP (and its rare port race)
    if os.name == "posix":
        return {"transport": "ipc", "ip": str(Path(folder, "k"))}
    return {}


async def _run(nb, cwd: Path, timeout: int, name: str, zygote_socket: str | None = None):
    # Kernels talk over Unix sockets in a private directory, not TCP: with TCP, each kernel
    # picks "free" ports that another kernel starting at the same moment may take first, and
    # dies before replying (measured: 2 runs in 5 lost a kernel with 24 started at once).
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        manager = AsyncKernelManager(kernel_name=KERNEL, log=_KERNEL_LOG, **_transport(sockets))
        if zygote_socket:
            manager.kernel_spec_manager = _ZygoteSpecs(socket_path=zygote_socket)
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            kernel_name=KERNEL,
            resources={"metadata": {"path": str(cwd)}},
            # the kernel's start-up notices (e.g. about local TCP) are not the reader's business
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            log=_LOG,
        )
        try:
            # the kernel's own log (shutdown races in zmq) is not the reader's business: cell
            # errors come back through the notebook, a dead kernel raises DeadKernelError
            await client.async_execute(stderr=subprocess.DEVNULL)
        except CellExecutionError as exc:
            index = _failing_cell(nb)
            line = f"{exc.ename}: {exc.evalue}" if exc.ename else "erreur"
            # first line: what the learner would see; then nbclient's report (cell, traceback)
            raise ExecutionError(
                f"{name}, cellule {index} : erreur à l'exécution : {line}\n{exc}"
            ) from None
        except CellTimeoutError as exc:
            index = _running_cell(nb)
            raise ExecutionError(
                f"{name}, cellule {index} : {TIMEOUT.format(timeout=timeout)}\n{exc}"
            ) from None
        except DeadKernelError as exc:
            raise ExecutionError(f"{name} : {DEAD} ({exc})") from None
        except RuntimeError as exc:  # the kernel did not start
            # nbclient left an exit hook to shut it down; it would fail at exit, noisily
            atexit.unregister(client._cleanup_kernel)
            raise ExecutionError(f"{name} : {NO_START} ({exc})") from None
    return nb


def _running_cell(nb) -> int | str:
    """The cell that was running when the time ran out: started, never answered."""
    for index, cell in enumerate(nb.cells, start=1):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type == "code" and timing and "shell.execute_reply" not in timing:
            return index
    return "?"


def _failing_cell(nb) -> int | str:
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return "?"


async def _execute(nb, cwd, inputs, cache_dir, timeout, name, zygote_socket=None):
    result = await _run(nbformat.from_dict(nb), cwd, timeout, name, zygote_socket)
    # how a kernel splits what a cell prints into messages depends on timing: merge them
    result, _ = CoalesceStreamsPreprocessor().preprocess(result, {})
    cached = _cached_path(nb, inputs, cache_dir)
    if cached:
        atomic_write(cached, nbformat.writes(result).encode("utf-8"))
    return result, False


async def _execute_all(jobs: list[tuple], workers: int, zygote_socket) -> list[tuple]:
    limit = asyncio.Semaphore(workers)

    async def one(job):
        async with limit:
            try:
                return await _execute(*job, zygote_socket), None
            except ExecutionError as exc:
                return None, str(exc)

    return list(await asyncio.gather(*(one(job) for job in jobs)))


def run_jobs(jobs: list[tuple], workers: int, forked: bool) -> list[tuple]:
    """Execute every job (none is taken from the cache); results as in ``execute_many``."""
    if not forked:
        return run_sync(_execute_all)(jobs, workers, None)
    # several kernels to start: fork them from one process that did the imports once
    # (course.zygote; measured on 2 cores: the 6 exercises in 3.7 s against 6.2 s)
    with tempfile.TemporaryDirectory(prefix="course-zygote-") as folder:
        with zygote.Zygote(folder) as running:
            results = run_sync(_execute_all)(jobs, workers, running.socket)
    # a kernel the zygote could not give is started on its own, as without the zygote
    again = [i for i, (_, error) in enumerate(results) if error and NO_START in error]
    if again:
        retried = run_sync(_execute_all)([jobs[i] for i in again], workers, None)
        for index, result in zip(again, retried, strict=True):
            results[index] = result
    return results

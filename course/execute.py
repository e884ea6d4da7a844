"""Notebook execution with a content-addressed cache (no Sphinx import).

The cache key covers everything that can change a result: the code and Markdown of every
cell, the kernel, the helper library and the data files given to the notebook. A cached
notebook is one that executed without error, so the site build and the tests can share it.
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import json
import logging
import os
import subprocess
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
from .files import atomic_write

KERNEL = "python3"
_LOG = logging.getLogger("course.execute")
_LOG.setLevel(logging.WARNING)  # nbclient logs every start at INFO
# jupyter_client warns when it garbage-collects a finished kernel client whose zmq context
# it cannot destroy; the kernel itself was shut down: nothing for the reader to act on
_KERNEL_LOG = logging.getLogger("course.execute.kernel")
_KERNEL_LOG.setLevel(logging.ERROR)


class ExecutionError(RuntimeError):
    """A notebook failed; the message names the notebook and the cell."""


EXECUTION_TAGS = ("raises-exception", "skip-execution")
NO_START = "le noyau Python n'a pas démarré"


def cache_key(nb, inputs: list[Path]) -> str:
    """Hash of what execution depends on: the code cells, their execution tags, the inputs.

    Markdown and cell metadata are left out: editing prose re-uses the outputs.
    """
    digest = hashlib.sha256()
    cells = [
        (c.source, sorted(t for t in c.get("metadata", {}).get("tags", []) if t in EXECUTION_TAGS))
        for c in nb.cells
        if c.cell_type == "code"
    ]
    digest.update(json.dumps([KERNEL, cells], ensure_ascii=False).encode())
    for path in sorted(inputs):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def with_outputs(nb, executed):
    """``nb`` (current prose and metadata) with the outputs of ``executed`` (same code cells)."""
    result = nbformat.from_dict(nb)
    done = [c for c in executed.cells if c.cell_type == "code"]
    mine = [c for c in result.cells if c.cell_type == "code"]
    for cell, ran in zip(mine, done, strict=True):
        cell.outputs = ran.get("outputs", [])
        cell.execution_count = ran.get("execution_count")
    return result


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
            raise ExecutionError(f"{name}, cellule {index} : erreur à l'exécution\n{exc}") from None
        except (CellTimeoutError, DeadKernelError) as exc:
            raise ExecutionError(f"{name} : exécution interrompue ({exc})") from None
        except RuntimeError as exc:  # the kernel did not start
            # nbclient left an exit hook to shut it down; it would fail at exit, noisily
            atexit.unregister(client._cleanup_kernel)
            raise ExecutionError(f"{name} : {NO_START} ({exc})") from None
    return nb


def _failing_cell(nb) -> int | str:
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return index
    return "?"


def _cached_path(nb, inputs, cache_dir) -> Path | None:
    return cache_dir / f"{cache_key(nb, inputs)}.ipynb" if cache_dir else None


async def _execute(nb, cwd, inputs, cache_dir, timeout, name, zygote_socket=None):
    cached = _cached_path(nb, inputs, cache_dir)
    if cached and cached.exists():
        return with_outputs(nb, nbformat.read(cached, as_version=4)), True
    result = await _run(nbformat.from_dict(nb), cwd, timeout, name, zygote_socket)
    # how a kernel splits what a cell prints into messages depends on timing: merge them
    result, _ = CoalesceStreamsPreprocessor().preprocess(result, {})
    if cached:
        atomic_write(cached, nbformat.writes(result).encode("utf-8"))
    return result, False


def execute(
    nb,
    cwd: Path,
    inputs: list[Path],
    cache_dir: Path | None,
    timeout: int = 120,
    name: str = "notebook",
):
    """Execute ``nb`` in ``cwd`` (or take it from the cache). Returns ``(notebook, from_cache)``.

    Raises:
        ExecutionError: a cell raised an error (outside ``raises-exception`` cells).
    """
    return run_sync(_execute)(nb, cwd, inputs, cache_dir, timeout, name)


async def _execute_all(jobs: list[tuple], workers: int, zygote_socket) -> list[tuple]:
    limit = asyncio.Semaphore(workers)

    async def one(job):
        async with limit:
            try:
                return await _execute(*job, zygote_socket), None
            except ExecutionError as exc:
                return None, str(exc)

    return list(await asyncio.gather(*(one(job) for job in jobs)))


def execute_many(
    jobs: list[tuple],
    workers: int | None = None,
    preload: bool = True,
    meanwhile: Callable[[list], object] | None = None,
) -> list[tuple]:
    """Run several :func:`execute` jobs at once, each in its own kernel.

    Each job is ``(nb, cwd, inputs, cache_dir, timeout, name)``; each result is
    ``((notebook, from_cache), None)`` or ``(None, error message)``, in the order of ``jobs``.
    One event loop drives every kernel: no worker process, so nothing is forked from a
    process that may already hold threads.

    ``meanwhile(notebooks)``, when given and some notebook must really run, is called in a
    thread while the kernels run, with the notebooks to run; it is best effort: what it
    raises is ignored (e.g. prefilling a cache).
    """
    if not jobs:
        return []
    # kernels spend part of their start waiting: two per core finish sooner (measured: 6
    # exercises in 9.6 s with 6 at once against 11.6 s with 2, on 2 cores)
    workers = workers or min(len(jobs), 2 * (os.cpu_count() or 1))
    to_run = [job for job in jobs if not _is_cached(job)]
    if not to_run:
        return run_sync(_execute_all)(jobs, workers, None)
    with ThreadPoolExecutor(max_workers=1) as background:
        side = background.submit(meanwhile, [job[0] for job in to_run]) if meanwhile else None
        results = _run_jobs(jobs, workers, preload and zygote.SUPPORTED and len(to_run) > 1)
        if side is not None:
            try:
                side.result()
            except Exception:  # noqa: BLE001 - best effort, as documented
                pass
    return results


def _run_jobs(jobs: list[tuple], workers: int, forked: bool) -> list[tuple]:
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


def _is_cached(job: tuple) -> bool:
    nb, _cwd, inputs, cache_dir, *_ = job
    cached = _cached_path(nb, inputs, cache_dir)
    return bool(cached and cached.exists())

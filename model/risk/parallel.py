"""Where sweep chunks run: in this process, in worker processes, or on a Dask cluster.

:func:`run_chunks` yields ``(chunk, columns)`` as chunks finish, whatever runs them; each chunk
is :func:`model.risk.sweep.evaluate_chunk` of the same plan and chunk number, so the numbers are
the same, bit for bit, on one core, on several, or on a cluster. At most two chunks per worker
are in flight, so memory stays bounded however many chunks there are.

- ``scheduler="tcp://HOST:PORT"``: an existing Dask distributed cluster (``dask scheduler`` and
  ``dask worker``); the plan is sent to every worker once. The workers need this package
  installed (same version).
- otherwise: worker processes, up to the cores this process may use (forked on Linux, so they
  start at once and inherit the plan); one chunk, or one core, runs here with no pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import islice
from typing import Iterable, Iterator

from ..inputs.errors import ModelError
import pandas as pd

from .spec import Spec
from .sweep import Plan, evaluate_chunk, make_plan

IN_FLIGHT_PER_WORKER = 2
CONNECT_TIMEOUT = "10s"

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD_BYTES = 64 * 2 ** 20

_PLAN: Plan | None = None  # the plan of a worker process (set once by the pool's initializer)
_TUNED = False


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _set_plan(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: no traceback per worker


def _chunk_in_worker(chunk: int) -> tuple[int, dict]:
    return chunk, evaluate_chunk(_PLAN, chunk)


def _heap_for_large_arrays() -> None:
    """Let glibc serve the engine's arrays (about 1 MB each) from the heap, once per worker process.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_`` set, which also pins glibc's
    mmap threshold at 128 KiB: every engine array is then mapped and unmapped afresh, and a chunk
    takes twice as long (measured). Raising the mmap threshold restores the speed; elsewhere
    (not glibc) this does nothing.
    """
    global _TUNED
    if _TUNED:
        return
    _TUNED = True
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):
        pass


def chunk_on_worker(plan: Plan, chunk: int) -> dict:
    """:func:`~model.risk.sweep.evaluate_chunk` as a Dask task (the allocator tuned first)."""
    _heap_for_large_arrays()
    return evaluate_chunk(plan, chunk)


def run_chunks(plan: Plan, chunks: Iterable[int], scheduler: str | None = None,
               workers: int | None = None) -> Iterator[tuple[int, dict]]:
    """``(chunk, columns)`` for each chunk of ``chunks``, in the order they finish."""
    chunks = list(chunks)
    if not chunks:
        return
    if scheduler:
        yield from _on_dask(plan, chunks, scheduler)
        return
    count = max(1, min(workers or cores(), len(chunks)))
    if count == 1:
        for chunk in chunks:
            yield chunk, evaluate_chunk(plan, chunk)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method), initializer=_set_plan,
                               initargs=(plan,))
    try:
        todo = iter(chunks)
        pending = {pool.submit(_chunk_in_worker, k) for k in islice(todo, IN_FLIGHT_PER_WORKER * count)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                for k in islice(todo, 1):
                    pending.add(pool.submit(_chunk_in_worker, k))
                yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def connect(scheduler: str):
    """A ``distributed.Client`` on the cluster at ``scheduler``; a :class:`ModelError` when it cannot be reached."""
    from distributed import Client

    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise ModelError(f"cannot reach the Dask scheduler at {scheduler}: {' '.join(str(exc).split())}") from None


def _on_dask(plan: Plan, chunks: list[int], scheduler: str) -> Iterator[tuple[int, dict]]:
    from distributed import as_completed

    client = connect(scheduler)
    try:
        shared = client.scatter(plan, broadcast=True, hash=False)
        slots = IN_FLIGHT_PER_WORKER * max(1, sum(client.nthreads().values()))
        todo = iter(chunks)
        numbers = {}

        def submit(k: int):
            future = client.submit(chunk_on_worker, shared, k, pure=False)
            numbers[future.key] = k
            return future

        running = as_completed([submit(k) for k in islice(todo, slots)], loop=client.loop, with_results=True)
        for future, columns in running:
            for k in islice(todo, 1):
                running.add(submit(k))
            chunk = numbers.pop(future.key)
            future.release()
            yield chunk, columns
    finally:
        client.close()


def evaluate_all(plan: Plan, scheduler: str | None = None, workers: int | None = None,
                 on_chunk=None) -> pd.DataFrame:
    """Every chunk of ``plan``, locally or on Dask (:func:`run_chunks`), as one table in variant order.

    For sweeps that fit in memory (sensitivity, discovery, the Python API); ``sweep`` writes
    chunks to files instead (:mod:`model.outputs.sweep_files`).
    """
    parts = {}
    for chunk, columns in run_chunks(plan, range(plan.chunks), scheduler=scheduler, workers=workers):
        parts[chunk] = pd.DataFrame(columns)
        if on_chunk is not None:
            on_chunk(chunk, len(parts[chunk]))
    if not parts:
        return pd.DataFrame(columns=plan.columns)
    return pd.concat([parts[k] for k in sorted(parts)], ignore_index=True)


def sweep_table(spec: Spec, scheduler: str | None = None, workers: int | None = None) -> pd.DataFrame:
    """The sweep of ``spec`` in memory: one row per variant, its inputs and metrics (no files written)."""
    return evaluate_all(make_plan(spec), scheduler=scheduler, workers=workers)


__all__ = ["IN_FLIGHT_PER_WORKER", "cores", "chunk_on_worker", "run_chunks", "connect", "evaluate_all", "sweep_table"]

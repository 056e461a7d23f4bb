"""Warm kernels for batch rendering: one per render thread, reused from report to report.

A fresh kernel costs each report about 2 s before its first cell does any work: the
kernel's start and stop (0.7 s) and the package's imports (1.3–1.8 s, matplotlib, pandas,
the model). A batch renders many reports, so each render thread keeps one kernel and runs
report after report in it (papermill's ``km`` hand-over, through the :class:`WarmKernelEngine`
engine below).

Between two reports the kernel is put back to the state of a fresh one that has imported
matplotlib: the user namespace and output history cleared (``%reset -f``) and a new history
session begun (its execution counter at 1), figures closed, matplotlib's settings and the
warning filters (with their "shown once" memory) as they were after start. A report is the
same, cell for cell and byte for byte, alone or after others in the same kernel
(``tests/outputs/test_kernels.py``). Caches that outlive a report are keyed by what they
depend on (the audit, by the state of the scenario files).

What runs inside the kernel is in :mod:`model.outputs.kernel_state` (light to import there);
this module runs in the render process.
"""

from __future__ import annotations

import threading

from papermill.engines import NBClientEngine, papermill_engines
from papermill.clientwrap import PapermillNotebookClient
from papermill.log import logger

from . import kernel_state

ENGINE = "warm-kernel"
RESET_TIMEOUT = 60  # s, for a kernel to start and to answer a reset
HISTORY = "--HistoryManager.hist_file=:memory:"  # as papermill's kernels: no history file shared by kernels


class WarmKernel:
    """One started kernel (``manager``) with a client of its own for resets."""

    def __init__(self, kernel_name: str, arguments: list[str]):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.manager = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(self.manager.start_kernel)(extra_arguments=[*arguments, HISTORY])
        self._client = self.manager.blocking_client()
        self._client.start_channels()
        self._client.wait_for_ready(timeout=RESET_TIMEOUT)
        self._run(f"import {kernel_state.__name__} as _state; _state.remember_fresh_state(); del _state")
        self.reports = 0

    def alive(self) -> bool:
        return self._run_sync(self.manager.is_alive)()

    def prepare(self) -> None:
        """Before a report: a kernel that has run one is put back to its fresh state."""
        if self.reports:
            self._run(f"import {kernel_state.__name__} as _state; _state.restore_fresh_state()")
        self.reports += 1

    def _run(self, code: str) -> None:
        reply = self._client.execute_interactive(code, store_history=False, timeout=RESET_TIMEOUT,
                                                 output_hook=lambda message: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"the warm kernel could not run {code!r}: {content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        self._client.stop_channels()
        self._run_sync(self.manager.shutdown_kernel)(now=True)


class KernelPool:
    """A warm kernel per thread that asks for one; :meth:`close` stops them all."""

    def __init__(self, kernel_name: str, arguments: list[str]):
        self.kernel_name, self.arguments = kernel_name, arguments
        self._local = threading.local()
        self._kernels: list[WarmKernel] = []
        self._lock = threading.Lock()
        self._closed = False

    def kernel(self) -> WarmKernel:
        """This thread's kernel, started if it has none or its kernel died, prepared for a report."""
        kernel = getattr(self._local, "kernel", None)
        if kernel is None or not kernel.alive():
            kernel = WarmKernel(self.kernel_name, self.arguments)
            with self._lock:
                if self._closed:
                    kernel.shutdown()
                    raise RuntimeError("the render was interrupted")
                self._kernels.append(kernel)
            self._local.kernel = kernel
        kernel.prepare()
        return kernel

    def close(self) -> None:
        """Stop every kernel (at the end of a batch, or when it is interrupted)."""
        with self._lock:
            self._closed = True
            kernels, self._kernels = self._kernels, []
        for kernel in kernels:
            kernel.shutdown()


class WarmKernelEngine(NBClientEngine):
    """Papermill's nbclient engine, running the notebook in a :class:`WarmKernel` (``warm_kernel=``)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, warm_kernel: WarmKernel | None = None,
                                 **kwargs):
        client = PapermillNotebookClient(
            nb_man, km=warm_kernel.manager, timeout=execution_timeout, startup_timeout=start_timeout,
            kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
            stderr_file=stderr_file, **{k: v for k, v in kwargs.items() if k not in ("input_path", "timeout",
                                                                                     "startup_timeout")})
        try:
            return client.execute()
        finally:  # the kernel stays; this report's connection to it goes
            if client.kc is not None:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, WarmKernelEngine)

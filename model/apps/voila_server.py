"""Voila's lifecycle for the dashboard: start it, cull the kernels of closed pages, stop it with
every process it started, and free its port.

Voila runs in a session (process group) of its own. Each page load starts a kernel, which
jupyter_client puts in a session of its own too; :func:`stop_voila` therefore notes Voila's
descendants from ``/proc`` before it signals, sends SIGTERM (Voila shuts its kernels down and
closes its port), waits ``STOP_GRACE`` seconds, then SIGKILLs Voila's group and each kernel's.
Kernels whose page is gone are culled by Jupyter server's own culler (``voila_command``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..inputs.errors import ModelError
from ..inputs.texts import LANGUAGES

#: The notebook reads the dashboard's language from this variable (Voila's kernels inherit its
#: environment); unset, as in JupyterLab, the notebook's own default applies.
LANGUAGE_VARIABLE = "FEASIBILITY_LANGUAGE"
#: A kernel (one per page load, ~180 MB) with no page connected that has been idle this long is
#: shut down by Jupyter server's culler, which looks every CULL_INTERVAL seconds. A page left open
#: keeps its kernel (``cull_connected=False``), however long it stays idle.
CULL_IDLE_TIMEOUT = 600
CULL_INTERVAL = 60
#: On stop, Voila gets SIGTERM (it shuts its kernels down) and this long to exit; what remains of
#: its process tree is then killed, so a stop takes at most about this long.
STOP_GRACE = 4.0
#: Kernels' own graceful shutdown within Voila's stop, kept inside STOP_GRACE.
KERNEL_SHUTDOWN_WAIT = 2.0


def voila_command(notebook: Path, port: int, cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
                  cull_interval: int = CULL_INTERVAL) -> list[str]:
    """The Voila command line: code hidden, 127.0.0.1 only, no browser, no port fallback; kernels
    whose page is gone culled after ``cull_idle_timeout`` seconds idle (checked every ``cull_interval``)."""
    return [sys.executable, "-m", "voila", str(notebook), f"--port={port}", "--no-browser",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", "--strip_sources=True",
            f"--MappingKernelManager.cull_idle_timeout={cull_idle_timeout}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            "--MappingKernelManager.cull_connected=False",
            f"--KernelManager.shutdown_wait_time={KERNEL_SHUTDOWN_WAIT}"]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:``port``."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def start_voila(notebook: Path, port: int, timeout: float = 60.0, *,
                language: str | None = None, cull_idle_timeout: int = CULL_IDLE_TIMEOUT,
                cull_interval: int = CULL_INTERVAL, **popen) -> tuple[subprocess.Popen, str]:
    """Start Voila on ``notebook`` and wait until it answers; ``(process, url)``.

    Voila runs in a session (process group) of its own, so a Ctrl-C in the terminal reaches only
    the caller, who stops it with :func:`stop_voila`; on Linux it also gets SIGTERM should the
    caller die without doing so. ``language`` (``zh`` | ``en``) goes to the notebook as
    ``$FEASIBILITY_LANGUAGE``; ``popen`` goes to :class:`subprocess.Popen` (``env``, ``stdout``,
    ``stderr``). Raises :class:`ModelError` if the notebook is missing, the port is taken or Voila
    does not start; nothing is left running then.
    """
    if not Path(notebook).is_file():
        raise ModelError(f"{notebook}: no such notebook")
    if language is not None and language not in LANGUAGES:
        raise ModelError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
    if port_answers(port):
        raise ModelError(f"port {port} is in use on 127.0.0.1; pass another with --port")
    if language is not None:
        popen["env"] = {**(popen.get("env") or os.environ), LANGUAGE_VARIABLE: language}
    command = voila_command(Path(notebook), port, cull_idle_timeout, cull_interval)
    process = subprocess.Popen(command, start_new_session=True, preexec_fn=_die_with_parent(), **popen)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ModelError(f"Voila stopped while starting (exit code {process.returncode})")
            if port_answers(port):
                return process, f"http://127.0.0.1:{port}/"
            time.sleep(0.1)
        raise ModelError(f"Voila did not answer on port {port} within {timeout:.0f} s")
    except BaseException:  # a failed start or a Ctrl-C / SIGTERM while waiting: leave nothing behind
        stop_voila(process)
        raise


def stop_voila(process: subprocess.Popen, grace: float = STOP_GRACE) -> int:
    """Stop Voila and every process it started; Voila's exit code.

    SIGTERM to Voila's process group (Voila then shuts its kernels down and closes its port),
    up to ``grace`` seconds to exit, then SIGKILL to whatever remains: Voila's group and each
    kernel's own (jupyter_client starts every kernel in a session of its own, so the kernels are
    found as Voila's descendants, noted while Voila is still their parent).
    """
    tree: set[tuple[int, int]] = set()
    if process.poll() is None:
        tree = _descendants(process.pid)
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            tree |= _descendants(process.pid)
    _signal_group(process.pid, signal.SIGKILL)  # stragglers in Voila's own group
    for pid, started in tree:
        if _start_time(pid) == started:  # still the same process, not a recycled PID
            _signal_group(pid, signal.SIGKILL)
            _signal(pid, signal.SIGKILL)
    return process.wait()


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP raise KeyboardInterrupt as SIGINT does; the handlers are restored after."""
    previous = {signum: signal.signal(signum, _raise_interrupt) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def ignore_stop_signals() -> None:
    """From now on SIGINT, SIGTERM and SIGHUP are ignored (while cleaning up)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to send the child SIGTERM when its parent dies (even by
    SIGKILL), so a killed ``feasibility dashboard`` still takes Voila and its kernels down."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), signal.SIGTERM)
    return preexec


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _stat(pid: int | str) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (state, ppid, …), or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


def _start_time(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def _descendants(pid: int) -> set[tuple[int, int]]:
    """The living descendants of ``pid`` as ``(pid, start time)``, from ``/proc`` (empty elsewhere)."""
    children: dict[int, list[tuple[int, int]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(entry.name)
        if fields and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append((int(entry.name), int(fields[19])))
    found: set[tuple[int, int]] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child[0])
    return found


__all__ = ["CULL_IDLE_TIMEOUT", "CULL_INTERVAL", "KERNEL_SHUTDOWN_WAIT", "LANGUAGE_VARIABLE", "STOP_GRACE",
           "STOP_SIGNALS", "free_port", "ignore_stop_signals", "port_answers", "signals_interrupt", "start_voila",
           "stop_voila", "voila_command"]

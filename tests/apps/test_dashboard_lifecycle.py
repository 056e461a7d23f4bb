"""The dashboard server's lifecycle: ``feasibility dashboard`` stops Voila and every kernel it
started on SIGTERM and frees its port; a kernel whose page is gone is culled; ``--language``
reaches the notebook; ``./project lab`` is offered. Real processes, no skips (Linux ``/proc``).
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from model.apps import dashboard as dash
from model.apps import voila_server as server
from model.apps.cli import main
from model.inputs.errors import ModelError
from model.inputs.paths import ROOT

STOP_LIMIT = 5.0  # the issue: Voila and every kernel stopped, the port free, within 5 s


# -- the process tree, from /proc -------------------------------------------------------------------
def _stat(pid: int) -> list[str] | None:
    """``/proc/PID/stat`` after the command name: state, ppid, pgrp, session, …; None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2:].split()


def _processes() -> dict[int, list[str]]:
    found = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if fields:
            found[int(entry.name)] = fields
    return found


def _tree(root: int) -> dict[int, str]:
    """The living descendants of ``root``: pid → start time (to tell a recycled PID apart)."""
    processes = _processes()
    tree, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, fields in processes.items():
            if int(fields[1]) == parent and fields[0] != "Z" and pid not in tree:
                tree[pid] = fields[19]
                todo.append(pid)
    return tree


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _kernels(root: int) -> dict[int, str]:
    return {pid: start for pid, start in _tree(root).items() if "ipykernel_launcher" in _command(pid)}


def _survivors(recorded: dict[int, str]) -> list[str]:
    """Recorded processes still running (a zombie awaiting its reaper holds nothing and counts as
    gone), and any process in a session one of them led (a kernel's own children)."""
    processes = _processes()
    left = [f"{pid} {_command(pid)}" for pid, start in recorded.items()
            if pid in processes and processes[pid][19] == start and processes[pid][0] != "Z"]
    sessions = {str(pid) for pid in recorded}
    left += [f"{pid} (session {fields[3]}) {_command(pid)}" for pid, fields in processes.items()
             if fields[3] in sessions and fields[0] != "Z" and pid not in recorded]
    return left


def _kill(recorded: dict[int, str]) -> None:
    """Clean-up after a failed test: nothing of ours may outlive it."""
    for pid, start in recorded.items():
        fields = _stat(pid)
        if fields and fields[19] == start:
            os.kill(pid, signal.SIGKILL)


def _isolated_env(tmp_path: Path) -> dict[str, str]:
    """Jupyter's config, data and runtime folders in ``tmp_path`` (no writes to $HOME)."""
    return {**os.environ, **{f"JUPYTER_{kind}_DIR": str(tmp_path / f"jupyter-{kind.lower()}")
                             for kind in ("CONFIG", "DATA", "RUNTIME")}}


def _read_line(stream, timeout: float) -> str:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            return ""
    return stream.readline()


def _load(url: str) -> None:
    with urllib.request.urlopen(url, timeout=90) as page:
        assert page.status == 200 and b"</html>" in page.read()


def _port_is_free(port: int) -> bool:
    """Nothing listens and a server can bind it again (with SO_REUSEADDR, as Voila's tornado does:
    the page loads leave the server side of their connections in TIME_WAIT for a minute)."""
    if server.port_answers(port):
        return False
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", port))
            listener.listen()
        except OSError:
            return False
    return True


def _feasibility() -> Path:
    """The installed console script, next to the interpreter running the tests (``.venv/bin``)."""
    script = Path(sys.executable).parent / "feasibility"
    if not script.exists():
        script = ROOT / ".venv" / "bin" / "feasibility"
    assert script.exists(), "the feasibility command is not installed (run ./project test)"
    return script


# -- the test ---------------------------------------------------------------------------------
def test_sigterm_stops_voila_and_every_kernel_within_5_s_and_frees_the_port(tmp_path):
    """Start ``feasibility dashboard``, load the page twice (a kernel each), SIGTERM it: it exits
    within 5 s, the port is free, and nothing it started remains."""
    port = server.free_port()
    log = (tmp_path / "dashboard.log").open("w")
    process = subprocess.Popen([str(_feasibility()), "dashboard", "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=log, text=True, env=_isolated_env(tmp_path), cwd=tmp_path)
    recorded: dict[int, str] = {}
    try:
        line = _read_line(process.stdout, timeout=90)
        url = f"http://127.0.0.1:{port}/"
        assert line == f"Dashboard: {url}  (Ctrl-C to stop)\n", (tmp_path / "dashboard.log").read_text()

        _load(url)
        first = _kernels(process.pid)
        _load(url)
        kernels = _kernels(process.pid)
        assert len(first) == 1 and len(kernels) == 2 and first.keys() < kernels.keys(), "a kernel per page load"
        for pid in kernels:  # --language (default zh) reaches the notebook's kernels
            assert b"FEASIBILITY_LANGUAGE=zh\0" in Path(f"/proc/{pid}/environ").read_bytes()
        recorded = _tree(process.pid)
        voila = [pid for pid in recorded if " -m voila " in _command(pid)]
        assert len(voila) == 1 and kernels.keys() <= recorded.keys(), {pid: _command(pid) for pid in recorded}

        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_LIMIT) == 0
        stopped = time.monotonic() - started
        print(f"SIGTERM → exit in {stopped:.2f} s")
        assert stopped < STOP_LIMIT
        assert _port_is_free(port)
        deadline = time.monotonic() + 1.0  # SIGKILLed stragglers, if any, are gone a moment after
        while _survivors(recorded) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _survivors(recorded)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        _kill(recorded)
        log.close()


def test_a_kernel_whose_page_is_gone_is_culled_and_the_server_stays(tmp_path):
    """Jupyter server's culler, as Voila 0.5 is given it (``MappingKernelManager.cull_*``): a page
    loaded without keeping a connection leaves an idle kernel that is shut down after the timeout.
    Then a stop with no grace: SIGKILL reaches the kernel, which is in a session of its own."""
    notebook = tmp_path / "tiny.ipynb"
    notebook.write_text(json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": "1",
                                               "metadata": {}, "outputs": [], "source": "x = 1"}],
                                    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    log = (tmp_path / "voila.log").open("w")
    process, url = server.start_voila(notebook, server.free_port(), cull_idle_timeout=1, cull_interval=1,
                                    env=_isolated_env(tmp_path), stdout=log, stderr=subprocess.STDOUT)
    recorded: dict[int, str] = {}
    try:
        _load(url)
        recorded = _kernels(process.pid)
        assert len(recorded) == 1
        deadline = time.monotonic() + 20
        while _survivors(recorded) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _survivors(recorded), (tmp_path / "voila.log").read_text()
        assert process.poll() is None and server.port_answers(int(url.rsplit(":", 1)[1].strip("/")))
        assert "Culling '" in (tmp_path / "voila.log").read_text()

        _load(url)  # and when Voila does not stop in time, its kernels (own sessions) are killed too
        recorded = _tree(process.pid)
        assert len(recorded) == 1
        server.stop_voila(process, grace=0)
        time.sleep(0.2)
        assert not _survivors(recorded)
    finally:
        server.stop_voila(process)
        _kill(recorded)
        log.close()


def test_voila_command_culls_idle_kernels_without_a_page():
    command = server.voila_command(dash.NOTEBOOK, 9000)
    assert f"--MappingKernelManager.cull_idle_timeout={server.CULL_IDLE_TIMEOUT}" in command
    assert f"--MappingKernelManager.cull_interval={server.CULL_INTERVAL}" in command
    assert "--MappingKernelManager.cull_connected=False" in command  # an open page keeps its kernel
    assert server.KERNEL_SHUTDOWN_WAIT < server.STOP_GRACE < STOP_LIMIT


@pytest.mark.parametrize("ends, code", [(0, 0), (3, 3), (KeyboardInterrupt, 0)])
def test_serve_always_stops_voila(monkeypatch, capsys, ends, code):
    """However serving ends — Voila exits (its code) or a signal arrives (0) — stop_voila runs."""
    stopped = []

    class Voila:
        def wait(self):
            if ends is KeyboardInterrupt:
                raise KeyboardInterrupt  # what SIGINT, SIGTERM and SIGHUP raise while serving
            return ends

    monkeypatch.setattr(dash, "start_voila", lambda notebook, port, language: (Voila(), "http://127.0.0.1:1/"))
    monkeypatch.setattr(dash, "stop_voila", stopped.append)
    handlers = {signum: signal.getsignal(signum) for signum in server.STOP_SIGNALS}
    assert dash.serve(1, language="en") == code
    assert len(stopped) == 1 and isinstance(stopped[0], Voila)
    assert {signum: signal.getsignal(signum) for signum in server.STOP_SIGNALS} == handlers


def test_a_start_that_times_out_leaves_nothing_running(tmp_path):
    """Voila not answering in time (here: 0.1 s) is reported, and what had started is stopped."""
    before = _tree(os.getpid())
    with pytest.raises(ModelError, match="did not answer"):
        server.start_voila(dash.NOTEBOOK, server.free_port(), timeout=0.1, env=_isolated_env(tmp_path),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _tree(os.getpid()).keys() <= before.keys()


# -- the language -------------------------------------------------------------------------------------
def test_cli_passes_the_language_to_serve(monkeypatch):
    calls = []
    monkeypatch.setattr(dash, "serve", lambda port, language: calls.append((port, language)) or 0)
    assert main(["dashboard", "--port", "9123", "--language", "en"]) == 0
    assert main(["dashboard"]) == 0
    assert calls == [(9123, "en"), (dash.DEFAULT_PORT, "zh")]


def test_cli_refuses_an_unknown_language(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["dashboard", "--language", "fr"])
    assert caught.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_start_voila_puts_the_language_in_the_environment(monkeypatch, tmp_path):
    started = []

    class Popen:
        def __init__(self, command, **options):
            started.append(options)

        def poll(self):
            return None

    monkeypatch.setattr(server.subprocess, "Popen", Popen)
    monkeypatch.setattr(server, "port_answers", lambda port: bool(started))  # free, then answering
    server.start_voila(dash.NOTEBOOK, 9000, language="en", env={"PATH": "/bin"})
    assert started[0]["env"] == {"PATH": "/bin", server.LANGUAGE_VARIABLE: "en"}
    assert started[0]["start_new_session"] is True
    with pytest.raises(ModelError, match="language must be one of zh, en"):
        server.start_voila(dash.NOTEBOOK, 9000, language="fr")


@pytest.mark.parametrize("value, expected", [("zh", "zh"), ("en", "en"), (None, "en")])
def test_the_notebook_reads_its_language_from_the_environment(monkeypatch, value, expected):
    """The parameters cell; unset (JupyterLab), the notebook's own default applies."""
    if value is None:
        monkeypatch.delenv(server.LANGUAGE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(server.LANGUAGE_VARIABLE, value)
    cells = json.loads((ROOT / "notebooks" / "dashboard.ipynb").read_text(encoding="utf-8"))["cells"]
    parameters = next(cell for cell in cells if "parameters" in cell["metadata"].get("tags", []))
    namespace: dict = {}
    exec("".join(parameters["source"]), namespace)  # noqa: S102 - our own notebook's parameters
    assert namespace["language"] == expected


# -- ./project lab ------------------------------------------------------------------------------------
def test_project_usage_offers_lab():
    """Not started here: the usage line names it, and the script runs JupyterLab on notebooks/."""
    usage = subprocess.run([str(ROOT / "project")], capture_output=True, text=True, timeout=30, check=False)
    assert usage.returncode == 2 and "./project lab" in usage.stderr
    script = (ROOT / "project").read_text(encoding="utf-8")
    assert "--ServerApp.root_dir=notebooks" in script and "--ServerApp.ip=127.0.0.1" in script
    assert "--allow-root" in script and shutil.which("bash")

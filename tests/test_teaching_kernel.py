"""The kit's kernel 'linkage', `linkage lab` and execution of a teaching notebook on it."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from teaching_fixtures import make_project, teaching_notebook

from linkage.cli import main
from linkage.teaching.kernel import (
    DISPLAY_NAME,
    KERNEL_NAME,
    ensure_kernel,
    execute_teaching,
    kernel_spec_dir,
    lab_arguments,
)


def test_kernel_registered_in_sys_prefix_pointing_at_this_python() -> None:
    spec_dir = ensure_kernel()
    assert spec_dir == Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    spec = json.loads((spec_dir / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][0] == sys.executable
    assert Path(sys.executable).parent.parent == Path(sys.prefix)  # the environment's python
    assert spec["display_name"] == DISPLAY_NAME and spec["language"] == "python"
    from jupyter_client.kernelspec import KernelSpecManager

    found = KernelSpecManager().get_kernel_spec(KERNEL_NAME)  # what Jupyter and papermill see
    assert Path(found.resource_dir) == spec_dir and found.argv[0] == sys.executable


def test_ensure_kernel_is_idempotent_and_repairs_a_stale_spec(tmp_path: Path) -> None:
    spec_dir = ensure_kernel(tmp_path)
    assert spec_dir == kernel_spec_dir(tmp_path)
    kernel_json = spec_dir / "kernel.json"
    first = kernel_json.stat().st_mtime_ns
    time.sleep(0.01)
    assert ensure_kernel(tmp_path) == spec_dir
    assert kernel_json.stat().st_mtime_ns == first  # left alone
    stale = json.loads(kernel_json.read_text(encoding="utf-8"))
    stale["argv"][0] = "/old/venv/bin/python"
    kernel_json.write_text(json.dumps(stale), encoding="utf-8")
    ensure_kernel(tmp_path)
    assert json.loads(kernel_json.read_text(encoding="utf-8"))["argv"][0] == sys.executable


def test_kernel_only_flag_registers_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "--kernel-only"]) == 0
    assert str(kernel_spec_dir()) in capsys.readouterr().out


def test_lab_arguments_are_offline(tmp_path: Path) -> None:
    (tmp_path / "teaching").mkdir()
    args = lab_arguments(port=9999, browser=False, root=tmp_path)
    assert "--LabApp.news_url=None" in args
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in args
    assert "--LabApp.extension_manager=readonly" in args
    assert "--ServerApp.open_browser=False" in args
    assert f"--ServerApp.root_dir={tmp_path}" in args
    assert "--LabApp.default_url=/lab/tree/teaching" in args
    assert f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}" in args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:  # loopback only
        return response.status, response.read()


@pytest.mark.notebooks
def test_linkage_lab_starts_jupyterlab_with_the_kernel(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_project(project)
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ, "LINKAGE_HOME": str(project), "JUPYTER_TOKEN": token,
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    process = subprocess.Popen(
        [sys.executable, "-m", "linkage", "lab", "--no-browser", "--port", str(port)],
        env=env, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = json.loads(_get(f"{base}/api/status", token)[1])
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert status is not None and "started" in status
        specs = json.loads(_get(f"{base}/api/kernelspecs", token)[1])
        assert specs["default"] == KERNEL_NAME
        assert specs["kernelspecs"][KERNEL_NAME]["spec"]["display_name"] == DISPLAY_NAME
        contents = json.loads(_get(f"{base}/api/contents/teaching", token)[1])
        assert "01_weights.ipynb" in {item["name"] for item in contents["content"]}
        code, page = _get(f"{base}/lab", token)
        assert code == 200
        config = page.decode("utf-8")
        assert '"news": {"disabled": true}' in config.replace('\\"', '"') or \
            '"disabled":true' in config.replace(" ", "")
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.notebooks
def test_teaching_notebook_executes_on_the_registered_kernel(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a copy of the registered spec that marks its kernels, found first through JUPYTER_PATH:
    # the notebook prints the mark only if papermill started the kernel named "linkage"
    spec = json.loads((ensure_kernel() / "kernel.json").read_text(encoding="utf-8"))
    marked = tmp_path / "jupyter" / "kernels" / KERNEL_NAME
    marked.mkdir(parents=True)
    (marked / "kernel.json").write_text(json.dumps({**spec, "env": {"KIT_KERNEL": "linkage"}}),
                                        encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    nb = teaching_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import os, sys\nprint(sys.executable, os.environ.get('KIT_KERNEL'), "
        "os.environ.get('LINKAGE_WIDGETS'))"))
    source, output = tmp_path / "01_weights.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, source)
    execute_teaching(source, output)
    done = nbformat.read(output, as_version=4)
    printed = done.cells[-1].outputs[0]["text"].split()
    assert printed == [sys.executable, "linkage", "static"]
    assert os.environ.get("LINKAGE_WIDGETS") is None  # restored in this process
    widget_cell = next(c for c in done.cells if "interactive_figure(" in c.source)
    shown = [set(o.get("data", {})) for o in widget_cell.outputs]
    assert len(shown) == 2 and "image/png" in shown[0]  # the default figure, once
    assert "text/markdown" in shown[1]  # then the note


@pytest.mark.notebooks
def test_interactive_figure_is_live_in_a_kernel_started_by_a_jupyter_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kernel started by JupyterLab (the server sets JPY_SESSION_NAME) shows the controls as
    a widget view, not a still figure."""
    from linkage.reporting.executors import execute_with_papermill

    ensure_kernel()
    monkeypatch.delenv("LINKAGE_WIDGETS", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "01_weights.ipynb"))
    source, output = tmp_path / "01_weights.ipynb", tmp_path / "out.ipynb"
    nbformat.write(teaching_notebook(), source)
    execute_with_papermill(source, output, {}, kernel_name=KERNEL_NAME)
    done = nbformat.read(output, as_version=4)
    widget_cell = next(c for c in done.cells if "interactive_figure(" in c.source)
    shown = [set(o.get("data", {})) for o in widget_cell.outputs]
    assert "application/vnd.jupyter.widget-view+json" in shown[0]
    assert not any("image/png" in kinds for kinds in shown)

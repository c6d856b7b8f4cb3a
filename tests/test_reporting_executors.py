"""Executors: every job yields its result or its exception; one failure never stops a batch."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

from linkage.errors import InputError
from linkage.reporting.cache import once
from linkage.reporting.executors import (
    LocalExecutor,
    NotebookFailed,
    PapermillRunner,
    make_executor,
)


class EchoRunner:
    def execute(self, notebook, output, parameters, *, timeout=None):
        Path(output).write_text(str(parameters["x"]))

    def close(self):
        pass


def square_or_fail(job, runner):
    if job == 3:
        raise RuntimeError("job 3 breaks")
    return job * job


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_yields_and_a_failure_is_a_result(workers):
    executor = LocalExecutor(workers=workers, make_runner=EchoRunner)
    try:
        results = dict(executor.map(square_or_fail, [1, 2, 3, 4]))
    finally:
        executor.close()
    assert {k: v for k, v in results.items() if k != 3} == {1: 1, 2: 4, 4: 16}
    assert isinstance(results[3], RuntimeError)


def test_unknown_executor_and_bad_workers_are_input_errors():
    with pytest.raises(InputError, match="executor"):
        make_executor("quantum")
    with pytest.raises(InputError, match="workers"):
        make_executor("local", workers=0)


def _notebook(tmp_path, source):
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("x = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.notebooks
def test_papermill_runner_keeps_the_partial_notebook_and_names_the_cell(tmp_path):
    nb = _notebook(tmp_path, "from linkage.errors import InputError\n"
                             "if x == 2:\n    raise InputError('bad region')")
    runner = PapermillRunner()
    runner.execute(nb, tmp_path / "ok.ipynb", {"x": 1})
    with pytest.raises(NotebookFailed) as failed:
        runner.execute(nb, tmp_path / "bad.ipynb", {"x": 2})
    assert failed.value.partial == tmp_path / "bad.ipynb" and failed.value.partial.exists()
    assert failed.value.ename == "InputError" and failed.value.exit_code == 2
    assert "bad region" in str(failed.value)


def test_once_computes_once_per_key_and_keys_files_by_content(tmp_path):
    data = tmp_path / "panel.csv"
    data.write_text("a\n1\n")
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    shared = tmp_path / "shared"
    assert once(shared, "scores", {"panel": str(data), "k": 1}, compute) == 1
    assert once(shared, "scores", {"panel": str(data), "k": 1}, compute) == 1
    assert once(shared, "scores", {"panel": str(data), "k": 2}, compute) == 2
    data.write_text("a\n2\n")  # new content, new key
    assert once(shared, "scores", {"panel": str(data), "k": 1}, compute) == 3
    assert once(None, "scores", {}, compute) == 4


# ---------------------------------------------------------------- warm kernels, Dask

ROOT = Path(__file__).resolve().parents[1]

#: A notebook that computes, displays and saves results (JSON, PNG), then leaves state behind
#: that a namespace reset does not undo — plot settings, options, warning filters, the working
#: directory — and, with x == 3, fails after doing so.
DIRTY = '''\
import json, os, warnings
import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
assert "leftover" not in globals(), "a variable of the previous run survived"
values = pd.Series(np.linspace(0.0, 1.0, 7) * x, name="v") / 3
warnings.warn("shown in every run")
fig = Figure(figsize=mpl.rcParams["figure.figsize"])
fig.add_subplot().plot(values)
fig.savefig(out + ".png", format="png")
with open(out + ".json", "w") as handle:
    json.dump({"x": x, "values": values.tolist(), "text": repr(values), "cwd": os.getcwd(),
               "array": str(np.array([1 / 3])), "linewidth": mpl.rcParams["lines.linewidth"],
               "figsize": list(mpl.rcParams["figure.figsize"]),
               "count": get_ipython().execution_count}, handle)
print(np.random.random())
values
'''
LEAVE_STATE = '''\
leftover = x
mpl.rcParams["lines.linewidth"] = 9
mpl.rcParams["figure.figsize"] = (2, 1)
pd.set_option("display.precision", 1)
np.set_printoptions(precision=1)
warnings.simplefilter("ignore")
os.environ["LEFT_BEHIND"] = "1"
os.chdir("/")
if x == 3:
    raise ValueError("x == 3 fails after leaving state behind")
if x == 4:
    import time
    time.sleep(120)
'''


def _write_notebook(path: Path, *sources: str, parameters: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def dirty(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nb")
    return _write_notebook(folder / "dirty.ipynb", DIRTY, LEAVE_STATE,
                           parameters='x = 1\nout = ""')


@pytest.fixture(scope="module")
def pid_notebook(tmp_path_factory) -> Path:
    """Writes the process id of the kernel that runs it to ``out``."""
    folder = tmp_path_factory.mktemp("pid")
    return _write_notebook(folder / "pid.ipynb",
                           "import os\nopen(out, 'w').write(str(os.getpid()))",
                           parameters='out = ""')


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture(scope="module")
def light_runner():
    """A warm runner with almost nothing preloaded: quick kernel starts for behaviour tests."""
    from linkage.reporting.kernels import WarmRunner

    runner = WarmRunner(preload=("linkage.errors",), recycle_every=None)
    yield runner
    runner.close()


def _outputs(path: Path) -> list[list[tuple[str, str]]]:
    """What a reader sees of each code cell: streams, text, HTML and PNG outputs."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for out in cell.outputs:
            if out.output_type == "stream":  # warnings name the cell's file after the pid
                shown.append((out.name, re.sub(r"ipykernel_\d+", "ipykernel", out.text)))
            elif out.output_type == "error":
                shown.append(("error", f"{out.ename}: {out.evalue}"))
            else:
                shown.extend((kind, str(out.data[kind]))
                             for kind in ("text/plain", "text/html", "image/png")
                             if kind in out.get("data", {}))
        cells.append(shown)
    return cells


def _run(runner, notebook, out: Path, **parameters):
    runner.execute(notebook, out.with_suffix(".ipynb"), {**parameters, "out": str(out)},
                   timeout=60)
    return json.loads(out.with_suffix(".json").read_text())


@pytest.mark.notebooks
def test_warm_runs_start_from_a_fresh_namespace_and_the_baseline_state(light_runner, dirty,
                                                                       tmp_path):
    first = _run(light_runner, dirty, tmp_path / "a", x=1)
    second = _run(light_runner, dirty, tmp_path / "b", x=2)  # raises if `leftover` survived
    assert second["linewidth"] == first["linewidth"] == 1.5  # rcParams back to default
    assert second["figsize"] == first["figsize"] == [6.4, 4.8]
    assert second["cwd"] == first["cwd"] == str(dirty.parent)  # os.chdir("/") undone
    assert second["array"] == first["array"] == "[0.33333333]"  # numpy print options
    assert "0.333333" in second["text"]  # pandas display.precision back to 6
    assert second["count"] == first["count"]  # numbered from 1 again (as cold: identity test)
    shown = [_outputs(tmp_path / "a.ipynb"), _outputs(tmp_path / "b.ipynb")]
    for cells in shown:  # the warning is shown again (filters and once-registries reset)
        assert any(name == "stderr" and "shown in every run" in text
                   for name, text in cells[2])
    # the global random state is the baseline's in every run: same first draw
    draws = [[text for name, text in cells[2] if name == "stdout"] for cells in shown]
    assert draws[0] == draws[1] and len(draws[0]) == 1


@pytest.mark.notebooks
def test_warm_runner_marks_the_failing_cell_and_recycles_the_kernel(light_runner, dirty,
                                                                    tmp_path):
    _run(light_runner, dirty, tmp_path / "ok", x=1)
    started = light_runner.kernels_started
    with pytest.raises(NotebookFailed) as failed:
        _run(light_runner, dirty, tmp_path / "bad", x=3)
    assert failed.value.ename == "ValueError" and failed.value.cell == 4
    partial = nbformat.read(failed.value.partial, as_version=4)
    assert "papermill-error-cell-tag" in partial.cells[0].metadata.get("tags", [])
    assert partial.metadata.papermill.exception is True
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in partial.cells)
    after = _run(light_runner, dirty, tmp_path / "after", x=2)
    assert light_runner.kernels_started == started + 1
    assert after["linewidth"] == 1.5 and after["cwd"] == str(dirty.parent)


@pytest.mark.notebooks
def test_a_cell_that_runs_too_long_fails_fast_and_its_kernel_is_replaced(light_runner, dirty,
                                                                         tmp_path):
    started = light_runner.kernels_started
    begin = time.monotonic()
    with pytest.raises(NotebookFailed) as failed:
        light_runner.execute(dirty, tmp_path / "slow.ipynb", {"x": 4, "out": str(tmp_path / "s")},
                             timeout=3)
    assert time.monotonic() - begin < 30
    assert failed.value.ename == "CellTimeoutError" and failed.value.partial.exists()
    _run(light_runner, dirty, tmp_path / "next", x=1)
    assert light_runner.kernels_started == started + 1


def test_every_n_runs_a_new_kernel(dirty, tmp_path):
    from linkage.reporting.kernels import WarmRunner

    runner = WarmRunner(preload=(), recycle_every=2)
    try:
        for i in range(3):
            _run(runner, dirty, tmp_path / f"r{i}", x=1)
        assert runner.kernels_started == 2
        folder = runner.connection_file.parent  # the kernel's private folder
        assert json.loads(runner.connection_file.read_text())["transport"] == "ipc"
        assert any(p.name.startswith("k-") and p.is_socket() for p in folder.iterdir())
    finally:
        runner.close()
    assert not folder.exists()  # kernel killed, its files removed


def test_every_cache_of_the_kit_is_reviewed_for_state_between_notebooks():
    import importlib
    import pkgutil

    import linkage
    from linkage.reporting.kernels import REVIEWED_CACHES

    found = set()
    for info in pkgutil.walk_packages(linkage.__path__, "linkage."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if hasattr(obj, "cache_clear") and getattr(obj, "__module__", "") == info.name:
                found.add(f"{info.name}.{name}")
    assert found == set(REVIEWED_CACHES)


@pytest.fixture(scope="module")
def warm_runner():
    """A warm runner as batches use it: the default preload."""
    from linkage.reporting.kernels import WarmRunner

    runner = WarmRunner()
    yield runner
    runner.close()


@pytest.mark.notebooks
def test_warm_results_are_byte_identical_to_cold_ones(warm_runner, dirty, tmp_path):
    cold = PapermillRunner()
    for x in (1, 2):
        cold.execute(dirty, tmp_path / f"cold{x}.ipynb",
                     {"x": x, "out": str(tmp_path / f"cold{x}")})
    # warm, several runs in a row: other parameters, a failure in between
    for name, x in (("warm2", 2), ("junk", 3), ("warm1", 1)):
        try:
            warm_runner.execute(dirty, tmp_path / f"{name}.ipynb",
                                {"x": x, "out": str(tmp_path / name)})
        except NotebookFailed:
            assert x == 3
    for x in (1, 2):
        for suffix in (".json", ".png"):
            assert ((tmp_path / f"warm{x}{suffix}").read_bytes()
                    == (tmp_path / f"cold{x}{suffix}").read_bytes())
        # what the notebooks show, but for the global random draw printed to stdout (a new
        # kernel seeds it from the system)
        cold_out, warm_out = ([[o for o in cell if o[0] != "stdout"] for cell in _outputs(
            tmp_path / f"{kind}{x}.ipynb")] for kind in ("cold", "warm"))
        assert cold_out == warm_out


def _section_parameters(notebook: Path, region: str, out: Path) -> dict:
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    wanted = {"region_code": region, "section_out": str(out), "reps": 200}
    return {k: v for k, v in wanted.items() if k in declared}


@pytest.mark.notebooks
@pytest.mark.slow
def test_section_notebooks_warm_equal_cold(warm_runner, tmp_path):
    from linkage.panel import load_panel

    codes = sorted(load_panel().counties.index)
    region, other = codes[3], codes[-2]
    notebooks = sorted((ROOT / "notebooks").glob("0*.ipynb"))
    cold = PapermillRunner()
    for nb in notebooks:
        cold.execute(nb, tmp_path / f"cold-{nb.name}",
                     _section_parameters(nb, region, tmp_path / f"cold-{nb.stem}.json"))
    # warm: other regions first and a failing notebook in between, then the same runs
    for nb in notebooks[:2]:
        warm_runner.execute(nb, tmp_path / f"other-{nb.name}",
                            _section_parameters(nb, other, tmp_path / f"other-{nb.stem}.json"))
    with pytest.raises(NotebookFailed):
        warm_runner.execute(notebooks[0], tmp_path / "broken.ipynb",
                            {"panel": str(tmp_path / "missing.parquet")})
    for nb in notebooks:
        warm_runner.execute(nb, tmp_path / f"warm-{nb.name}",
                            _section_parameters(nb, region, tmp_path / f"warm-{nb.stem}.json"))
        assert _outputs(tmp_path / f"warm-{nb.name}") == _outputs(tmp_path / f"cold-{nb.name}")
        saved = tmp_path / f"cold-{nb.stem}.json"
        if saved.exists():  # notebooks that save their section (section_out)
            assert (tmp_path / f"warm-{nb.stem}.json").read_bytes() == saved.read_bytes()


def test_executors_by_name():
    from linkage.reporting.executors import EXECUTORS, LocalExecutor
    from linkage.reporting.kernels import WarmRunner

    assert set(EXECUTORS) == {"local", "warm", "dask"}
    warm = make_executor("warm", workers=2, recycle_every=7)
    assert isinstance(warm, LocalExecutor) and warm.workers == 2
    runner = warm.make_runner()
    assert isinstance(runner, WarmRunner) and runner.recycle_every == 7  # not started yet
    assert isinstance(make_executor("local").make_runner(), PapermillRunner)
    with pytest.raises(InputError, match="scheduler"):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(InputError, match="workers"):
        make_executor("warm", workers=0)


class PidRunner:
    """A runner that only says which process it lives in."""

    def __init__(self):
        self.pid, self.runs = os.getpid(), 0

    def execute(self, notebook, output, parameters, *, timeout=None):
        self.runs += 1

    def close(self):
        pass


def square_on_worker(job, runner):
    if job == 3:
        raise InputError("job 3 is bad input")
    runner.execute(None, None, {})
    return job * job, runner.pid, id(runner)


def run_dirty(job, runner):
    notebook, out, x = job
    runner.execute(Path(notebook), Path(out).with_suffix(".ipynb"), {"x": x, "out": out})
    return json.loads(Path(out).with_suffix(".json").read_text())["linewidth"]


def kernel_pid(job, runner):
    notebook, out = job
    runner.execute(Path(notebook), Path(out).with_suffix(".ipynb"), {"out": out})
    return int(Path(out).read_text())


def test_warm_pool_workers_kill_their_kernels_when_the_pool_closes(pid_notebook, tmp_path):
    from functools import partial

    from linkage.reporting.executors import LocalExecutor
    from linkage.reporting.kernels import WarmRunner

    executor = LocalExecutor(workers=2, make_runner=partial(WarmRunner, preload=()))
    try:
        pids = dict(executor.map(kernel_pid, [(str(pid_notebook), str(tmp_path / f"p{i}"))
                                              for i in range(4)]))
    finally:
        executor.close()
    assert all(isinstance(p, int) for p in pids.values())
    assert all(_gone(p) for p in set(pids.values()))


def test_a_warm_kernel_dies_with_its_interpreter(pid_notebook, tmp_path):
    import subprocess
    import sys

    script = (
        "from pathlib import Path\n"
        "from linkage.reporting.kernels import WarmRunner\n"
        "runner = WarmRunner(preload=())\n"
        f"runner.execute(Path({str(pid_notebook)!r}), Path({str(tmp_path / 'o.ipynb')!r}),"
        f" {{'out': {str(tmp_path / 'pid')!r}}})\n"
        "print(runner.connection_file)\n"  # no close(): the interpreter just ends
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=True)
    assert _gone(int((tmp_path / "pid").read_text()))  # killed before the interpreter ended
    assert not Path(done.stdout.strip()).parent.exists()


def test_dask_executor_on_a_local_cluster(dirty, pid_notebook, tmp_path):
    from functools import partial

    from linkage.reporting.cluster import DaskExecutor
    from linkage.reporting.kernels import WarmRunner

    executor = DaskExecutor(workers=2, runner=PidRunner)
    try:
        results = dict(executor.map(square_on_worker, [1, 2, 3, 4, 5, 6]))
        assert isinstance(results.pop(3), InputError)  # the job's own exception, its type kept
        assert sorted(r[0] for r in results.values()) == [1, 4, 16, 25, 36]
        runners = {}
        for _, pid, runner in results.values():
            runners.setdefault(pid, set()).add(runner)
        assert all(len(ids) == 1 for ids in runners.values())  # one runner per worker, reused
        executor.make_runner = partial(WarmRunner, preload=("linkage.errors",))
        jobs = [(str(dirty), str(tmp_path / f"d{x}"), x) for x in (1, 2, 3)]
        done = dict(executor.map(run_dirty, jobs))
        assert [done[j] for j in jobs[:2]] == [1.5, 1.5]
        assert isinstance(done[jobs[2]], NotebookFailed) and done[jobs[2]].ename == "ValueError"
        pids = [p for _, p in executor.map(kernel_pid, [(str(pid_notebook), str(tmp_path / "p"))])]
    finally:
        executor.close()
    assert _gone(pids[0])  # the worker's runner was closed with the worker


@pytest.mark.notebooks
def test_a_notebook_that_breaks_the_reset_costs_a_new_kernel_not_the_next_report(
        light_runner, dirty, tmp_path):
    saboteur = _write_notebook(tmp_path / "saboteur.ipynb",
                               "import matplotlib.pyplot as plt\nplt.close = None",
                               parameters="x = 1")
    light_runner.execute(saboteur, tmp_path / "saboteur-out.ipynb", {})
    started = light_runner.kernels_started
    assert _run(light_runner, dirty, tmp_path / "next", x=1)["linewidth"] == 1.5
    assert light_runner.kernels_started == started + 1

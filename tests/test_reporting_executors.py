"""Executors: every job yields its result or its exception; one failure never stops a batch."""

from __future__ import annotations

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

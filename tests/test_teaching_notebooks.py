"""Teaching notebooks (notebooks/teaching/) and their solutions: the contract of
docs/teaching.md, stored clean, and executed end to end under papermill."""

from __future__ import annotations

import re
import time

import nbformat
import pytest

from linkage.paths import notebooks_dir
from linkage.teaching.kernel import execute_teaching

TEACHING = notebooks_dir() / "teaching"
NOTEBOOKS = sorted(TEACHING.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = [TEACHING / "solutions" / p.name for p in NOTEBOOKS]
BOTH = NOTEBOOKS + SOLUTIONS
#: Class time of one notebook may be an hour; its execution must stay short (CI budget).
MAX_SECONDS = 90


def _id(path):
    return f"{'solutions/' if path.parent.name == 'solutions' else ''}{path.stem}"


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _tagged(nb, tag):
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


def test_the_five_teaching_notebooks_and_their_solutions_exist():
    numbers = {int(p.name[:2]) for p in NOTEBOOKS}
    assert {1, 2, 3, 4, 6} <= numbers
    assert all(p.is_file() for p in SOLUTIONS)
    assert all(re.fullmatch(r"\d{2}_[a-z_]+\.ipynb", p.name) for p in NOTEBOOKS)  # ASCII names


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_stored_clean_with_a_tagged_literal_parameters_cell_first(path):
    import papermill

    nb = nbformat.read(path, as_version=4)
    code = _code(nb)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert len(_tagged(nb, "parameters")) == 1
    lines = [ln for ln in code[0].source.splitlines() if ln.strip()]
    assert lines and all(re.match(r"^\w+: \w+ = [^=]+$", ln) for ln in lines), lines
    assert list(papermill.inspect_notebook(str(path))) == [ln.split(":")[0] for ln in lines]
    # logic lives in src/linkage; no downloads, installs or backend switching
    for c in code:
        assert not re.search(r"^\s*(def|class|lambda) |lambda ", c.source, re.M), c.source
        assert "pip install" not in c.source and "matplotlib.use(" not in c.source
        assert "http://" not in c.source and "https://" not in c.source


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_metadata_contract_and_stated_learning_goals(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "linkage"
    meta = nb.metadata["linkage"]["teaching"]
    assert meta["number"] == int(path.name[:2])
    assert isinstance(meta["title"], str) and re.search(r"[\u4e00-\u9fff]", meta["title"])
    assert 3 <= len(meta["goals"]) <= 5 and all(isinstance(g, str) for g in meta["goals"])
    assert 30 <= meta["minutes"] <= 60
    assert meta.get("solutions", False) is (path.parent.name == "solutions")
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {meta['title']}")
    assert "学习目标" in first.source and f"{meta['minutes']} 分钟" in first.source
    assert all(goal in first.source for goal in meta["goals"])


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_exercises_and_a_closing_quiz(path):
    nb = nbformat.read(path, as_version=4)
    exercises = _tagged(nb, "exercise")
    assert len(exercises) >= 2 and all(c.cell_type == "markdown" for c in exercises)
    quiz = _tagged(nb, "quiz")
    assert len(quiz) == 1 and "小测验" in quiz[0].source
    questions = re.findall(r"^\*\*(\d+)\.\*\*", quiz[0].source, re.M)
    assert 3 <= len(questions) <= 5
    assert len(re.findall(r"^- [A-E]\. ", quiz[0].source, re.M)) >= 3 * len(questions)
    assert nb.cells.index(quiz[0]) >= len(nb.cells) - 2  # the quiz closes the notebook
    answers = _tagged(nb, "answer")
    following = [nb.cells[nb.cells.index(c) + 1] for c in exercises]
    if path.parent.name == "solutions":
        assert all(c.cell_type == "code" and "answer" in c.metadata.get("tags", [])
                   and c.source.strip() for c in following)
        key = nb.cells[-1]
        assert key in answers and "小测验答案" in key.source
        assert re.findall(r"^(\d+)\. \*\*[A-E]\*\*　\S", key.source, re.M) == questions
        letters = re.findall(r"^\d+\. \*\*([A-E])\*\*", key.source, re.M)
        assert len(set(letters)) > 1, "the right answers should not share one letter"
    else:
        assert not answers, "answers belong in solutions/ only"
        assert all(c.cell_type == "code" and not c.source.replace("# 在这里写你的代码", "")
                   .strip() for c in following)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_solutions_repeat_the_lesson_and_fill_in_the_exercises(path):
    nb = nbformat.read(path, as_version=4)
    sol = nbformat.read(TEACHING / "solutions" / path.name, as_version=4)
    lesson = [c.source for c in nb.cells if not {"exercise", "quiz"} & set(c.metadata.get(
        "tags", [])) and not c.source.startswith("# 在这里")][1:]
    kept = [c.source for c in sol.cells]
    assert all(s in kept for s in lesson)
    assert len(_tagged(sol, "exercise")) == len(_tagged(nb, "exercise"))


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_formulas_keep_chinese_outside_the_dollars(path):
    """Handouts draw formulas with mathtext, which cannot draw Chinese (docs/teaching.md)."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "markdown":
            display = re.findall(r"\$\$(.+?)\$\$", c.source, re.S)
            inline = re.findall(r"\$([^$\n]+?)\$", re.sub(r"\$\$.+?\$\$", "", c.source, flags=re.S))
            assert all(f.isascii() for f in display + inline), c.source


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_every_figure_cell_has_a_title(path):
    nb = nbformat.read(path, as_version=4)
    for c in _code(nb):
        if "answer" in c.metadata.get("tags", []):
            continue
        draws = "show(" in c.source or "interactive_figure(" in c.source
        assert draws == ("figure" in c.metadata), c.source


@pytest.mark.notebooks
@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_executes_quickly_with_default_parameters(path, tmp_path):
    # through the kit's runner: the registered kernel 'linkage', interactive figures static
    declared = nbformat.read(path, as_version=4)
    parameters = {"out_dir": str(tmp_path)} if "out_dir" in _code(declared)[0].source else {}
    start = time.perf_counter()
    execute_teaching(path, tmp_path / path.name, parameters, timeout=MAX_SECONDS)
    seconds = time.perf_counter() - start
    assert seconds < MAX_SECONDS, f"{path.name}: {seconds:.0f} s"
    nb = nbformat.read(tmp_path / path.name, as_version=4)
    for c in _code(nb):
        assert not [o for o in c.outputs if o.output_type == "error"], c.source
        if "figure" in c.metadata:  # the figure is an image (static form of a slider too)
            assert any("image/png" in o.get("data", {}) for o in c.outputs), c.source
    text = "".join(o.get("text", "") for c in _code(nb) for o in c.outputs)
    assert "Traceback" not in text

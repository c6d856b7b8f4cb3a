"""Teaching notebook 5 (政策协同) and its solutions: the contract of docs/teaching.md, stored
clean, executed end to end through the kit's runner, and printed as a handout and slides."""

from __future__ import annotations

import html
import re
import time
from pathlib import Path

import nbformat
import pytest

from linkage.cli import main
from linkage.paths import notebooks_dir
from linkage.teaching.kernel import execute_teaching

TEACHING = notebooks_dir() / "teaching"
NOTEBOOK = TEACHING / "05_synergy.ipynb"
SOLUTIONS = TEACHING / "solutions" / "05_synergy.ipynb"
BOTH = [NOTEBOOK, SOLUTIONS]
#: The execution budget of one teaching notebook (class time may be an hour).
MAX_SECONDS = 90
#: Document ids of the sample corpus (zf2020-30, sim-p-2021-01 …): a handout names documents.
RAW_ID = re.compile(r"\b(?:sim-[a-z]\d*-\d{4}-\d{2}|[a-z]{2,6}\d{4}(?:-[a-z0-9]+)?)\b")
FIGURES = ["“重点”阈值与词典预编码的一致性（κ）", "三份文件的 PMC 曲面（中央、模拟省、模拟县）",
           "各层级文件的目标轮廓（按政策力度加权的份额）", "中央文件的联合发文网络",
           "政策关注度与结果进展的错配诊断"]


def test_the_raw_id_pattern_knows_every_document_id_of_the_sample() -> None:
    from linkage.synergy import load_sample_corpus

    ids = load_sample_corpus().documents.index
    assert all(RAW_ID.fullmatch(i) for i in ids), [i for i in ids if not RAW_ID.fullmatch(i)]
    assert not RAW_ID.search("2026-12-05 · linkage 0.1.0 · 中发〔2020〕30号 · X6.8 · ρ = 0.24")


def _id(path: Path) -> str:
    return "solutions" if path.parent.name == "solutions" else "notebook"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _tagged(nb: nbformat.NotebookNode, tag: str) -> list:
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


def _code(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_metadata_contract_and_stated_learning_goals(path: Path) -> None:
    nb = _read(path)
    assert nb.metadata["kernelspec"]["name"] == "linkage"
    meta = nb.metadata["linkage"]["teaching"]
    assert meta["number"] == 5 and path.name.startswith("05_")
    assert meta["title"].startswith("政策协同")
    assert 3 <= len(meta["goals"]) <= 5 and 30 <= meta["minutes"] <= 60
    assert meta.get("solutions", False) is (path.parent.name == "solutions")
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {meta['title']}")
    assert "学习目标" in first.source and f"{meta['minutes']} 分钟" in first.source
    assert all(goal in first.source for goal in meta["goals"])
    # the cover repeats the metadata (handout-skip); the data statement stays in the handout
    assert "handout-skip" in first.metadata.get("tags", [])
    statement = nb.cells[1].source
    assert "handout-skip" not in nb.cells[1].metadata.get("tags", [])
    assert "33 份中央文件是真实文件" in statement and "示例编码" in statement
    assert "都是模拟的" in statement and "模拟县域面板" in statement


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_stored_clean_with_literal_parameters_and_no_logic(path: Path) -> None:
    nb = _read(path)
    code = _code(nb)
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert code[0].metadata.get("tags") == ["parameters"] and len(_tagged(nb, "parameters")) == 1
    lines = [ln for ln in code[0].source.splitlines() if ln.strip()]
    assert [ln.split(":")[0] for ln in lines] == ["exercise_doc", "emphasis", "pmc_docs"]
    assert all(re.match(r"^\w+: \w+ = [^=]+$", ln) for ln in lines)
    for c in code:
        assert not re.search(r"^\s*(def|class) |lambda ", c.source, re.M), c.source
        assert "http" not in c.source and "pip install" not in c.source
        assert "matplotlib.use(" not in c.source
        draws = "show(" in c.source or "interactive_figure(" in c.source
        if "answer" not in c.metadata.get("tags", []):
            assert draws == ("figure" in c.metadata), c.source
    assert [c.metadata["figure"] for c in code if "figure" in c.metadata] == FIGURES


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_formulas_keep_chinese_outside_the_dollars(path: Path) -> None:
    for c in _read(path).cells:
        if c.cell_type == "markdown":
            display = re.findall(r"\$\$(.+?)\$\$", c.source, re.S)
            inline = re.findall(r"\$([^$\n]+?)\$", re.sub(r"\$\$.+?\$\$", "", c.source, flags=re.S))
            assert all(f.isascii() for f in display + inline), c.source


@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_exercises_and_a_closing_multiple_choice_quiz(path: Path) -> None:
    nb = _read(path)
    exercises = _tagged(nb, "exercise")
    assert len(exercises) == 3 and all(c.cell_type == "markdown" for c in exercises)
    quiz = _tagged(nb, "quiz")
    assert len(quiz) == 1 and quiz[0].source.startswith("## 小测验")
    questions = re.findall(r"^\*\*(\d+)\.\*\*", quiz[0].source, re.M)
    assert 3 <= len(questions) <= 5
    assert len(re.findall(r"^- [A-D]\. ", quiz[0].source, re.M)) == 4 * len(questions)
    following = [nb.cells[nb.cells.index(c) + 1] for c in exercises]
    answers = _tagged(nb, "answer")
    if path.parent.name == "solutions":
        assert all(c.cell_type == "code" and c in answers and c.source.strip() for c in following)
        key = nb.cells[-1]
        assert key in answers and "小测验答案" in key.source and nb.cells[-2] is not key
        assert re.findall(r"^(\d+)\. \*\*[A-D]\*\*　\S", key.source, re.M) == questions
        letters = re.findall(r"^\d+\. \*\*([A-D])\*\*", key.source, re.M)
        assert len(set(letters)) == len(letters), "answers spread over the letters"
    else:
        assert nb.cells[-1] is quiz[0] and not answers, "answers belong in solutions/ only"
        assert all(c.cell_type == "code" and not c.source.replace("# 在这里写你的代码", "").strip()
                   for c in following)


def test_solutions_repeat_the_lesson_and_fill_in_the_exercises() -> None:
    lesson = [c.source for c in _read(NOTEBOOK).cells
              if not c.source.startswith("# 在这里写你的代码")]
    kept = [c.source for c in _read(SOLUTIONS).cells]
    assert all(s in kept for s in lesson)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", BOTH, ids=_id)
def test_executes_quickly_through_the_kits_runner(path: Path, tmp_path: Path) -> None:
    start = time.perf_counter()
    execute_teaching(path, tmp_path / path.name, timeout=MAX_SECONDS)
    seconds = time.perf_counter() - start
    assert seconds < MAX_SECONDS, f"{path.name}: {seconds:.0f} s"
    nb = _read(tmp_path / path.name)
    for c in _code(nb):
        assert not [o for o in c.outputs if o.output_type == "error"], c.source
        if "figure" in c.metadata:  # the static form of a slider is an image too
            assert any("image/png" in o.get("data", {}) for o in c.outputs), c.source
    text = "".join(o.get("text", "") for c in _code(nb) for o in c.outputs)
    assert "Traceback" not in text
    if path.parent.name == "solutions":  # the example coding of exercise 1 is checked
        assert "Cohen κ = 0.915（几乎完全）" in text


def _visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"data:[^\"')\s]+", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.notebooks
@pytest.mark.slow
def test_handout_and_slides_name_documents_and_number_figures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    handout, slides = tmp_path / "讲义.html", tmp_path / "幻灯片.html"
    assert main(["teach", "handout", "5", "-o", str(handout)]) == 0
    assert main(["teach", "slides", "5", "-o", str(slides)]) == 0
    assert "没有标题" not in capsys.readouterr().err  # every figure has its title
    page = handout.read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", page)
    assert captions == [f"图 {i}\u3000{t}" for i, t in enumerate(FIGURES, start=1)]
    deck = slides.read_text(encoding="utf-8")
    assert re.findall(r'class="caption">([^<]*)<', deck) == captions
    for text in (_visible(page), _visible(deck)):
        assert "NaN" not in text and "<NA>" not in text and "nan " not in text
        assert not RAW_ID.search(text), RAW_ID.search(text)
        assert "政策协同" in text and "模拟" in text
        assert "小测验答案" not in text and "解答 1" not in text
    assert "静态版本" in page and 'class="md box quiz"' in page

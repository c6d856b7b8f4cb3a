"""A tiny teaching notebook that follows docs/teaching.md (for the teaching infrastructure
tests; the real teaching notebooks have their own tests)."""

from __future__ import annotations

from pathlib import Path

import nbformat

TITLE = "测试讲：权重与排名"
GOALS = ["知道权重会改变排名", "会读一张编号的图"]


def _code(source: str, **metadata: object) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, metadata=metadata)


def teaching_notebook(number: int = 1, *, answer: bool = True) -> nbformat.NotebookNode:
    """Parameters cell, narrative with a formula, a titled figure, an untitled one, a static
    interactive figure, a table, an exercise, a quiz and (optionally) an answer cell."""

    def md(source: str, **metadata: object) -> nbformat.NotebookNode:
        return nbformat.v4.new_markdown_cell(source, metadata=metadata)

    cells = [
        md("# 权重与排名\n\n耦合协调度 $D=\\sqrt{C\\times T}$，熵值法权重见下式：\n\n"
           "$$w_j=\\frac{1-e_j}{\\sum_k (1-e_k)}$$"),
        _code("scale: float = 2.0", tags=["parameters"]),
        _code("import matplotlib.pyplot as plt\nimport pandas as pd\n"
              "from linkage.plotting import setup_cjk\nsetup_cjk()\nSECRET_CODE_MARKER = 1"),
        md("## 一张图\n\n下图是按权重排序的结果。"),
        _code("fig, ax = plt.subplots(figsize=(4, 3))\nax.bar(['甲县', '乙县'], [1, scale])\n"
              "ax.set_title('排名')\nplt.show()", figure="两县综合得分（权重 0.5）"),
        _code("fig, ax = plt.subplots(figsize=(3, 2))\nax.plot([1, 2, 3])\nplt.show()"),
        _code("from linkage.teaching.widgets import IntSlider, interactive_figure\n"
              "def draw(k):\n    fig, ax = plt.subplots(figsize=(3, 2))\n"
              "    ax.bar(['k'], [k])\n    return fig\n"
              "interactive_figure(draw, controls={'k': IntSlider('临界值 k', min=1, max=5, "
              "default=3)}, note='拖动看变化。')", figure="临界值 k 的作用"),
        _code("pd.DataFrame({'县': ['甲县', '乙县'], '得分': [0.61, 0.47]})", tags=["show-code"]),
        md("**练习 1**：把权重改为 0.8，排名会变吗？", tags=["exercise"]),
        md("## 小测验\n\n1. 熵值法的权重由什么决定？", tags=["quiz"]),
    ]
    if answer:
        cells.append(md("答案：ANSWER_MARKER 会变。", tags=["answer"]))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "linkage", "display_name": "linkage（巩固拓展衔接）",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["linkage"] = {"teaching": {"number": number, "title": TITLE, "goals": GOALS,
                                           "minutes": 30}}
    return nb


def make_project(root: Path, numbers: tuple[int, ...] = (1,)) -> Path:
    """A project folder (``LINKAGE_HOME``) with teaching notebooks, solutions and a little
    bundled data; returns ``notebooks/teaching``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    for part in ("sample", "reference"):
        (root / "data" / "raw" / part).mkdir(parents=True)
        (root / "data" / "raw" / part / f"{part}.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "data" / "raw" / "monitoring_thresholds_table.csv").write_text("a\n1\n",
                                                                           encoding="utf-8")
    folder = root / "notebooks" / "teaching"
    (folder / "solutions").mkdir(parents=True)
    for n in numbers:
        nbformat.write(teaching_notebook(n), folder / f"{n:02d}_weights.ipynb")
        solution = teaching_notebook(n)
        solution.metadata["linkage"]["teaching"]["solutions"] = True
        nbformat.write(solution, folder / "solutions" / f"{n:02d}_weights.ipynb")
    return folder

"""`linkage teach`: list, handout (HTML/PDF), slides (offline reveal.js), pack (zip)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from teaching_fixtures import GOALS, TITLE, make_project, teaching_notebook

from linkage.cli import main
from linkage.errors import InputError
from linkage.teaching.catalog import find_notebook, list_notebooks, read_teaching_metadata
from linkage.teaching.outputs import PACK_README
from linkage.teaching.render import figure_numbers, math_html, printed_cells

#: A script or stylesheet fetched from the network (the slides and handouts need none).
REMOTE = re.compile(r"""<script[^>]+src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//|"""
                    r"""@import\s+(url\()?["']?(https?:)?//|url\(["']?(https?:)?//""", re.I)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    make_project(root)
    monkeypatch.setenv("LINKAGE_HOME", str(root))
    return root


# ---------------------------------------------------------------- catalog (no kernel) ----

def test_list_reads_the_metadata_contract(project: Path, capsys: pytest.CaptureFixture[str],
                                          ) -> None:
    (nb,) = list_notebooks()
    assert (nb.number, nb.title, nb.goals, nb.minutes) == (1, TITLE, tuple(GOALS), 30)
    assert nb.solutions == project / "notebooks/teaching/solutions/01_weights.ipynb"
    assert main(["teach", "list"]) == 0
    out = capsys.readouterr().out
    assert f"1  {TITLE}（约 30 分钟）" in out and all(goal in out for goal in GOALS)


@pytest.mark.parametrize(("change", "problem"), [
    (lambda m: m.pop("linkage"), "缺少 linkage.teaching"),
    (lambda m: m["linkage"]["teaching"].update(number=2), "文件名应为 02_"),
    (lambda m: m["linkage"]["teaching"].update(goals=[]), "goals"),
    (lambda m: m["linkage"]["teaching"].update(minutes="45"), "minutes"),
])
def test_metadata_contract_is_checked(tmp_path: Path, change, problem: str) -> None:
    nb = teaching_notebook()
    change(nb.metadata)
    path = tmp_path / "01_x.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(InputError, match=problem):
        read_teaching_metadata(path)


def test_unknown_notebook_is_a_one_line_input_error(project: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="现有：1"):
        find_notebook(7)
    assert main(["teach", "handout", "7"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "没有第 7 号教学笔记本" in err


def test_existing_output_needs_force(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "讲义.html"
    target.write_text("old", encoding="utf-8")
    assert main(["teach", "handout", "1", "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "old"
    assert main(["teach", "slides", "1", "-o", str(project / "幻灯片.pdf")]) == 2
    assert ".html" in capsys.readouterr().err


# --------------------------------------------------------------------- render (no kernel) ----

def _executed_like() -> nbformat.NotebookNode:
    """The fixture notebook with outputs as an execution gives them (no kernel needed)."""
    nb = teaching_notebook()
    png = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    for cell in nb.cells:
        if cell.cell_type == "code" and "subplots" in cell.source:
            cell.outputs = [nbformat.v4.new_output("display_data", data=png)]
    nb.cells[4].metadata["figure"] = ["第一张", "第二张"]
    nb.cells[4].outputs.append(nbformat.v4.new_output("display_data", data=png))
    return nb


def test_figures_are_numbered_in_order_with_their_titles() -> None:
    cells = printed_cells(_executed_like(), "handout")
    refs = figure_numbers(cells)
    assert [(r.number, r.title) for r in refs] == [(1, "第一张"), (2, "第二张"), (3, ""),
                                                   (4, "临界值 k 的作用")]
    assert all("ANSWER_MARKER" not in c.source for c in cells)
    assert not any("parameters" in c.metadata.get("tags", []) for c in cells)


def test_formulas_are_drawn_or_shown_as_source() -> None:
    drawn = math_html(r"D=\sqrt{C\times T}")
    assert drawn.startswith('<img class="math"') and "data:image/svg+xml;base64," in drawn
    assert math_html(r"\text{综合}") == r'<code class="math">\text{综合}</code>'
    assert math_html(r"\begin{aligned}x\end{aligned}").startswith("<code")
    # spellings mathtext lacks (\le, \ge) and line breaks inside $$…$$ are drawn too
    assert math_html("|U_1 - U_2| \\le 0.1,\n c_i \\ge k").startswith("<img")
    assert math_html(r"\left(x\right)").startswith("<img")


# ------------------------------------------------------------- commands (execute notebooks) ----

@pytest.mark.notebooks
def test_handout_html_and_pdf(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("weasyprint")
    out = project / "out" / "讲义.html"
    assert main(["teach", "handout", "1", "-o", str(out), "--pdf"]) == 0
    captured = capsys.readouterr()
    assert str(out) in captured.out and "图 2 没有标题" in captured.err
    text = out.read_text(encoding="utf-8")
    assert "@font-face" in text and "data:font/woff2;base64," in text  # the font, embedded
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", text)
    assert captions == ["图 1\u3000两县综合得分（权重 0.5）", "图 2", "图 3\u3000临界值 k 的作用"]
    assert TITLE in text and all(goal in text for goal in GOALS)
    assert "SECRET_CODE_MARKER" not in text and "ANSWER_MARKER" not in text  # code, answers
    assert "pd.DataFrame" in text  # the show-code cell
    assert 'class="md box exercise"' in text and 'class="md box quiz"' in text
    assert "静态版本" in text and '<img class="math"' in text
    assert not REMOTE.search(text)
    assert "@page" in text and "break-inside: avoid" in text
    assert out.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.notebooks
def test_slides_open_offline(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["teach", "slides", "1"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == project / "reports/teaching/01_weights_幻灯片.html"
    text = path.read_text(encoding="utf-8")
    assert not REMOTE.search(text), REMOTE.search(text)
    assert "Reveal.initialize" in text and "function" in text  # reveal.js inlined
    assert text.count('<section') >= 3  # one slide per heading (no slide types given)
    assert re.findall(r'class="caption">([^<]*)<', text) == [
        "图 1\u3000两县综合得分（权重 0.5）", "图 2", "图 3\u3000临界值 k 的作用"]
    assert "SECRET_CODE_MARKER" not in text and "ANSWER_MARKER" not in text
    assert "data:font/woff2;base64," in text


@pytest.mark.notebooks
def test_pack_holds_everything_for_an_offline_classroom(project: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        ) -> None:
    out = project / "课堂包.zip"
    assert main(["teach", "pack", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        readme = zf.read(PACK_README).decode("utf-8")
        handout = zf.read("handouts/01_weights_讲义.html").decode("utf-8")
        notebook = json.loads(zf.read("notebooks/teaching/01_weights.ipynb"))
    assert {PACK_README, "notebooks/teaching/01_weights.ipynb",
            "notebooks/teaching/solutions/01_weights.ipynb", "handouts/01_weights_讲义.html",
            "slides/01_weights_幻灯片.html", "data/raw/sample/sample.csv",
            "data/raw/reference/reference.csv", "data/raw/monitoring_thresholds_table.csv",
            "fonts/NotoSansSC-linkage-Regular.otf", "fonts/OFL.txt"} <= names
    assert TITLE in readme and "LINKAGE_HOME" in readme
    assert "<figcaption>图 1" in handout
    assert all(not c.get("outputs") for c in notebook["cells"])  # shipped without outputs
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]  # atomic


def test_remote_pattern_catches_nbconvert_stock_slides() -> None:
    """The offline check can fail: nbconvert's own reveal template loads from CDNs."""
    from nbconvert import SlidesExporter

    stock, _ = SlidesExporter().from_notebook_node(teaching_notebook())
    assert REMOTE.search(stock)


def test_pdf_without_a_renderer_is_a_one_line_output_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    import linkage.reporting.pdf as pdf
    from linkage.errors import OutputError
    from linkage.teaching.outputs import _pdf

    def no_renderer(html: Path, target: Path) -> None:
        warnings.warn("没有可用的 PDF 渲染器 / no PDF renderer installed",
                      pdf.NoPDFRendererWarning, stacklevel=2)

    monkeypatch.setattr(pdf, "write_pdf", no_renderer)
    html = tmp_path / "讲义.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(OutputError, match=r"PDF 未生成.*no PDF renderer") as caught:
        _pdf(html, tmp_path / "讲义.pdf")
    assert "\n" not in caught.value.message and str(html) in caught.value.message

"""What ``linkage teach`` writes (教学输出): handouts, slides and the classroom pack.

Each output comes from the notebook executed once with its default parameters
(:func:`executed`) and is written atomically; an existing output is replaced only with
``overwrite=True`` (``--force``). The default folder is ``reports/teaching/``.

The classroom pack (:func:`write_pack`) is one zip for a machine without the internet::

    README-课堂使用说明.txt
    notebooks/teaching/NN_*.ipynb          the teaching notebooks (no outputs)
    notebooks/teaching/solutions/NN_*.ipynb   their solutions (for the teacher)
    data/raw/sample/…, data/raw/reference/…, data/raw/monitoring_thresholds_table.csv
    fonts/…                                 the OFL Chinese font and its licence
    handouts/NN_*_讲义.html                 printable handouts (built)
    slides/NN_*_幻灯片.html                 reveal.js slides (built)
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linkage.atomic import atomic_path, atomic_write_text
from linkage.errors import OutputError
from linkage.teaching.catalog import TeachingNotebook, find_notebook, list_notebooks
from linkage.teaching.kernel import execute_teaching
from linkage.teaching.render import FigureRef, render_handout, render_slides

__all__ = ["HandoutResult", "PackResult", "executed", "output_dir", "write_handout",
           "write_pack", "write_slides"]

#: Name of the classroom instructions inside the pack.
PACK_README = "README-课堂使用说明.txt"


def output_dir() -> Path:
    """``reports/teaching/``: where ``linkage teach`` writes unless told otherwise."""
    from linkage.paths import reports_dir

    return reports_dir() / "teaching"


def _meta(nb: TeachingNotebook) -> dict[str, Any]:
    return {"number": nb.number, "title": nb.title, "goals": nb.goals, "minutes": nb.minutes}


@contextmanager
def executed(nb: TeachingNotebook, *, timeout: float | None = 600) -> Iterator[Any]:
    """The notebook executed with its default parameters (a temporary copy), as
    ``nbformat.NotebookNode``."""
    import nbformat

    with tempfile.TemporaryDirectory(prefix="linkage-teach-") as folder:
        out = Path(folder) / nb.path.name
        execute_teaching(nb.path, out, timeout=timeout)
        yield nbformat.read(out, as_version=4)


@dataclass(frozen=True)
class HandoutResult:
    """A written handout: the HTML, the PDF (None unless asked for), its figures."""

    html: Path
    pdf: Path | None
    figures: tuple[FigureRef, ...]

    @property
    def untitled(self) -> tuple[FigureRef, ...]:
        """Figures whose cell gives no ``"figure"`` title."""
        return tuple(f for f in self.figures if not f.title)


def _target(out: str | os.PathLike[str] | None, default: str, suffix: str,
            overwrite: bool) -> Path:
    from linkage.atomic import check_output_target

    path = check_output_target(out if out is not None else output_dir() / default)
    if path.suffix.lower() != suffix:
        raise OutputError(f"输出文件名应以 {suffix} 结尾（现为 {path.name}）/ the output must end "
                          f"in {suffix}", file=path, hint=f"例如 -o {default}")
    if path.exists() and not overwrite:
        raise OutputError("输出已存在，未覆盖 / output exists, not replaced", file=path,
                          hint="确认要替换时加 --force，或换一个文件名")
    return path


def _pdf(html: Path, pdf: Path) -> Path:
    from linkage.reporting.pdf import write_pdf

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write_pdf(html, pdf)
    if written is None:
        why = " ".join(str(caught[-1].message).split()) if caught else ""
        raise OutputError(f"PDF 未生成（HTML 讲义已写出：{html}）/ PDF not written: {why}",
                          hint="安装 Chromium 或 WeasyPrint 后重试，或打开 HTML 用浏览器打印")
    return written


def _handout_from(nb: TeachingNotebook, node: Any, path: Path, *, pdf: bool,
                  overwrite: bool) -> HandoutResult:
    text, figures = render_handout(node, _meta(nb))
    atomic_write_text(path, text, overwrite=overwrite)
    pdf_path = _pdf(path, path.with_suffix(".pdf")) if pdf else None
    return HandoutResult(path, pdf_path, tuple(figures))


def write_handout(number: int, out: str | os.PathLike[str] | None = None, *,
                  pdf: bool = False, overwrite: bool = False) -> HandoutResult:
    """Execute teaching notebook ``number`` and write its printable handout.

    Parameters
    ----------
    number : int
        The notebook (``linkage teach list``).
    out : path-like, optional
        The ``.html`` to write; default ``reports/teaching/NN_slug_讲义.html``.
    pdf : bool
        Also print it to PDF beside the HTML (:func:`~linkage.reporting.pdf.write_pdf`).
    overwrite : bool
        Replace an existing output.

    Raises
    ------
    InputError
        No such notebook (or one breaking the metadata contract).
    OutputError
        The output exists (without ``overwrite``), has the wrong suffix, or no PDF renderer.
    """
    nb = find_notebook(number)
    path = _target(out, f"{nb.stem}_讲义.html", ".html", overwrite)
    with executed(nb) as node:
        return _handout_from(nb, node, path, pdf=pdf, overwrite=overwrite)


def write_slides(number: int, out: str | os.PathLike[str] | None = None, *,
                 overwrite: bool = False) -> Path:
    """Execute teaching notebook ``number`` and write its reveal.js slides (one HTML file
    that opens offline); default ``reports/teaching/NN_slug_幻灯片.html``."""
    nb = find_notebook(number)
    path = _target(out, f"{nb.stem}_幻灯片.html", ".html", overwrite)
    with executed(nb) as node:
        return atomic_write_text(path, render_slides(node, _meta(nb)), overwrite=overwrite)


@dataclass(frozen=True)
class PackResult:
    """The written pack: its path, its members and the notebooks it holds."""

    path: Path
    members: tuple[str, ...]
    notebooks: tuple[TeachingNotebook, ...]


def _data_files() -> Iterator[tuple[Path, str]]:
    from linkage.paths import data_raw, project_root
    from linkage.reporting.fonts import font_file

    root = project_root()
    raw = data_raw()
    for folder in (raw / "sample", raw / "reference"):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield path, path.relative_to(root).as_posix()
    thresholds = raw / "monitoring_thresholds_table.csv"
    if thresholds.is_file():
        yield thresholds, thresholds.relative_to(root).as_posix()
    fonts = font_file().parent
    for name in sorted(p.name for p in fonts.iterdir()
                       if p.suffix in (".otf", ".txt", ".md")):
        yield fonts / name, f"fonts/{name}"


def pack_readme(notebooks: list[TeachingNotebook]) -> str:
    """The classroom instructions written into the pack."""
    lines = [
        "linkage 教学材料包 · 课堂使用说明", "",
        "本包可在没有互联网的教室电脑上使用。", "",
        "一、内容",
        "  notebooks/teaching/            教学笔记本（学员用，不含答案）",
        "  notebooks/teaching/solutions/  练习答案（教师用，请勿提前发给学员）",
        "  handouts/                      讲义（HTML，浏览器打开后“打印”即可得到 A4 纸质讲义）",
        "  slides/                        幻灯片（HTML，浏览器打开即可放映；方向键翻页，Esc 总览）",
        "  data/raw/                      笔记本用到的内置模拟数据与真实参考数据表",
        "  fonts/                         中文字体（SIL 开放字体许可证，见 OFL.txt）", "",
        "二、课前准备（在有 linkage 的电脑上）",
        "  1. 教室电脑须已安装 linkage（项目目录中 make env，或 Windows：",
        "     py -3.11 -m venv .venv 后 .venv\\Scripts\\python -m pip install -e .），",
        "     安装需在有网络时提前完成。",
        "  2. 已有完整项目目录时：直接运行 make lab（Windows：.venv\\Scripts\\linkage lab），",
        "     浏览器会打开 JupyterLab，进入 teaching 文件夹即可。",
        "  3. 只有本包时：把本包解压到一个文件夹，设置环境变量 LINKAGE_HOME 为该文件夹",
        "     （笔记本从 LINKAGE_HOME/data/raw 读数据），再在该文件夹运行 linkage lab。", "",
        "三、上课",
        "  打开笔记本后选择内核“linkage（巩固拓展衔接）”，从上到下依次运行（Shift+Enter）。",
        "  带滑块的图可以拖动滑块观察结果变化；讲义与幻灯片中是默认参数下的静态图。", "",
        "四、各讲一览",
    ]
    for nb in notebooks:
        lines.append(f"  第 {nb.number} 讲  {nb.title}（约 {nb.minutes} 分钟）  {nb.path.name}")
        lines += [f"      · {goal}" for goal in nb.goals]
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on an old classroom PC shows it too


def write_pack(out: str | os.PathLike[str] | None = None, *, overwrite: bool = False,
               progress: Callable[[str], None] | None = None) -> PackResult:
    """Write the classroom zip (see the module docstring), atomically.

    Every notebook is executed once; its handout and slides are built from that run.
    ``progress`` is called with a line per finished notebook.
    """
    notebooks = list_notebooks()
    if not notebooks:
        raise OutputError("notebooks/teaching/ 中没有教学笔记本，无法打包 / no teaching "
                          "notebooks to pack", hint="linkage teach list 查看")
    path = _target(out, "teaching.zip", ".zip", overwrite)
    from linkage.paths import project_root

    root = project_root()
    members: list[str] = []
    with atomic_path(path, overwrite=overwrite) as tmp, \
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf, \
            tempfile.TemporaryDirectory(prefix="linkage-pack-") as scratch:

        def add(source: Path, name: str) -> None:
            zf.write(source, name)
            members.append(name)

        def add_text(name: str, text: str) -> None:
            zf.writestr(name, text)
            members.append(name)

        add_text(PACK_README, pack_readme(notebooks))
        for nb in notebooks:
            add(nb.path, nb.path.relative_to(root).as_posix())
            if nb.solutions is not None:
                add(nb.solutions, nb.solutions.relative_to(root).as_posix())
            with executed(nb) as node:
                handout = Path(scratch) / f"{nb.stem}_讲义.html"
                _handout_from(nb, node, handout, pdf=False, overwrite=True)
                add(handout, f"handouts/{handout.name}")
                add_text(f"slides/{nb.stem}_幻灯片.html", render_slides(node, _meta(nb)))
            if progress is not None:
                progress(f"第 {nb.number} 讲 {nb.title}：讲义、幻灯片已生成")
        for source, name in _data_files():
            add(source, name)
    return PackResult(path, tuple(members), tuple(notebooks))

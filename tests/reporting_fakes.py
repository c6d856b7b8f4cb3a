"""Light stand-ins for the report engine's tests (not tests themselves).

- :func:`light_notebooks` writes section notebooks ``NN_<key>`` (numbered by
  ``SECTION_NOTEBOOKS``) that follow the notebook contract (tagged parameters cell with the
  common parameters and ``section_out``, one cell building a :class:`Section` and saving
  it) but compute a small seeded number instead of a real analysis; ``fail_for`` (a region
  code) makes one region raise, ``flag_dir`` makes a region raise while
  ``<flag_dir>/<code>`` exists.
- :class:`InProcessRunner` executes such notebooks in this process (a fresh namespace per
  notebook, as a kernel would), so batch tests need no kernel start-up. It writes the output
  notebook, and raises :class:`NotebookFailed` with the failing cell as papermill does.
- :func:`fake_renderers` installs trivial ``linkage.reporting.html/docx/pdf`` modules with the
  renderer contract's names (the real ones come from the render work).
"""

from __future__ import annotations

import html
import sys
import types
from pathlib import Path
from typing import ClassVar

import nbformat

from linkage.errors import InputError
from linkage.reporting.config import SECTION_KEYS, SECTION_NOTEBOOKS
from linkage.reporting.executors import NotebookFailed

PARAMETERS = '''panel: str = ""
counties: str = ""
households: str = ""
framework: str = ""
region_code: str = ""
start_year: int = 2015
end_year: int = 2025
language: str = "zh"
cache_dir: str = ""
section_out: str = ""
scale: float = 1.0
fail_for: str = ""
flag_dir: str = ""
'''

BODY = '''import os
import numpy as np
import pandas as pd
from linkage.errors import InputError
from linkage.reporting.document import SectionBuilder
if fail_for and region_code == fail_for:
    raise RuntimeError("故意失败 / deliberate failure for " + region_code)
if flag_dir and os.path.exists(os.path.join(flag_dir, region_code)):
    raise RuntimeError("flagged " + region_code)
if region_code == "990199":
    raise InputError("坏数据 / bad data for " + region_code)
rng = np.random.default_rng(int(region_code or 0) + start_year + {index})
value = float(rng.normal(loc=50, scale=10)) * scale
b = SectionBuilder("{key}", "{title}", language=language, simulated=True)
b.paragraph("本地区的得分为 " + format(value, ".2f") + " 分，见{{table:t}}。电话 13812345678。")
b.table("t", "得分", pd.DataFrame({{"得分（分）": [value]}}), source="资料来源：测试数据。")
b.finding("得分为 " + format(value, ".2f") + " 分。", rank={index})
b.metric("score", "{title}得分", value, "分")
b.metric("grade", "{title}等级", "较高" if value > 50 else "较低")
b.metric("flag", "{title}达标", value > 45)
section = b.build()
if section_out:
    section.save(section_out)
'''

TITLES = {"overview": "数据概览", "national": "真实数据", "linkage": "衔接",
          "consolidation": "巩固", "extension": "拓展", "policy_effects": "政策效果",
          "policy_synergy": "政策协同"}


def light_notebook(path: Path, key: str, index: int, *, body: str | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {TITLES.get(key, key)}"),
                nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body or BODY.format(key=key, title=TITLES[key],
                                                              index=index))]
    nbformat.write(nb, path)
    return path


def light_notebooks(folder: Path, keys=SECTION_KEYS) -> Path:
    """Section notebooks ``NN_<key>.ipynb`` for ``keys`` (numbered as the real ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        index = SECTION_NOTEBOOKS[key]
        light_notebook(folder / f"{index:02d}_{key}.ipynb", key, index)
    return folder


class InProcessRunner:
    """Runs a notebook's code cells in this process; parameters replace the defaults."""

    executed: ClassVar[list[tuple[str, str]]] = []  # (notebook name, region_code), for assertions

    def execute(self, notebook, output, parameters, *, timeout=None) -> None:
        nb = nbformat.read(notebook, as_version=4)
        namespace: dict = {}
        InProcessRunner.executed.append((Path(notebook).name,
                                         parameters.get("region_code", "")))
        for index, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
            try:
                exec(cell.source, namespace)  # a test notebook written above
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(parameters)
            except Exception as exc:
                cell.outputs = [nbformat.v4.new_output(
                    "error", ename=type(exc).__name__, evalue=str(exc), traceback=[])]
                nbformat.write(nb, output)
                error = NotebookFailed(Path(notebook), index + 1, type(exc).__name__,
                                       str(exc), Path(output))
                raise error from exc
        nbformat.write(nb, output)

    def close(self) -> None:
        pass


def in_process_executor(name="local", *, workers=1, scheduler=None):
    from linkage.reporting.executors import LocalExecutor

    return LocalExecutor(workers=workers, make_runner=InProcessRunner)


def _render_html(doc) -> str:
    parts = [doc.cover.title, doc.cover.region, *doc.summary]
    for chapter in doc.chapters:
        for block in chapter.blocks:
            parts.append(getattr(block, "text", "") or getattr(block, "label", ""))
    body = "".join(f"<p>{html.escape(str(p))}</p>" for p in parts)
    stamp = "<p>模拟数据</p>" if doc.cover.simulated else ""
    return f'<!DOCTYPE html><html lang="zh-CN"><body>{stamp}{body}</body></html>'


def _write_docx(doc, path):
    Path(path).write_bytes(b"PK fake docx " + doc.cover.region.encode())
    return Path(path)


def _write_pdf(html_path, pdf_path):
    return None


def fake_renderers(monkeypatch) -> None:
    """Install trivial renderers under the contract's module and function names."""
    for name, attr, func in (("html", "render_html", _render_html),
                             ("docx", "write_docx", _write_docx),
                             ("pdf", "write_pdf", _write_pdf)):
        module = types.ModuleType(f"linkage.reporting.{name}")
        setattr(module, attr, func)
        monkeypatch.setitem(sys.modules, f"linkage.reporting.{name}", module)


__all__ = ["InProcessRunner", "InputError", "fake_renderers",
           "in_process_executor", "light_notebook", "light_notebooks"]

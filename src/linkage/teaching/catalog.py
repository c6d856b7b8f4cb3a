"""The teaching notebooks and their metadata contract (教学笔记本目录).

A teaching notebook ``notebooks/teaching/NN_slug.ipynb`` carries, in its notebook metadata,
``linkage.teaching = {"number": N, "title": "…", "goals": ["…", …], "minutes": M}`` and the
kernel spec ``linkage``; its solutions are ``notebooks/teaching/solutions/NN_slug.ipynb``
(same name, same block plus ``"solutions": true``). See ``docs/teaching.md``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from linkage.errors import InputError

__all__ = ["TeachingNotebook", "catalog_frame", "find_notebook", "list_notebooks",
           "read_teaching_metadata", "teaching_dir"]

_NAME = re.compile(r"^(\d{2})_[^/\\]+\.ipynb$")


def teaching_dir() -> Path:
    """``notebooks/teaching/`` of the project."""
    from linkage.paths import notebooks_dir

    return notebooks_dir() / "teaching"


@dataclass(frozen=True)
class TeachingNotebook:
    """One teaching notebook as its metadata describes it.

    Attributes
    ----------
    number : int
        N of ``linkage teach handout N`` (= ``NN`` of the file name).
    title : str
    goals : tuple of str
        Learning goals (学习目标).
    minutes : int
        Class time (分钟).
    path : Path
    solutions : Path or None
        ``solutions/<same name>`` when it exists.
    """

    number: int
    title: str
    goals: tuple[str, ...]
    minutes: int
    path: Path
    solutions: Path | None

    @property
    def stem(self) -> str:
        """File name without ``.ipynb`` (``01_index``): the name of its handout and slides."""
        return self.path.stem


def _problem(path: Path, text: str) -> InputError:
    return InputError(f"教学笔记本的元数据不合规：{text} / bad teaching metadata", file=path,
                      hint="见 docs/teaching.md 第 2 节：metadata.linkage.teaching = {number, "
                           "title, goals, minutes}")


def read_teaching_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The checked ``linkage.teaching`` block of a notebook (number, title, goals, minutes).

    Raises
    ------
    InputError
        Not a notebook, no block, or a field of the wrong type.
    """
    path = Path(path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError) as exc:
        raise InputError(f"无法读取笔记本 / cannot read the notebook: {exc}", file=path) from exc
    block = (meta.get("linkage") or {}).get("teaching")
    if not isinstance(block, dict):
        raise _problem(path, "缺少 linkage.teaching")
    number, title, goals, minutes = (block.get(k) for k in ("number", "title", "goals",
                                                            "minutes"))
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise _problem(path, f"number 应为正整数（现为 {number!r}）")
    if not isinstance(title, str) or not title.strip():
        raise _problem(path, "title 应为非空文字")
    if (not isinstance(goals, list) or not goals
            or not all(isinstance(g, str) and g.strip() for g in goals)):
        raise _problem(path, "goals 应为非空的文字列表")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
        raise _problem(path, f"minutes 应为正整数（现为 {minutes!r}）")
    match = _NAME.match(path.name)
    if match is None or int(match.group(1)) != number:
        raise _problem(path, f"文件名应为 {number:02d}_名称.ipynb（number = {number}）")
    return {"number": number, "title": title.strip(), "goals": tuple(g.strip() for g in goals),
            "minutes": minutes}


def list_notebooks(folder: str | os.PathLike[str] | None = None) -> list[TeachingNotebook]:
    """The teaching notebooks of ``folder`` (default ``notebooks/teaching/``), by number.

    Raises
    ------
    InputError
        A notebook breaks the metadata contract, or two share a number.
    """
    folder = Path(folder) if folder is not None else teaching_dir()
    found: dict[int, TeachingNotebook] = {}
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        meta = read_teaching_metadata(path)
        if meta["number"] in found:
            raise _problem(path, f"编号 {meta['number']} 与 {found[meta['number']].path.name} "
                                 "重复")
        answer = folder / "solutions" / path.name
        found[meta["number"]] = TeachingNotebook(**meta, path=path,
                                                 solutions=answer if answer.is_file() else None)
    return [found[n] for n in sorted(found)]


def find_notebook(number: int, folder: str | os.PathLike[str] | None = None,
                  ) -> TeachingNotebook:
    """Teaching notebook ``number``; an :class:`InputError` naming the ones there are."""
    notebooks = list_notebooks(folder)
    for nb in notebooks:
        if nb.number == number:
            return nb
    have = "、".join(str(nb.number) for nb in notebooks) or "无"
    raise InputError(f"没有第 {number} 号教学笔记本（现有：{have}）/ no teaching notebook "
                     f"{number}", hint="linkage teach list 列出全部教学笔记本")


def catalog_frame(notebooks: list[TeachingNotebook]) -> pd.DataFrame:
    """One row per notebook: 编号, 标题, 时长（分钟）, 学习目标 (goals joined by "；")."""
    return pd.DataFrame({"编号": [nb.number for nb in notebooks],
                         "标题": [nb.title for nb in notebooks],
                         "时长（分钟）": [nb.minutes for nb in notebooks],
                         "学习目标": ["；".join(nb.goals) for nb in notebooks]})

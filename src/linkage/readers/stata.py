"""Stata data files (Stata .dta 读取) through pyreadstat."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from linkage.errors import InputError
from linkage.readers.layout import empty_file_error

__all__ = ["read_dta"]


def read_dta(
    path: Path, *, use_labels: bool, apply_value_labels: bool
) -> tuple[pd.DataFrame, str | None, dict[str, str]]:
    """Read a .dta file; return (frame, file encoding, variable labels).

    ``use_labels`` renames a variable to its label (Stata users keep Chinese names there) when
    the label is non-empty and unique among the resulting names; other variables keep their
    names. ``apply_value_labels`` replaces labelled codes by their labels. Numbers stay
    numbers (region codes stored as numbers are padded later by the schema layer).
    """
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_dta(
            str(path), apply_value_formats=apply_value_labels, formats_as_category=False
        )
    except Exception as exc:
        raise InputError(
            f"无法读取 Stata 文件（可能已损坏或版本不支持）：{exc} / cannot read .dta file",
            file=path,
            hint="在 Stata 中用 save 或 saveold 重新保存后再试",
        ) from exc
    if frame.empty:
        raise empty_file_error(path)
    labels = {k: v for k, v in meta.column_names_to_labels.items() if v and v.strip()}
    if use_labels:
        proposed = pd.Series({c: labels.get(c, c).strip() for c in frame.columns})
        clash = proposed.duplicated(keep=False)
        frame = frame.rename(columns=proposed[~clash].to_dict())
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame, meta.file_encoding, labels

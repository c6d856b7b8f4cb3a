"""The batch metrics table (指标汇总表): one row per region, the sections' key numbers.

Columns: region code, name, level, year (the report's last year), one column per section
metric (``<section>.<key>``; the sections' :class:`~linkage.reporting.document.Metric`), the
run status and the failure reason. Written three ways:

- ``metrics.parquet`` — for programs: the column keys above, values as the sections gave them;
- ``metrics.csv`` (UTF-8 with BOM, so Excel opens it) and ``metrics.xlsx`` — for readers:
  Chinese (or English) headers with units, 是/否, 成功/失败. In the workbook every string cell
  is stored as text (:func:`linkage.escaping.xlsx_text`), so a region name or a reason that
  starts with ``= + - @`` is never read as a formula.

Rows are in the order of the batch's regions, whatever order the regions finished in, so the
same config on the same inputs gives the same table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from linkage.atomic import atomic_path
from linkage.reporting.region import RegionResult

__all__ = ["metric_columns", "metrics_frame", "reader_frame", "write_metrics"]

_BASE = {"zh": {"region_code": "区划代码", "region_name": "地区", "level": "层级",
                "year": "年份", "status": "运行状态", "error": "失败原因"},
         "en": {"region_code": "Region code", "region_name": "Region", "level": "Level",
                "year": "Year", "status": "Status", "error": "Reason for failure"}}
_LEVEL = {"zh": {"province": "省", "prefecture": "地级市", "county": "县"},
          "en": {"province": "Province", "prefecture": "Prefecture", "county": "County"}}
_STATUS = {"zh": {"ok": "成功", "failed": "失败"}, "en": {"ok": "OK", "failed": "Failed"}}
_YES_NO = {"zh": ("是", "否"), "en": ("Yes", "No")}


def metric_columns(results: Sequence[RegionResult]) -> dict[str, tuple[str, str]]:
    """``<section>.<key>`` → (label, unit) for every metric of the batch, in first-seen order."""
    columns: dict[str, tuple[str, str]] = {}
    for result in results:
        for section, metrics in result.metrics.items():
            for m in metrics:
                columns.setdefault(f"{section}.{m.key}", (m.label, m.unit))
    return columns


def _column(values: list[Any]) -> pd.Series:
    present = [v for v in values if v is not None]
    if not present:  # no region has it: a numeric column of missing values
        return pd.Series([float("nan")] * len(values), dtype="float64")
    if all(isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="boolean")
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pd.Series([float("nan") if v is None else float(v) for v in values],
                         dtype="float64")
    return pd.Series([None if v is None else str(v) for v in values], dtype="string")


def metrics_frame(results: Sequence[RegionResult], *, year: int) -> pd.DataFrame:
    """The metrics table with column keys (one row per region, in the order given)."""
    columns = metric_columns(results)
    data: dict[str, Any] = {
        "region_code": pd.Series([r.code for r in results], dtype="string"),
        "region_name": pd.Series([r.name for r in results], dtype="string"),
        "level": pd.Series([r.level for r in results], dtype="string"),
        "year": pd.Series([year] * len(results), dtype="int64"),
    }
    for key in columns:
        section, name = key.split(".", 1)
        values = []
        for r in results:
            found = [m.value for m in r.metrics.get(section, ()) if m.key == name]
            values.append(found[0] if found else None)
        data[key] = _column(values)
    data["status"] = pd.Series([r.status for r in results], dtype="string")
    data["error"] = pd.Series([r.error for r in results], dtype="string")
    return pd.DataFrame(data)


def reader_frame(frame: pd.DataFrame, labels: Mapping[str, tuple[str, str]], *,
                 language: str = "zh") -> pd.DataFrame:
    """The metrics table for readers: headers with units, words for codes and flags."""
    lang = "zh" if language == "zh" else "en"
    out = frame.copy()
    out["level"] = out["level"].map(lambda v: _LEVEL[lang].get(v, v))
    out["status"] = out["status"].map(lambda v: _STATUS[lang].get(v, v))
    yes, no = _YES_NO[lang]
    headers = {}
    for key in out.columns:
        if key in _BASE[lang]:
            headers[key] = _BASE[lang][key]
            continue
        label, unit = labels[key]
        headers[key] = f"{label}（{unit}）" if unit and lang == "zh" else (
            f"{label} ({unit})" if unit else label)
        if out[key].dtype == "boolean":
            out[key] = out[key].map(lambda v: None if pd.isna(v) else (yes if v else no))
        elif out[key].dtype == "float64" and (out[key].dropna() % 1 == 0).all():
            out[key] = out[key].astype("Int64")  # counts and years read as whole numbers
    if len(set(headers.values())) < len(headers):  # two sections with the same label
        headers = {k: (h if list(headers.values()).count(h) == 1 else f"{h} [{k.split('.')[0]}]")
                   for k, h in headers.items()}
    return out.rename(columns=headers)


def write_metrics(results: Sequence[RegionResult], folder: Path, *, year: int,
                  language: str = "zh") -> dict[str, Path]:
    """Write ``metrics.parquet``, ``metrics.csv`` and ``metrics.xlsx`` into ``folder``."""
    frame = metrics_frame(results, year=year)
    readers = reader_frame(frame, metric_columns(results), language=language)
    paths = {"parquet": folder / "metrics.parquet", "csv": folder / "metrics.csv",
             "xlsx": folder / "metrics.xlsx"}
    with atomic_path(paths["parquet"]) as tmp:
        frame.to_parquet(tmp, index=False)
    with atomic_path(paths["csv"]) as tmp:
        readers.to_csv(tmp, index=False, encoding="utf-8-sig")
    with atomic_path(paths["xlsx"]) as tmp:
        _write_xlsx(readers, Path(tmp), "指标汇总" if language == "zh" else "Metrics")
    return paths


def _write_xlsx(frame: pd.DataFrame, path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from linkage.escaping import xlsx_text

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for column, header in enumerate(frame.columns, start=1):
        xlsx_text(sheet.cell(row=1, column=column), str(header)).font = Font(bold=True)
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if isinstance(value, float | int) and not isinstance(value, bool):
                sheet.cell(row=row, column=column, value=value)
            else:
                xlsx_text(sheet.cell(row=row, column=column), str(value))
    for column, header in enumerate(frame.columns, start=1):
        width = max([len(str(header)), *[len(str(v)) for v in frame.iloc[:, column - 1]][:200]])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, 2 + 1.6 * width)
    sheet.freeze_panes = "C2"
    book.save(path)

"""Reading one table from any supported file (读取数据表)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import NA_VALUES, clean_column, normalise_heading
from linkage.readers.excel import read_excel_grid
from linkage.readers.layout import Grid, empty_file_error, table_from_grid
from linkage.readers.mapping import MappingSpec, apply_mapping, load_mapping
from linkage.readers.stata import read_dta
from linkage.readers.text import (
    _refuse_nul,
    _refuse_ragged,
    grid_of_records,
    iter_text_records,
    read_text_grid,
    table_width,
)

__all__ = ["CHUNK_ROWS", "SUFFIXES", "iter_table_chunks", "read_table"]

#: Records per chunk when a text file is read in parts (:func:`iter_table_chunks`).
CHUNK_ROWS = 100_000

SUFFIXES: dict[str, str] = {
    ".csv": "text",
    ".txt": "text",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".dta": "stata",
    ".parquet": "parquet",
}
"""Supported file suffixes (lower case) and their reader."""


def _not_for(kind: str, file: Path, **options: object) -> None:
    used = [name for name, value in options.items() if value not in (None, False)]
    if used:
        raise InputError(
            f"参数 {', '.join(used)} 不适用于 {file.suffix} 文件 / option not applicable",
            file=file,
            hint=f"这些参数只用于 {kind}",
        )


def read_table(
    path: str | PathLike[str],
    *,
    sheet: str | int | None = None,
    mapping: MappingSpec | None = None,
    header_rows: int | Iterable[int] | None = None,
    encoding: str | None = None,
    na_values: Iterable[str] | None = None,
    use_labels: bool = False,
    apply_value_labels: bool = False,
) -> pd.DataFrame:
    """Read a data table from CSV, Excel (incl. yearbook layouts) or Stata (读取数据表).

    Values are returned as read, not coerced: CSV cells as text (``"011000"`` keeps its
    zeros), Excel cells as stored (numbers stay numbers, text stays text), Stata variables as
    pyreadstat gives them. Text cells are stripped of surrounding (also full-width) spaces and
    missing markers (:data:`~linkage.readers.cells.NA_VALUES`: "—", "…", "NA", …) become
    missing. Headings are normalised (stripped, line breaks removed, spaces collapsed);
    repeated headings get ``.1``, ``.2``; a column without heading is named ``列C`` after its
    spreadsheet letter. Excel layouts (title rows, multi-row headers, merged cells, notes
    rows) are handled as described in :mod:`linkage.readers.layout`; the same rules apply to
    CSV except that its header is a single row unless ``header_rows`` says otherwise.

    Parameters
    ----------
    path : str or path-like
        ``.csv``/``.txt`` (comma, tab or semicolon separated), ``.xlsx``/``.xlsm``, ``.xls`` or
        ``.dta`` or ``.parquet``.
    sheet : str or int, optional
        Excel worksheet by name or 0-based position; default the first sheet.
    mapping : dict or path, optional
        ``{file heading: target column}``, or a YAML/CSV/Excel file holding it (see
        :func:`~linkage.readers.mapping.load_mapping`). Only mapped columns are kept, renamed,
        in mapping order. Also steers header detection towards rows where the keys are found.
    header_rows : int or sequence of int, optional
        1-based row numbers of the header block as seen in the sheet, e.g. ``(3, 4)``;
        detected when omitted. Not for .dta.
    encoding : str, optional
        Text files only: the encoding to use instead of detecting it
        (:func:`~linkage.readers.encoding.detect_encoding`).
    na_values : iterable of str, optional
        Missing markers replacing the default list (empty cells are always missing).
    use_labels, apply_value_labels : bool, default False
        .dta only: rename variables to their (unique) variable labels; replace coded values by
        their value labels.

    Returns
    -------
    pandas.DataFrame
        Index ``row``: the row number the user sees (header rows counted; observation
        number for .dta). ``attrs``: ``source_file``, ``encoding`` (text files: used encoding;
        .dta: the file's), ``sheet`` (Excel sheet name), ``header_rows`` (tuple of 1-based
        rows), ``dropped_rows`` (list of ``{"row", "kind", "text"}`` for title, blank, notes
        and skipped rows), for .dta ``variable_labels``, for Excel ``warnings`` (formula
        cells without a cached value, read as blank).

    Raises
    ------
    InputError
        Unknown suffix, missing or empty file, unreadable workbook, unknown sheet, mapped
        heading not found (with the closest headings), option not applicable to the file type.
    EncodingDetectionError
        A text file that is neither UTF-8 nor Chinese GBK/GB18030, or does not decode with the
        given ``encoding``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "counties.csv"
    >>> _ = p.write_bytes("区划代码,人均收入\\n011000,—\\n".encode("gbk"))
    >>> df = read_table(p, mapping={"区划代码": "region_code"})
    >>> df["region_code"].tolist(), df.index.tolist(), df.attrs["encoding"]
    (['011000'], [2], 'gb18030')
    """
    file = Path(path)
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        raise InputError(
            f"不支持的文件类型 “{file.suffix or '（无扩展名）'}” / unsupported file type",
            file=file,
            hint=f"支持的类型：{'、'.join(SUFFIXES)}",
        )
    if not file.is_file():
        raise InputError("找不到文件 / file not found", file=file, hint="检查路径和文件名")
    if file.stat().st_size == 0:
        raise empty_file_error(file)
    if isinstance(na_values, str):
        na_values = [na_values]
    na = frozenset({"", *(NA_VALUES if na_values is None else na_values)})
    keys = None if mapping is None else load_mapping(mapping, file=file)
    rows = None if header_rows is None else _header_tuple(header_rows)
    attrs: dict[str, object] = {"source_file": str(file), "encoding": None, "sheet": None}

    if kind == "parquet":
        _not_for("CSV/Excel/Stata", file, sheet=sheet, header_rows=header_rows,
                 encoding=encoding, use_labels=use_labels,
                 apply_value_labels=apply_value_labels)
        frame = _clean_frame(_read_parquet(file), na)
        attrs |= {"header_rows": (), "dropped_rows": []}
    elif kind == "stata":
        _not_for("CSV/Excel", file, sheet=sheet, header_rows=header_rows, encoding=encoding)
        frame, attrs["encoding"], labels = read_dta(
            file, use_labels=use_labels, apply_value_labels=apply_value_labels
        )
        frame = _clean_frame(frame, na)
        attrs |= {"header_rows": (), "dropped_rows": [], "variable_labels": labels}
    else:
        _not_for(".dta", file, use_labels=use_labels, apply_value_labels=apply_value_labels)
        if kind == "text":
            _not_for("Excel", file, sheet=sheet)
            grid, attrs["encoding"] = read_text_grid(file, encoding=encoding)
        else:
            _not_for("CSV/TXT", file, encoding=encoding)
            grid, attrs["sheet"], attrs["warnings"] = read_excel_grid(file, sheet=sheet)
        frame = table_from_grid(
            grid,
            file=file,
            header_rows=rows,
            mapping_keys=None if keys is None else list(keys),
            na_values=na,
        )
        attrs |= frame.attrs
    if keys is not None:
        frame = apply_mapping(frame, keys, file=file)
    frame.attrs = attrs
    return frame


def _read_parquet(file: Path) -> pd.DataFrame:
    """A Parquet file (e.g. written by ``linkage ingest``); rows numbered from 1."""
    try:
        frame = pd.read_parquet(file)
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise InputError(f"无法读取 Parquet 文件：{type(exc).__name__} / cannot read Parquet",
                         file=file, hint="文件可能已损坏；请重新导出或重新运行 linkage ingest"
                         ) from exc
    if frame.empty:
        raise empty_file_error(file)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


def _header_tuple(header_rows: int | Iterable[int]) -> tuple[int, ...]:
    if isinstance(header_rows, int):
        return (header_rows,)
    return tuple(int(r) for r in header_rows)


def _clean_frame(frame: pd.DataFrame, na: frozenset[str]) -> pd.DataFrame:
    """Strip text cells and blank out missing markers in every text column; normalise names."""
    cleaned = frame.copy()
    for col in cleaned.columns[
        cleaned.dtypes.map(pd.api.types.is_object_dtype)
        | cleaned.dtypes.map(pd.api.types.is_string_dtype)
    ]:
        cleaned[col] = clean_column(cleaned[col], na)[0]
    cleaned.columns = [normalise_heading(c) for c in cleaned.columns]
    return cleaned


def iter_table_chunks(
    path: str | PathLike[str],
    *,
    encoding: str | None = None,
    na_values: Iterable[str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[pd.DataFrame]:
    """Read a CSV/TXT table in parts of ``chunk_rows`` records (分块读取), for large files.

    Each part is what :func:`read_table` would give for those rows — same header detection (on
    the first part), cleaning, missing markers, row numbers in the index, ``attrs`` (encoding,
    header rows) — so a file can be validated with memory bounded by one part. Single-text rows
    after the last data row are dropped as notes only in the last part. Rows wider than the
    first part's table, and NUL characters, are errors naming the row.

    Yields
    ------
    pandas.DataFrame
        One part; parts of blank rows only may be empty.
    """
    file = Path(path)
    if SUFFIXES.get(file.suffix.lower()) != "text":
        raise InputError("只有 CSV/TXT 文件能分块读取 / only text files are read in parts",
                         file=file)
    if not file.is_file():
        raise InputError("找不到文件 / file not found", file=file, hint="检查路径和文件名")
    na = frozenset({"", *(NA_VALUES if na_values is None else na_values)})
    header: tuple[int, ...] | None = None
    head_records: list[list[str]] = []
    width = 0
    parts = iter_text_records(file, encoding=encoding, chunk_rows=chunk_rows)
    current = next(parts)
    while current is not None:
        following = next(parts, None)  # one part ahead: is this the last?
        start, records, used = current
        last = following is None
        if header is None:
            width = table_width(records)
        _refuse_nul(records, file, start)
        _refuse_ragged(records, file, width, start)
        if header is None:
            frame = table_from_grid(grid_of_records(records), file=file, header_rows=None,
                                    mapping_keys=None, na_values=na, trailing_notes=last,
                                    allow_empty=not last)
            header = frame.attrs["header_rows"]
            head_records = [records[r - 1] for r in header]
        else:
            grid = grid_of_records([*head_records, *records], width=width)
            rows = np.concatenate([np.asarray(header), np.arange(start + 1,
                                                                 start + len(records) + 1)])
            grid = Grid(cells=grid.cells, text_only=True, row_numbers=rows)
            frame = table_from_grid(grid, file=file, header_rows=header, mapping_keys=None,
                                    na_values=na, trailing_notes=last, allow_empty=True)
        frame.attrs |= {"source_file": str(file), "encoding": used, "sheet": None}
        yield frame
        current = following

"""Codes for a user's file (给文件加区划代码): what ``linkage places FILE`` does.

The file is read through :func:`linkage.readers.read_table` (CSV in UTF-8/GBK, xlsx/xls with
yearbook-style headers, .dta), its place names resolved with
:func:`linkage.places.resolve_codes`, and a copy written with two columns added after the
existing ones: ``region_code`` (6-digit text, empty where unresolved) and ``region_match``
(the method). The input is never changed; the output is written atomically, never into
``data/raw/``, and an existing output is replaced only with ``overwrite``.
"""

from __future__ import annotations

from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import pandas as pd

from linkage.atomic import atomic_path, check_output_target
from linkage.errors import InputError, OutputError
from linkage.places.resolve import METHODS, resolve_codes

__all__ = ["CodedFile", "code_file"]

_SHOW = 20
_PROBLEM = {"unmatched": ("未匹配", "unmatched"), "ambiguous": ("有歧义", "ambiguous")}


@dataclass(frozen=True)
class CodedFile:
    """Result of :func:`code_file`.

    Attributes
    ----------
    output : pathlib.Path
        The file written.
    rows : int
        Data rows.
    methods : pandas.Series
        Rows per ``method`` (in the order of :data:`~linkage.places.METHODS`).
    problems : pandas.DataFrame
        Rows left without a code: ``row`` (as seen in the file), ``name`` (the name as given,
        province/prefecture/county joined by " / "), ``method`` (unmatched, ambiguous),
        ``candidates``, ``note``.
    """

    output: Path
    rows: int
    methods: pd.Series
    problems: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when every row got a code."""
        return self.problems.empty

    def to_frame(self) -> pd.DataFrame:
        """The rows without a code (see ``problems``)."""
        return self.problems

    def summary(self) -> str:
        """Lines for the command line: counts, then each row without a code (first 20)."""
        counts = "，".join(f"{m} {n}" for m, n in self.methods.items())
        lines = [f"已写出 / written: {self.output}",
                 f"{self.rows} 行 / rows：{counts}"]
        for record in self.problems.head(_SHOW).itertuples(index=False):
            zh, en = _PROBLEM[record.method]
            detail = record.candidates if pd.notna(record.candidates) else record.note
            text = f"  第 {record.row} 行 (row {record.row}) “{record.name}”：{zh} / {en}"
            lines.append(text + (f" — {detail}" if pd.notna(detail) else ""))
        more = len(self.problems) - _SHOW
        if more > 0:
            lines.append(f"  … 另有 {more} 行未得到代码，见输出文件的 region_match 列 / "
                         f"{more} more rows without a code: see the output's region_match")
        return "\n".join(lines)


def _default_output(path: Path) -> Path:
    return Path.cwd() / f"{path.stem}_coded{path.suffix if path.suffix == '.xlsx' else '.csv'}"


def code_file(
    path: str | PathLike[str],
    *,
    province: str | None = None,
    prefecture: str | None = None,
    county: str | None = None,
    vintage: int | str | None = None,
    sheet: str | int | None = None,
    out: str | PathLike[str] | None = None,
    overwrite: bool = False,
) -> CodedFile:
    """Add ``region_code`` to a CSV/Excel/Stata file of place names (文件加区划代码).

    Parameters
    ----------
    path : path-like
        The input file (read by :func:`linkage.readers.read_table`).
    province, prefecture, county : str, optional
        Column names of the place names (as in :func:`~linkage.places.resolve_codes`).
    vintage : int or str, optional
        A year or the name of a year column.
    sheet : str or int, optional
        Excel worksheet.
    out : path-like, optional
        ``.csv`` (UTF-8 with BOM, opens in Excel) or ``.xlsx`` (strings stored as text); default
        ``<name>_coded.csv`` (``.xlsx`` for an .xlsx input) in the current folder.
    overwrite : bool, default False
        Replace an existing output.

    Returns
    -------
    CodedFile

    Raises
    ------
    linkage.errors.InputError
        Unreadable input, missing columns, an input that already has ``region_code`` or
        ``region_match``; :class:`~linkage.errors.OutputError` for an output inside
        ``data/raw``, over the input, of another type, or existing without ``overwrite``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "y.csv").write_text("省份,产值\\n北  京,1\\n全 国,2\\n", encoding="utf-8")
    >>> result = code_file(folder / "y.csv", province="省份", out=folder / "y_coded.csv")
    >>> pd.read_csv(result.output, dtype=str)["region_code"].tolist()
    ['110000', '000000']
    """
    from linkage.readers import read_table

    source = Path(path)
    target = check_output_target(out if out is not None else _default_output(source))
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise OutputError(f"输出应为 .csv 或 .xlsx（现为 {target.name}）/ output must be .csv "
                          "or .xlsx", file=target, hint="例如 -o 结果.csv")
    if source.exists() and target.exists() and target.resolve() == source.resolve():
        raise OutputError("输出不能覆盖输入文件 / the output would replace the input",
                          file=target, hint="用 -o 另取文件名 / name another output")
    if target.exists() and not overwrite:
        raise OutputError("输出文件已存在，未加 --force / output exists", file=target,
                          hint="确认替换时加 --force / add --force to replace it")
    table = read_table(source, sheet=sheet)
    for column in ("region_code", "region_match"):
        if column in table.columns:
            raise InputError(f"文件已有列 “{column}” / the file already has a {column} column",
                             file=source, column=column,
                             hint="改名或删去该列后再运行 / rename or remove it first")
    try:
        codes = resolve_codes(table, province=province, prefecture=prefecture, county=county,
                              vintage=vintage)
    except InputError as exc:
        raise InputError(exc.problem, file=source, row=exc.row, column=exc.column,
                         hint=exc.hint) from exc
    coded = table.assign(region_code=codes["region_code"], region_match=codes["method"])
    with atomic_path(target, overwrite=overwrite) as tmp:
        if target.suffix.lower() == ".xlsx":
            from linkage.reporting.metrics import _write_xlsx

            _write_xlsx(coded, Path(tmp), "区划代码")
        else:
            coded.to_csv(tmp, index=False, encoding="utf-8-sig")
    given = [c for c in (province, prefecture, county) if c is not None]
    names = pd.Series("", index=table.index, dtype="string")
    for column in given:
        part = table[column].astype("string").str.strip().fillna("")
        joined = names.where(names.eq(""), names + " / ") + part
        names = joined.where(part.ne(""), names)
    bad = codes["method"].isin(list(_PROBLEM))
    problems = pd.DataFrame({"row": table.index[bad], "name": names[bad].to_numpy(),
                             "method": codes.loc[bad, "method"].to_numpy(),
                             "candidates": codes.loc[bad, "candidates"].to_numpy(),
                             "note": codes.loc[bad, "note"].to_numpy()})
    return CodedFile(output=target, rows=len(table),
                     methods=codes["method"].value_counts().reindex(METHODS).dropna()
                     .astype(int), problems=problems)

"""Column mappings (列名映射): from the headings in a file to the kit's column names.

A mapping is a dict ``{file heading: target column}`` or a file holding one: YAML (a
top-level mapping) or CSV/Excel with two columns (file heading, target column). Headings are
matched by :func:`heading_key` — the one rule the kit uses everywhere (:func:`read_table`'s
``mapping=`` as :func:`linkage.ingest.ingest`'s): equal up to full-width/half-width forms
(NFKC: "（元）" vs "(元)"), spaces anywhere (padding such as ``省  份`` = ``省份``) and case. A
heading written exactly as the key wins; otherwise one heading with the same key is accepted.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from linkage.errors import InputError
from linkage.readers.cells import normalise_heading

__all__ = ["apply_mapping", "count_matches", "heading_key", "load_mapping"]

MappingSpec = Mapping[str, str] | str | PathLike[str]


def heading_key(heading: object) -> str:
    """Key by which a column heading is matched (列名比较键): NFKC-folded (full-width → half-width),
    every space removed (also inner padding: ``省  份`` → ``省份``), case folded.

    Parameters
    ----------
    heading : object
        A heading as read, or a mapping key.

    Returns
    -------
    str

    Examples
    --------
    >>> heading_key("省  份") == heading_key("省份")
    True
    >>> heading_key("收入（元）") == heading_key("收入(元)")
    True
    """
    return "".join(unicodedata.normalize("NFKC", str(heading)).split()).casefold()


def load_mapping(mapping: MappingSpec, *, file: Path) -> dict[str, str]:
    """Read a mapping given as a dict or a YAML/CSV/Excel file; keys normalised.

    Parameters
    ----------
    mapping : dict or path
        ``{file heading: target}``, or a path to a ``.yaml``/``.yml`` file (a top-level
        mapping) or a ``.csv``/``.xlsx`` file (first column file heading, second column target).
    file : pathlib.Path
        The data file the mapping is for (named in errors about a dict mapping).

    Returns
    -------
    dict
        Normalised heading → target, in the given order.

    Examples
    --------
    >>> load_mapping({" 地区 ": "region_name"}, file=Path("x.csv"))
    {'地区': 'region_name'}
    """
    source = file
    if isinstance(mapping, Mapping):
        pairs = list(mapping.items())
    else:
        source = Path(mapping)
        pairs = _read_mapping_file(source)
    result: dict[str, str] = {}
    for key, target in pairs:
        if not isinstance(target, str) or not target.strip() or not normalise_heading(key):
            raise InputError(
                f"列名映射中 {key!r}: {target!r} 无效：两边都应是非空文字 / "
                "mapping entries must be non-empty text",
                file=source,
            )
        result[normalise_heading(key)] = target.strip()
    targets = pd.Series(list(result.values()))
    repeated = sorted(set(targets[targets.duplicated()]))
    if repeated:
        raise InputError(
            f"列名映射中多个列映射到同一目标列：{', '.join(repeated)} / duplicate targets",
            file=source,
            hint="每个目标列只能对应文件中的一列",
        )
    return result


def _read_mapping_file(path: Path) -> list[tuple[object, object]]:
    if not path.is_file():
        raise InputError("找不到列名映射文件 / mapping file not found", file=path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        from ruamel.yaml import YAML, YAMLError

        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (YAMLError, UnicodeDecodeError) as exc:
            raise InputError(
                f"列名映射 YAML 无法解析：{exc} / invalid YAML", file=path, hint="文件应为 UTF-8"
            ) from exc
        if not isinstance(data, dict):
            raise InputError(
                "列名映射 YAML 的顶层应是“文件列名: 目标列名”的映射 / top level must be a mapping",
                file=path,
            )
        return [(k, v) for k, v in data.items()]
    from linkage.readers.table import read_table

    table = read_table(path)
    if table.shape[1] < 2:
        raise InputError(
            "列名映射表应有两列：文件列名、目标列名 / mapping table needs two columns", file=path
        )
    return list(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))


def _resolve(key: str, headings: list[str]) -> str | None:
    if key in headings:
        return key
    same = [h for h in headings if heading_key(h) == heading_key(key)]
    return same[0] if len(same) == 1 else None


def count_matches(keys: list[str], headings: list[str]) -> int:
    """How many mapping keys are found among ``headings``."""
    return sum(_resolve(key, headings) is not None for key in keys)


def apply_mapping(frame: pd.DataFrame, mapping: dict[str, str], *, file: Path) -> pd.DataFrame:
    """Keep the mapped columns of ``frame``, renamed to their targets, in mapping order.

    Raises
    ------
    InputError
        Naming the file, every heading of the mapping missing from the file and, for each,
        the closest headings found (difflib).
    """
    headings = [str(h) for h in frame.columns]
    found = {key: _resolve(key, headings) for key in mapping}
    missing = [key for key, heading in found.items() if heading is None]
    if missing:
        advice = "; ".join(
            f"“{key}” 最接近的列名：{'、'.join(close) or '（无）'}"
            for key in missing
            for close in [difflib.get_close_matches(key, headings, n=3, cutoff=0.3)]
        )
        raise InputError(
            f"文件中找不到映射所需的列 {'、'.join(missing)} / mapped heading not found",
            file=file,
            column=missing[0],
            hint=f"{advice}。文件中的列名：{'、'.join(headings)}；请修改映射或 header_rows=",
        )
    selected = frame.loc[:, [found[key] for key in mapping]]
    selected.columns = list(mapping.values())
    return selected

"""Run configs (运行配置): what a batch of region reports reads, covers and writes.

A run config is a YAML file (``configs/sample.yaml`` is the documented example)::

    data:                      # inputs; empty = the bundled simulated sample
      panel: ""                # county-year panel (.csv/.xlsx/.parquet)
      counties: ""             # county attributes (region_code, region_name, prefecture_code …)
      households: ""           # household monitoring panel (.parquet)
      framework: ""            # indicator framework YAML (empty: the default framework)
    regions: all counties      # see below
    years: {start: 2015, end: 2025}
    sections:                  # report chapters, in this order, with their options
      overview: {}
      national: {}             # 真实数据：31 省农村收入与 832 县退出 / real provincial data
      linkage: {weighting: entropy}
      consolidation: {}
      extension: {}
      policy_effects: {}
      policy_synergy: {}       # 政策协同：目标、工具与成效 / policy synergy (policy_corpus …)
    language: zh               # zh 中文 | en English
    formats: [html, docx]      # html, docx, pdf
    cover: {title: …, organisation: …, author: …}
    executor: {name: local, workers: 1, scheduler: ""}
    timeout: 1200              # seconds per notebook cell (0: no limit)
    retries: 1                 # extra attempts for a region that failed for a non-input reason
    out: reports               # parent folder of the run folders

``regions`` is one item or a list of items, each a 6-digit region code (a county or a
prefecture ``xxxx00``, written in quotes so YAML keeps leading zeros), ``province`` (the whole
province), ``all counties``, ``all prefectures``, ``all counties of prefecture 990100``, or
``all`` (the province, every prefecture and every county). Which codes exist is known only from
the data: :func:`resolve_regions` expands the items against the county table.

Every problem is an :class:`~linkage.errors.InputError` (exit code 2) naming the file, the line
and the key (``sections.linkage.weighting``) and what to write instead. Relative paths are
relative to the folder ``linkage`` runs in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from linkage.errors import InputError
from linkage.labels import Language

__all__ = [
    "FORMATS",
    "REGION_WORDS",
    "SECTION_KEYS",
    "SECTION_NOTEBOOKS",
    "Region",
    "RunConfig",
    "load_config",
    "parse_config",
    "resolve_regions",
]

#: Report sections, in chapter order. The real-data chapter (``national``) follows the data
#: overview: the reader meets the real provincial picture, and the methods on real numbers,
#: before the analyses of the simulated or the user's province. The policy-synergy chapter
#: (``policy_synergy``) comes last: it reads the policies against the outcomes the chapters
#: before it measured.
SECTION_KEYS: tuple[str, ...] = ("overview", "national", "linkage", "consolidation",
                                 "extension", "policy_effects", "policy_synergy")

#: The notebook number of each section (``notebooks/NN_*.ipynb``). Numbers are not the chapter
#: order, so a new chapter never renames the notebooks users already know (the policy-synergy
#: chapter is ``06_policy_synergy``, the last chapter; the real-data one ``07_national``).
SECTION_NOTEBOOKS: dict[str, int] = {"overview": 1, "linkage": 2, "consolidation": 3,
                                     "extension": 4, "policy_effects": 5,
                                     "policy_synergy": 6, "national": 7}

#: Output formats of a region report.
FORMATS: tuple[str, ...] = ("html", "docx", "pdf")

#: Region words of ``regions`` besides codes.
REGION_WORDS: tuple[str, ...] = ("province", "all", "all counties", "all prefectures",
                                 "all counties of prefecture <code>")

DEFAULT_TITLE = {"zh": "巩固拓展脱贫攻坚成果同乡村振兴有效衔接研究报告",
                 "en": "Consolidating poverty-alleviation achievements and linking them with "
                       "rural revitalization"}

_CODE = re.compile(r"\d{6}")
_OF_PREFECTURE = re.compile(r"all counties of prefecture\s+(\S+)")
_TOP_KEYS = ("data", "regions", "years", "sections", "language", "formats", "cover", "executor",
             "timeout", "retries", "out")
_DATA_KEYS = ("panel", "counties", "households", "framework")
_COVER_KEYS = ("title", "organisation", "author")
_EXECUTOR_KEYS = ("name", "workers", "scheduler")


@dataclass(frozen=True)
class RunConfig:
    """A validated run config (all fields plain values; see the module docstring).

    ``regions`` holds the items as written (codes and region words); ``sections`` maps each
    section key, in chapter order, to its options. ``source`` is the YAML file and ``lines``
    maps dotted keys (``sections.linkage.weighting``) to their 1-based line, so later checks
    (against the notebooks, against the data) can point at the line too.
    """

    panel: str = ""
    counties: str = ""
    households: str = ""
    framework: str = ""
    regions: tuple[str, ...] = ("all counties",)
    start_year: int = 2015
    end_year: int = 2025
    sections: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: {k: {} for k in SECTION_KEYS})
    language: Language = "zh"
    formats: tuple[str, ...] = ("html", "docx")
    title: str = ""
    organisation: str = ""
    author: str = ""
    executor: str = "local"
    workers: int = 1
    scheduler: str = ""
    timeout: float = 1200.0
    retries: int = 1
    out: str = ""
    source: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def cover_title(self) -> str:
        return self.title or DEFAULT_TITLE["zh" if self.language == "zh" else "en"]

    def error(self, key: str, problem: str, hint: str | None = None) -> InputError:
        """An InputError about ``key`` of this config, at its line when known."""
        return _error(self.source, self.lines.get(key), key, problem, hint)

    def to_json(self) -> dict[str, Any]:
        """The config as plain data (stored in every run's ``run.json``)."""
        return {"data": {k: getattr(self, k) for k in _DATA_KEYS},
                "regions": list(self.regions),
                "years": {"start": self.start_year, "end": self.end_year},
                "sections": {k: dict(v) for k, v in self.sections.items()},
                "language": self.language, "formats": list(self.formats),
                "cover": {"title": self.title, "organisation": self.organisation,
                          "author": self.author},
                "executor": {"name": self.executor, "workers": self.workers,
                             "scheduler": self.scheduler},
                "timeout": self.timeout, "retries": self.retries, "out": self.out}

    @classmethod
    def from_json(cls, record: Mapping[str, Any]) -> RunConfig:
        """Inverse of :meth:`to_json` (validated again)."""
        from ruamel.yaml import YAML

        buffer = io.StringIO()
        YAML().dump(dict(record), buffer)
        return parse_config(buffer.getvalue())

    def with_overrides(self, **changes: Any) -> RunConfig:
        """A copy with command-line overrides (``None`` values are ignored); an overridden
        key no longer has a line in the file, so its problems are not placed there."""
        changes = {k: v for k, v in changes.items() if v is not None}
        lines = {k: n for k, n in self.lines.items()
                 if re.split(r"[.\[]", k, maxsplit=1)[0] not in changes}
        return replace(self, **changes, lines=lines)


def _error(source: Path | None, line: int | None, key: str, problem: str,
           hint: str | None = None) -> InputError:
    return InputError(f"运行配置的 {key}：{problem}", file=source, row=line,
                      hint=hint or "参照 configs/sample.yaml 与 README 的“运行配置”一节修改")


def load_config(path: str | Path) -> RunConfig:
    """Read and validate a run config file.

    Raises
    ------
    InputError
        The file is missing or unreadable, is not valid YAML, or breaks a rule; the message
        names the line and the key.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("找不到运行配置文件 / run config not found", file=path,
                         hint="例如 linkage run configs/sample.yaml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取运行配置（须为 UTF-8 文本）：{type(exc).__name__}",
                         file=path, hint="用 UTF-8 编码保存该 YAML 文件") from exc
    return parse_config(text, source=path)


def parse_config(text: str, *, source: Path | None = None) -> RunConfig:
    """Validate the YAML text of a run config (see :func:`load_config`)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from linkage.frameworks.loader import _syntax_error

    try:
        root = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        error = _syntax_error(exc, text, source or Path("<config>"))
        raise InputError(error.problem, file=source, row=error.row, hint=error.hint) from exc
    except YAMLError as exc:
        raise InputError(f"YAML 语法错误 / YAML syntax error: {exc}", file=source) from exc
    if root is None:
        root = CommentedMap()
    return _Reader(source).config(root)


class _Reader:
    """Walks the loaded YAML, raising on the first problem with its line and key."""

    def __init__(self, source: Path | None) -> None:
        self.source = source
        self.lines: dict[str, int] = {}

    # ---- helpers -----------------------------------------------------------------------
    def line(self, parent: Any, key: str | int, dotted: str) -> int | None:
        from linkage.frameworks.loader import _line_of

        line = _line_of(parent, key)
        if line is not None:
            self.lines[dotted] = line
        return line

    def fail(self, parent: Any, key: str | int, dotted: str, problem: str,
             hint: str | None = None) -> InputError:
        return _error(self.source, self.line(parent, key, dotted), dotted, problem, hint)

    def mapping(self, parent: Any, key: str, dotted: str, allowed: Sequence[str] | None,
                ) -> dict[str, Any]:
        from ruamel.yaml.comments import CommentedMap

        from linkage.frameworks.loader import _kind

        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, CommentedMap):
            raise self.fail(parent, key, dotted,
                            f"应为键值映射，现为 {_kind(value)} / must be a mapping",
                            "在其下缩进写 `键: 值`")
        for k in value:
            self.line(value, k, f"{dotted}.{k}")
            if allowed is not None and k not in allowed:
                raise self.fail(value, k, f"{dotted}.{k}",
                                f"未知的键 “{k}” / unknown key",
                                f"可用的键 / allowed: {', '.join(allowed)}")
        return value

    def text(self, parent: Any, key: str, dotted: str, default: str = "") -> str:
        from linkage.frameworks.loader import _kind

        value = parent.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(parent, key, dotted, f"应为文本，现为 {_kind(value)} / must be text")
        return str(value)

    def integer(self, parent: Any, key: str, dotted: str, default: int, *, low: int,
                high: int | None = None) -> int:
        value = parent.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(parent, key, dotted, f"应为整数，现为 {value!r} / must be an integer")
        if value < low or (high is not None and value > high):
            upper = f"—{high}" if high is not None else " 以上"
            raise self.fail(parent, key, dotted,
                            f"应在 {low}{upper} 之间，现为 {value} / out of range")
        return value

    def choice(self, parent: Any, key: str, dotted: str, default: str,
               choices: Sequence[str]) -> str:
        value = self.text(parent, key, dotted, default)
        if value not in choices:
            raise self.fail(parent, key, dotted, f"不能是 “{value}” / invalid value",
                            f"可选 / choose one of: {', '.join(choices)}")
        return value

    def items(self, parent: Any, key: str, dotted: str) -> list[tuple[Any, int | str, Any]]:
        """A scalar or a list as ``(container, index, value)`` triples."""
        from ruamel.yaml.comments import CommentedSeq

        value = parent.get(key)
        if isinstance(value, CommentedSeq):
            for i in range(len(value)):
                self.line(value, i, f"{dotted}[{i}]")
            return [(value, i, v) for i, v in enumerate(value)]
        return [(parent, key, value)]

    # ---- the config --------------------------------------------------------------------
    def config(self, root: Any) -> RunConfig:
        from ruamel.yaml.comments import CommentedMap

        from linkage.frameworks.loader import _kind

        if not isinstance(root, CommentedMap):
            raise _error(self.source, 1, "(根 / top level)",
                         f"运行配置应为键值映射，现为 {_kind(root)} / must be a mapping")
        for k in root:
            self.line(root, k, str(k))
            if k not in _TOP_KEYS:
                raise self.fail(root, k, str(k), f"未知的键 “{k}” / unknown key",
                                f"可用的键 / allowed: {', '.join(_TOP_KEYS)}")
        data = self.mapping(root, "data", "data", _DATA_KEYS)
        inputs = {k: self.text(data, k, f"data.{k}") for k in _DATA_KEYS}
        years = self.mapping(root, "years", "years", ("start", "end"))
        start = self.integer(years, "start", "years.start", 2015, low=1978, high=2100)
        end = self.integer(years, "end", "years.end", 2025, low=1978, high=2100)
        if start > end:
            raise self.fail(years, "start", "years.start",
                            f"起始年 {start} 晚于截止年 {end} / start after end")
        language = self.choice(root, "language", "language", "zh", ("zh", "en"))
        formats = self.formats(root)
        cover = self.mapping(root, "cover", "cover", _COVER_KEYS)
        executor = self.mapping(root, "executor", "executor", _EXECUTOR_KEYS)
        from linkage.reporting.executors import EXECUTORS

        timeout = root.get("timeout", 1200)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout < 0:
            raise self.fail(root, "timeout", "timeout",
                            f"应为不小于 0 的秒数，现为 {timeout!r} / seconds ≥ 0 (0: no limit)")
        return RunConfig(
            **inputs,
            regions=self.regions(root),
            start_year=start, end_year=end,
            sections=self.sections(root),
            language=language,  # type: ignore[arg-type]
            formats=formats,
            **{k: self.text(cover, k, f"cover.{k}") for k in _COVER_KEYS},
            executor=self.choice(executor, "name", "executor.name", "local", tuple(EXECUTORS)),
            workers=self.integer(executor, "workers", "executor.workers", 1, low=1, high=512),
            scheduler=self.text(executor, "scheduler", "executor.scheduler"),
            timeout=float(timeout),
            retries=self.integer(root, "retries", "retries", 1, low=0, high=10),
            out=self.text(root, "out", "out"),
            source=self.source,
            lines=dict(self.lines),
        )

    def formats(self, root: Any) -> tuple[str, ...]:
        if "formats" not in root:
            return ("html", "docx")
        out: list[str] = []
        for container, index, value in self.items(root, "formats", "formats"):
            dotted = f"formats[{index}]" if isinstance(index, int) else "formats"
            if value not in FORMATS:
                raise self.fail(container, index, dotted, f"未知的格式 {value!r} / unknown format",
                                f"可选 / choose from: {', '.join(FORMATS)}")
            if value not in out:
                out.append(value)
        if not out:
            raise self.fail(root, "formats", "formats", "至少需要一种格式 / at least one format")
        return tuple(out)

    def regions(self, root: Any) -> tuple[str, ...]:
        if "regions" not in root:
            return ("all counties",)
        out: list[str] = []
        for container, index, value in self.items(root, "regions", "regions"):
            dotted = f"regions[{index}]" if isinstance(index, int) else "regions"
            item = _region_item(value)
            if item is None:
                raise self.fail(
                    container, index, dotted, f"无法识别的地区 {value!r} / unknown region item",
                    "写 6 位区划代码（加引号，如 \"990102\"）或 province、all、all counties、"
                    "all prefectures、all counties of prefecture 990100")
            if item not in out:
                out.append(item)
        if not out:
            raise self.fail(root, "regions", "regions", "没有列出地区 / no regions listed")
        return tuple(out)

    def sections(self, root: Any) -> dict[str, dict[str, Any]]:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        value = root.get("sections")
        if "sections" not in root:
            return {k: {} for k in SECTION_KEYS}
        if isinstance(value, CommentedSeq):  # a plain list of keys: default options
            chosen = {}
            for container, index, key in self.items(root, "sections", "sections"):
                self.section_key(container, index, f"sections[{index}]", key)
                chosen[str(key)] = {}
        elif isinstance(value, CommentedMap):
            chosen = {}
            for key in value:
                self.section_key(value, key, f"sections.{key}", key)
                options = self.mapping(value, key, f"sections.{key}", None)
                chosen[str(key)] = {str(k): _plain(v) for k, v in options.items()}
        else:
            raise self.fail(root, "sections", "sections",
                            "应为章节列表或“章节: 选项”映射 / must be a list or a mapping",
                            f"章节 / sections: {', '.join(SECTION_KEYS)}")
        if not chosen:
            raise self.fail(root, "sections", "sections", "没有列出章节 / no sections listed")
        return chosen

    def section_key(self, container: Any, index: Any, dotted: str, key: Any) -> None:
        if key not in SECTION_KEYS:
            raise self.fail(container, index, dotted, f"未知的章节 “{key}” / unknown section",
                            f"可选 / choose from: {', '.join(SECTION_KEYS)}")


def _plain(value: Any) -> Any:
    """ruamel's round-trip scalars and containers as plain Python values."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [_plain(v) for v in value]
    return value


def _region_item(value: Any) -> str | None:
    """A region item in its canonical spelling, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):  # an unquoted code: fine if it still has 6 digits
        value = str(value)
    text = " ".join(str(value).split()).lower() if not _CODE.fullmatch(str(value)) else str(value)
    if _CODE.fullmatch(text) or text in ("province", "all", "all counties", "all prefectures"):
        return text
    found = _OF_PREFECTURE.fullmatch(text)
    if found and _CODE.fullmatch(found.group(1)) and found.group(1).endswith("00"):
        return f"all counties of prefecture {found.group(1)}"
    return None


# ------------------------------------------------------------------------------ regions ----

@dataclass(frozen=True)
class Region:
    """One report region: its code (``""`` for the province), name from the data, level."""

    code: str
    name: str
    level: str  # "province" | "prefecture" | "county"
    found: bool = True  # False: the code is not in the data (its report fails, alone)

    @property
    def folder(self) -> str:
        """Its folder name in a run (the code; ``province`` for the province)."""
        return self.code or "province"


def _absent_region(config: RunConfig, index: int, code: str) -> Region:
    """A code not in the data: kept (its report fails alone) if it is a real 民政部 code of
    some year or an NBS functional unit (xx7x); any other code is a config error."""
    import pandas as pd

    from linkage.places import is_nbs_functional_code, is_real_code

    codes = pd.Series([code])
    if not (is_real_code(codes).iloc[0] or is_nbs_functional_code(codes).iloc[0]):
        key = f"regions[{index}]" if f"regions[{index}]" in config.lines else "regions"
        raise config.error(key, f"{code} 不是民政部行政区划代码（2014—2024 年任一年）/ not a "
                                "民政部 region code of any year 2014–2024",
                           "检查代码是否抄错；地名可用 linkage places 转为代码（--regions 同样"
                           "适用）/ check the code; linkage places turns names into codes")
    return Region(code, code, "prefecture" if code.endswith("00") else "county", found=False)


def resolve_regions(config: RunConfig, counties: Any) -> list[Region]:
    """Expand the config's region items against the county table (地区展开).

    Parameters
    ----------
    config : RunConfig
    counties : DataFrame
        The county table (``region_code``, ``region_name``, ``prefecture_code``,
        ``prefecture_name``), indexed by ``region_code`` or with that column.

    Returns
    -------
    list of Region
        In the order written, each once. A code not in the data is kept (named by its code,
        ``found=False``) so that its region report fails on its own and the others still run
        — if it is a real code: a 民政部 code of any year 2014–2024 (``linkage.places``), or an
        NBS 统计用区划代码 functional unit (xx7x).

    Raises
    ------
    InputError
        A 6-digit code that is neither in the data nor a real code (a typo), at its line.
        ``all counties of prefecture X`` where X has no county in the data (at its line).
    """
    table = counties.reset_index() if "region_code" not in counties.columns else counties
    table = table.astype({"region_code": str, "prefecture_code": str})
    names = dict(zip(table["region_code"], table["region_name"].astype(str), strict=True))
    prefectures = (table.drop_duplicates("prefecture_code")
                   .set_index("prefecture_code")["prefecture_name"].astype(str).to_dict())
    province = "全省" if config.language == "zh" else "Province"
    out: list[Region] = []

    def county(code: str) -> Region:
        return Region(code, names[code], "county")

    for index, item in enumerate(config.regions):
        if item in ("province", "all"):
            out.append(Region("", province, "province"))
        if item in ("all prefectures", "all"):
            out.extend(Region(code, name, "prefecture") for code, name in prefectures.items())
        if item in ("all counties", "all"):
            out.extend(county(code) for code in table["region_code"])
        found = _OF_PREFECTURE.fullmatch(item)
        if found:
            code = found.group(1)
            members = table.loc[table["prefecture_code"] == code, "region_code"]
            if members.empty:
                key = f"regions[{index}]" if f"regions[{index}]" in config.lines else "regions"
                raise config.error(key, f"地级市 {code} 在县属性表中没有县 / no counties of "
                                        f"prefecture {code} in the data",
                                   f"可用的地级市 / prefectures: {', '.join(prefectures)}")
            out.extend(county(c) for c in members)
        if _CODE.fullmatch(item):
            if item in names:
                out.append(county(item))
            elif item in prefectures:
                out.append(Region(item, prefectures[item], "prefecture"))
            else:
                out.append(_absent_region(config, index, item))
    seen: set[str] = set()
    unique = []
    for region in out:
        if region.code not in seen:
            seen.add(region.code)
            unique.append(region)
    return unique

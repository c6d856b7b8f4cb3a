"""Load and validate indicator frameworks from YAML (指标体系加载与校验).

Format (see also ``src/linkage/frameworks/README.md``)::

    id: my_framework            # snake_case                       (required)
    version: "1.0"              # a string: quote it                (required)
    name: {zh: 我的指标体系, en: My framework}                     (required)
    description: free text                                           (optional)
    references: [free text, ...]                                     (optional)
    subsystems:                                                      (required, non-empty)
      - id: revitalization      # every node: id, name, optional weight and description,
        name: {zh: 乡村振兴, en: Rural revitalization}
        weight: 0.5             # and exactly one of `children` (inner nodes) or
        children:               # `indicators` (which makes the node a dimension)
          - id: industry
            name: {zh: 产业兴旺, en: Thriving industry}
            indicators:
              - id: grain_output_pc                                 (required)
                name: {zh: 人均粮食产量, en: Grain output per capita} (required)
                unit: 千克/人                                        (required)
                direction: +1   # +1 正向 or -1 负向                  (required)
                stage: outcome  # input 投入 / output 产出 / outcome 成效 (required)
                eligible: poverty_county  # county attribute where it applies (optional)
                range: [0, null]  # possible values, inclusive; null = open (optional)
                definition: 粮食总产量/常住人口                       (required)
                source: 统计年鉴                                      (required)
                reference: 文献/规划出处                              (optional)
                weight: 1.0                                          (optional)

Levels are given by position: a node with ``indicators`` is a *dimension*; it must sit directly
under a subsystem (subsystem → dimension → indicator) or two levels below it, which are then a
*layer* and a *function* (subsystem → layer → function → dimension → indicator).

Rules checked (all problems are collected and reported together, each with its YAML line and key):

- unknown keys, missing required keys, wrong types, empty strings;
- ids are ASCII snake_case (``^[a-z][a-z0-9]*(_[a-z0-9]+)*$``); indicator ids are unique in
  the framework, dimension ids are unique in the framework, other node ids among siblings;
- ``direction`` is strictly ``+1`` or ``-1``: the YAML integers ``+1``/``1``/``-1`` or the quoted
  strings ``"+1"``/``"-1"``; anything else (``+``, ``正向``, ``1.0``, ``true``) is rejected with a
  hint;
- ``stage`` is one of ``input`` (投入: funds, staff, assisting organisations), ``output``
  (产出: facilities built or reaching people, people trained or enrolled, plans and measures in
  place) or ``outcome`` (成效: incomes, poverty and risk, employment, health/education/housing
  status, economic structure, environment); ``eligible``, when given, is a snake_case county
  attribute name (a boolean column of ``counties.csv`` such as ``poverty_county``);
- ``range``, when given, is ``[low, high]`` with numbers or ``null`` (open side), low < high;
  a ``%`` (``‰``) indicator may not declare an upper end of 1 or less (a 0–1 share is declared
  with a unit such as ``比例``, not ``%``). Data outside the range are errors when validated
  (:mod:`linkage.schemas`); an indicator without ``range`` has no bound;
- every dimension has at least one indicator, every inner node at least one child;
- ``weight``: a number in [0, 1]; siblings either all have one, summing to 1 (±1e-6), or none;
- no column heading (id, 中文名, English name, 中文名(单位), 中文名（单位）) may name two
  indicators.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from linkage.errors import FrameworkError
from linkage.frameworks.framework import STAGES, Framework, Indicator, Node

__all__ = ["PACKAGE_FRAMEWORKS", "WEIGHT_TOLERANCE", "list_frameworks", "load_framework"]

#: Folder of the packaged framework YAML files.
PACKAGE_FRAMEWORKS = Path(__file__).resolve().parent

#: Allowed deviation of a sibling weight sum from 1.
WEIGHT_TOLERANCE = 1e-6

#: Problems listed in full in the error message; the rest are counted.
MAX_LISTED = 5

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_TOP_KEYS = {"id": True, "version": True, "name": True, "description": False,
             "references": False, "subsystems": True}
_NODE_KEYS = {"id": True, "name": True, "weight": False, "description": False,
              "children": False, "indicators": False}
_INDICATOR_KEYS = {"id": True, "name": True, "unit": True, "direction": True, "stage": True,
                   "eligible": False, "definition": True, "source": True, "reference": False,
                   "weight": False, "range": False}
_STAGE_WORDS = {"投入": "input", "产出": "output", "成效": "outcome", "结果": "outcome"}
_NAME_KEYS = {"zh": True, "en": True}


@dataclass(frozen=True)
class Problem:
    """One problem found in a framework file: 1-based YAML line, key, message, hint."""

    line: int | None
    key: str | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"第 {self.line} 行 (line {self.line})")
        if self.key is not None:
            where.append(f"“{self.key}”")
        text = f"{' '.join(where)}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text


def list_frameworks() -> list[str]:
    """Names of the packaged frameworks (内置指标体系), usable as ``load_framework(name)``.

    >>> "default" in list_frameworks()
    True
    """
    return sorted(p.stem for p in PACKAGE_FRAMEWORKS.glob("*.yaml"))


def load_framework(path: str | PathLike[str] | None = None) -> Framework:
    """Load and validate an indicator framework (加载指标体系) from YAML.

    Parameters
    ----------
    path : str or path-like, optional
        A YAML file, or the name of a packaged framework (see :func:`list_frameworks`).
        ``None`` loads the packaged ``default.yaml`` (the frame of 温美荣、刘万清 plus the five
        乡村振兴 dimensions).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkError
        File missing or unreadable, YAML syntax error, or any rule of the format broken (see the
        module docstring). All problems are collected; the message lists the first
        ``MAX_LISTED`` with their YAML line and key and counts the rest; ``row``/``column`` of
        the error point to the first one, and ``error.problems`` holds them all.

    Examples
    --------
    >>> fw = load_framework()
    >>> fw.id, len(fw) >= 40
    ('default', True)
    """
    file = _resolve(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FrameworkError(
            "找不到指标体系文件 / framework file not found",
            file=file,
            hint=f"check the path; packaged frameworks: {', '.join(list_frameworks())}",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(
            f"无法读取指标体系文件 / cannot read framework file: {exc}",
            file=file,
            hint="save the YAML file as UTF-8 text",
        ) from None
    return _parse(text, file)


@lru_cache(maxsize=8)
def _parse(text: str, file: Path) -> Framework:
    """The framework written in ``text`` (read from ``file``), memoised: a :class:`Framework`
    is frozen, so the same text from the same file gives the same object (sections of one
    report load the framework several times; the round-trip YAML parse that keeps line
    numbers for messages costs ~0.3 s), and an edited file is parsed again. Problems raise
    every time (exceptions are not cached)."""
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    checker = _Checker()
    framework = checker.framework(data, file)
    if checker.problems:
        raise _framework_error(checker.problems, file)
    assert framework is not None
    return framework


# --- helpers --------------------------------------------------------------------------------


def _resolve(path: str | PathLike[str] | None) -> Path:
    if path is None:
        return PACKAGE_FRAMEWORKS / "default.yaml"
    text = str(path)
    if text in list_frameworks() and not Path(text).exists():
        return PACKAGE_FRAMEWORKS / f"{text}.yaml"
    return Path(path)


def _key_at(lines: list[str], line: int | None) -> str | None:
    """The key written on a 1-based line (``  - key: value`` → ``key``), if any."""
    if line is None or not 0 < line <= len(lines):
        return None
    return lines[line - 1].strip().removeprefix("- ").split(":", 1)[0].strip() or None


def _syntax_error(exc: MarkedYAMLError, text: str, file: Path) -> FrameworkError:
    lines = text.splitlines()
    mark = exc.problem_mark or exc.context_mark
    line = None if mark is None else mark.line + 1
    key = _key_at(lines, line)
    found = re.search(r'duplicate key "([^"]+)"', str(exc.problem))
    if found:
        key = found.group(1)
    problem = f"YAML 语法错误 / YAML syntax error: {exc.problem}"
    if exc.context:
        problem += f" ({exc.context})"
    if exc.context_mark is not None and exc.context_mark.line + 1 != line:
        start = exc.context_mark.line + 1
        problem += (f"; 起始于第 {start} 行 “{_key_at(lines, start)}” / started at line "
                    f"{start}")
    hint = "fix the YAML at that line (indentation, colons, brackets, quotes)"
    error = FrameworkError(problem, file=file, row=line, column=key, hint=hint)
    error.problems = (Problem(line, key, problem, hint),)
    return error


def _framework_error(problems: list[Problem], file: Path, *,
                     what: str = "指标体系") -> FrameworkError:
    """One error for every problem of a YAML file (``what``: 指标体系, 编码方案 …): the first in
    full, the next :data:`MAX_LISTED` listed, the rest counted; all in ``error.problems``."""
    first = problems[0]
    if len(problems) == 1:
        error = FrameworkError(first.message, file=file, row=first.line, column=first.key,
                               hint=first.hint)
    else:
        listed = "; ".join(f"({i}) {p}" for i, p in enumerate(problems[:MAX_LISTED], start=1))
        more = len(problems) - MAX_LISTED
        tail = f"; 另有 {more} 处问题未列出 / {more} more" if more > 0 else ""
        error = FrameworkError(
            f"{what}有 {len(problems)} 处问题 / {len(problems)} problems: {listed}{tail}",
            file=file, row=first.line, column=first.key,
            hint="逐条修改 YAML 中所列的行后重新加载 / fix each listed line of the YAML file "
                 "and load it again",
        )
    error.problems = tuple(problems)
    return error


def _line_of(container: Any, key: str | int | None = None) -> int | None:
    """1-based line of ``key`` in a mapping, item ``key`` of a sequence, or the container."""
    lc = getattr(container, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(container, CommentedMap) and key is not None:
            return lc.key(key)[0] + 1
        if isinstance(container, CommentedSeq) and isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.line + 1
    except (KeyError, IndexError, TypeError):
        return lc.line + 1 if lc.line is not None else None


def _peek_id(item: Any) -> str:
    """The ``id`` of a mapping as written, for messages ("" if there is none)."""
    return str(item.get("id", "")) if isinstance(item, CommentedMap) else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """Plain-language name of a YAML value's type, for messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if _is_number(value):
        return "number"
    for kind, name in ((dict, "mapping"), (list, "list"), (str, "text")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


@dataclass
class _Seen:
    line: int | None


class _Checker:
    """Walks the loaded YAML once, collecting problems and building the objects."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.indicators: list[Indicator] = []
        self.indicator_lines: list[int | None] = []
        self.nodes: list[Node] = []
        self.indicator_ids: dict[str, _Seen] = {}
        self.dimension_ids: dict[str, _Seen] = {}

    def add(self, line: int | None, key: str | None, message: str, hint: str | None = None
            ) -> None:
        self.problems.append(Problem(line, key, message, hint))

    # --- generic field checks ---------------------------------------------------------
    def mapping(self, value: Any, spec: dict[str, bool], *, parent: Any, key: str | int,
                what: str) -> CommentedMap | None:
        """Check that ``value`` is a mapping with the keys of ``spec`` (True = required)."""
        if not isinstance(value, CommentedMap):
            self.add(_line_of(parent, key), str(key) if isinstance(key, str) else None,
                     f"{what} 应为键值映射, 得到 {_kind(value)} / {what} must be a mapping",
                     "write `key: value` lines indented under it")
            return None
        for k in value:
            if k not in spec:
                close = difflib.get_close_matches(str(k), list(spec), n=1)
                self.add(_line_of(value, k), str(k),
                         f"{what} 中有未知的键 “{k}” / unknown key {k!r} in {what}",
                         f"did you mean “{close[0]}”?" if close
                         else f"allowed keys: {', '.join(spec)}")
        for k, required in spec.items():
            if required and k not in value:
                self.add(_line_of(value), k,
                         f"{what} 缺少必需的键 “{k}” / missing required key {k!r} in {what}",
                         f"add a `{k}:` line")
        return value

    def text(self, mapping: CommentedMap, key: str, *, what: str, required: bool = True
             ) -> str:
        if key not in mapping:
            return ""
        value = mapping[key]
        if isinstance(value, str) and value.strip():
            return str(value).strip()
        if value is None and not required:
            return ""
        self.add(_line_of(mapping, key), key,
                 f"{what} 的 “{key}” 应为非空文本, 得到 {_kind(value)} {value!r} / "
                 f"{key!r} must be non-empty text",
                 'put the text in quotes, e.g. "1.0"' if _is_number(value) else None)
        return ""

    def identifier(self, mapping: CommentedMap, *, what: str) -> str:
        ident = self.text(mapping, "id", what=what)
        if ident and not _SNAKE.match(ident):
            suggestion = re.sub(r"[^a-z0-9]+", "_", ident.lower()).strip("_")
            self.add(_line_of(mapping, "id"), "id",
                     f"{what} 的 id “{ident}” 不是 ASCII snake_case / id {ident!r} is not "
                     "ASCII snake_case",
                     "use lower-case letters, digits and single underscores, starting with a "
                     "letter" + (f", e.g. “{suggestion}”" if _SNAKE.match(suggestion) else ""))
        return ident

    def name(self, mapping: CommentedMap, *, what: str) -> tuple[str, str]:
        if "name" not in mapping:
            return "", ""
        value = self.mapping(mapping["name"], _NAME_KEYS, parent=mapping, key="name",
                             what=f"{what} 的 name")
        if value is None:
            return "", ""
        return (self.text(value, "zh", what=f"{what} 的 name"),
                self.text(value, "en", what=f"{what} 的 name"))

    def weight(self, mapping: CommentedMap, *, what: str) -> float | None:
        if "weight" not in mapping:
            return None
        value = mapping["weight"]
        if _is_number(value) and math.isfinite(value) and 0 <= value <= 1:
            return float(value)
        self.add(_line_of(mapping, "weight"), "weight",
                 f"{what} 的权重应为 0 到 1 之间的数, 得到 {value!r} / weight must be a number "
                 "in [0, 1]",
                 "write e.g. `weight: 0.25`, or remove weights from all siblings")
        return None

    def direction(self, mapping: CommentedMap, *, what: str) -> int:
        if "direction" not in mapping:
            return 0
        value = mapping["direction"]
        if _is_number(value) and isinstance(value, int) and value in (1, -1):
            return int(value)
        if isinstance(value, str) and value.strip() in ("+1", "-1"):
            return int(value.strip())
        self.add(_line_of(mapping, "direction"), "direction",
                 f"{what} 的方向应为 +1 或 -1, 得到 {value!r} / direction must be +1 or -1",
                 "write +1 for 正向 (larger is better) or -1 for 负向 (smaller is better)")
        return 0

    def stage(self, mapping: CommentedMap, *, what: str) -> str:
        if "stage" not in mapping:
            return "outcome"  # the missing key is reported by mapping(); keep building
        value = mapping["stage"]
        if isinstance(value, str) and value.strip() in STAGES:
            return value.strip()
        word = _STAGE_WORDS.get(str(value).strip()) if isinstance(value, str) else None
        self.add(_line_of(mapping, "stage"), "stage",
                 f"{what} 的性质应为 input、output 或 outcome, 得到 {value!r} / stage must be "
                 "input, output or outcome",
                 (f"write `stage: {word}`" if word else
                  "input 投入 = funds, staff, assisting organisations; output 产出 = facilities, "
                  "people trained or enrolled, plans and measures in place; outcome 成效 = "
                  "incomes, poverty, employment, health/education status"))
        return "outcome"

    def eligible(self, mapping: CommentedMap, *, what: str) -> str:
        if "eligible" not in mapping:
            return ""
        value = mapping["eligible"]
        if isinstance(value, str) and _SNAKE.match(value.strip()):
            return value.strip()
        self.add(_line_of(mapping, "eligible"), "eligible",
                 f"{what} 的适用范围应为县属性表中的一个布尔列名, 得到 {value!r} / eligible must "
                 "name a boolean column of the county table",
                 "e.g. `eligible: poverty_county` or `eligible: key_assistance`; remove the "
                 "line if the indicator applies to every county")
        return ""

    def valid_range(self, mapping: CommentedMap, unit: str, *, what: str
                    ) -> tuple[float | None, float | None]:
        if "range" not in mapping:
            return None, None
        value = mapping["range"]
        line = _line_of(mapping, "range")
        ends = list(value) if isinstance(value, CommentedSeq) else []
        if len(ends) != 2 or not all(
                e is None or (_is_number(e) and math.isfinite(e)) for e in ends):
            self.add(line, "range",
                     f"{what} 的值域应为 [下限, 上限], 得到 {value!r} / range must be "
                     "[low, high]",
                     "write e.g. `range: [0, 100]` for a rate, `range: [0, null]` for an amount "
                     "(null = no bound on that side)")
            return None, None
        low, high = (None if e is None else float(e) for e in ends)
        if low is not None and high is not None and not low < high:
            self.add(line, "range",
                     f"{what} 的值域 [{low:g}, {high:g}] 下限不小于上限 / range low must be "
                     "below high", "write `range: [low, high]` with low < high")
            return None, None
        if unit.strip() in ("%", "‰") and high is not None and high <= 1:
            self.add(line, "range",
                     f"{what} 的单位为 {unit}，值域上限却是 {high:g} / a {unit} indicator "
                     f"with upper end {high:g}",
                     "百分数写作 0–100（‰ 为 0–1000）；若数据是 0–1 的小数比例，请把 unit 改为 "
                     "比例 / declare 0–100 for %, or change the unit of a 0–1 share")
            return None, None
        return low, high

    def sibling_weights(self, seq: CommentedSeq, weights: list[float | None], *, what: str
                        ) -> None:
        given = [w for w in weights if w is not None]
        if not given:
            return
        if len(given) != len(weights):
            missing = next(i for i, w in enumerate(weights) if w is None)
            self.add(_line_of(seq, missing), "weight",
                     f"{what} 中只有部分有权重 ({len(given)}/{len(weights)}) / only some "
                     "siblings have a weight",
                     "give every sibling a weight (summing to 1) or none of them")
            return
        total = math.fsum(given)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            self.add(_line_of(seq[0], "weight"), "weight",
                     f"{what} 的权重之和为 {total:.6g}, 应为 1 / sibling weights sum to "
                     f"{total:.6g}, not 1",
                     f"adjust the weights so they add up to 1 (tolerance {WEIGHT_TOLERANCE:g})")

    def unique(self, seen: dict[str, _Seen], ident: str, line: int | None, what: str) -> None:
        if not ident:
            return
        if ident in seen:
            first = seen[ident]
            self.add(line, "id",
                     f"重复的{what} id “{ident}” (第 {first.line} 行已使用) / duplicate "
                     f"id {ident!r} (first used at line {first.line})",
                     "give each one its own id")
        else:
            seen[ident] = _Seen(line)

    def sequence(self, parent: CommentedMap, key: str, *, what: str) -> CommentedSeq | None:
        value = parent[key]
        if not isinstance(value, CommentedSeq):
            self.add(_line_of(parent, key), key,
                     f"{what} 的 “{key}” 应为列表, 得到 {_kind(value)} / {key!r} must be a list",
                     "write one `- id: ...` item per entry")
            return None
        if not value:
            self.add(_line_of(parent, key), key,
                     f"{what} 的 “{key}” 为空 / {key!r} is empty",
                     "add at least one entry, or remove the node")
            return None
        return value

    # --- tree ---------------------------------------------------------------------------
    def framework(self, data: Any, file: Path) -> Framework | None:
        if not isinstance(data, CommentedMap):
            self.add(1, None,
                     f"文件顶层应为键值映射, 得到 {_kind(data)} / the file must be a mapping "
                     "with id, version, name, subsystems",
                     "start from src/linkage/frameworks/default.yaml as a template")
            return None
        top = self.mapping(data, _TOP_KEYS, parent=None, key="", what="指标体系")
        assert top is not None
        ident = self.identifier(top, what="指标体系")
        version = self.text(top, "version", what="指标体系")
        name_zh, name_en = self.name(top, what="指标体系")
        description = self.text(top, "description", what="指标体系", required=False)
        references: tuple[str, ...] = ()
        if "references" in top:
            refs = top["references"]
            if isinstance(refs, CommentedSeq) and all(
                isinstance(r, str) and r.strip() for r in refs
            ):
                references = tuple(str(r).strip() for r in refs)
            else:
                self.add(_line_of(top, "references"), "references",
                         "references 应为非空文本的列表 / references must be a list of text",
                         "write one `- ...` line per reference")
        if "subsystems" in top:
            seq = self.sequence(top, "subsystems", what="指标体系")
            if seq is not None:
                self.children(seq, depth=0, ancestors=(), what="子系统 subsystems")
        self.check_aliases()
        if self.problems:
            return None
        return Framework(
            id=ident, version=version, name_zh=name_zh, name_en=name_en, source=file,
            indicators=tuple(self.indicators), nodes=tuple(self.nodes),
            description=description, references=references,
        )

    def children(self, seq: CommentedSeq, *, depth: int, ancestors: tuple[str, ...],
                 what: str) -> None:
        weights: list[float | None] = []
        siblings: dict[str, _Seen] = {}
        for i, item in enumerate(seq):
            weights.append(self.node(seq, i, item, depth=depth, ancestors=ancestors,
                                     siblings=siblings))
        self.sibling_weights(seq, weights, what=what)

    def node(self, seq: CommentedSeq, index: int, item: Any, *, depth: int,
             ancestors: tuple[str, ...], siblings: dict[str, _Seen]) -> float | None:
        label = "子系统" if depth == 0 else "节点"
        node = self.mapping(item, _NODE_KEYS, parent=seq, key=index,
                            what=f"{label} {_peek_id(item)}".strip())
        if node is None:
            return None
        ident = self.identifier(node, what=label)
        line = _line_of(node, "id") if "id" in node else _line_of(node)
        self.unique(siblings, ident, line, f"同级{label}")
        name_zh, name_en = self.name(node, what=f"{label} {ident}")
        weight = self.weight(node, what=f"{label} {ident}")
        description = self.text(node, "description", what=label, required=False)
        path = (*ancestors, ident)
        has_children, has_indicators = "children" in node, "indicators" in node
        if has_children == has_indicators:
            self.add(_line_of(node), "indicators" if not has_children else "children",
                     f"{label} “{ident}” 应有 children 或 indicators 之一 (且仅一个) / node "
                     "needs exactly one of `children` or `indicators`",
                     "inner nodes list `children`; dimensions list `indicators`")
            return weight
        if has_indicators:
            level = "dimension"
            if depth not in (1, 3):
                self.add(_line_of(node, "indicators"), "indicators",
                         f"维度 “{ident}” 位于第 {depth + 1} 层, 应在子系统下第 1 或第 3 层 "
                         f"/ dimension at depth {depth + 1}",
                         "use subsystem → dimension → indicator or subsystem → layer → "
                         "function → dimension → indicator")
            self.unique(self.dimension_ids, ident, line, "维度")
        else:
            level = ("subsystem", "layer", "function")[depth] if depth < 3 else "dimension"
            if depth >= 3:
                self.add(_line_of(node, "children"), "children",
                         f"节点 “{ident}” 层级过深 / tree too deep at {'/'.join(path)}",
                         "at most subsystem → layer → function → dimension → indicator")
                return weight
        self.nodes.append(Node(id=ident, name_zh=name_zh, name_en=name_en, level=level,
                               path="/".join(path), parent="/".join(ancestors), weight=weight,
                               description=description))
        if has_children:
            seq_children = self.sequence(node, "children", what=f"{label} {ident}")
            if seq_children is not None:
                self.children(seq_children, depth=depth + 1, ancestors=path,
                              what=f"“{ident}” 的下级节点")
        else:
            seq_ind = self.sequence(node, "indicators", what=f"维度 {ident}")
            if seq_ind is not None:
                weights = [self.indicator(seq_ind, i, item, path=path)
                           for i, item in enumerate(seq_ind)]
                self.sibling_weights(seq_ind, weights, what=f"维度 “{ident}” 的指标")
        return weight

    def indicator(self, seq: CommentedSeq, index: int, item: Any, *, path: tuple[str, ...]
                  ) -> float | None:
        ind = self.mapping(item, _INDICATOR_KEYS, parent=seq, key=index,
                           what=f"指标 {_peek_id(item)}".strip())
        if ind is None:
            return None
        ident = self.identifier(ind, what="指标")
        line = _line_of(ind, "id") if "id" in ind else _line_of(ind)
        self.unique(self.indicator_ids, ident, line, "指标")
        what = f"指标 {ident}"
        name_zh, name_en = self.name(ind, what=what)
        weight = self.weight(ind, what=what)
        fields = {k: self.text(ind, k, what=what)
                  for k in ("unit", "definition", "source")}
        reference = self.text(ind, "reference", what=what, required=False)
        direction = self.direction(ind, what=what)
        stage = self.stage(ind, what=what)
        eligible = self.eligible(ind, what=what)
        valid_range = self.valid_range(ind, fields["unit"], what=what)
        layer, function = (path[1], path[2]) if len(path) == 4 else ("", "")
        self.indicators.append(Indicator(
            id=ident, name_zh=name_zh, name_en=name_en, direction=direction,
            subsystem=path[0], layer=layer, function=function, dimension=path[-1],
            weight=weight, reference=reference, stage=stage, eligible=eligible,
            valid_range=valid_range, **fields,
        ))
        self.indicator_lines.append(_line_of(ind, "name") if "name" in ind else line)
        return weight

    def check_aliases(self) -> None:
        owner: dict[str, str] = {}
        for ind, line in zip(self.indicators, self.indicator_lines, strict=True):
            if not (ind.id and ind.name_zh and ind.name_en):
                continue
            for alias in dict.fromkeys(a.strip() for a in ind.aliases):
                other = owner.setdefault(alias, ind.id)
                if other != ind.id:
                    self.add(line, "name",
                             f"列名 “{alias}” 同时指向指标 {other} 和 {ind.id} / column heading "
                             f"{alias!r} would mean two indicators",
                             "give the indicators distinct Chinese and English names")

"""Coding scheme for policy documents as data (政策文本编码方案): YAML → :class:`CodingScheme`.

The packaged ``scheme.yaml`` (user-replaceable; format in its header comment) lists

* **goals** (政策目标) — exactly the dimensions of an indicator framework
  (:func:`linkage.frameworks.load_framework`), each in a group 巩固 / 拓展 / 振兴 derived from the
  framework (function ``consolidate`` → 巩固, ``extend`` → 拓展, a dimension directly under a
  subsystem → 振兴), so that policy attention can be set beside outcome progress dimension by
  dimension;
* **instruments** (政策工具) — Rothwell & Zegveld (1981) supply / environment / demand with the
  sub-types of Chinese policy-text studies (黄萃等 2011);
* **keywords** of every code, for dictionary pre-coding of Chinese text (jieba user dictionary);
* the **emphasis** scale of a code (0 未涉及, 1 提及, 2 重点);
* the **document types** (文种) and the **policy strength** (政策力度, 1–5) by administrative level
  and document type, adapted from 彭纪生、仲为国、孙文祥 (2008)::

      strength = max(floor, base[doc_type][top or other] − level_step × rank(level))

  with rank 中央 0, 省 1, 市 2, 县 3, ``top`` when one issuer matches ``top_issuers`` (党委、
  政府、人大 and their 办公厅) and ``other`` for departments only.

Validation follows :mod:`linkage.frameworks.loader`: the YAML is read round-trip (ruamel) and
every problem — unknown or missing key, wrong type, an id that is not a dimension of the
framework, a dimension without goal, a duplicate id, a strength outside 1–5, a pattern that is
not a regular expression — is collected and raised as one :class:`~linkage.errors.FrameworkError`
naming the file, the YAML line and the key.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from linkage.checks import check_option, require_columns
from linkage.errors import FrameworkError, InputError
from linkage.frameworks import Framework, load_framework
from linkage.frameworks.loader import (
    _Checker,
    _framework_error,
    _is_number,
    _kind,
    _line_of,
    _peek_id,
    _syntax_error,
)
from linkage.labels import Language, is_zh

__all__ = [
    "DEFAULT_SCHEME",
    "EMPHASIS_VALUES",
    "GOAL_GROUPS",
    "INSTRUMENT_CATEGORIES",
    "ISSUER_SEPARATORS",
    "LEVELS",
    "Code",
    "CodeKind",
    "CodingScheme",
    "DocType",
    "StrengthRule",
    "issuer_list",
    "load_scheme",
]

#: The packaged coding scheme.
DEFAULT_SCHEME = Path(__file__).resolve().parent / "scheme.yaml"

#: Administrative levels of a policy document, from the top (contract of the corpus).
LEVELS: tuple[str, ...] = ("中央", "省", "市", "县")

#: Goal groups: consolidate, extend (the 脱贫成果 functions) and the five 振兴 dimensions.
GOAL_GROUPS: tuple[str, ...] = ("巩固", "拓展", "振兴")

#: Instrument categories of Rothwell & Zegveld (1981) → Chinese and English labels.
INSTRUMENT_CATEGORIES: dict[str, tuple[str, str]] = {
    "supply": ("供给型", "Supply-side"),
    "environment": ("环境型", "Environment-side"),
    "demand": ("需求型", "Demand-side"),
}

#: The values a code may take (0 未涉及, 1 提及, 2 重点).
EMPHASIS_VALUES: tuple[int, ...] = (0, 1, 2)

#: Separators between issuing bodies in the ``issuers`` column (joint issuance).
ISSUER_SEPARATORS = r"\s*[；;、]\s*"

CodeKind = Literal["goal", "instrument"]

_GROUP_EN = {"巩固": "Consolidate", "拓展": "Extend", "振兴": "Revitalize"}
_FUNCTION_GROUP = {"consolidate": "巩固", "extend": "拓展"}
_KIND_LABEL = {"goal": ("目标", "Goal"), "instrument": ("工具", "Instrument")}
_ISSUER_KIND = {"top": ("党委政府", "party committee/government"),
                "other": ("部门", "department")}

_TOP_KEYS = {"id": True, "version": True, "framework": True, "name": True, "references": False,
             "emphasis": True, "goals": True, "instruments": True, "doc_types": True,
             "strength": True}
_GOAL_KEYS = {"id": True, "name": True, "group": False, "keywords": True}
_INSTRUMENT_KEYS = {"id": True, "category": True, "name": True, "keywords": True}
_EMPHASIS_KEYS = {"value": True, "zh": True, "en": True}
_DOC_TYPE_KEYS = {"id": True, "en": True, "strength": True}
_TOP_OTHER_KEYS = {"top": True, "other": True}
_STRENGTH_KEYS = {"reference": True, "level_step": True, "floor": True, "top_issuers": True}


def issuer_list(issuers: pd.Series) -> pd.Series:
    """Issuing bodies of each document as a list (发文机关列表), split on ``；``/``;``/``、``.

    Parameters
    ----------
    issuers : pandas.Series
        The ``issuers`` column: full names separated by :data:`ISSUER_SEPARATORS`.

    Returns
    -------
    pandas.Series
        Same index; each value a list of stripped, non-empty names (empty list for a blank cell).

    Examples
    --------
    >>> issuer_list(pd.Series(["中共中央；国务院", "农业农村部、财政部", ""])).tolist()
    [['中共中央', '国务院'], ['农业农村部', '财政部'], []]
    """
    parts = issuers.fillna("").astype(str).str.strip().str.split(ISSUER_SEPARATORS, regex=True)
    return parts.map(lambda names: [n for n in names if n])


@dataclass(frozen=True)
class Code:
    """One code of the scheme: a goal (政策目标) or an instrument (政策工具).

    Attributes
    ----------
    id : str
        snake_case id; a goal's id is a dimension id of the framework. Column name in the codes.
    kind : {"goal", "instrument"}
    group : str
        Goals: 巩固 / 拓展 / 振兴; instruments: supply / environment / demand.
    name_zh, name_en : str
    keywords : tuple of str
        Words and phrases for dictionary pre-coding.
    """

    id: str
    kind: CodeKind
    group: str
    name_zh: str
    name_en: str
    keywords: tuple[str, ...]

    def label(self, language: Language = "zh") -> str:
        """The name in ``language``."""
        return self.name_zh if is_zh(language) else self.name_en


@dataclass(frozen=True)
class DocType:
    """A document type (文种) with its base strength at 中央 level (``top`` = issued by a
    party committee, government or people's congress or their general offices; ``other`` =
    departments only)."""

    id: str
    name_en: str
    top: int
    other: int


@dataclass(frozen=True)
class StrengthRule:
    """How policy strength (政策力度) is scored: see :meth:`CodingScheme.strength`."""

    reference: str
    level_step: int
    floor: int
    top_issuers: tuple[str, ...]

    def is_top(self, issuers: pd.Series) -> pd.Series:
        """Whether some issuer of each document matches one of :attr:`top_issuers`.

        >>> rule = StrengthRule("", 1, 1, ("^国务院$",))
        >>> rule.is_top(pd.Series(["农业农村部；国务院", "财政部"])).tolist()
        [True, False]
        """
        names = issuer_list(issuers).explode()
        pattern = "|".join(f"(?:{p})" for p in self.top_issuers)
        match = names.dropna().astype(str).str.count(pattern) > 0
        return match.groupby(level=0).any().reindex(issuers.index, fill_value=False)


@dataclass(frozen=True)
class CodingScheme:
    """A coding scheme for policy documents (政策文本编码方案). Build it with
    :func:`load_scheme`.

    Examples
    --------
    >>> scheme = load_scheme()
    >>> len(scheme.goal_ids), len(scheme.instrument_ids)
    (17, 14)
    >>> scheme["risk_monitoring"].group, scheme["supply_funds"].group
    ('巩固', 'supply')
    """

    id: str
    version: str
    name_zh: str
    name_en: str
    framework_id: str
    source: Path | None
    goals: tuple[Code, ...]
    instruments: tuple[Code, ...]
    doc_types: tuple[DocType, ...]
    emphasis: tuple[tuple[int, str, str], ...]
    strength_rule: StrengthRule
    references: tuple[str, ...] = ()

    # --- ids ----------------------------------------------------------------------------
    @property
    def goal_ids(self) -> tuple[str, ...]:
        """Goal ids in YAML order (= the framework's dimension ids)."""
        return tuple(c.id for c in self.goals)

    @property
    def instrument_ids(self) -> tuple[str, ...]:
        """Instrument ids in YAML order."""
        return tuple(c.id for c in self.instruments)

    @property
    def code_ids(self) -> tuple[str, ...]:
        """Goal then instrument ids: the code columns of a corpus."""
        return self.goal_ids + self.instrument_ids

    @property
    def codes(self) -> tuple[Code, ...]:
        """Goals then instruments."""
        return self.goals + self.instruments

    @property
    def doc_type_ids(self) -> tuple[str, ...]:
        """Document types (文种) in YAML order."""
        return tuple(d.id for d in self.doc_types)

    def __getitem__(self, code_id: str) -> Code:
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(f"编码方案 {self.id!r} 中没有编码 {code_id!r} / no code {code_id!r}")

    def ids_of(self, kind: CodeKind) -> tuple[str, ...]:
        """The code ids of one kind (``"goal"`` or ``"instrument"``)."""
        check_option("kind", kind, CodeKind)
        return self.goal_ids if kind == "goal" else self.instrument_ids

    # --- tables -------------------------------------------------------------------------
    def code_table(self, language: Language = "zh") -> pd.DataFrame:
        """Code table (编码表): one row per code, index ``id``, goals then instruments.

        Columns ``kind`` (``goal``/``instrument``), ``group`` (巩固/拓展/振兴 or
        supply/environment/demand: stable values to select on), ``kind_label``,
        ``group_label`` and ``label`` (in ``language``), ``keywords`` (joined by ``、``).

        >>> load_scheme().code_table("en").loc["supply_funds", ["group_label", "label"]].tolist()
        ['Supply-side', 'Funding']
        """
        zh = is_zh(language)
        codes = self.codes
        groups = pd.Series([c.group for c in codes])
        group_label = groups.map(
            {**{g: (g if zh else _GROUP_EN[g]) for g in GOAL_GROUPS},
             **{k: v[0 if zh else 1] for k, v in INSTRUMENT_CATEGORIES.items()}})
        kinds = pd.Series([c.kind for c in codes])
        return pd.DataFrame({
            "kind": kinds.to_numpy(),
            "group": groups.to_numpy(),
            "kind_label": kinds.map({k: v[0 if zh else 1] for k, v in _KIND_LABEL.items()}
                                    ).to_numpy(),
            "group_label": group_label.to_numpy(),
            "label": [c.label(language) for c in codes],
            "keywords": ["、".join(c.keywords) for c in codes],
        }, index=pd.Index(self.code_ids, name="id"))

    def keyword_table(self) -> pd.DataFrame:
        """Long table of keywords (关键词表): columns ``code``, ``kind``, ``keyword``; one row per
        keyword of each code, in YAML order (a keyword may serve several codes).

        >>> kw = load_scheme().keyword_table()
        >>> kw.loc[kw["code"] == "supply_funds", "keyword"].iloc[0]
        '衔接资金'
        """
        return pd.DataFrame(
            [(c.id, c.kind, k) for c in self.codes for k in c.keywords],
            columns=["code", "kind", "keyword"])

    def emphasis_table(self, language: Language = "zh") -> pd.DataFrame:
        """The emphasis scale (编码取值): index ``value`` (0/1/2), column ``label``."""
        zh = is_zh(language)
        return pd.DataFrame({"label": [zh_ if zh else en for _, zh_, en in self.emphasis]},
                            index=pd.Index([v for v, _, _ in self.emphasis], name="value"))

    def strength_table(self, language: Language = "zh") -> pd.DataFrame:
        """Policy strength of every document type by level and issuer kind (政策力度表).

        Index: document types; columns ``(level, issuer kind)`` for the four levels, issuer
        kind 党委政府 (``top``) / 部门 (``other``), labels in ``language``.

        >>> load_scheme().strength_table().loc["意见"].tolist()
        [4, 3, 3, 2, 2, 1, 1, 1]
        """
        zh = is_zh(language)
        base = pd.DataFrame({k: [getattr(d, k) for d in self.doc_types] for k in _ISSUER_KIND},
                            index=pd.Index(self.doc_type_ids, name="doc_type"))
        rule = self.strength_rule
        parts = {(level, _ISSUER_KIND[k][0 if zh else 1]):
                 (base[k] - rule.level_step * rank).clip(lower=rule.floor)
                 for rank, level in enumerate(LEVELS) for k in _ISSUER_KIND}
        return pd.DataFrame(parts).astype("int64")

    def strength(self, documents: pd.DataFrame) -> pd.Series:
        """Policy strength (政策力度) of each document on the 1–5 scale.

        ``strength = max(floor, base − level_step × rank(level))`` where ``base`` is the
        document type's strength at 中央 level for a document with a top issuer (党委、政府、人大
        or their 办公厅, :attr:`StrengthRule.top_issuers`) or for departments only, and rank is
        中央 0, 省 1, 市 2, 县 3. Reference: 彭纪生、仲为国、孙文祥 (2008), 管理世界 (9),
        adapted to four levels and to party/state documents (see ``scheme.yaml``).

        Parameters
        ----------
        documents : pandas.DataFrame
            Columns ``level`` (中央/省/市/县), ``doc_type`` (one of :attr:`doc_type_ids`),
            ``issuers`` (names separated by ``；``).

        Returns
        -------
        pandas.Series
            ``int64`` named ``strength``, same index.

        Raises
        ------
        InputError
            A missing column, an unknown level or document type.

        Examples
        --------
        >>> docs = pd.DataFrame({"level": ["中央", "中央", "省", "县"],
        ...                      "doc_type": ["法律", "意见", "意见", "通知"],
        ...                      "issuers": ["全国人民代表大会常务委员会", "农业农村部；财政部",
        ...                                  "中共某省委；某省人民政府", "某县人民政府办公室"]})
        >>> load_scheme().strength(docs).tolist()
        [5, 3, 3, 1]
        """
        require_columns(documents, ["level", "doc_type", "issuers"], what="政策文件表")
        for column, allowed in (("level", LEVELS), ("doc_type", self.doc_type_ids)):
            bad = ~documents[column].isin(allowed)
            if bad.any():
                raise InputError(
                    f"未知的{'层级' if column == 'level' else '文种'} "
                    f"“{documents.loc[bad, column].iloc[0]}” / unknown {column}",
                    column=column, hint="可选 / choose one of: " + "、".join(allowed))
        rule = self.strength_rule
        top = rule.is_top(documents["issuers"])
        types = pd.DataFrame({"top": [d.top for d in self.doc_types],
                              "other": [d.other for d in self.doc_types]},
                             index=list(self.doc_type_ids))
        base = pd.Series(types["top"].reindex(documents["doc_type"]).to_numpy(),
                         index=documents.index).where(
            top, types["other"].reindex(documents["doc_type"]).to_numpy())
        rank = documents["level"].map({level: i for i, level in enumerate(LEVELS)})
        value = (base - rule.level_step * rank).clip(lower=rule.floor)
        return value.astype("int64").rename("strength")


def load_scheme(path: str | PathLike[str] | None = None, *,
                framework: str | PathLike[str] | Framework | None = None) -> CodingScheme:
    """Load and validate a coding scheme (加载政策文本编码方案) from YAML.

    Parameters
    ----------
    path : str or path-like, optional
        A scheme YAML file; ``None`` loads the packaged ``scheme.yaml``.
    framework : str, path-like or Framework, optional
        The indicator framework whose dimensions the goals must be (anything
        :func:`linkage.frameworks.load_framework` accepts, or a loaded framework); default
        the packaged default framework. Its ``id`` must equal the scheme's ``framework``.

    Returns
    -------
    CodingScheme

    Raises
    ------
    FrameworkError
        File missing or unreadable, YAML syntax error, or any rule of the format broken; all
        problems collected, each with YAML line and key (``error.problems``).

    Examples
    --------
    >>> scheme = load_scheme()
    >>> scheme.framework_id, scheme.code_table().loc["industry", "group"]
    ('default', '振兴')
    """
    file = DEFAULT_SCHEME if path is None else Path(path)
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FrameworkError("找不到编码方案文件 / coding scheme file not found", file=file,
                             hint=f"检查路径；内置方案见 {DEFAULT_SCHEME}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(f"无法读取编码方案文件 / cannot read the scheme file: {exc}",
                             file=file, hint="请把 YAML 文件保存为 UTF-8 文本") from None
    return _parse(text, file, fw)


@lru_cache(maxsize=8)
def _parse(text: str, file: Path, framework: Framework) -> CodingScheme:
    try:
        data = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, text, file) from None
    checker = _SchemeChecker(framework)
    scheme = checker.scheme(data, file)
    if checker.problems:
        raise _framework_error(checker.problems, file, what="编码方案")
    assert scheme is not None
    return scheme


class _SchemeChecker(_Checker):
    """The framework loader's checks, plus those of a coding scheme."""

    def __init__(self, framework: Framework) -> None:
        super().__init__()
        self.fw = framework
        self.code_ids: dict[str, Any] = {}
        self.doc_type_seen: dict[str, Any] = {}

    def scheme(self, data: Any, file: Path) -> CodingScheme | None:
        if not isinstance(data, CommentedMap):
            self.add(1, None, f"文件顶层应为键值映射, 得到 {_kind(data)} / the file must be a "
                     "mapping", f"以 {DEFAULT_SCHEME} 为模板 / start from the packaged scheme")
            return None
        top = self.mapping(data, _TOP_KEYS, parent=None, key="", what="编码方案")
        assert top is not None
        ident = self.identifier(top, what="编码方案")
        version = self.text(top, "version", what="编码方案")
        name_zh, name_en = self.name(top, what="编码方案")
        fw_id = self.text(top, "framework", what="编码方案")
        if fw_id and fw_id != self.fw.id:
            self.add(_line_of(top, "framework"), "framework",
                     f"编码方案写给指标体系 “{fw_id}”，加载的指标体系却是 “{self.fw.id}” / "
                     "scheme written for another framework",
                     f"加载对应的指标体系（framework=），或把 framework 改为 {self.fw.id} 并按其"
                     "维度列出 goals")
        references = self.texts(top, "references", what="编码方案", required=False)
        emphasis = self.emphasis(top)
        goals = self.items(top, "goals", self.goal)
        instruments = self.items(top, "instruments", self.instrument)
        self.coverage(top, goals)
        doc_types = self.items(top, "doc_types", self.doc_type)
        rule = self.strength_rule(top)
        if self.problems or rule is None:
            return None
        return CodingScheme(
            id=ident, version=version, name_zh=name_zh, name_en=name_en, framework_id=fw_id,
            source=file, goals=tuple(goals), instruments=tuple(instruments),
            doc_types=tuple(doc_types), emphasis=emphasis, strength_rule=rule,
            references=references)

    # --- pieces -------------------------------------------------------------------------
    def texts(self, mapping: CommentedMap, key: str, *, what: str, required: bool = True
              ) -> tuple[str, ...]:
        if key not in mapping:
            return ()
        value = mapping[key]
        if (isinstance(value, CommentedSeq) and (value or not required)
                and all(isinstance(v, str | int) and not isinstance(v, bool)
                        and str(v).strip() for v in value)):
            return tuple(str(v).strip() for v in value)
        self.add(_line_of(mapping, key), key,
                 f"{what} 的 “{key}” 应为非空文本的列表 / {key!r} must be a list of text",
                 f"写作 `{key}: [词一, 词二]`")
        return ()

    def items(self, top: CommentedMap, key: str, build: Any) -> list[Any]:
        if key not in top:
            return []
        seq = self.sequence(top, key, what="编码方案")
        if seq is None:
            return []
        built = [build(seq, i, item) for i, item in enumerate(seq)]
        return [b for b in built if b is not None]

    def unique_code(self, ident: str, line: int | None) -> None:
        self.unique(self.code_ids, ident, line, "编码")

    def goal(self, seq: CommentedSeq, index: int, item: Any) -> Code | None:
        node = self.mapping(item, _GOAL_KEYS, parent=seq, key=index,
                            what=f"目标 {_peek_id(item)}".strip())
        if node is None:
            return None
        ident = self.identifier(node, what="目标")
        line = _line_of(node, "id") if "id" in node else _line_of(node)
        self.unique_code(ident, line)
        name_zh, name_en = self.name(node, what=f"目标 {ident}")
        keywords = self.texts(node, "keywords", what=f"目标 {ident}")
        dims = self.fw.dimensions()
        if ident and ident not in dims.index:
            close = difflib.get_close_matches(ident, list(dims.index), n=1)
            self.add(line, "id",
                     f"目标 “{ident}” 不是指标体系 {self.fw.id} 的维度 / goal {ident!r} is not a "
                     "dimension of the framework",
                     (f"是不是 “{close[0]}”？" if close else "")
                     + "目标 id 须为维度 id：" + "、".join(dims.index))
            return None
        group = self.group(node, ident, dims)
        if not group:
            return None
        return Code(ident, "goal", group, name_zh, name_en, keywords)

    def group(self, node: CommentedMap, ident: str, dims: pd.DataFrame) -> str:
        if not ident:
            return ""
        row = dims.loc[ident]
        derived = _FUNCTION_GROUP.get(str(row["function"])) if row["function"] else "振兴"
        given = node.get("group")
        if given is None:
            if derived is None:
                self.add(_line_of(node, "id"), "group",
                         f"无法从指标体系得出目标 “{ident}” 属于巩固、拓展还是振兴 / cannot derive "
                         "the goal group", "添加一行 `group: 巩固`（或 拓展、振兴）")
            return derived or ""
        if given not in GOAL_GROUPS or (derived is not None and given != derived):
            self.add(_line_of(node, "group"), "group",
                     f"目标 “{ident}” 的 group 应为 " + (derived or "巩固、拓展或振兴")
                     + f"，得到 {given!r} / group does not fit the framework",
                     "删去该行（由指标体系推出）" if derived else "可选：巩固、拓展、振兴")
            return ""
        return str(given)

    def coverage(self, top: CommentedMap, goals: list[Code]) -> None:
        if "goals" not in top or self.problems:
            return
        missing = [d for d in self.fw.dimensions().index if d not in {g.id for g in goals}]
        if missing:
            self.add(_line_of(top, "goals"), "goals",
                     f"指标体系 {self.fw.id} 的维度没有对应目标：{'、'.join(missing)} / "
                     "dimensions without a goal",
                     "每个维度列一个目标（id = 维度 id），以便政策关注与成效逐维对照")

    def instrument(self, seq: CommentedSeq, index: int, item: Any) -> Code | None:
        node = self.mapping(item, _INSTRUMENT_KEYS, parent=seq, key=index,
                            what=f"工具 {_peek_id(item)}".strip())
        if node is None:
            return None
        ident = self.identifier(node, what="工具")
        self.unique_code(ident, _line_of(node, "id") if "id" in node else _line_of(node))
        name_zh, name_en = self.name(node, what=f"工具 {ident}")
        keywords = self.texts(node, "keywords", what=f"工具 {ident}")
        category = node.get("category")
        if "category" in node and category not in INSTRUMENT_CATEGORIES:
            self.add(_line_of(node, "category"), "category",
                     f"工具 “{ident}” 的类别应为 supply、environment 或 demand，得到 "
                     f"{category!r} / unknown instrument category",
                     "supply 供给型、environment 环境型、demand 需求型")
            return None
        return Code(ident, "instrument", str(category), name_zh, name_en, keywords)

    def emphasis(self, top: CommentedMap) -> tuple[tuple[int, str, str], ...]:
        if "emphasis" not in top:
            return ()
        seq = self.sequence(top, "emphasis", what="编码方案")
        if seq is None:
            return ()
        out = []
        for i, item in enumerate(seq):
            node = self.mapping(item, _EMPHASIS_KEYS, parent=seq, key=i, what="编码取值")
            if node is None or "value" not in node:
                continue
            out.append((node["value"], self.text(node, "zh", what="编码取值"),
                        self.text(node, "en", what="编码取值")))
        if [v for v, _, _ in out] != list(EMPHASIS_VALUES):
            self.add(_line_of(top, "emphasis"), "emphasis",
                     "emphasis 应依次列出取值 0、1、2 / emphasis must list the values 0, 1, 2",
                     "0 未涉及、1 提及、2 重点；只可修改其标签")
        return tuple(out)

    def score(self, node: CommentedMap, key: str, what: str) -> int:
        value = node.get(key)
        if isinstance(value, int) and _is_number(value) and 1 <= value <= 5:
            return int(value)
        self.add(_line_of(node, key), key,
                 f"{what} 的 {key} 应为 1–5 的整数，得到 {value!r} / must be an integer 1–5",
                 "政策力度取 1（最弱）到 5（最强）")
        return 0

    def doc_type(self, seq: CommentedSeq, index: int, item: Any) -> DocType | None:
        node = self.mapping(item, _DOC_TYPE_KEYS, parent=seq, key=index,
                            what=f"文种 {_peek_id(item)}".strip())
        if node is None:
            return None
        ident = self.text(node, "id", what="文种")
        self.unique(self.doc_type_seen, ident,
                    _line_of(node, "id") if "id" in node else _line_of(node), "文种")
        name_en = self.text(node, "en", what=f"文种 {ident}")
        if "strength" not in node:
            return None
        base = self.mapping(node["strength"], _TOP_OTHER_KEYS, parent=node, key="strength",
                            what=f"文种 {ident} 的 strength")
        if base is None:
            return None
        top, other = (self.score(base, k, f"文种 {ident}") for k in ("top", "other"))
        return DocType(ident, name_en, top, other)

    def strength_rule(self, top: CommentedMap) -> StrengthRule | None:
        if "strength" not in top:
            return None
        node = self.mapping(top["strength"], _STRENGTH_KEYS, parent=top, key="strength",
                            what="strength")
        if node is None:
            return None
        reference = self.text(node, "reference", what="strength")
        numbers = []
        for key, low in (("level_step", 0), ("floor", 1)):
            value = node.get(key)
            if not (isinstance(value, int) and _is_number(value) and low <= value <= 5):
                self.add(_line_of(node, key), key,
                         f"strength 的 {key} 应为 {low}–5 的整数，得到 {value!r} / must be an "
                         f"integer {low}–5", "默认 level_step: 1, floor: 1")
                value = low
            numbers.append(int(value))
        patterns = self.texts(node, "top_issuers", what="strength")
        for i, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.add(_line_of(node["top_issuers"], i), "top_issuers",
                         f"不是有效的正则表达式 {pattern!r}：{exc} / not a regular expression",
                         "例如 ^国务院(办公厅)?$ ；字面的括号写作 \\(")
        return StrengthRule(reference, numbers[0], numbers[1], patterns)

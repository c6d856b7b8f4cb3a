"""Coupling coordination and obstacle degree (耦合协调度与障碍度).

How well two or more subsystems (e.g. 脱贫成果 and 乡村振兴) develop together, which grade that
is, which subsystem lags, and which indicators hold a region back:

- :func:`coupling_coordination` — coupling degree C (耦合度), comprehensive development index T
  (综合发展指数), coupling coordination degree D = sqrt(C·T) (耦合协调度), its grade and, for two
  subsystems, the relative development type;
- :func:`grade` and :data:`GRADE_SCHEMES` — interval grades of D (or of C) with the interval
  closure explicit;
- :func:`relative_development` — 相对发展类型 (which subsystem lags);
- :func:`obstacle_degree`, :func:`obstacle_by_group`, :func:`top_obstacles` — 障碍度模型.

Every function works on whole columns at once (numpy over rows); 2,800 counties × 15 years take
milliseconds. Scores and standardised values must lie in [0, 1]; anything else, missing values
and undefined cases are handled by documented, keyword-chosen rules — never silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option, first_rows
from linkage.composite import MissingRule
from linkage.errors import InputError
from linkage.labels import Language, is_zh

__all__ = [
    "GRADE_SCHEMES",
    "GradeScheme",
    "coupling_coordination",
    "grade",
    "obstacle_by_group",
    "obstacle_degree",
    "relative_development",
    "top_obstacles",
]

CouplingMethod = Literal["classic", "corrected"]
Closed = Literal["right", "left"]
TypeMethod = Literal["difference", "ratio"]
AllZeroRule = Literal["raise", "zero"]
NoObstacleRule = Literal["nan", "zero"]

#: Values this close to a grade break or to the synchronisation band count as equal to it, so
#: that decimal boundaries survive floating-point noise (0.1 + 0.2 is graded as 0.3).
_TOL = 1e-12
#: Tolerance of "weights sum to 1" (as for framework weights).
_WEIGHT_SUM_TOL = 1e-6


def _numeric_frame(frame: pd.DataFrame, what: str) -> np.ndarray:
    """``frame`` as a float array, or an InputError naming the non-numeric columns."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"{what} 应为 DataFrame，实际为 {type(frame).__name__} / {what} must be a DataFrame",
            hint="每列一个子系统或指标，每行一个地区-年份 / one column per subsystem or indicator",
        )
    if not frame.columns.is_unique:
        dup = frame.columns[frame.columns.duplicated()].unique()
        raise InputError(f"{what} 的列名重复 / duplicate columns in {what}: {first_rows(dup)}",
                         column=str(dup[0]), hint="每个子系统或指标只保留一列")
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
           or pd.api.types.is_bool_dtype(frame[c])]
    if bad:
        raise InputError(f"{what} 的列不是数值 / non-numeric columns in {what}: {first_rows(bad)}",
                         column=str(bad[0]), hint="先把文本转换为数值（pd.to_numeric）")
    return frame.to_numpy(dtype=float, na_value=np.nan)


def _check_unit_interval(values: np.ndarray, frame: pd.DataFrame, what: str) -> None:
    """InputError when a non-missing value is outside [0, 1] (±inf included)."""
    outside = ~np.isnan(values) & ((values < 0) | (values > 1))
    if outside.any():
        rows, cols = np.nonzero(outside)
        raise InputError(
            f"{what} 的取值超出 [0, 1] / values of {what} outside [0, 1]: 行 rows "
            f"{first_rows(frame.index[rows])}（如 e.g. {values[rows[0], cols[0]]:g}）",
            column=str(frame.columns[cols[0]]),
            hint="先做极差标准化（min-max），使取值落在 [0, 1]；平移 +0.0001 的数据请用平移前的值 "
                 "/ standardise to [0, 1] first (use values before any +0.0001 shift)",
        )


def _missing_rows(values: np.ndarray, frame: pd.DataFrame, what: str,
                  missing: MissingRule) -> np.ndarray:
    """Rows with a missing value; InputError under ``missing="raise"``."""
    rows = np.isnan(values).any(axis=1)
    if rows.any() and missing == "raise":
        cols = frame.columns[np.isnan(values).any(axis=0)]
        raise InputError(
            f"{what} 有缺失值 / missing values in {what}; 行 rows: "
            f"{first_rows(frame.index[rows])}",
            column=str(cols[0]),
            hint='补齐缺失值，或用 missing="keep" 让这些行的结果为缺失 (NaN) '
                 '/ fill them, or pass missing="keep" to give those rows NaN results',
        )
    return rows


# ---------------------------------------------------------------------------------------------
# grades


@dataclass(frozen=True)
class GradeScheme:
    """A grading scheme (等级划分): ``len(labels)`` intervals between consecutive ``breaks``.

    Parameters
    ----------
    name : str
        Short id, e.g. ``"tian2021"``.
    breaks : tuple of float
        Strictly increasing interval bounds, first = lowest value graded, last = highest.
    labels_zh : tuple of str
        Chinese grade names, lowest first; one per interval.
    labels_en : tuple of str, optional
        English grade names (default: the Chinese ones).
    measure : str
        What the scheme grades (``"D"`` or ``"C"``).
    source : str
        Where the scheme is published.

    Examples
    --------
    >>> s = GradeScheme("three", (0, 0.4, 0.7, 1), ("低", "中", "高"), ("low", "mid", "high"))
    >>> grade(pd.Series([0.0, 0.5, 1.0]), scheme=s, language="en").tolist()
    ['low', 'mid', 'high']
    """

    name: str
    breaks: tuple[float, ...]
    labels_zh: tuple[str, ...]
    labels_en: tuple[str, ...] = ()
    measure: str = "D"
    source: str = ""

    def __post_init__(self) -> None:
        breaks = tuple(float(b) for b in self.breaks)
        object.__setattr__(self, "breaks", breaks)
        object.__setattr__(self, "labels_zh", tuple(self.labels_zh))
        object.__setattr__(self, "labels_en", tuple(self.labels_en) or self.labels_zh)
        arr = np.asarray(breaks)
        if arr.size < 2 or not np.isfinite(arr).all() or (np.diff(arr) <= 0).any():
            raise InputError(
                f"等级方案 {self.name!r} 的分界点 {breaks} 无效 / invalid breaks",
                hint="分界点须为至少两个、严格递增的有限数 / at least two increasing numbers",
            )
        for labels in (self.labels_zh, self.labels_en):
            if len(labels) != arr.size - 1 or len(set(labels)) != len(labels):
                raise InputError(
                    f"等级方案 {self.name!r} 需要 {arr.size - 1} 个互不相同的等级名称，实际 "
                    f"{len(labels)} 个 / need one distinct label per interval",
                    hint="labels 的个数 = breaks 的个数 − 1",
                )

    def labels(self, language: Language = "zh") -> tuple[str, ...]:
        """Grade names in ``language``, lowest first."""
        return self.labels_zh if is_zh(language) else self.labels_en


_TIAN = "田深圳, 李雪铭, 杨俊, 张威, 郭建科 (2021). 地理学报 76(4):781-, 表1"
_XU = "徐维祥, 李露, 周建平, 刘程军 (2020). 自然资源学报 35(9):2044-, 表2"

#: Built-in grading schemes (name → :class:`GradeScheme`), as in the reference table
#: ``linkage.datasets.load("coupling_coordination_grades")`` (tests check they agree).
#: ``tian2021``: the 10 grades of D; ``tian2021_coupling``: the 4 stages of C; ``xu2020``: a
#: 4-class scheme of D, published with lower-closed intervals (use ``closed="left"``).
GRADE_SCHEMES: Mapping[str, GradeScheme] = MappingProxyType({
    "tian2021": GradeScheme(
        "tian2021",
        (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
        ("极度失调", "严重失调", "中度失调", "轻度失调", "濒临失调",
         "勉强协调", "初级协调", "中级协调", "良好协调", "优质协调"),
        ("extreme imbalance", "serious imbalance", "moderate imbalance", "mild imbalance",
         "verge of imbalance", "barely coordinated", "primary coordination",
         "intermediate coordination", "good coordination", "high-quality coordination"),
        measure="D", source=_TIAN,
    ),
    "tian2021_coupling": GradeScheme(
        "tian2021_coupling",
        (0.0, 0.3, 0.5, 0.8, 1.0),
        ("低水平耦合", "拮抗阶段", "磨合阶段", "高水平耦合"),
        ("low-level coupling", "antagonism", "running-in", "high-level coupling"),
        measure="C", source=_TIAN,
    ),
    "xu2020": GradeScheme(
        "xu2020",
        (0.0, 0.5, 0.6, 0.7, 1.0),
        ("濒临失调 (失调衰退类)", "初级协调 (转型发展类)", "中级协调 (转型发展类)",
         "高级协调 (协调发展类)"),
        ("verge of imbalance (declining)", "primary coordination (transitional)",
         "intermediate coordination (transitional)", "advanced coordination (coordinated)"),
        measure="D", source=_XU,
    ),
})


def _scheme(scheme: str | GradeScheme) -> GradeScheme:
    if isinstance(scheme, GradeScheme):
        return scheme
    if scheme not in GRADE_SCHEMES:
        raise InputError(f"未知的等级方案 {scheme!r} / unknown grade scheme {scheme!r}",
                         hint=f"可选 / choose one of {sorted(GRADE_SCHEMES)} or a GradeScheme")
    return GRADE_SCHEMES[scheme]


def grade(d: pd.Series, *, scheme: str | GradeScheme = "tian2021", closed: Closed = "right",
          language: Language = "zh") -> pd.Series:
    """耦合协调等级 — grade of the coupling coordination degree D (or of C) by interval.

    With breaks b_0 < b_1 < … < b_K, value x gets grade k when b_{k-1} < x ≤ b_k
    (``closed="right"``, as printed in 田深圳 et al. 2021, Table 1: (0, 0.1] 极度失调 …
    (0.9, 1] 优质协调) or b_{k-1} ≤ x < b_k (``closed="left"``: [0, 0.1) …). The outermost
    interval is closed on its open side too, so both ends of the scale are graded under both
    closures (D = 0 is 极度失调 and D = 1 优质协调 either way). Values within 1e-12 of a break are
    taken as the break (0.1 + 0.2 is graded as 0.3).

    Default ``closed="right"`` because that is how the reference table prints the intervals.
    ``"xu2020"`` is published lower-closed: pass ``closed="left"`` to reproduce it.

    References: 田深圳, 李雪铭, 杨俊, 张威, 郭建科 (2021), 地理学报 76(4), 表1; 徐维祥, 李露,
    周建平, 刘程军 (2020), 自然资源学报 35(9), 表2.

    Parameters
    ----------
    d : pandas.Series
        Values to grade (dimensionless, within the scheme's range, [0, 1] for the built-in ones).
        Missing values stay missing (NaN grade, row kept).
    scheme : str or GradeScheme
        A key of :data:`GRADE_SCHEMES` or a user scheme (breaks + labels).
    closed : {"right", "left"}
        Which side of each interval is closed.
    language : {"zh", "en"}
        Grade names in Chinese (default) or English.

    Returns
    -------
    pandas.Series
        Ordered categorical of grade names (lowest first), same index as ``d``, named ``grade``.

    Raises
    ------
    InputError
        A value outside the scheme's range, or an invalid option.

    Examples
    --------
    >>> grade(pd.Series([0.0, 0.1, 0.55, 1.0])).tolist()
    ['极度失调', '极度失调', '勉强协调', '优质协调']
    >>> grade(pd.Series([0.0, 0.1, 0.55, 1.0]), closed="left", language="en").tolist()
    ['extreme imbalance', 'serious imbalance', 'barely coordinated', 'high-quality coordination']
    """
    check_option("closed", closed, Closed)
    check_option("language", language, Language)
    s = _scheme(scheme)
    if not isinstance(d, pd.Series):
        d = pd.Series(d, name="D")
    x = _numeric_frame(d.to_frame(), "待分级的值 / values to grade")[:, 0]
    breaks = np.asarray(s.breaks)
    near = np.abs(x[:, None] - breaks[None, :]) <= _TOL
    snapped = np.where(near.any(axis=1), breaks[near.argmax(axis=1)], x)
    outside = ~np.isnan(snapped) & ((snapped < breaks[0]) | (snapped > breaks[-1]))
    if outside.any():
        raise InputError(
            f"取值超出等级方案 {s.name!r} 的范围 [{breaks[0]:g}, {breaks[-1]:g}] / values "
            f"outside the scheme's range: 行 rows {first_rows(d.index[outside])}（如 e.g. "
            f"{x[outside][0]:g}）",
            column=str(d.name) if d.name is not None else None,
            hint="检查输入是否为 D（或 C），或换用覆盖该范围的等级方案",
        )
    side: Literal["left", "right"] = "left" if closed == "right" else "right"
    codes = np.searchsorted(breaks, snapped, side=side) - 1
    codes = np.clip(codes, 0, breaks.size - 2)
    codes[np.isnan(snapped)] = -1
    cat = pd.Categorical.from_codes(codes, categories=list(s.labels(language)), ordered=True)
    return pd.Series(cat, index=d.index, name="grade")


# ---------------------------------------------------------------------------------------------
# relative development type


def relative_development(u1: pd.Series, u2: pd.Series, *, band: float = 0.1,
                         method: TypeMethod = "difference",
                         names: tuple[str, str] = ("U1", "U2"),
                         language: Language = "zh") -> pd.Series:
    """相对发展类型 — which of two subsystems lags (U1 滞后型 / 同步型 / U2 滞后型).

    ``method="difference"`` (default): |U1 − U2| ≤ band → 同步型; U1 < U2 − band → U1 滞后型;
    U1 > U2 + band → U2 滞后型. This is the rule of 徐维祥 et al. (2020, 自然资源学报 35(9), 表2:
    |U1 − U2| > 0.1 → 滞后型), the usual one for scores on a common [0, 1] scale.
    ``method="ratio"``: with r = U2/U1, |r − 1| ≤ band → 同步型; r > 1 + band → U1 滞后型;
    r < 1 − band → U2 滞后型 (papers using 0.8 ≤ U2/U1 ≤ 1.2 pass ``band=0.2``). U1 = 0 < U2
    gives r = ∞ (U1 lags); U1 = U2 = 0 is 同步型. Comparisons allow 1e-12 so that decimal
    boundaries (0.4 − 0.3 = 0.1) count as inside the band.

    Parameters
    ----------
    u1, u2 : pandas.Series
        Subsystem scores in [0, 1], same index (region-years). Missing values give a missing
        type (row kept).
    band : float
        Half-width of the synchronisation band (≥ 0): in score units for ``"difference"``, in
        ratio units around 1 for ``"ratio"``.
    method : {"difference", "ratio"}
    names : (str, str)
        Subsystem names used in the labels, e.g. ``("脱贫成果", "乡村振兴")``.
    language : {"zh", "en"}

    Returns
    -------
    pandas.Series
        Ordered categorical ``[<names[0]>滞后型, 同步型, <names[1]>滞后型]`` (from U1 ≪ U2 to
        U1 ≫ U2), index of ``u1``, named ``type``.

    Examples
    --------
    >>> u1 = pd.Series([0.2, 0.5, 0.6])
    >>> u2 = pd.Series([0.5, 0.45, 0.3])
    >>> relative_development(u1, u2, names=("脱贫成果", "乡村振兴")).tolist()
    ['脱贫成果滞后型', '同步型', '乡村振兴滞后型']
    """
    check_option("method", method, TypeMethod)
    check_option("language", language, Language)
    if not (np.isscalar(band) and np.isfinite(band) and band >= 0):
        raise InputError(f"同步带宽 band={band!r} 无效 / band must be a number ≥ 0",
                         hint="例如 band=0.1（差值法）或 band=0.2（比值法 0.8–1.2）")
    if len(names) != 2 or names[0] == names[1]:
        raise InputError(f"names={names!r} 应为两个不同的子系统名称 / two distinct names",
                         hint='例如 names=("脱贫成果", "乡村振兴")')
    if not (isinstance(u1, pd.Series) and isinstance(u2, pd.Series)) or not u1.index.equals(
            u2.index):
        raise InputError("u1 与 u2 应为索引相同的 Series / u1 and u2 must be Series with the "
                         "same index", hint="从同一张得分表中取两列 / take both from one table")
    frame = pd.DataFrame({"u1": u1, "u2": u2}, index=u1.index)
    values = _numeric_frame(frame, "子系统得分 / subsystem scores")
    _check_unit_interval(values, frame, "子系统得分 / subsystem scores")
    a, b = values[:, 0], values[:, 1]
    if method == "difference":
        gap = a - b
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            gap = 1.0 - np.where(a == b, 1.0, b / a)  # > 0 when U2 < U1 (U2 lags)
    codes = np.where(gap < -band - _TOL, 0, np.where(gap > band + _TOL, 2, 1))
    codes[np.isnan(gap)] = -1
    if is_zh(language):
        labels = [f"{names[0]}滞后型", "同步型", f"{names[1]}滞后型"]
    else:
        labels = [f"{names[0]} lagging", "synchronous", f"{names[1]} lagging"]
    cat = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    return pd.Series(cat, index=u1.index, name="type")


# ---------------------------------------------------------------------------------------------
# coupling coordination


def _weights_vector(weights: Sequence[float] | Mapping[str, float] | pd.Series | None,
                    columns: pd.Index) -> np.ndarray:
    n = columns.size
    if weights is None:
        return np.full(n, 1.0 / n)
    if isinstance(weights, Mapping | pd.Series):
        w = pd.Series(weights, dtype=float)
        if set(w.index) != set(columns):
            raise InputError(
                f"权重的子系统 {list(w.index)} 与得分列 {list(columns)} 不一致 / weights must "
                "name exactly the score columns",
                hint="每个子系统一个权重 / one weight per subsystem",
            )
        vec = w.reindex(columns).to_numpy(dtype=float)
    else:
        vec = np.asarray(weights, dtype=float).ravel()
        if vec.size != n:
            raise InputError(f"需要 {n} 个权重，实际 {vec.size} 个 / need {n} weights",
                             hint="按得分列的顺序给出每个子系统的权重")
    if not np.isfinite(vec).all() or (vec < 0).any() or abs(vec.sum() - 1) > _WEIGHT_SUM_TOL:
        raise InputError(
            f"权重 {vec.tolist()} 应非负且和为 1 / weights must be ≥ 0 and sum to 1 "
            f"(sum = {vec.sum():g})",
            hint="常用 α = β = 0.5；请先归一化 / e.g. (0.5, 0.5); normalise them first",
        )
    return vec


def _coupling_degree(u: np.ndarray, method: CouplingMethod) -> np.ndarray:
    """C for rows of ``u`` (rows × n, n ≥ 2); NaN where all U are 0 (undefined)."""
    n = u.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "classic":
            c = n * np.prod(u, axis=1) ** (1.0 / n) / u.sum(axis=1)
        else:
            s = np.sort(u, axis=1)
            # Σ_{i>j} |U_i − U_j| of sorted values = Σ_k (2k − n + 1) U_(k), k = 0 … n−1
            spread = s @ (2.0 * np.arange(n) - n + 1)
            first = 1.0 - spread / (n * (n - 1) / 2)
            second = np.prod(s / s[:, -1:], axis=1) ** (1.0 / (n - 1))
            c = np.sqrt(first * second)
    return np.clip(c, 0.0, 1.0)  # AM–GM bounds C by 1; clipping removes only round-off


def coupling_coordination(scores: pd.DataFrame, *,
                          weights: Sequence[float] | Mapping[str, float] | None = None,
                          method: CouplingMethod = "corrected",
                          scheme: str | GradeScheme = "tian2021", closed: Closed = "right",
                          band: float = 0.1, type_method: TypeMethod = "difference",
                          language: Language = "zh", missing: MissingRule = "raise",
                          all_zero: AllZeroRule = "raise") -> pd.DataFrame:
    """耦合协调度 — coupling degree C, development index T and coupling coordination degree D.

    For subsystem scores U_1 … U_n in [0, 1] (n ≥ 2), row by row:

    - ``method="corrected"`` (default; 王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 2021):
      C = sqrt{ [1 − Σ_{i>j} |U_i − U_j| / Σ_{m=1}^{n−1} m] × [Π_i (U_i / max U)]^{1/(n−1)} };
      for n = 2, C = sqrt{ (1 − |U1 − U2|) · min(U1, U2)/max(U1, U2) }.
    - ``method="classic"`` (capacity-coupling form as normalised in 王淑佳 et al. 2021, and as
      printed by most papers): C = n·(Π U_i)^(1/n) / Σ U_i, i.e. geometric over arithmetic
      mean, identical to C = {Π U_i / [(Σ U_i / n)^n]}^(1/n); for n = 2,
      C = 2·sqrt(U1·U2)/(U1 + U2) (廖重斌 1999). Unnormalised variants seen in the literature
      (C = {Π U_i / (Σ U_i)^n}^(1/n), ranging over [0, 1/n], or the pairwise-sum form for
      n = 3) are not offered: they are not in [0, 1] and the grade tables do not apply to them
      (王淑佳 et al. 2021, §2).

    Why the corrected C is the default: the classic C depends only on the *ratio* of the
    scores, so it is close to 1 whenever they are proportional, however low or far apart in
    level (U = 0.05 and 0.08 give C = 0.97), and it is compressed near 1 on real data
    (王淑佳 et al. 2021, §2–3); the corrected C also falls with the absolute gap and is ≤ the
    classic C. The report layer (:mod:`linkage.sections.linkage`) uses the same default. Pass
    ``method="classic"`` to compare with papers that print the classic C.

    Then T = Σ α_i U_i (Σ α_i = 1; equal weights by default) and D = sqrt(C·T), graded by
    :func:`grade`; for two subsystems the relative development type by
    :func:`relative_development`, labelled with the column names.

    Undefined cases are explicit: when every U of a row is 0, C is 0/0. ``all_zero="raise"``
    (default) stops with the rows named; ``all_zero="zero"`` sets C = T = D = 0 (lowest grade).
    Missing scores raise under ``missing="raise"`` (default); ``missing="keep"`` gives
    those rows NaN C, T, D and a missing grade and type (rows are kept, never dropped).

    References
    ----------
    廖重斌 (1999). 环境与经济协调发展的定量评判及其分类体系. 热带地理 19(2):171-177.
    王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021). 国内耦合协调度模型的误区及修正. 自然资源学报
    36(3):793-810 (corrected C; Table 8 worked example, reproduced in the tests).
    田深圳, 李雪铭, 杨俊, 张威, 郭建科 (2021). 地理学报 76(4), 表1 (grades of D).

    Parameters
    ----------
    scores : pandas.DataFrame
        One column per subsystem (e.g. ``脱贫成果``, ``乡村振兴``), one row per region-year,
        values in [0, 1] (composite index scores). The index is kept.
    weights : sequence or mapping of float, optional
        Contribution α_i of each subsystem to T (≥ 0, sum 1), in column order or keyed by
        column name. Default: 1/n each.
    method : {"corrected", "classic"}
        Formula of C (see above); default ``"corrected"``.
    scheme, closed : see :func:`grade`
        Grading of D (default: 田深圳 et al. 2021 ten grades, right-closed).
    band, type_method : see :func:`relative_development` (``method`` there)
        Relative development type (two subsystems only).
    language : {"zh", "en"}
        Language of grade and type labels.
    missing : {"raise", "keep"}
        Rule for missing scores.
    all_zero : {"raise", "zero"}
        Rule for rows whose scores are all 0.

    Returns
    -------
    pandas.DataFrame
        Index of ``scores``; columns ``C``, ``T``, ``D`` (floats in [0, 1]), ``grade`` (ordered
        categorical) and, when n = 2, ``type`` (ordered categorical).

    Examples
    --------
    >>> s = pd.DataFrame({"脱贫成果": [0.3, 0.6], "乡村振兴": [0.5, 0.6]}, index=["甲县", "乙县"])
    >>> out = coupling_coordination(s)
    >>> out[["C", "T", "D"]].round(4)
             C    T       D
    甲县  0.6928  0.4  0.5264
    乙县  1.0000  0.6  0.7746
    >>> out["grade"].tolist(), out["type"].tolist()
    (['勉强协调', '中级协调'], ['脱贫成果滞后型', '同步型'])
    >>> coupling_coordination(s, method="classic")["C"].round(4).tolist()
    [0.9682, 1.0]
    """
    for name, value, allowed in (("method", method, CouplingMethod), ("closed", closed, Closed),
                                 ("type_method", type_method, TypeMethod),
                                 ("language", language, Language),
                                 ("missing", missing, MissingRule),
                                 ("all_zero", all_zero, AllZeroRule)):
        check_option(name, value, allowed)
    what = "子系统得分 scores"
    u = _numeric_frame(scores, what)
    if u.shape[1] < 2:
        raise InputError(f"耦合需要至少两个子系统，实际 {u.shape[1]} 列 / need ≥ 2 subsystem "
                         "columns", hint="每个子系统（如 脱贫成果、乡村振兴）一列")
    _check_unit_interval(u, scores, what)
    w = _weights_vector(weights, scores.columns)
    _missing_rows(u, scores, what, missing)
    zero = (u == 0).all(axis=1)
    if zero.any() and all_zero == "raise":
        raise InputError(
            f"这些行所有子系统得分均为 0，耦合度 C 无定义 (0/0) / all scores are 0, C is "
            f"undefined: {first_rows(scores.index[zero])}",
            hint='用 all_zero="zero" 令这些行 C = T = D = 0（最低等级），或检查标准化 '
                 '/ pass all_zero="zero" to set C = T = D = 0',
        )
    c = _coupling_degree(u, method)
    c[zero] = 0.0
    t = u @ w
    d = np.sqrt(c * t)
    out = pd.DataFrame({"C": c, "T": t, "D": d}, index=scores.index)
    out["grade"] = grade(out["D"], scheme=scheme, closed=closed, language=language)
    if u.shape[1] == 2:
        first, second = scores.columns
        out["type"] = relative_development(scores[first], scores[second], band=band,
                                           method=type_method, names=(str(first), str(second)),
                                           language=language)
    return out


# ---------------------------------------------------------------------------------------------
# obstacle degree


def obstacle_degree(standardized: pd.DataFrame, weights: pd.Series | Mapping[str, float], *,
                    eligible: pd.DataFrame | None = None,
                    no_obstacle: NoObstacleRule = "nan",
                    missing: MissingRule = "raise") -> pd.DataFrame:
    """障碍度 — obstacle degree of each indicator (障碍度模型), as shares of each row.

    Factor contribution F_j = w_j (the indicator's weight in the whole index), deviation
    I_ij = 1 − x'_ij (x' the direction-aware standardised value in [0, 1]), and

        O_ij = F_j · I_ij / Σ_j F_j · I_ij,

    so each row's obstacles sum to 1 (papers print them × 100 %). Scaling all weights by a
    constant leaves O unchanged, so weights need not sum to 1.

    An indicator that does not apply to a region (``eligible`` False, e.g. 东西部协作 funds in a
    county that is not a former poverty county) is no obstacle there: it gets O = NaN and the
    sums run over the indicators that apply, ``Σ_{j applicable}``, so the row still sums to 1.

    A row whose weighted deviations are all 0 (every weighted indicator at its best, x' = 1) has
    no obstacle and O is 0/0: ``no_obstacle="nan"`` (default) gives a NaN row and a warning
    naming it; ``"zero"`` gives a row of zeros (which then sums to 0, not 1). Missing values
    raise under ``missing="raise"`` (default); ``"keep"`` makes the whole row NaN (shares
    are not renormalised over the indicators observed).

    Reference: 鲁春阳, 文枫, 杨庆媛, 王亚平 (2011). 基于改进TOPSIS法的城市土地利用绩效评价及
    障碍因子诊断. 资源科学 33(3):535-541 (factor contribution, deviation, obstacle degree).

    Parameters
    ----------
    standardized : pandas.DataFrame
        x'_ij in [0, 1], one column per indicator id, one row per region-year.
    weights : pandas.Series or mapping
        Weight w_j ≥ 0 per indicator id (e.g. entropy weights); must cover every column of
        ``standardized`` (entries for other indicators are not used); not all 0.
    eligible : pandas.DataFrame of bool, optional
        True where an indicator applies to a row (same index as ``standardized``, a column for
        each of its columns; extra columns are not used), e.g. ``FrameworkScores.eligible``.
        Values of ``standardized`` in cells that do not apply are ignored (may be missing).
        Default: every indicator applies everywhere.
    no_obstacle : {"nan", "zero"}
    missing : {"raise", "keep"}

    Returns
    -------
    pandas.DataFrame
        O_ij ≥ 0 with the index and columns of ``standardized``; rows sum to 1.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [0.0, 0.5], "b": [1.0, 0.5]}, index=["甲县", "乙县"])
    >>> obstacle_degree(x, pd.Series({"a": 0.25, "b": 0.75}))
           a     b
    甲县  1.00  0.00
    乙县  0.25  0.75
    """
    check_option("no_obstacle", no_obstacle, NoObstacleRule)
    check_option("missing", missing, MissingRule)
    what = "标准化值 standardized"
    x = _numeric_frame(standardized, what)
    w = pd.Series(weights, dtype=float)
    absent = standardized.columns.difference(w.index, sort=False)
    if absent.size:
        raise InputError(f"这些指标没有权重 / no weight for: {first_rows(absent)}",
                         column=str(absent[0]), hint="为每个指标给出权重（如熵值法权重）")
    f = w.reindex(standardized.columns).to_numpy()
    bad = standardized.columns[~np.isfinite(f) | (f < 0)]
    if bad.size:
        raise InputError(f"这些指标的权重缺失或为负 / missing or negative weights: "
                         f"{first_rows(bad)}", column=str(bad[0]),
                         hint="权重应为非负有限数；先估计权重（熵值法等）")
    if not (f > 0).any():
        raise InputError("所有指标的权重均为 0 / all weights are 0",
                         hint="至少一个指标的权重应大于 0")
    applies = _applicable(eligible, standardized)
    x = np.where(applies, x, np.nan)
    _check_unit_interval(x, standardized, what)
    _missing_rows(np.where(applies, x, 0.0), standardized, what, missing)
    contribution = np.where(applies, (1.0 - x) * f, 0.0)
    total = contribution.sum(axis=1, keepdims=True)
    none = (total[:, 0] == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = contribution / total
    if none.any():
        shares[none] = np.nan if no_obstacle == "nan" else 0.0
        if no_obstacle == "nan":
            warnings.warn(
                "这些行没有障碍（加权指标均已达最优 x' = 1），障碍度记为 NaN / no obstacle in "
                f"rows (set to NaN): {first_rows(standardized.index[none])}",
                UserWarning, stacklevel=2,
            )
    shares[~applies] = np.nan
    return pd.DataFrame(shares, index=standardized.index, columns=standardized.columns)


def _applicable(eligible: pd.DataFrame | None, standardized: pd.DataFrame) -> np.ndarray:
    """Boolean mask of the cells of ``standardized`` whose indicator applies to the row."""
    if eligible is None:
        return np.ones(standardized.shape, dtype=bool)
    if not isinstance(eligible, pd.DataFrame) or not eligible.index.equals(standardized.index):
        raise InputError("eligible 应为与 standardized 同索引的 DataFrame / eligible must be a "
                         "DataFrame with the index of standardized",
                         hint="例如 FrameworkScores.eligible / e.g. FrameworkScores.eligible")
    absent = standardized.columns.difference(eligible.columns, sort=False)
    if absent.size:
        raise InputError(f"eligible 缺少这些指标 / eligible lacks: {first_rows(absent)}",
                         column=str(absent[0]), hint="每个指标一列 True/False")
    mask = eligible[standardized.columns]
    bad = [c for c in mask.columns
           if not pd.api.types.is_bool_dtype(mask[c]) or mask[c].isna().any()]
    if bad:
        raise InputError(f"eligible 的列应为布尔值 / eligible columns must be boolean: "
                         f"{first_rows(bad)}", column=str(bad[0]),
                         hint="True = 该指标适用于该地区 / True where the indicator applies")
    return mask.to_numpy(dtype=bool)


def obstacle_by_group(obstacles: pd.DataFrame, groups: pd.Series | Mapping[str, str]
                      ) -> pd.DataFrame:
    """维度障碍度 — obstacle degree of each group of indicators (e.g. dimension, 准则层).

    U_ik = Σ_{j ∈ group k} O_ij: the shares of a group's indicators add up (鲁春阳 et al. 2011).
    Rows of ``obstacles`` that are NaN stay NaN.

    Parameters
    ----------
    obstacles : pandas.DataFrame
        Output of :func:`obstacle_degree` (indicator columns).
    groups : pandas.Series or mapping
        Indicator id → group, covering every column, e.g.
        ``framework.indicator_table()["dimension"]``.

    Returns
    -------
    pandas.DataFrame
        One column per group (in order of first appearance among the columns), index of
        ``obstacles``; rows sum as the rows of ``obstacles`` do.

    Examples
    --------
    >>> o = pd.DataFrame({"a": [0.2], "b": [0.3], "c": [0.5]})
    >>> obstacle_by_group(o, {"a": "产业兴旺", "b": "产业兴旺", "c": "生活富裕"})
       产业兴旺  生活富裕
    0   0.5   0.5
    """
    values = _numeric_frame(obstacles, "障碍度 obstacles")
    mapping = pd.Series(groups)
    mapped = mapping.reindex(obstacles.columns)
    absent = obstacles.columns[mapped.isna().to_numpy()]
    if absent.size:
        raise InputError(f"这些指标没有所属分组 / no group for: {first_rows(absent)}",
                         column=str(absent[0]),
                         hint='例如 groups=framework.indicator_table()["dimension"]')
    codes, uniques = pd.factorize(mapped)
    member = np.zeros((codes.size, uniques.size))
    member[np.arange(codes.size), codes] = 1.0
    out = pd.DataFrame(values @ member, index=obstacles.index, columns=pd.Index(uniques))
    out.columns.name = mapping.name
    return out


def top_obstacles(obstacles: pd.DataFrame, k: int = 3, *,
                  names: pd.Series | Mapping[str, str] | None = None) -> pd.DataFrame:
    """主要障碍因子 — the k largest obstacles of each row, as a tidy table.

    Ties keep the column order. Rows of ``obstacles`` that are NaN (no obstacle, or missing)
    are kept, with ``indicator`` missing and ``share`` NaN.

    Parameters
    ----------
    obstacles : pandas.DataFrame
        Output of :func:`obstacle_degree` or :func:`obstacle_by_group`.
    k : int
        How many per row (1 ≤ k ≤ number of columns).
    names : pandas.Series or mapping, optional
        Column → display name (e.g. ``framework.indicator_table()["name_zh"]``), added as
        column ``name``.

    Returns
    -------
    pandas.DataFrame
        The index levels of ``obstacles`` as columns, then ``rank`` (1 = largest),
        ``indicator``, ``share`` (and ``name``); k rows per input row.

    Examples
    --------
    >>> o = pd.DataFrame({"a": [0.2, 0.6], "b": [0.5, 0.1], "c": [0.3, 0.3]},
    ...                  index=pd.Index(["甲县", "乙县"], name="region"))
    >>> top_obstacles(o, k=2)
      region  rank indicator  share
    0     甲县     1         b    0.5
    1     甲县     2         c    0.3
    2     乙县     1         a    0.6
    3     乙县     2         c    0.3
    """
    values = _numeric_frame(obstacles, "障碍度 obstacles")
    n_rows, n_cols = values.shape
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n_cols:
        raise InputError(f"k={k!r} 无效，应为 1 到 {n_cols} 的整数 / k must be an integer in "
                         f"[1, {n_cols}]", hint="例如 k=3")
    order = np.argsort(-values, axis=1, kind="stable")[:, :k].ravel()
    rows = np.repeat(np.arange(n_rows), k)
    share = values[rows, order]
    indicator = pd.array(np.asarray(obstacles.columns)[order], dtype="string")
    indicator[np.isnan(share)] = pd.NA
    out = obstacles.index.take(rows).to_frame(index=False)
    out["rank"] = np.tile(np.arange(1, k + 1), n_rows)
    out["indicator"] = indicator
    out["share"] = share
    if names is not None:
        label = pd.Series(names)
        absent = pd.Index(obstacles.columns).difference(label.index, sort=False)
        if absent.size:
            raise InputError(f"这些指标没有名称 / no name for: {first_rows(absent)}",
                             column=str(absent[0]),
                             hint='例如 names=framework.indicator_table()["name_zh"]')
        out["name"] = pd.array(label.reindex(out["indicator"]).to_numpy(), dtype="string")
    return out

"""Default Alkire–Foster specification for 两不愁三保障 + 饮水安全 + 收入 (多维贫困指标设定).

China's exit standard for households is 一达标、两不愁、三保障: income above the line, no worry
about food and clothing (两不愁), and assured compulsory education, basic medical care and safe
housing (三保障), with safe drinking water (饮水安全) checked alongside. :data:`DEFAULT_AF_SPEC`
turns this into nested Alkire–Foster weights in OPHI's usual way (Alkire et al. 2015, ch. 5):
equal weights across dimensions, equal weights within a dimension —

=========  ======  ======================================================
dimension  weight  indicators (household column; deprived when ...)
=========  ======  ======================================================
两不愁      1/4     吃穿不愁 (``food_clothing_ok`` is False)
三保障      1/4     义务教育, 基本医疗, 住房安全 (``compulsory_edu_ok``, ``basic_medical_ok``,
                   ``housing_safe_ok`` False), 1/12 each
饮水安全    1/4     饮水安全 (``drinking_water_ok`` False)
收入        1/4     收入 (``income_pc`` < the income line)
=========  ======  ======================================================

Change it with :func:`dataclasses.replace` or build an :class:`AFSpec` of your own; weights are
always derived from the dimension weights, so they sum to 1.

The poverty cutoff k
--------------------
k is a share of the total weight (Alkire & Foster 2011, §2). With these weights:

* k = 1/3 — the OPHI global MPI convention (Alkire & Santos 2014, *World Development* 59;
  Alkire et al. 2015, ch. 5: "deprived in at least one third of the weighted indicators") and
  the kit's report default — means **at least two of the four dimensions deprived** (two of
  吃穿/饮水/收入, or one of them plus any 三保障 item); no single dimension suffices;
* k = 1/4 is a union rule for 吃穿不愁, 饮水安全 and 收入: one of them alone identifies a
  household (as do all three 三保障 items together);
* k = 1/12 (the smallest weight) is the union rule of the national exit standard
  一达标两不愁三保障: any failed condition.

:meth:`AFSpec.identification_rule` states the rule of any k in words, for reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import aligned, finite_array, first_rows, require_columns
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.poverty.af import K_TOLERANCE
from linkage.poverty.units import Per, unit_weights

__all__ = ["DEFAULT_AF_SPEC", "AFDimension", "AFIndicator", "AFInputs", "AFSpec", "af_inputs"]

IndicatorKind = Literal["status", "income"]


@dataclass(frozen=True)
class AFDimension:
    """A dimension (维度) with its weight, a share of the total."""

    id: str
    name_zh: str
    weight: float
    name_en: str = ""


@dataclass(frozen=True)
class AFIndicator:
    """An AF indicator read from a household column.

    ``kind="status"``: a boolean column, True = 达标 (not deprived); ``kind="income"``: a
    numeric column compared with the income line (deprived when below it).
    """

    id: str
    name_zh: str
    dimension: str
    column: str
    kind: IndicatorKind
    name_en: str = ""


@dataclass(frozen=True)
class AFSpec:
    """Nested AF specification: dimensions with weights, indicators sharing them equally."""

    dimensions: tuple[AFDimension, ...]
    indicators: tuple[AFIndicator, ...]

    def __post_init__(self) -> None:
        dims = [d.id for d in self.dimensions]
        total = sum(d.weight for d in self.dimensions)
        problems = []
        if len(set(dims)) != len(dims) or len({i.id for i in self.indicators}) != len(
                self.indicators):
            problems.append("维度或指标 id 重复 / duplicate ids")
        if any(d.weight <= 0 for d in self.dimensions) or abs(total - 1) > 1e-9:
            problems.append(f"维度权重须为正且和为 1（实际和 {total:.6g}）/ dimension weights must "
                            "be positive and sum to 1")
        unknown = sorted({i.dimension for i in self.indicators} - set(dims))
        empty = [d for d in dims if not any(i.dimension == d for i in self.indicators)]
        if unknown or empty:
            problems.append(f"未定义的维度 {unknown}，无指标的维度 {empty} / unknown or empty "
                            "dimensions")
        if problems:
            raise InputError("AF 指标设定有误：" + "；".join(problems))

    def weights(self) -> pd.Series:
        """Indicator weights: dimension weight / number of indicators in that dimension."""
        counts = pd.Series([i.dimension for i in self.indicators]).value_counts()
        by_dim = {d.id: d.weight for d in self.dimensions}
        return pd.Series({i.id: by_dim[i.dimension] / counts[i.dimension]
                          for i in self.indicators}, name="weight")

    def names(self, language: Language = "zh") -> pd.Series:
        """Indicator names in ``language``, indexed by indicator id."""
        return pd.Series({i.id: i.name_zh if is_zh(language) else (i.name_en or i.id)
                          for i in self.indicators}, name="name")

    def identification_rule(self, k: float, language: Language = "zh") -> str:
        """What the poverty cutoff ``k`` means for this specification, in words (识别规则).

        With nested weights, c_i ≥ k is reached by different combinations of deprivations. The
        sentence states, exactly for these weights: which single indicators reach k on their
        own (a union rule for those indicators), how many dimensions at least must show a
        deprivation, and how many dimensions with any one deprivation always suffice.

        Examples
        --------
        >>> rule = DEFAULT_AF_SPEC.identification_rule(1 / 3)
        >>> rule.startswith("k = 1/3"), "至少需要 2 个维度存在剥夺" in rule
        (True, True)
        """
        k = float(k)
        weights = self.weights()
        of_dim = pd.Series({i.id: i.dimension for i in self.indicators})
        by_dim = weights.groupby(of_dim)
        reach = k - K_TOLERANCE
        full = np.sort(by_dim.sum().to_numpy())[::-1]       # heaviest dimensions first
        lightest = np.sort(by_dim.min().to_numpy())           # cheapest deprivation per dim
        m = np.arange(1, len(full) + 1)
        some = int(m[np.cumsum(full) >= reach][0]) if (np.cumsum(full) >= reach).any() else None
        every = (int(m[np.cumsum(lightest) >= reach][0])
                 if (np.cumsum(lightest) >= reach).any() else None)
        single = [i.id for i in self.indicators if weights[i.id] >= reach]
        whole = [d for d in self.dimensions
                 if by_dim.sum()[d.id] >= reach and by_dim.max()[d.id] < reach]
        frac = Fraction(k).limit_denominator(48)
        shown = str(frac) if abs(float(frac) - k) < 1e-9 else f"{k:.3g}"
        names = self.names(language)
        zh = is_zh(language)
        join = "、" if zh else ", "

        def dim_name(d: AFDimension) -> str:
            return d.name_zh if zh else (d.name_en or d.id)

        out = [f"k = {shown}：加权剥夺得分 ≥ {shown} 即为多维贫困。" if zh else
               f"k = {shown}: a weighted deprivation score ≥ {shown} identifies the "
               "multidimensionally poor."]
        if len(single) == len(self.indicators):
            out.append("任何一项指标被剥夺即达到 k（并集规则，union）。" if zh else
                       "Any single deprivation reaches k (the union rule).")
        elif some is None:
            out.append("没有任何剥夺组合能达到 k。" if zh else "No combination of deprivations "
                       "reaches k.")
        elif k >= 1 - K_TOLERANCE:
            out.append("须所有指标都被剥夺（交集规则，intersection）。" if zh else
                       "Every indicator must be deprived (the intersection rule).")
        else:
            if single:
                listed = join.join(names[j] for j in single)
                out.append(f"{listed}任一项被剥夺即达到 k（对这些指标相当于并集规则，union）。"
                           if zh else f"A deprivation in any one of {listed} alone reaches k "
                           "(a union rule for those indicators).")
            if whole:
                listed = join.join(dim_name(d) for d in whole)
                out.append(f"{listed}须其指标全部被剥夺才单独达到 k。" if zh else
                           f"{listed} reaches k alone only when deprived in all its "
                           "indicators.")
            if some >= 2:
                out.append(f"任何单个维度（即使其指标全部被剥夺）都达不到 k，至少需要 {some} 个维度"
                           "存在剥夺；" if zh else "No single dimension reaches k even when "
                           f"deprived in all its indicators: at least {some} dimensions must "
                           "show a deprivation;")
            if every is None:
                out.append("各维度各有一项剥夺也不一定达到 k。" if zh else
                           "one deprivation in every dimension need not reach k.")
            elif every > 1:
                out.append(f"任意 {every} 个维度各有一项剥夺即达到 k。" if zh else
                           f"any {every} dimensions with one deprivation each reach k.")
        if zh:
            return "".join(out)
        text = out[0]
        for part in out[1:]:
            text += " " + (part if text.endswith(";") else part[0].upper() + part[1:])
        return text


DEFAULT_AF_SPEC = AFSpec(
    dimensions=(
        AFDimension("two_assurances_free", "两不愁", 0.25, "food and clothing"),
        AFDimension("three_guarantees", "三保障", 0.25, "three guarantees"),
        AFDimension("drinking_water", "饮水安全", 0.25, "safe drinking water"),
        AFDimension("income", "收入", 0.25, "income"),
    ),
    indicators=(
        AFIndicator("food_clothing", "吃穿不愁", "two_assurances_free", "food_clothing_ok",
                    "status", "food and clothing"),
        AFIndicator("compulsory_edu", "义务教育有保障", "three_guarantees", "compulsory_edu_ok",
                    "status", "compulsory education"),
        AFIndicator("basic_medical", "基本医疗有保障", "three_guarantees", "basic_medical_ok",
                    "status", "basic medical care"),
        AFIndicator("housing_safe", "住房安全有保障", "three_guarantees", "housing_safe_ok",
                    "status", "safe housing"),
        AFIndicator("drinking_water", "饮水安全有保障", "drinking_water", "drinking_water_ok",
                    "status", "safe drinking water"),
        AFIndicator("income", "人均纯收入达标", "income", "income_pc", "income",
                    "income"),
    ),
)
"""两不愁三保障 + 饮水安全 + 收入, equal nested weights (see the module docstring)."""


@dataclass(frozen=True)
class AFInputs:
    """Arguments for :func:`linkage.poverty.alkire_foster` built from a household table.

    ``sample_weight`` are the unit weights of ``per``: household weight × household size for
    rates per person (人), the household weight for rates per household (户).
    """

    data: pd.DataFrame
    cutoffs: dict[str, float | pd.Series]
    weights: pd.Series
    names: pd.Series
    sample_weight: pd.Series
    per: Per


def _income_line(households: pd.DataFrame,
                 income_line: float | Mapping[int, float] | pd.Series) -> float | pd.Series:
    if isinstance(income_line, Mapping):
        if "year" not in households.columns:
            raise InputError("按年份给出收入线时数据须有 “year” 列 / a line by year needs a "
                             "'year' column", column="year")
        years = households["year"]
        missing = sorted(set(years.unique()) - set(income_line))
        if missing:
            raise InputError(f"收入线缺少年份 {missing} / income line missing for years {missing}",
                             column="year", hint="为数据中的每个年份给出收入线 / give a line for "
                                                 "every year in the data")
        line = years.map(dict(income_line)).astype(np.float64)
    elif isinstance(income_line, pd.Series):
        line = aligned(income_line, households.index, "income_line")
    else:
        return float(finite_array(pd.Series([income_line]), "income_line", minimum=0,
                                  strict=True)[0])
    finite_array(line, "income_line", minimum=0, strict=True)
    return line


def af_inputs(households: pd.DataFrame, spec: AFSpec = DEFAULT_AF_SPEC, *,
              income_line: float | Mapping[int, float] | pd.Series | None = None,
              weights: str | pd.Series | None = None, per: Per = "person",
              size: str = "hh_size") -> AFInputs:
    """Household table → AF data, cutoffs, weights and unit weights (两不愁三保障多维贫困输入).

    Status indicators keep their boolean column (True = 达标) with cutoff 1, so deprived means
    False; income indicators keep the income with the income line as cutoff, so deprived means
    income < line (strict, as in FGT). Every member shares the household's deprivations, so
    the rates per person (the Chinese convention, default) weight households by survey weight
    × household size (:func:`linkage.poverty.unit_weights`).

    Parameters
    ----------
    households : DataFrame
        Household monitoring data (columns as in docs/architecture.md).
    spec : AFSpec, default DEFAULT_AF_SPEC
    income_line : float, mapping year → float, or Series, optional
        Income line (元/人/年): one value, one per ``year`` (e.g. the sample's
        ``metadata["monitoring_threshold_yuan"]`` with int keys), or one per row. Required when
        the spec has an income indicator.
    weights : str or Series, optional
        Household survey weights (column name or aligned Series); None = unweighted.
    per : {"person", "household"}, default "person"
        Unit of the rates: persons (人) or households (户).
    size : str, default "hh_size"
        Household size column, used when ``per="person"``.

    Returns
    -------
    AFInputs
        ``data`` (one column per indicator id), ``cutoffs``, ``weights``, Chinese ``names``,
        ``sample_weight`` (pass it to :func:`linkage.poverty.alkire_foster`) and ``per``.

    Examples
    --------
    >>> hh = pd.DataFrame({"food_clothing_ok": [True, False], "compulsory_edu_ok": [True, True],
    ...                    "basic_medical_ok": [True, False], "housing_safe_ok": [True, True],
    ...                    "drinking_water_ok": [True, True], "income_pc": [9000.0, 5000.0],
    ...                    "hh_size": [2, 6]})
    >>> inp = af_inputs(hh, income_line=6600)
    >>> round(float(inp.weights["basic_medical"]), 4), inp.cutoffs["income"]
    (0.0833, 6600.0)
    >>> inp.sample_weight.tolist()  # persons
    [2.0, 6.0]
    """
    require_columns(households, [i.column for i in spec.indicators],
                    what="住户数据 / household data")
    data: dict[str, pd.Series] = {}
    cutoffs: dict[str, float | pd.Series] = {}
    for ind in spec.indicators:
        column = households[ind.column]
        if ind.kind == "status":
            if not pd.api.types.is_bool_dtype(column.dtype) or column.isna().any():
                gaps = column.isna().to_numpy()
                where = (f"，{int(gaps.sum())} 个缺失（行 "
                         f"{first_rows(households.index[gaps], int(gaps.sum()))}）"
                         if gaps.any() else f"，实际类型 {column.dtype}")
                raise InputError(f"“{ind.column}” 须为无缺失的布尔值（True = 达标）{where} / "
                                 "must be boolean without missing values", column=ind.column)
            data[ind.id] = column.astype(bool)
            cutoffs[ind.id] = 1.0
        else:
            if income_line is None:
                raise InputError("该设定含收入指标，请给出 income_line / the spec has an income "
                                 "indicator: pass income_line", column=ind.column,
                                 hint="例如样本元数据中的 monitoring_threshold_yuan / e.g. the "
                                      "sample's monitoring threshold")
            data[ind.id] = column
            cutoffs[ind.id] = _income_line(households, income_line)
    sample_weight = pd.Series(unit_weights(households, weights, per=per, size=size),
                              index=households.index, name="sample_weight")
    return AFInputs(pd.DataFrame(data, index=households.index), cutoffs, spec.weights(),
                    spec.names(), sample_weight, per)

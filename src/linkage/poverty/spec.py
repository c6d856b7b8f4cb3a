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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.poverty._inputs import aligned, finite_array

__all__ = ["DEFAULT_AF_SPEC", "AFDimension", "AFIndicator", "AFInputs", "AFSpec", "af_inputs"]

IndicatorKind = Literal["status", "income"]


@dataclass(frozen=True)
class AFDimension:
    """A dimension (维度) with its weight, a share of the total."""

    id: str
    name_zh: str
    weight: float


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

    def names(self) -> pd.Series:
        """Chinese indicator names, indexed by indicator id."""
        return pd.Series({i.id: i.name_zh for i in self.indicators}, name="name_zh")


DEFAULT_AF_SPEC = AFSpec(
    dimensions=(
        AFDimension("two_assurances_free", "两不愁", 0.25),
        AFDimension("three_guarantees", "三保障", 0.25),
        AFDimension("drinking_water", "饮水安全", 0.25),
        AFDimension("income", "收入", 0.25),
    ),
    indicators=(
        AFIndicator("food_clothing", "吃穿不愁", "two_assurances_free", "food_clothing_ok",
                    "status"),
        AFIndicator("compulsory_edu", "义务教育有保障", "three_guarantees", "compulsory_edu_ok",
                    "status"),
        AFIndicator("basic_medical", "基本医疗有保障", "three_guarantees", "basic_medical_ok",
                    "status"),
        AFIndicator("housing_safe", "住房安全有保障", "three_guarantees", "housing_safe_ok",
                    "status"),
        AFIndicator("drinking_water", "饮水安全有保障", "drinking_water", "drinking_water_ok",
                    "status"),
        AFIndicator("income", "人均纯收入达标", "income", "income_pc", "income"),
    ),
)
"""两不愁三保障 + 饮水安全 + 收入, equal nested weights (see the module docstring)."""


@dataclass(frozen=True)
class AFInputs:
    """Arguments for :func:`linkage.poverty.alkire_foster` built from a household table."""

    data: pd.DataFrame
    cutoffs: dict[str, float | pd.Series]
    weights: pd.Series
    names: pd.Series


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
              income_line: float | Mapping[int, float] | pd.Series | None = None) -> AFInputs:
    """Household table → AF data, cutoffs and weights (两不愁三保障多维贫困输入).

    Status indicators keep their boolean column (True = 达标) with cutoff 1, so deprived means
    False; income indicators keep the income with the income line as cutoff, so deprived means
    income < line (strict, as in FGT).

    Parameters
    ----------
    households : DataFrame
        Household monitoring data (columns as in docs/architecture.md).
    spec : AFSpec, default DEFAULT_AF_SPEC
    income_line : float, mapping year → float, or Series, optional
        Income line (元/人/年): one value, one per ``year`` (e.g. the sample's
        ``metadata["monitoring_threshold_yuan"]`` with int keys), or one per row. Required when
        the spec has an income indicator.

    Returns
    -------
    AFInputs
        ``data`` (one column per indicator id), ``cutoffs``, ``weights`` and Chinese ``names``.

    Examples
    --------
    >>> hh = pd.DataFrame({"food_clothing_ok": [True, False], "compulsory_edu_ok": [True, True],
    ...                    "basic_medical_ok": [True, False], "housing_safe_ok": [True, True],
    ...                    "drinking_water_ok": [True, True], "income_pc": [9000.0, 5000.0]})
    >>> inp = af_inputs(hh, income_line=6600)
    >>> round(float(inp.weights["basic_medical"]), 4), inp.cutoffs["income"]
    (0.0833, 6600.0)
    """
    absent = [i.column for i in spec.indicators if i.column not in households.columns]
    if absent:
        raise InputError(f"住户数据缺少列 {absent} / household data lack columns {absent}",
                         column=absent[0])
    data: dict[str, pd.Series] = {}
    cutoffs: dict[str, float | pd.Series] = {}
    for ind in spec.indicators:
        column = households[ind.column]
        if ind.kind == "status":
            if not pd.api.types.is_bool_dtype(column.dtype) or column.isna().any():
                raise InputError(f"“{ind.column}” 须为无缺失的布尔值（True = 达标）/ must be "
                                 "boolean without missing values", column=ind.column)
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
    return AFInputs(pd.DataFrame(data, index=households.index), cutoffs, spec.weights(),
                    spec.names())

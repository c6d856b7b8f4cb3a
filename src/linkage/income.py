"""Income structure and transfer dependence (收入结构与转移性收入依赖).

* :func:`income_structure` — shares of wage, business, property and transfer income
  (工资性、经营净、财产净、转移净收入占比), by group.
* :func:`transfer_dependence` — households with labour capacity whose income is mostly
  transfers: the "welfare trap" (福利陷阱) the founding article (温美荣, 刘万清) warns about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option, missing_mask, require_columns, survey_weights
from linkage.errors import InputError
from linkage.labels import Language, is_zh
from linkage.poverty.units import Per, unit_name, unit_weights
from linkage.schemas import INCOME_COMPONENTS

__all__ = ["Losses", "Method", "TransferDependence", "income_structure", "transfer_dependence"]

Method = Literal["ratio", "mean"]
Losses = Literal["keep", "zero"]

#: Short names of the income components in result columns.
SHARE_NAMES = {"income_wage": "wage", "income_business": "business",
               "income_property": "property", "income_transfer": "transfer"}


def _keys(households: pd.DataFrame, columns: Sequence[str],
          by: str | Sequence[str] | None) -> list[pd.Series]:
    """Group keys after checking that every needed column exists and has no missing value
    (a missing income is not 0; a missing group key is not a group)."""
    names = [] if by is None else [by] if isinstance(by, str) else list(by)
    what = "农户数据 / household data"
    require_columns(households, [*columns, *names], what=what)
    missing_mask(households, [*columns, *names], "raise", what=what)
    if not names:
        return [pd.Series("全部", index=households.index, name="group")]
    return [households[c] for c in names]


def income_structure(
    households: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    weights: str | pd.Series | None = None,
    method: Method = "ratio",
    losses: Losses = "keep",
) -> pd.DataFrame:
    """Income structure (收入结构): shares of the four income components.

    ``method="ratio"`` (default, the NBS convention behind 《中国统计年鉴》 income composition):
    share_k = Σ_h w_h·y_hk / Σ_h w_h·Y_h — a ratio of weighted sums of household income, so the
    shares are those of the group's total income and equal the per-capita composition NBS
    publishes. ``method="mean"``: the (weighted) mean of household shares y_hk / Y_h, which
    gives every household equal say; it needs Y_h > 0 for every household.

    经营净收入 is *net* and may be negative (an operating loss). ``losses="keep"`` (default,
    as NBS) keeps losses in the total, so the business share can be negative and the shares
    still sum to 1; ``losses="zero"`` counts losses as 0 (gross of losses) in both the
    component and the total.

    Parameters
    ----------
    households : pandas.DataFrame
        ``income_wage, income_business, income_property, income_transfer`` (元/户·年).
    by : str or sequence of str, optional
        Grouping columns (e.g. ``"year"``, ``["region_code", "year"]``); default one group
        labelled 全部.
    weights : str or pandas.Series, optional
        Household survey weights (column name or aligned Series, > 0); default unweighted; a
        named column that is absent raises. Shares are shares of money, so they need no unit
        (persons or households): the household totals are weighted by household weights.
    method : {"ratio", "mean"}
    losses : {"keep", "zero"}

    Returns
    -------
    pandas.DataFrame
        Indexed by group; columns ``wage, business, property, transfer`` (shares, sum 1),
        ``income`` (mean total income per household, 元/户·年) and ``households`` (count).

    Raises
    ------
    InputError
        A group whose total income is ≤ 0 (shares undefined), or with ``method="mean"`` a
        household whose total is ≤ 0 (named by row).

    Examples
    --------
    >>> h = pd.DataFrame({"income_wage": [9163.0], "income_business": [7431.0],
    ...                   "income_property": [540.0], "income_transfer": [4557.0]})
    >>> income_structure(h).round(4).iloc[0, :4].tolist()
    [0.4224, 0.3426, 0.0249, 0.2101]
    """
    check_option("method", method, Method)
    check_option("losses", losses, Losses)
    keys = _keys(households, INCOME_COMPONENTS, by)
    parts = households[list(INCOME_COMPONENTS)].astype("float64").rename(columns=SHARE_NAMES)
    if losses == "zero":
        parts["business"] = parts["business"].clip(lower=0)
    total = parts.sum(axis=1)
    w = pd.Series(survey_weights(weights, households), index=households.index)
    if method == "mean":
        bad = total <= 0
        if bad.any():
            first = bad[bad].index[0]
            raise InputError(
                f"有 {int(bad.sum())} 户总收入 ≤ 0，户均占比无定义（第一户索引 {first}）",
                column="income_business",
                hint="用 method='ratio'（总收入之比），或 losses='zero'，或先剔除这些户并说明")
        numer = parts.div(total, axis=0).mul(w, axis=0)
        denom = w
    else:
        numer = parts.mul(w, axis=0)
        denom = total * w
    sums = numer.groupby(keys, sort=True).sum()
    base = denom.groupby(keys, sort=True).sum()
    if (base <= 0).any():
        raise InputError(f"分组 {base[base <= 0].index[0]} 的总收入 ≤ 0，收入结构无定义",
                         hint="检查该组的收入数据（经营亏损是否过大）")
    out = sums.div(base, axis=0)
    out["income"] = (total * w).groupby(keys, sort=True).sum() / w.groupby(keys, sort=True).sum()
    out["households"] = total.groupby(keys, sort=True).size()
    return out


@dataclass(frozen=True)
class TransferDependence:
    """Transfer dependence (转移性收入依赖) result.

    Attributes
    ----------
    flags : pandas.Series
        Nullable boolean per household row: True = transfer-dependent; <NA> for households
        without labour capacity (not assessed) or without any positive income.
    rates : pandas.DataFrame
        By group: ``assessed`` (sample households with n_labour ≥ min_labour and positive
        income), ``dependent``, ``rate`` (dependent / assessed, weighted by the unit weights of
        ``per`` and the survey weights when given), ``no_income`` (households with labour
        capacity but no positive income, not assessed and counted here rather than dropped).
    threshold : float
    min_labour : int
    per : {"household", "person"}
        Unit of ``rate``.
    """

    flags: pd.Series
    rates: pd.DataFrame
    threshold: float
    min_labour: int
    per: Per = "household"

    def to_frame(self) -> pd.DataFrame:
        """The rates table (a copy)."""
        return self.rates.copy()

    def summary(self, language: Language = "zh") -> str:
        """The rate per group, in ``language``."""
        unit = unit_name(self.per, language)
        if is_zh(language):
            lines = [f"转移性收入依赖（转移净收入占比 ≥ {self.threshold:.0%}，"
                     f"劳动力 ≥ {self.min_labour} 人的农户；比例按{unit}计）："]
            tail = "户"
        else:
            lines = [f"Transfer dependence (transfers ≥ {self.threshold:.0%} of gross income, "
                     f"households with ≥ {self.min_labour} labourers; share of {unit}):"]
            tail = " households"
        for key, rec in self.rates.iterrows():
            lines.append(f"  {key}: {rec['rate']:.1%} ({int(rec['dependent'])}/"
                         f"{int(rec['assessed'])}{tail})")
        return "\n".join(lines)


def transfer_dependence(
    households: pd.DataFrame,
    *,
    threshold: float = 0.5,
    min_labour: int = 1,
    by: str | Sequence[str] | None = None,
    weights: str | pd.Series | None = None,
    per: Per = "household",
    size: str = "hh_size",
) -> TransferDependence:
    """Transfer dependence (转移性收入依赖, 福利陷阱) among households able to work.

    A household with labour capacity (``n_labour ≥ min_labour``) is transfer-dependent when
    transfer income is at least ``threshold`` of its gross income:
    income_transfer / (income_wage + max(income_business, 0) + income_property +
    income_transfer) ≥ threshold. Business losses are left out of the denominator (gross
    income): a loss does not make transfers "more than all income". Households without
    labour capacity are not assessed (<NA>), nor are those with no positive income (counted
    in ``no_income``). The indicator operationalises the founding article's warning against
    welfare dependence (温美荣, 刘万清, 《协同推进脱贫成果与乡村振兴有效衔接》: 避免"福利陷阱").

    Labour capacity and transfers are properties of the household, so the rate is per
    household by default (``per="household"``); ``per="person"`` gives the share of persons
    living in such households.

    Parameters
    ----------
    households : pandas.DataFrame
        Four income columns (元/户·年) and ``n_labour`` (``size`` too for ``per="person"``).
    threshold : float, default 0.5
        Share in (0, 1].
    min_labour : int, default 1
        Labour capacity: at least this many labourers (人).
    by, weights
        As in :func:`income_structure`.
    per : {"household", "person"}, default "household"
    size : str, default "hh_size"

    Returns
    -------
    TransferDependence

    Examples
    --------
    >>> h = pd.DataFrame({"income_wage": [1000.0, 9000.0, 0.0], "income_business": [0.0] * 3,
    ...                   "income_property": [0.0] * 3, "income_transfer": [3000.0, 1000.0, 5000.0],
    ...                   "n_labour": [2, 1, 0]})
    >>> transfer_dependence(h).flags.tolist()
    [True, False, <NA>]
    """
    if not 0 < threshold <= 1 or min_labour < 0:
        raise InputError(f"阈值 threshold={threshold} 或 min_labour={min_labour} 无效",
                         hint="threshold 在 (0, 1] 之间；min_labour 为非负整数")
    keys = _keys(households, [*INCOME_COMPONENTS, "n_labour"], by)
    parts = households[list(INCOME_COMPONENTS)].astype("float64")
    gross = parts.sum(axis=1) - parts["income_business"].clip(upper=0)
    able = households["n_labour"].to_numpy() >= min_labour
    income = gross.to_numpy() > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        dependent = parts["income_transfer"].to_numpy() / gross.to_numpy() >= threshold
    flags = pd.Series(pd.array(np.where(able & income, dependent, False), dtype="boolean"),
                      index=households.index, name="transfer_dependent")
    flags[~(able & income)] = pd.NA
    wt = unit_weights(households, weights, per=per, size=size)
    assessed = able & income
    table = pd.DataFrame({"assessed": assessed, "dependent": assessed & dependent,
                          "no_income": able & ~income,
                          "_wa": assessed * wt, "_wd": (assessed & dependent) * wt},
                         index=households.index)
    rates = table.groupby(keys, sort=True).sum()
    if (rates["assessed"] == 0).any():
        raise InputError(f"分组 {rates.index[rates['assessed'] == 0][0]} 没有可评估的有劳动力农户",
                         hint="检查 n_labour 和 min_labour，或合并分组")
    rates["rate"] = rates.pop("_wd") / rates.pop("_wa")
    rates = rates.astype({"assessed": "int64", "dependent": "int64", "no_income": "int64"})
    return TransferDependence(flags, rates, float(threshold), int(min_labour), per)

"""Outcome equivalence (结果同等性): are the gaps between former poverty counties and the rest
closing on every dimension, and consistently across prefectures?

Works on the framework's dimension scores (:func:`linkage.scoring.score_framework`, scores in
[0, 1], 1 = best) and reuses the kit's gap and convergence functions: the group means and their
differences come from :func:`linkage.inequality.income_gap` (other counties as the reference),
the dispersion across counties and its trend from :func:`linkage.convergence.sigma_convergence`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from linkage.checks import first_rows, require_columns
from linkage.convergence import sigma_convergence
from linkage.errors import InputError
from linkage.inequality import income_gap
from linkage.labels import Language, is_zh

__all__ = ["OutcomeEquivalence", "dimension_progress", "outcome_equivalence"]

_ALL = "全部"
_REGION_WORDS = {"prefecture_code": ("地市", "prefectures"), "region_code": ("县", "counties")}


def _long_scores(scores: pd.DataFrame, dimensions: Sequence[str] | None) -> pd.DataFrame:
    """Scores as a long table ``region_code, year, dimension, value`` (missing values left out)."""
    if not isinstance(scores, pd.DataFrame):
        raise InputError("scores 应为 DataFrame（索引 region_code, year）/ scores must be a "
                         "DataFrame indexed by (region_code, year)",
                         hint="例如 score_framework(panel).wide('dimension')")
    frame = scores
    if set(frame.index.names) >= {"region_code", "year"}:
        frame = frame.reset_index()
    require_columns(frame, ["region_code", "year"], what="维度得分 / scores")
    dims = [c for c in frame.columns if c not in ("region_code", "year")]
    dims = list(dimensions) if dimensions is not None else dims
    require_columns(frame, dims, what="维度得分 / scores")
    if not dims:
        raise InputError("scores 没有维度列 / no dimension columns in scores",
                         hint="传入 score_framework(...).wide('dimension')")
    long = frame.melt(id_vars=["region_code", "year"], value_vars=dims,
                      var_name="dimension", value_name="value")
    long["dimension"] = pd.Categorical(long["dimension"], categories=dims)
    return long.dropna(subset=["value"])


def _years(long: pd.DataFrame, first: int | None, last: int | None) -> tuple[int, int]:
    years = sorted(long["year"].unique())
    first = years[0] if first is None else first
    last = years[-1] if last is None else last
    absent = [y for y in (first, last) if y not in years]
    if absent or first >= last:
        raise InputError(f"年份 first={first}, last={last} 无效 / invalid years", column="year",
                         hint=f"须为数据中的两个年份且 first < last；可选 {years[0]}–{years[-1]}")
    return int(first), int(last)


def dimension_progress(scores: pd.DataFrame, *, first: int | None = None,
                       last: int | None = None,
                       dimensions: Sequence[str] | None = None) -> pd.DataFrame:
    """维度进展 Outcome progress of each dimension: the mean score across counties in the
    first and last year and its change.

    .. math:: \\Delta_k = \\bar S_{k,\\,last} - \\bar S_{k,\\,first},
              \\qquad \\bar S_{kt} = \\tfrac{1}{n_t}\\sum_i S_{ikt}

    (unweighted mean of the counties' dimension scores of :func:`linkage.scoring.score_framework`,
    which are comparable over time with pooled normalisation, the default).

    Parameters
    ----------
    scores : DataFrame
        Index (``region_code``, ``year``), one column per dimension (``FrameworkScores.wide(
        "dimension")``).
    first, last : int, optional
        Years compared; default the first and last year of ``scores``.
    dimensions : list of str, optional
        Columns to use; default all.

    Returns
    -------
    DataFrame
        Indexed by ``dimension``: ``first``, ``last`` (mean scores), ``change``; ``attrs``
        records the years.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["a", "b"], [2020, 2025]],
    ...                                  names=["region_code", "year"])
    >>> s = pd.DataFrame({"industry": [0.2, 0.5, 0.4, 0.5]}, index=idx)
    >>> dimension_progress(s).round(2).to_dict("index")
    {'industry': {'first': 0.3, 'last': 0.5, 'change': 0.2}}
    """
    long = _long_scores(scores, dimensions)
    first, last = _years(long, first, last)
    means = (long[long["year"].isin([first, last])]
             .groupby(["dimension", "year"], observed=True)["value"].mean().unstack("year"))
    out = pd.DataFrame({"first": means[first], "last": means[last]})
    out["change"] = out["last"] - out["first"]
    out.attrs |= {"first": first, "last": last}
    return out


@dataclass(frozen=True)
class OutcomeEquivalence:
    """结果同等性 Gaps between former poverty counties and the rest, by dimension and prefecture.

    Attributes
    ----------
    gaps : DataFrame
        Indexed by ``dimension``: ``gap_first``, ``gap_last`` (mean score of former poverty
        counties − mean of the other counties), ``change`` (last − first), ``closing`` (the
        distance |gap| shrank).
    prefectures : DataFrame
        The same per (``dimension``, ``by`` value), for the prefectures that have counties of
        both groups in both years.
    consistency : DataFrame
        Indexed by ``dimension``: ``n_prefectures`` (with a gap in both years), ``n_closing``,
        ``share_closing`` — how consistently the gap closes across prefectures.
    sigma : DataFrame
        Indexed by ``dimension``: ``sd_first``, ``sd_last`` (standard deviation of the score
        across counties), ``slope`` (OLS trend of the SD per year), ``p``, ``converging``
        (slope < 0 with p < 0.05).
    first, last : int
        Years compared.
    group, by : str
        Columns of the county table used.
    n_counties : int
        Counties in the comparison.
    """

    gaps: pd.DataFrame
    prefectures: pd.DataFrame
    consistency: pd.DataFrame
    sigma: pd.DataFrame
    first: int
    last: int
    group: str
    by: str
    n_counties: int

    def to_frame(self) -> pd.DataFrame:
        """One row per dimension: gap, consistency across prefectures and σ-convergence."""
        sigma = self.sigma.add_prefix("sigma_").rename(columns={
            "sigma_sd_first": "sd_first", "sigma_sd_last": "sd_last"})
        return self.gaps.join(self.consistency).join(sigma)

    def summary(self, language: Language = "zh", *, names: Mapping[str, str] | None = None
                ) -> str:
        """A few sentences in ``language``; ``names`` maps dimension ids to display names."""
        gaps, cons = self.gaps, self.consistency
        names = names or {}
        widening = [names.get(d, d) for d in gaps.index[~gaps["closing"].astype(bool)]]
        closing = gaps.index[gaps["closing"].astype(bool)].tolist()
        converging = self.sigma.index[self.sigma["converging"].astype(bool)].tolist()
        mean_share = cons["share_closing"].mean()
        region = _REGION_WORDS.get(self.by, (self.by, self.by))
        if is_zh(language):
            lines = [f"{self.first}–{self.last} 年，原贫困县与其他县的维度得分差距在 "
                     f"{len(closing)}/{len(gaps)} 个维度上缩小"
                     + (f"，在 {'、'.join(map(str, widening))} 上未缩小。" if widening else "。"),
                     f"分{region[0]}看，差距缩小的{region[0]}占比平均 {mean_share:.0%}"
                     f"（各维度在 {cons['share_closing'].min():.0%}–"
                     f"{cons['share_closing'].max():.0%} 之间）。",
                     f"县际得分离散度显著下降（σ收敛）的维度 {len(converging)} 个。"]
            return "\n".join(lines)
        lines = [f"{self.first}–{self.last}: the gap between former poverty counties and the "
                 f"rest narrowed on {len(closing)} of {len(gaps)} dimensions"
                 + (f"; not on {', '.join(map(str, widening))}." if widening else "."),
                 f"Across {region[1]} the gap narrowed in {mean_share:.0%} of them on average "
                 f"(by dimension {cons['share_closing'].min():.0%}–"
                 f"{cons['share_closing'].max():.0%}).",
                 f"Significant σ-convergence of the scores across counties on {len(converging)} "
                 "dimensions."]
        return "\n".join(lines)


def _county_attributes(counties: pd.DataFrame, group: str, by: str,
                       regions: np.ndarray) -> pd.DataFrame:
    table = counties.reset_index() if "region_code" not in counties.columns else counties
    require_columns(table, ["region_code", group, by], what="县表 / counties")
    table = table.drop_duplicates("region_code").set_index("region_code")
    absent = [r for r in pd.unique(regions) if r not in table.index]
    if absent:
        raise InputError(f"县表中没有这些县：{first_rows(absent)} / counties missing from the "
                         "county table", column="region_code",
                         hint="县表须包含得分中的每个县 / list every county of the scores")
    flag = table[group]
    if not flag.dropna().isin([True, False]).all() or flag.isna().any():
        raise InputError(f"列 “{group}” 须为是/否（True/False 或 1/0），不能缺失 / {group!r} "
                         "must be boolean", column=group)
    return pd.DataFrame({"group": flag.astype(bool), "scope": table[by].astype(str)})


def _closing(gap: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    out = pd.DataFrame({"gap_first": gap[first], "gap_last": gap[last]})
    out = out.dropna()
    out["change"] = out["gap_last"] - out["gap_first"]
    out["closing"] = out["gap_last"].abs() < out["gap_first"].abs()
    return out


def _sigma(long: pd.DataFrame) -> pd.DataFrame:
    """σ of the score per dimension: ``sigma_convergence`` on exp(score), whose SD of logs is
    exactly the SD of the score (scores include 0, so no log of the score is taken)."""
    rows = {}
    for dim, part in long.groupby("dimension", observed=True):
        result = sigma_convergence(part.assign(e=np.exp(part["value"])), value="e")
        sd = result.table["sd_log"]
        rows[dim] = {"sd_first": sd.iloc[0], "sd_last": sd.iloc[-1], "slope": result.slope,
                     "p": result.p, "converging": result.converging}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("dimension")


def outcome_equivalence(scores: pd.DataFrame, counties: pd.DataFrame, *,
                        group: str = "poverty_county", by: str = "prefecture_code",
                        first: int | None = None, last: int | None = None,
                        dimensions: Sequence[str] | None = None) -> OutcomeEquivalence:
    """结果同等性 Are the gaps between former poverty counties and the rest closing,
    consistently across prefectures?

    For each dimension k and year t the gap is the difference of group means

    .. math:: G_{kt} = \\bar S_{kt}^{\\,poverty} - \\bar S_{kt}^{\\,other}

    from :func:`linkage.inequality.income_gap` (``reference`` = the other counties; unweighted
    county means). The gap *closes* when :math:`|G_{k,last}| < |G_{k,first}|` (the distance
    shrinks, whichever group leads). The same is computed within every prefecture that has
    counties of both groups in both years; the **consistency** of a dimension is the share of
    those prefectures where its gap closes. σ-convergence of the dimension score across all
    counties (Barro & Sala-i-Martin 1992, JPE 100:223–251) comes from
    :func:`linkage.convergence.sigma_convergence` applied to exp(score), whose SD of logs is the
    SD of the score itself — scores in [0, 1] include 0 and are not logged. Years between
    ``first`` and ``last`` enter the σ trend (at least three years needed).

    The gaps are descriptive (a census of counties); for intervals of a change use
    :func:`linkage.inequality.gap_change` on one dimension.

    Parameters
    ----------
    scores : DataFrame
        Dimension scores, index (``region_code``, ``year``), one column per dimension
        (``score_framework(...).wide("dimension")``).
    counties : DataFrame
        County table (indexed by or with ``region_code``), with ``group`` and ``by``.
    group : str
        Boolean column marking former poverty counties.
    by : str
        Column of the regions compared for consistency (prefectures).
    first, last : int, optional
        Years compared; default the first and last year of ``scores``.
    dimensions : list of str, optional
        Dimensions to use; default every column of ``scores``.

    Returns
    -------
    OutcomeEquivalence

    Examples
    --------
    >>> idx = pd.MultiIndex.from_product([["a", "b", "c", "d"], [2020, 2021, 2022]],
    ...                                  names=["region_code", "year"])
    >>> s = pd.DataFrame({"industry": [.2, .3, .4, .6, .6, .6, .3, .35, .4, .5, .5, .5]},
    ...                  index=idx)
    >>> c = pd.DataFrame({"region_code": list("abcd"), "poverty_county": [1, 0, 1, 0],
    ...                   "prefecture_code": ["p1", "p1", "p2", "p2"]})
    >>> oe = outcome_equivalence(s, c)
    >>> oe.gaps.round(2).loc["industry", ["gap_first", "gap_last"]].tolist()
    [-0.3, -0.15]
    """
    long = _long_scores(scores, dimensions)
    first, last = _years(long, first, last)
    long = long[(long["year"] >= first) & (long["year"] <= last)]
    attrs = _county_attributes(counties, group, by, long["region_code"].to_numpy())
    long = long.join(attrs, on="region_code")
    stacked = pd.concat([long.assign(scope=_ALL), long], ignore_index=True)
    ends = stacked[stacked["year"].isin([first, last])]
    cells = pd.MultiIndex.from_frame(ends[["dimension", "scope", "year"]])
    code, cell_index = pd.factorize(cells)
    ends = ends.assign(cell=code)
    # cells without counties of both groups have no gap (and income_gap needs the reference)
    both = ends.groupby("cell")["group"].agg(["min", "max"])
    usable = both.index[(both["min"] == False) & (both["max"] == True)]  # noqa: E712
    table = income_gap(ends[ends["cell"].isin(usable)], value="value", group="group",
                       by="cell", reference=False)
    gap = table.xs(True, level="group")["difference"]
    gap.index = cell_index[gap.index.to_numpy()].set_names(["dimension", "scope", "year"])
    wide = gap.unstack("year").reindex(columns=[first, last])
    order = [d for d in long["dimension"].cat.categories if d in set(long["dimension"])]
    overall = _closing(wide.xs(_ALL, level="scope"), first, last).reindex(order)
    regional = _closing(wide.drop(index=_ALL, level="scope"), first, last)
    regional.index = regional.index.set_names(["dimension", by])
    counts = regional.groupby(level="dimension", observed=True)["closing"].agg(["size", "sum"])
    consistency = pd.DataFrame({"n_prefectures": counts["size"].astype(int),
                                "n_closing": counts["sum"].astype(int)})
    consistency["share_closing"] = consistency["n_closing"] / consistency["n_prefectures"]
    return OutcomeEquivalence(
        gaps=overall.rename_axis("dimension"), prefectures=regional,
        consistency=consistency.reindex(overall.index).rename_axis("dimension"),
        sigma=_sigma(long), first=first, last=last, group=group, by=by,
        n_counties=int(long["region_code"].nunique()))

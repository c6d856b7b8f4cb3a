"""全国省级真实数据 (real data): provinces' rural income 2013–2020 and the 832 exit calendar.

The one chapter of the flagship report built on **real statistics only**, so that the demo
shows the kit's methods on real numbers and not only on the simulated province:

- rural per-capita disposable income (农村居民人均可支配收入) of the 31 provinces, its
  nominal growth and the urban–rural income ratio (城乡收入比, urban / rural), from
  ``linkage.datasets.load("province_income_rural_urban_2010_2020")`` (国家统计局《中国统计年鉴》
  as compiled by a researcher; see ``data/raw/reference/SOURCES.md``);
- σ- and β-convergence across provinces (:mod:`linkage.convergence`; 31 clusters are fewer
  than :data:`linkage.checks.FEW_CLUSTERS`, so β's p-value and interval come from the kit's
  wild cluster bootstrap under ``inference="auto"``);
- the Theil T index across provinces split between and within the NBS regions
  (:mod:`linkage.inequality`): the four regions 东部/中部/西部/东北 of the NBS classification
  of 2011 (:func:`province_regions`, shipped as data with its source), and, as a check, the
  three belts 东部/中部/西部 with the 东北 provinces folded in (辽宁 → 东部, 吉林、黑龙江 →
  中部, as in the three belts of the Seventh Five-Year Plan);
- the exit (摘帽) calendar of the 832 national poverty counties by province and year
  (:func:`exit_calendar`; yearly totals checked against the published 28/125/283/344/52).

Only 2013–2020 are offered: 2013 is the first year of the NBS integrated household survey
(可支配收入 basis) and the table ends in 2020; its 2010–2012 rural values have an unverified
basis. The 2013 old-basis rural *net* income (纯收入) of ``province_rural_net_income_2013_partial``
(19 provinces) is a different measure: it is reported beside, never joined.

The results do not depend on the report's region and are computed once per batch
(:func:`linkage.reporting.cache.once`). Provinces are not weighted by population (the shipped
tables have no provincial rural population): every statistic describes the 31 provinces as
units, not rural residents as individuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage import convergence, datasets, inequality, plotting
from linkage.checks import MIN_REPS, SEED, Inference, check_option
from linkage.convergence import BetaResult, SigmaResult
from linkage.errors import DataValidationError, InputError
from linkage.labels import Language, is_zh
from linkage.panel import PanelData
from linkage.reporting.document import Section, SectionBuilder

__all__ = [
    "EXIT_YEARS",
    "FIRST_YEAR",
    "KEY",
    "LAST_YEAR",
    "REGIONS_FILE",
    "REGION_EN",
    "TITLE",
    "ProvincialIncome",
    "build",
    "exit_calendar",
    "province_context",
    "province_regions",
    "provincial_income",
    "title",
]

KEY = "national"
TITLE: dict[str, str] = {"zh": "全国省级农村收入与贫困县退出（真实数据）",
                         "en": "Provinces of China: rural income and the exit of poverty "
                               "counties (real data)"}

#: Years offered: the disposable-income basis starts in 2013; the provincial table ends in 2020.
FIRST_YEAR, LAST_YEAR = 2013, 2020

#: Exit (摘帽) years of the 832 poverty counties.
EXIT_YEARS: tuple[int, ...] = (2016, 2017, 2018, 2019, 2020)

#: The NBS regions as data: province code, names, the four regions of 2011, the three belts
#: with 东北 folded in, the basis of that folding and the source of every row.
REGIONS_FILE = Path(__file__).with_name("nbs_regions.csv")

#: The region names in English reports.
REGION_EN: dict[str, str] = {"东部": "East", "中部": "Central", "西部": "West",
                             "东北": "Northeast", "全国": "China"}

_REGION_ORDER = ("东部", "中部", "西部", "东北")

_INCOME_TABLE = "province_income_rural_urban_2010_2020"
_EXIT_TABLE = "poverty_county_exit_list_832_coded"
_NET_TABLE = "province_rural_net_income_2013_partial"


def title(language: Language = "zh") -> str:
    """The chapter title in ``language``."""
    return TITLE["zh" if is_zh(language) else "en"]


def _regions_table() -> pd.DataFrame:
    """The classification file as text (31 rows: read each time, no module-level cache)."""
    return pd.read_csv(REGIONS_FILE, dtype=str, keep_default_na=False)


def province_regions() -> pd.DataFrame:
    """The NBS regional classification of the 31 provinces (东中西部和东北地区划分), as data.

    Four regions as the National Bureau of Statistics defines them since 2011 (东部 10,
    中部 6, 西部 12, 东北 3 provinces; 国家统计局《东西中部和东北地区划分方法》, 2011-06-13), and
    the older three belts with the 东北 provinces folded in (辽宁 → 东部; 吉林、黑龙江 → 中部,
    as in the Seventh Five-Year Plan of 1986; 内蒙古 and 广西 are 西部 in both since the
    western development policy, 国发〔2000〕33号). Read from :data:`REGIONS_FILE`.

    Returns
    -------
    pandas.DataFrame
        31 rows: ``province_code`` (6-character text), ``province`` (short name as in the
        yearbook tables), ``province_en``, ``region``, ``region_three``,
        ``three_region_basis``, ``source``.

    Examples
    --------
    >>> r = province_regions().set_index("province")
    >>> r.loc["辽宁", "region"], r.loc["辽宁", "region_three"]
    ('东北', '东部')
    """
    return _regions_table()


def exit_calendar() -> pd.DataFrame:
    """The 832 poverty counties by province and exit (摘帽) year, 2016–2020 (贫困县退出进程).

    Counted from ``poverty_county_exit_list_832_coded`` (each county's province is the first
    two digits of its code); the yearly totals are checked against the published totals of
    ``poverty_county_exit`` (28, 125, 283, 344, 52).

    Returns
    -------
    pandas.DataFrame
        One row per province with poverty counties (22), ordered by total (then code): index
        ``province_code``; columns ``province``, ``province_en``, ``region``, one column per
        exit year (int counts, 0 where none) and ``total``.

    Raises
    ------
    linkage.errors.DataValidationError
        When the list's yearly totals differ from the published ones.

    Examples
    --------
    >>> cal = exit_calendar()
    >>> [int(cal[y].sum()) for y in EXIT_YEARS], int(cal["total"].sum())
    ([28, 125, 283, 344, 52], 832)
    """
    counties = datasets.load(_EXIT_TABLE)
    province = counties["region_code"].str[:2] + "0000"
    counts = pd.crosstab(province.rename("province_code"), counties["exit_year"])
    counts = counts.reindex(columns=list(EXIT_YEARS), fill_value=0)
    published = datasets.load("poverty_county_exit").set_index("year")["counties_exited"]
    wrong = [y for y in EXIT_YEARS if int(counts[y].sum()) != int(published.get(y, -1))]
    if wrong:
        raise DataValidationError(
            f"832 县名单 {wrong[0]} 年摘帽 {int(counts[wrong[0]].sum())} 个，与公布的 "
            f"{published.get(wrong[0])} 个不符 / exit list disagrees with the published total",
            file=f"{_EXIT_TABLE}.csv", column="exit_year",
            hint="核对名单中的摘帽年份 / check the exit years of the list")
    regions = _regions_table().set_index("province_code")
    unknown = counts.index.difference(regions.index)
    if len(unknown):
        raise DataValidationError(
            f"县代码的省级前缀 {unknown[0][:2]} 不是 31 个省份之一 / unknown province prefix",
            file=f"{_EXIT_TABLE}.csv", column="region_code",
            hint="检查 region_code 列 / check the region_code column")
    out = regions.loc[counts.index, ["province", "province_en", "region"]].join(counts)
    out["total"] = counts.sum(axis=1)
    out.columns = [c if isinstance(c, str) else int(c) for c in out.columns]
    out = out.assign(_code=out.index).sort_values(["total", "_code"],
                                                  ascending=[False, True])
    return out.drop(columns="_code")


@dataclass(frozen=True)
class ProvincialIncome:
    """Provinces' rural income, its gaps and convergence, and the exit calendar (真实数据).

    Attributes
    ----------
    panel : DataFrame
        One row per province-year: ``province_code, province, province_en, region,
        region_three, year, rural, urban`` (元 per person per year) and ``ratio``
        (urban / rural).
    national : DataFrame
        The 全国 rows, indexed by year: ``rural``, ``urban``, ``ratio``.
    provinces : DataFrame
        Indexed by ``province_code``: names, ``region``, ``rural_first``, ``rural_last``,
        ``growth_pct`` (average annual nominal growth, %), ``rank_last`` (1 = highest rural
        income in the last year), ``ratio_first``, ``ratio_last``, ``fell`` (years in which
        rural income fell from the year before, as text; empty when none).
    regions : DataFrame
        Indexed by region (东部, 中部, 西部, 东北): ``n`` provinces and the simple means over
        them of rural and urban income in the first and last year, ``growth_pct`` of the
        rural mean, ``ratio_first``/``ratio_last`` (urban mean / rural mean).
    sigma : SigmaResult
        σ-convergence of log rural income across the provinces.
    betas : dict of str to BetaResult
        ``"absolute"`` and ``"conditional"`` (region fixed effects) β-convergence from the
        first to the last year, provinces as clusters.
    theil : DataFrame
        Indexed by year: Theil T ``total``, ``between``/``within`` the four regions,
        ``between_share`` (%), ``between_share_three`` (%, three belts), ``sd_log``, ``cv``.
    exits : DataFrame
        :func:`exit_calendar`.
    old_basis : dict
        The 2013 old-basis net income (纯收入) beside the disposable income: ``provinces``
        (count), ``national_net``, ``national_disposable`` (元).
    first_year, last_year : int
    """

    panel: pd.DataFrame
    national: pd.DataFrame
    provinces: pd.DataFrame
    regions: pd.DataFrame
    sigma: SigmaResult
    betas: dict[str, BetaResult]
    theil: pd.DataFrame
    exits: pd.DataFrame
    old_basis: dict[str, float]
    first_year: int
    last_year: int

    def to_frame(self) -> pd.DataFrame:
        """The province-year panel (tidy, one row per province and year)."""
        return self.panel.copy()

    def summary(self, language: Language = "zh") -> str:
        """A few sentences in ``language``: national income and ratio, σ, β, Theil."""
        return " ".join(text for _, text in _findings(self, language))


def _check_years(first_year: int, last_year: int) -> None:
    if not FIRST_YEAR <= first_year < last_year <= LAST_YEAR or last_year - first_year < 2:
        raise InputError(
            f"真实数据章节的年份 {first_year}—{last_year} 不可用 / years not available",
            column="first_year",
            hint=f"可用 {FIRST_YEAR}—{LAST_YEAR} 年、至少 3 年：2013 年起为可支配收入口径，"
                 f"省级表止于 2020 年 / choose {FIRST_YEAR}–{LAST_YEAR}, at least 3 years")


def provincial_income(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, *,
                      inference: Inference = "auto", reps: int = MIN_REPS,
                      seed: int | None = SEED) -> ProvincialIncome:
    """Rural income of the 31 provinces, its gaps and convergence (省级农村收入、差距与收敛).

    From ``province_income_rural_urban_2010_2020`` (国家统计局《中国统计年鉴》, disposable-income
    basis from 2013): the growth of each province (average annual nominal growth
    (y_last / y_first)^(1/T) − 1), the urban–rural ratio (urban / rural disposable income),
    regional simple means over provinces, σ-convergence (SD of log income by year and its
    trend), absolute and conditional β-convergence (:func:`linkage.convergence.beta_convergence`,
    growth of log income per year on the log initial income; conditional: NBS region fixed
    effects), with each province its own cluster — 31 clusters, fewer than
    :data:`linkage.checks.FEW_CLUSTERS`, so ``inference="auto"`` takes β's p-value and
    interval from the restricted wild cluster bootstrap — and Theil T by year split between
    and within the four NBS regions (the three belts' between share beside it). Provinces are
    not weighted (no provincial population is shipped).

    Parameters
    ----------
    first_year, last_year : int
        Within 2013–2020, at least three years.
    inference : {"auto", "cluster", "wild"}
        β's p-value and interval (see :func:`linkage.convergence.beta_convergence`).
    reps : int
        Bootstrap draws (≥ 99).
    seed : int, optional
        Random seed of the bootstrap.

    Returns
    -------
    ProvincialIncome

    Raises
    ------
    linkage.errors.InputError
        Years outside 2013–2020 or fewer than three.

    Examples
    --------
    >>> r = provincial_income(reps=99)
    >>> round(float(r.national.at[2020, "ratio"]), 2)
    2.56
    """
    check_option("inference", inference, Inference)
    _check_years(first_year, last_year)
    raw = datasets.load(_INCOME_TABLE)
    raw = raw[raw["year"].between(first_year, last_year)]
    values = pd.DataFrame({"year": raw["year"], "rural": raw["rural_disposable_income_yuan"],
                           "urban": raw["urban_disposable_income_yuan"]})
    values["ratio"] = values["urban"] / values["rural"]
    nation = raw["province"] == "全国"
    national = values[nation.to_numpy()].set_index("year").sort_index()
    regions = _regions_table()
    panel = regions[["province_code", "province", "province_en", "region",
                     "region_three"]].merge(
        values[~nation.to_numpy()].assign(province_code=raw.loc[~nation, "province_code"]),
        on="province_code", how="left", validate="one_to_many")
    years = range(first_year, last_year + 1)
    counts = panel.groupby("year")["rural"].count().reindex(years, fill_value=0)
    if panel["rural"].isna().any() or (counts != len(regions)).any():
        short = counts.index[counts != len(regions)]
        raise DataValidationError(
            f"省级收入表 {short[0] if len(short) else first_year} 年不是 31 个省份齐全 / "
            "provincial table incomplete", file=f"{_INCOME_TABLE}.csv", column="province_code",
            hint="该表应为 31 省平衡面板 / the table should be a balanced 31-province panel")
    panel = panel.sort_values(["province_code", "year"], ignore_index=True)
    sigma = convergence.sigma_convergence(panel, value="rural")
    options = {"value": "rural", "start": first_year, "end": last_year,
               "unit": "province_code", "inference": inference, "reps": reps, "seed": seed}
    betas = {"absolute": convergence.beta_convergence(panel, **options),
             "conditional": convergence.beta_convergence(panel, fixed_effects="region",
                                                         **options)}
    return ProvincialIncome(
        panel=panel, national=national,
        provinces=_province_table(panel, first_year, last_year),
        regions=_region_table(panel, first_year, last_year), sigma=sigma, betas=betas,
        theil=_theil_table(panel, sigma), exits=exit_calendar(),
        old_basis=_old_basis(first_year, national),
        first_year=first_year, last_year=last_year)


def _growth(first: pd.Series | float, last: pd.Series | float, years: int) -> pd.Series | float:
    """Average annual growth in % (几何平均)."""
    return 100 * ((last / first) ** (1 / years) - 1)


def _province_table(panel: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    wide = panel.pivot(index="province_code", columns="year", values="rural")
    ratio = panel.pivot(index="province_code", columns="year", values="ratio")
    names = panel.drop_duplicates("province_code").set_index("province_code")
    fell = wide.diff(axis=1).lt(0).stack()
    fell_text = (fell[fell].index.to_frame(index=False).astype({"year": str})
                 .groupby("province_code")["year"].agg("、".join)
                 .reindex(wide.index, fill_value=""))
    out = pd.DataFrame({
        "province": names["province"], "province_en": names["province_en"],
        "region": names["region"], "rural_first": wide[first], "rural_last": wide[last],
        "growth_pct": _growth(wide[first], wide[last], last - first),
        "rank_last": wide[last].rank(ascending=False, method="min").astype(int),
        "ratio_first": ratio[first], "ratio_last": ratio[last], "fell": fell_text})
    out.index.name = "province_code"
    return out


def _region_table(panel: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    ends = panel[panel["year"].isin([first, last])]
    means = ends.pivot_table(index="region", columns="year", values=["rural", "urban"],
                             aggfunc="mean")
    out = pd.DataFrame({
        "n": panel.groupby("region")["province_code"].nunique(),
        "rural_first": means[("rural", first)], "rural_last": means[("rural", last)],
        "urban_first": means[("urban", first)], "urban_last": means[("urban", last)]})
    out["growth_pct"] = _growth(out["rural_first"], out["rural_last"], last - first)
    out["ratio_first"] = out["urban_first"] / out["rural_first"]
    out["ratio_last"] = out["urban_last"] / out["rural_last"]
    return out.reindex(list(_REGION_ORDER))


def _theil_table(panel: pd.DataFrame, sigma: SigmaResult) -> pd.DataFrame:
    rows = {}
    for year, part in panel.groupby("year", sort=True):  # 8 years at most
        four = inequality.theil(part["rural"], groups=part["region"])
        three = inequality.theil(part["rural"], groups=part["region_three"])
        rows[year] = {"total": four.total, "between": four.between, "within": four.within,
                      "between_share": 100 * four.between / four.total,
                      "between_share_three": 100 * three.between / three.total}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "year"
    return out.join(sigma.table[["sd_log", "cv"]])


@dataclass(frozen=True)
class PanelConvergence:
    """Convergence and regional gaps of one indicator across the provinces of a user's
    province panel (用户省级面板的省际收敛与差距).

    Attributes
    ----------
    value : str
        The indicator (framework id).
    sigma : SigmaResult
        σ-convergence of its log across provinces.
    beta : BetaResult
        Absolute β-convergence from ``first_year`` to ``last_year``, provinces as clusters.
    theil : DataFrame
        By year: Theil T ``total``, ``between``/``within`` the four NBS regions,
        ``between_share`` (%), ``between_share_three`` (%), ``sd_log``, ``cv``.
    provinces : int
        Provinces analysed (a balanced panel over the years).
    first_year, last_year : int
    """

    value: str
    sigma: SigmaResult
    beta: BetaResult
    theil: pd.DataFrame
    provinces: int
    first_year: int
    last_year: int

    def to_frame(self) -> pd.DataFrame:
        """The yearly table (:attr:`theil`)."""
        return self.theil.copy()


def panel_convergence(panel: pd.DataFrame, *, value: str = "rural_income_pc",
                      inference: Inference = "auto", reps: int = MIN_REPS,
                      seed: int | None = SEED) -> PanelConvergence:
    """σ/β-convergence and the Theil decomposition by NBS region of a province panel
    (省级面板的省际收敛与泰尔分解): the analysis of :func:`provincial_income` run on a user's
    own province-year panel (e.g. from ``linkage yearbook --to-panel``, ingested with
    ``--kind province``).

    Parameters
    ----------
    panel : DataFrame
        ``region_code`` (31 province codes ``xx0000``, or some of them), ``year`` and
        ``value``; provinces with a missing value in some year are left out (balanced panel).
    value : str
        The income indicator (positive values, 元 per person per year).
    inference, reps, seed
        β's p-value and interval (provinces as clusters; the wild bootstrap under ``"auto"``
        below 42 clusters).

    Returns
    -------
    PanelConvergence

    Raises
    ------
    linkage.errors.InputError
        Fewer than three years or three provinces with complete values, codes that are not
        provinces, or non-positive values.

    Examples
    --------
    >>> real = datasets.load("province_income_rural_urban_2010_2020").dropna(
    ...     subset=["province_code"])
    >>> frame = real.rename(columns={"province_code": "region_code",
    ...                              "rural_disposable_income_yuan": "income"})
    >>> r = panel_convergence(frame[frame["year"] >= 2013], value="income", reps=99)
    >>> r.provinces, r.first_year, r.last_year
    (31, 2013, 2020)
    """
    check_option("inference", inference, Inference)
    regions = _regions_table()[["province_code", "region", "region_three"]]
    frame = panel[["region_code", "year", value]].rename(columns={value: "rural"})
    unknown = sorted(set(frame["region_code"]) - set(regions["province_code"]))
    if unknown:
        raise InputError(f"省级面板中有 {len(unknown)} 个代码不是省级区划代码（如 {unknown[0]}）"
                         " / codes that are not provinces", column="region_code",
                         hint="省际收敛只用 31 个省级单位的数据（xx0000）")
    wide = frame.pivot_table(index="region_code", columns="year", values="rural")
    complete = wide.dropna()
    if complete.shape[0] < 3 or complete.shape[1] < 3:
        raise InputError(f"{value} 完整的省份或年份不足 3 个 / fewer than three complete "
                         "provinces or years", column=value,
                         hint="省际收敛需要至少 3 个省份、3 个年份都有数值")
    if (complete <= 0).any().any():
        raise InputError(f"{value} 有非正数，无法取对数 / non-positive values", column=value,
                         hint="收入应为正数（元/人）")
    frame = (frame[frame["region_code"].isin(complete.index)]
             .merge(regions, left_on="region_code", right_on="province_code", how="left")
             .sort_values(["region_code", "year"], ignore_index=True))
    first, last = int(complete.columns.min()), int(complete.columns.max())
    sigma = convergence.sigma_convergence(frame, value="rural")
    beta = convergence.beta_convergence(frame, value="rural", start=first, end=last,
                                        unit="region_code", inference=inference, reps=reps,
                                        seed=seed)
    return PanelConvergence(value, sigma, beta, _theil_table(frame, sigma), len(complete),
                            first, last)


def _old_basis(first_year: int, national: pd.DataFrame) -> dict[str, float]:
    """The 2013 old-basis net income table beside the disposable figure (never joined)."""
    if first_year != 2013:
        return {}
    net = datasets.load(_NET_TABLE)
    nation = net[net["province"] == "全国"]
    return {"provinces": float((net["province"] != "全国").sum()),
            "national_net": float(nation["rural_net_income_yuan"].iloc[0]),
            "national_disposable": float(national.at[2013, "rural"])}


# --------------------------------------------------------------------------- reader text


def _name(row: pd.Series, language: Language) -> str:
    return str(row["province"] if is_zh(language) else row["province_en"])


def _region_name(region: str, language: Language) -> str:
    return region if is_zh(language) else REGION_EN[region]


def _p(result: BetaResult) -> str:
    from linkage.evaluation import format_pvalue

    text = format_pvalue(result.pvalue, reps=None if result.wild is None else result.wild.reps)
    return f"p {text}" if text[0] in "<≤" else f"p = {text}"


def _findings(r: ProvincialIncome, language: Language) -> list[tuple[str, str]]:
    """The chapter's findings, tagged (``income``, ``convergence``, ``theil``, ``exits``)."""
    zh = is_zh(language)
    first, last = r.first_year, r.last_year
    nat = r.national
    growth = _growth(nat.at[first, "rural"], nat.at[last, "rural"], last - first)
    top = r.provinces.sort_values("rural_last", ascending=False)
    hi, lo = top.iloc[0], top.iloc[-1]
    out = [("income", (
        f"全国农村居民人均可支配收入由 {first} 年的 {nat.at[first, 'rural']:,.0f} 元增至 "
        f"{last} 年的 "
        f"{nat.at[last, 'rural']:,.0f} 元，年均名义增长 {growth:.1f}%；城乡收入比由 "
        f"{nat.at[first, 'ratio']:.2f} 降至 {nat.at[last, 'ratio']:.2f}。{last} 年最高的"
        f"{_name(hi, language)}（{hi['rural_last']:,.0f} 元）是最低的{_name(lo, language)}"
        f"（{lo['rural_last']:,.0f} 元）的 {hi['rural_last'] / lo['rural_last']:.2f} 倍。"
        if zh else
        f"National rural disposable income per capita rose from {nat.at[first, 'rural']:,.0f} "
        f"yuan in {first} to {nat.at[last, 'rural']:,.0f} yuan in {last}, {growth:.1f}% a year "
        f"in nominal terms; the urban–rural income ratio fell from {nat.at[first, 'ratio']:.2f} "
        f"to {nat.at[last, 'ratio']:.2f}. In {last} the highest province, "
        f"{_name(hi, language)} ({hi['rural_last']:,.0f} yuan), had "
        f"{hi['rural_last'] / lo['rural_last']:.2f} times the income of the lowest, "
        f"{_name(lo, language)} ({lo['rural_last']:,.0f} yuan)."))]
    sd = r.sigma.table["sd_log"]
    beta = r.betas["absolute"]
    how = ("野聚类自助法" if zh else "wild cluster bootstrap") if beta.wild is not None else (
        "聚类稳健t" if zh else "cluster-robust t")
    if zh:
        sigma_text = ("显著下降" if r.sigma.converging else
                      "有所下降但趋势不显著" if r.sigma.slope < 0 else "没有下降")
        beta_text = ("起始收入低的省份增长更快（绝对β收敛）" if beta.beta < 0 and beta.pvalue < 0.05
                     else "未发现显著的绝对β收敛")
        speed = "" if beta.speed is None else f"，收敛速度约 {100 * beta.speed:.1f}%/年"
        out.append(("convergence",
                    f"各省农村收入的对数标准差由 {first} 年的 {sd.iloc[0]:.3f} 降至 {last} 年的 "
                    f"{sd.iloc[-1]:.3f}，{sigma_text}（σ收敛）；{beta_text}：β = {beta.beta:.4f}"
                    f"（{how}，{_p(beta)}）{speed}。"))
    else:
        sigma_text = ("fell significantly" if r.sigma.converging else
                      "fell, but the trend is not significant" if r.sigma.slope < 0 else
                      "did not fall")
        beta_text = ("provinces that started poorer grew faster (absolute β-convergence)"
                     if beta.beta < 0 and beta.pvalue < 0.05 else
                     "no significant absolute β-convergence")
        speed = "" if beta.speed is None else f", a speed of about {100 * beta.speed:.1f}% a year"
        out.append(("convergence",
                    f"The SD of log rural income across provinces moved from {sd.iloc[0]:.3f} "
                    f"in {first} to {sd.iloc[-1]:.3f} in {last} and {sigma_text} "
                    f"(σ-convergence); {beta_text}: β = {beta.beta:.4f} ({how}, {_p(beta)})"
                    f"{speed}."))
    th = r.theil
    out.append(("theil", (
        f"省际农村收入的泰尔T指数由 {th['total'].iloc[0]:.4f} 变为 {th['total'].iloc[-1]:.4f}；"
        f"东部、中部、西部、东北四大区域之间的差距占 {th['between_share'].iloc[-1]:.1f}%"
        f"（{last} 年；"
        f"{first} 年 {th['between_share'].iloc[0]:.1f}%），其余为区域内省份之间的差距。" if zh else
        f"Theil T of rural income across provinces moved from {th['total'].iloc[0]:.4f} to "
        f"{th['total'].iloc[-1]:.4f}; the gaps between the East, Central, West and Northeast "
        f"regions account for {th['between_share'].iloc[-1]:.1f}% in {last} "
        f"({th['between_share'].iloc[0]:.1f}% in {first}), the rest lies between provinces "
        "within a region.")))
    ex = r.exits
    totals = [int(ex[y].sum()) for y in EXIT_YEARS]
    peak = EXIT_YEARS[int(np.argmax(totals))]
    last_group = ex[ex[EXIT_YEARS[-1]] > 0]
    names = ("、" if zh else ", ").join(last_group.apply(_name, axis=1, language=language))
    joined = "、".join(f"{y} 年 {n} 个" for y, n in zip(EXIT_YEARS, totals, strict=True))
    joined_en = ", ".join(f"{n} in {y}" for y, n in zip(EXIT_YEARS, totals, strict=True))
    out.append(("exits", (
        f"832 个国家贫困县分 5 批摘帽：{joined}，{peak} 年最多；最后一批 "
        f"{totals[-1]} 个县分布在{names}等 {len(last_group)} 个省份。" if zh else
        f"The 832 national poverty counties exited in five groups: {joined_en}, most in "
        f"{peak}; the last {totals[-1]} were in {len(last_group)} provinces ({names}).")))
    return out


def province_context(result: ProvincialIncome, province_code: str | None, *,
                     simulated: bool = True, language: Language = "zh") -> str:
    """One sentence placing the report's province among the 31 (本省在全国的位置).

    Parameters
    ----------
    result : ProvincialIncome
        From :func:`provincial_income`.
    province_code : str or None
        The 6-character code of a real province (``xx0000``), or None when the report's data
        are simulated or do not lie in one of the 31 provinces: the sentence then says that
        the real figures are not compared with the report's province.
    simulated : bool
        Whether the report's data are simulated (says why no province is compared when
        ``province_code`` is None).
    language : {"zh", "en"}

    Returns
    -------
    str
        The province's rural income in the last year (元) and its rank among the 31, its
        average annual nominal growth (%) and urban–rural ratio beside the national ones.

    Examples
    --------
    >>> r = provincial_income(reps=99)
    >>> province_context(r, "520000").startswith("本报告地区所在的贵州")
    True
    """
    zh = is_zh(language)
    if (province_code is None or province_code not in result.provinces.index) and not simulated:
        return ("本报告的县域数据不能确定属于 31 个省份中的哪一个"
                "（代码前缀不唯一或不是这 31 个省份），"
                "因此不与本章的真实省级数据逐项比较。" if zh else
                "The report's county data cannot be placed in one of the 31 provinces (their "
                "codes have several prefixes or another one), so they are not compared with "
                "the real provincial figures of this chapter.")
    if province_code is None or province_code not in result.provinces.index:
        return ("本报告其他章节的数据为模拟省份（代码前缀 99，不对应任何真实省份），"
                "因此不与本章的真实省级数据逐项比较；"
                "模拟数据的县域收入按全国与贫困地区的真实收入校准。" if zh else
                "The other chapters use a simulated province (code prefix 99, no real "
                "province), so it is not compared with the real provincial figures of this "
                "chapter; its county incomes are calibrated to real national and poverty-area "
                "incomes.")
    row = result.provinces.loc[province_code]
    nat = result.national
    first, last = result.first_year, result.last_year
    national = _growth(nat.at[first, "rural"], nat.at[last, "rural"], last - first)
    n = len(result.provinces)
    if zh:
        return (f"本报告地区所在的{row['province']}，{last} 年农村居民人均可支配收入 "
                f"{row['rural_last']:,.0f} 元，居 {n} 个省份第 {row['rank_last']} 位；"
                f"{first}—{last} 年年均名义增长 {row['growth_pct']:.1f}%（全国 {national:.1f}%），"
                f"城乡收入比 {row['ratio_last']:.2f}（全国 {nat.at[last, 'ratio']:.2f}）。")
    return (f"The report's province, {row['province_en']}, had a rural disposable income per "
            f"capita of {row['rural_last']:,.0f} yuan in {last}, rank {row['rank_last']} of "
            f"{n}; it grew {row['growth_pct']:.1f}% a year in {first}–{last} (national "
            f"{national:.1f}%), and its urban–rural ratio was {row['ratio_last']:.2f} (national "
            f"{nat.at[last, 'ratio']:.2f}).")


# --------------------------------------------------------------------------- figures


def _beta_figure(r: ProvincialIncome, language: Language) -> Figure:
    """Log rural income in the first year against average annual log growth, one labelled
    point per province, coloured by NBS region, with the fitted absolute β line."""
    zh = is_zh(language)
    first, last = r.first_year, r.last_year
    wide = r.panel.pivot(index="province_code", columns="year", values="rural")
    x = np.log(wide[first])
    y = 100 * (np.log(wide[last]) - x) / (last - first)
    info = r.provinces
    fig = Figure(figsize=mpl.rcParams["figure.figsize"], layout="constrained")
    ax = fig.add_subplot()
    colours = dict(zip(_REGION_ORDER, ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"),
                       strict=True))
    for region in _REGION_ORDER:
        rows = info.index[info["region"] == region]
        ax.scatter(x[rows], y[rows], s=18, color=colours[region],
                   label=_region_name(region, language), zorder=2)
    for code in info.index:
        ax.annotate(_name(info.loc[code], language), (x[code], y[code]), fontsize=6,
                    xytext=(2, 2), textcoords="offset points")
    slope, intercept = np.polyfit(x, y, 1)
    xs = np.linspace(x.min(), x.max(), 20)
    ax.plot(xs, intercept + slope * xs, color="#555555", lw=1, ls="--",
            label="拟合线（绝对β收敛）" if zh else "Fitted line (absolute β-convergence)")
    ax.set_xlabel(f"{first} 年农村居民人均可支配收入（对数）" if zh else
                  f"Rural disposable income per capita in {first} (log)")
    ax.set_ylabel(f"{first}—{last} 年年均增长（对数百分点）" if zh else
                  f"Average annual growth {first}–{last} (log points, %)")
    ax.legend(fontsize=7)
    return fig


def _exit_figure(exits: pd.DataFrame, language: Language) -> Figure:
    """Counties exiting per year by province: one horizontal stacked bar per province."""
    zh = is_zh(language)
    names = exits.apply(_name, axis=1, language=language).to_numpy()
    width = mpl.rcParams["figure.figsize"][0]
    fig = Figure(figsize=(width, 0.2 * len(exits) + 1.3), layout="constrained")
    ax = fig.add_subplot()
    left = np.zeros(len(exits))
    colours = mpl.colormaps["YlGnBu"](np.linspace(0.3, 0.95, len(EXIT_YEARS)))
    for year, colour in zip(EXIT_YEARS, colours, strict=True):
        counts = exits[year].to_numpy(dtype=float)
        ax.barh(names, counts, left=left, color=colour, label=f"{year}" + ("年" if zh else ""))
        left += counts
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xlabel("摘帽县数（个）" if zh else "Counties exiting")
    ax.grid(False, axis="y")
    ax.legend(title="摘帽年度" if zh else "Exit year", fontsize=7, title_fontsize=7, ncol=5,
              loc="lower right")
    return fig


# --------------------------------------------------------------------------- sources

_INCOME_SOURCE = {
    "zh": "资料来源：国家统计局《中国统计年鉴》（2014—2021 年各卷，"
          "分地区城镇、农村居民人均可支配收入），经研究者整理；比值、增长率与指数为本报告计算。真实数据。",
    "en": "Source: National Bureau of Statistics, China Statistical Yearbook (2014–2021 "
          "editions, urban and rural disposable income per capita by region), as compiled by a "
          "researcher; ratios, growth rates and indices computed here. Real data.",
}
_EXIT_SOURCE = {
    "zh": "资料来源：国务院扶贫开发领导小组办公室（国务院扶贫办，2021 年起为国家乡村振兴局）"
          "及各省（区、市）人民政府 2017—2020 年贫困县退出公告；"
          "行政区划代码据民政部县级以上行政区划代码。真实数据。",
    "en": "Source: announcements of poverty-county exits by the State Council Leading Group "
          "Office of Poverty Alleviation and Development (from 2021 the National Rural "
          "Revitalization Administration) and the provincial governments, 2017–2020; codes "
          "from the Ministry of Civil Affairs code lists. Real data.",
}
_REGION_SOURCE = {
    "zh": "资料来源：国家统计局《东西中部和东北地区划分方法》（2011 年 6 月 13 日）；三大地带按"
          "《国民经济和社会发展第七个五年计划》（1986），西部范围按国发〔2000〕33号。",
    "en": "Source: National Bureau of Statistics, classification of the East, Central, West and "
          "Northeast regions (13 June 2011); three belts after the Seventh Five-Year Plan "
          "(1986), the West as in State Council document Guofa [2000] No. 33.",
}


def _mirror_notes(language: Language) -> list[str]:
    """Where the tables were read from (reprints and compilations): appendix notes only."""
    zh = is_zh(language)
    income = ("省级收入表读自研究者公开的整理文件（GitHub 仓库 vervain1902/human-capital，"
              "1_mydata/0_Macro/1_IncGap.dta），已与 7 个独立的年鉴数值核对一致；正式引用前请与"
              "《中国统计年鉴》原表核对。" if zh else
              "The provincial income table was read from a researcher's public compilation "
              "(GitHub repository vervain1902/human-capital, 1_mydata/0_Macro/1_IncGap.dta) and "
              "agrees with seven independent yearbook values; check it against the China "
              "Statistical Yearbook before citing it.")
    exits = ("832 县摘帽名单读自据官方公告汇编的转载页面（caomeikeyan.com），各年合计与国务院扶贫办"
             "发布数一致；代码据民政部代码表（yescallop/areacodes，CC0）匹配。" if zh else
             "The 832-county exit list was read from a reprint compiled from the official "
             "announcements (caomeikeyan.com); its yearly totals match the poverty office's "
             "figures; codes matched with the Ministry of Civil Affairs lists "
             "(yescallop/areacodes, CC0).")
    return [income, exits]


# --------------------------------------------------------------------------- the section


def _income_tables(r: ProvincialIncome, language: Language
                   ) -> tuple[pd.DataFrame, dict[str, str], pd.DataFrame, dict[str, str]]:
    """The region summary (main body) and the 31-province table (appendix) for readers."""
    zh = is_zh(language)
    first, last = r.first_year, r.last_year
    y = "元" if zh else "yuan"
    heads = ({"name": "地区", "n": "省份数", "rural_first": f"{first} 年（{y}）",
              "rural_last": f"{last} 年（{y}）", "growth_pct": "年均名义增长（%）",
              "ratio_first": f"城乡收入比 {first} 年", "ratio_last": f"城乡收入比 {last} 年"}
             if zh else
             {"name": "Region", "n": "Provinces", "rural_first": f"{first} ({y})",
              "rural_last": f"{last} ({y})", "growth_pct": "Annual nominal growth (%)",
              "ratio_first": f"Urban–rural ratio {first}",
              "ratio_last": f"Urban–rural ratio {last}"})
    regions = r.regions.assign(name=[_region_name(g, language) for g in r.regions.index])
    nat = r.national
    national = pd.DataFrame([{
        "name": _region_name("全国", language), "n": len(r.provinces),
        "rural_first": nat.at[first, "rural"], "rural_last": nat.at[last, "rural"],
        "growth_pct": _growth(nat.at[first, "rural"], nat.at[last, "rural"], last - first),
        "ratio_first": nat.at[first, "ratio"], "ratio_last": nat.at[last, "ratio"]}])
    summary = pd.concat([regions[list(heads)], national[list(heads)]], ignore_index=True)
    summary = summary.rename(columns=heads)
    kinds = {heads["name"]: "text", heads["n"]: "count", heads["rural_first"]: "money",
             heads["rural_last"]: "money", heads["growth_pct"]: "percent",
             heads["ratio_first"]: "ratio", heads["ratio_last"]: "ratio"}
    p = r.provinces.sort_values("rank_last")
    pheads = ({"name": "省份", "region": "地区", "rural_first": heads["rural_first"],
               "rural_last": heads["rural_last"], "rank_last": f"{last} 年位次",
               "growth_pct": heads["growth_pct"], "ratio_first": heads["ratio_first"],
               "ratio_last": heads["ratio_last"], "fell": "比上年下降的年份"} if zh else
              {"name": "Province", "region": "Region", "rural_first": heads["rural_first"],
               "rural_last": heads["rural_last"], "rank_last": f"Rank {last}",
               "growth_pct": heads["growth_pct"], "ratio_first": heads["ratio_first"],
               "ratio_last": heads["ratio_last"], "fell": "Years below the year before"})
    provinces = p.assign(name=p.apply(_name, axis=1, language=language),
                         region=[_region_name(g, language) for g in p["region"]],
                         fell=p["fell"].mask(p["fell"] == "").str.replace(
                             "、", "、" if zh else ", "))
    provinces = provinces[list(pheads)].rename(columns=pheads).reset_index(drop=True)
    pkinds = {pheads["name"]: "text", pheads["region"]: "text",
              pheads["rural_first"]: "money", pheads["rural_last"]: "money",
              pheads["rank_last"]: "int", pheads["growth_pct"]: "percent",
              pheads["ratio_first"]: "ratio", pheads["ratio_last"]: "ratio",
              pheads["fell"]: "text"}
    return summary, kinds, provinces, pkinds


def _convergence_table(r: ProvincialIncome, language: Language) -> pd.DataFrame:
    """σ, β (absolute, conditional) and Theil in a few rows: item, first, last or estimate,
    note."""
    from linkage.labels import label

    zh = is_zh(language)
    first, last = r.first_year, r.last_year
    sd, th = r.sigma.table["sd_log"], r.theil
    rows = [(("对数标准差（σ）" if zh else "SD of log income (σ)"),
             f"{sd.iloc[0]:.4f}", f"{sd.iloc[-1]:.4f}",
             (f"线性趋势 {r.sigma.slope:.5f}/年，p = {r.sigma.p:.3f}" if zh else
              f"trend {r.sigma.slope:.5f} a year, p = {r.sigma.p:.3f}"))]
    for key, b in r.betas.items():
        ci = b.coefficients.iloc[0]
        speed = ("—" if b.speed is None else
                 f"{100 * b.speed:.2f}%/年，半衰期 {b.half_life:.0f} 年" if zh else
                 f"{100 * b.speed:.2f}% a year, half-life {b.half_life:.0f} years")
        how = label(f"inference_{b.inference}", language)
        region_effects = ("（控制四大区域）" if zh else " (region effects)"
                          ) if key == "conditional" else ""
        rows.append((label(f"beta_{key}", language) + region_effects,
                     f"β = {b.beta:.4f}",
                     f"{_p(b)}，95% 区间 [{ci['ci_low']:.4f}, {ci['ci_high']:.4f}]" if zh else
                     f"{_p(b)}, 95% interval [{ci['ci_low']:.4f}, {ci['ci_high']:.4f}]",
                     (f"{how}（{b.clusters} 个省）；收敛速度 {speed}" if zh else
                      f"{how} ({b.clusters} provinces); speed {speed}")))
    rows.append(("泰尔T指数" if zh else "Theil T", f"{th['total'].iloc[0]:.4f}",
                 f"{th['total'].iloc[-1]:.4f}",
                 "省份不加权" if zh else "provinces unweighted"))
    rows.append(("四大区域间差距占比（%）" if zh else "Between the four regions (%)",
                 f"{th['between_share'].iloc[0]:.1f}", f"{th['between_share'].iloc[-1]:.1f}",
                 "东部、中部、西部、东北" if zh else "East, Central, West, Northeast"))
    rows.append(("三大地带间差距占比（%）" if zh else "Between the three belts (%)",
                 f"{th['between_share_three'].iloc[0]:.1f}",
                 f"{th['between_share_three'].iloc[-1]:.1f}",
                 "东北并入：辽宁归东部，吉林、黑龙江归中部" if zh else
                 "Northeast folded in: Liaoning East, Jilin and Heilongjiang Central"))
    heads = (["项目", f"{first} 年或系数", f"{last} 年或检验", "说明"] if zh else
             ["Item", f"{first} or coefficient", f"{last} or test", "Note"])
    return pd.DataFrame(rows, columns=heads)


def _yearly_table(th: pd.DataFrame, language: Language) -> tuple[pd.DataFrame, dict, dict]:
    """The yearly σ and Theil table for readers (``theil`` of a result), kinds, decimals."""
    zh = is_zh(language)
    heads = ({"sd_log": "对数标准差", "cv": "变异系数", "total": "泰尔T指数",
              "between": "四大区域间", "within": "区域内",
              "between_share": "四大区域间占比（%）",
              "between_share_three": "三大地带间占比（%）"} if zh else
             {"sd_log": "SD of log income", "cv": "Coefficient of variation",
              "total": "Theil T", "between": "Between regions", "within": "Within regions",
              "between_share": "Between regions (%)",
              "between_share_three": "Between three belts (%)"})
    out = th[list(heads)].rename(columns=heads)
    out.index = out.index.rename("年份" if zh else "Year")
    kinds = {"年份" if zh else "Year": "year", heads["between_share"]: "percent",
             heads["between_share_three"]: "percent"}
    return out, {**kinds, **{heads[k]: "score" for k in ("sd_log", "cv", "total", "between",
                                                          "within")}}, {
        heads[k]: 4 for k in ("total", "between", "within")}


def _exit_table(exits: pd.DataFrame, language: Language) -> tuple[pd.DataFrame, dict]:
    zh = is_zh(language)
    name = "省份" if zh else "Province"
    total = "合计" if zh else "Total"
    year_heads = {y: (f"{y} 年" if zh else str(y)) for y in EXIT_YEARS}
    body = pd.DataFrame({name: exits.apply(_name, axis=1, language=language).to_numpy(),
                         **{year_heads[y]: exits[y].to_numpy() for y in EXIT_YEARS},
                         total: exits["total"].to_numpy()})
    sums = {name: "全国" if zh else "All provinces",
            **{year_heads[y]: int(exits[y].sum()) for y in EXIT_YEARS},
            total: int(exits["total"].sum())}
    out = pd.concat([body, pd.DataFrame([sums])], ignore_index=True)
    return out, {name: "text", **{c: "count" for c in out.columns if c != name}}


def _regions_reader(language: Language) -> pd.DataFrame:
    zh = is_zh(language)
    table = _regions_table()
    sep = "、" if zh else ", "
    names = table["province"] if zh else table["province_en"]
    rows = [(_region_name(g, language), sep.join(names[table["region"] == g]),
             _region_name(str(table.loc[table["region"] == g, "region_three"].iloc[0]),
                          language) if g != "东北" else
             sep.join(f"{n}→{_region_name(t, language)}" for n, t in
                      zip(names[table["region"] == g],
                          table.loc[table["region"] == g, "region_three"], strict=True)))
            for g in _REGION_ORDER]
    heads = (["四大区域", "省份", "三大地带"] if zh else
             ["Four regions", "Provinces", "Three belts"])
    return pd.DataFrame(rows, columns=heads)


def _province_of(data: PanelData, region_code: str) -> tuple[str | None, bool]:
    """The real province of the report (``xx0000``; None for simulated data, a province
    panel, or when the data's counties are not all in one of the 31 provinces) and whether
    the data are simulated."""
    if data.simulated:
        return None, True
    codes = {region_code} if region_code else set(map(str, data.panel["region_code"]))
    prefixes = {c[:2] for c in codes}
    if len(prefixes) != 1:
        return None, False
    code = f"{prefixes.pop()}0000"
    return (code if code in set(_regions_table()["province_code"]) else None), False


def build(*, panel: str = "", counties: str = "", households: str = "", framework: str = "",
          region_code: str = "", start_year: int = 2015, end_year: int = 2025,
          language: Language = "zh", cache_dir: str = "", first_year: int = FIRST_YEAR,
          last_year: int = LAST_YEAR, inference: Inference = "auto", reps: int = MIN_REPS,
          seed: int | None = 2021) -> Section:
    """The real-data chapter (全国省级真实数据章节) as a document section.

    The same for every region of a batch (computed once through
    :func:`linkage.reporting.cache.once`, keyed on the options and the reference tables'
    contents), except one sentence placing the report's province among the 31 — only when
    the report's data are real and lie in one province; for the simulated sample it says
    that no real province is compared. ``start_year``/``end_year`` (the county panel's
    period), ``households`` and ``framework`` are accepted for the common report parameters
    and do not change the chapter: its years are ``first_year``–``last_year`` (2013–2020).

    Parameters
    ----------
    panel, counties : str
        The report's county data (empty: the bundled simulated sample), read only to tell
        whether the report's region lies in a real province.
    households, framework : str
        Common report parameters, unused here.
    region_code : str
        The report's region (``""`` the province, a county or a prefecture code).
    start_year, end_year : int
        The county panel's period (common parameters), unused here.
    language : {"zh", "en"}
    cache_dir : str
        The batch's shared folder (empty: compute without storing).
    first_year, last_year : int
        Years of the provincial data, within 2013–2020.
    inference : {"auto", "cluster", "wild"}
        β's p-value and interval (31 provinces: the wild bootstrap under ``"auto"``).
    reps : int
        Bootstrap draws.
    seed : int, optional
        Bootstrap seed.

    Returns
    -------
    linkage.reporting.document.Section
        Main body: region summary table, β-convergence figure, convergence and inequality
        table, exit-calendar figure; appendix: the 31 provinces, σ and Theil by year, exits by
        province and year, the regional classification. Metrics ``real_rural_income``,
        ``real_urban_rural_ratio``, ``real_sigma_change``, ``real_beta``,
        ``real_theil_between_share``.
    """
    from linkage.reporting.cache import once

    check_option("language", language, Language)
    check_option("inference", inference, Inference)
    _check_years(first_year, last_year)
    zh = is_zh(language)
    plotting.setup_cjk()
    from linkage.paths import reference_dir

    files = {name: str(reference_dir() / f"{name}.csv")
             for name in (_INCOME_TABLE, _EXIT_TABLE, _NET_TABLE, "poverty_county_exit")}
    key = {"first_year": first_year, "last_year": last_year, "inference": inference,
           "reps": reps, "seed": seed, "regions": str(REGIONS_FILE), **files}
    r = once(cache_dir, "national-real", key,
             lambda: provincial_income(first_year, last_year, inference=inference, reps=reps,
                                       seed=seed))
    from linkage.panel import load_panel

    data = load_panel(panel or None, counties=counties or None)
    province, simulated = _province_of(data, region_code)
    b = SectionBuilder(KEY, title(language), language=language, simulated=False)
    lang = "zh" if zh else "en"
    income_src, exit_src = _INCOME_SOURCE[lang], _EXIT_SOURCE[lang]
    first, last = r.first_year, r.last_year
    real = "（真实数据）" if zh else " (real data)"
    old = r.old_basis
    b.paragraph((
        f"本章全部使用公开的真实统计数据，不含模拟数据：31 个省份 {first}—{last} 年"
        "城乡居民人均可支配收入（国家统计局《中国统计年鉴》）"
        "与 832 个国家贫困县的摘帽年度（国务院扶贫办及各省公告）。"
        "2013 年是城乡一体化住户调查的第一年，此前的省级农村收入口径未经核实，因此不用；" if zh else
        f"This chapter uses published real statistics only, no simulated data: urban and rural "
        f"disposable income per capita of the 31 provinces in {first}–{last} (National Bureau "
        "of Statistics, China Statistical Yearbook) and the exit years of the 832 national "
        "poverty counties (poverty office and provincial announcements). 2013 is the first "
        "year of the integrated household survey; earlier provincial rural figures have an "
        "unverified basis and are not used; ") + (
        (f"2013 年另有旧口径的农村居民人均纯收入（仅 {old['provinces']:.0f} 个省份，全国 "
         f"{old['national_net']:,.0f} 元，可支配收入为 {old['national_disposable']:,.0f} 元），"
         "口径不同，不与本章数据拼接。" if zh else
         f"the old-basis rural net income of 2013 (only {old['provinces']:.0f} provinces; "
         f"national {old['national_net']:,.0f} yuan against a disposable income of "
         f"{old['national_disposable']:,.0f} yuan) is a different measure and is not joined.")
        if old else ("旧口径的农村居民人均纯收入不与本章数据拼接。" if zh else
                     "the old-basis rural net income is never joined with these figures.")))
    b.paragraph(province_context(r, province, simulated=simulated, language=language))

    summary, kinds, provinces, pkinds = _income_tables(r, language)
    b.heading("农村居民收入的水平、增长与城乡差距" if zh else
              "Rural income: levels, growth and the urban–rural gap")
    b.paragraph("{table:regions}按国家统计局四大区域汇总各省；"
                "31 个省份的逐省数字见{table:provinces}。"
                "四大区域是国家统计局 2011 年以来的现行划分，东北三省单列、不并入东部或中部；"
                "按东北并入的传统三大地带计算的结果只在"
                "{table:convergence}中作对照。" if zh else
                "{table:regions} summarises the provinces by NBS region; "
                "{table:provinces} gives each of the 31 provinces. The four regions are the "
                "NBS classification in use since 2011, with the three Northeast provinces on "
                "their own rather than folded into East and Central; the traditional three "
                "belts, which fold them in, appear in {table:convergence} for comparison only.")
    b.table("regions", ("分区域农村居民人均可支配收入与城乡收入比" if zh else
                        "Rural disposable income per capita and the urban–rural ratio by "
                        "region") + real, summary, source=income_src, kinds=kinds,
            notes=["地区数字为所辖省份的简单平均（未按人口加权），城乡收入比为城镇与农村简单平均之比；"
                   "全国为国家统计局全国数。增长为名义增长（未扣除价格）。" if zh else
                   "Regional figures are simple means over their provinces (not weighted by "
                   "population); the ratio is the urban mean over the rural mean; the national "
                   "row is the NBS national figure. Growth is nominal (prices not deducted)."])
    b.table("provinces", ("31 个省份农村居民人均可支配收入、增长与城乡收入比" if zh else
                          "Rural disposable income, growth and the urban–rural ratio of the 31 "
                          "provinces") + real, provinces, source=income_src, kinds=pkinds,
            appendix=True, notes=_mirror_notes(language)[:1])

    b.heading("省际差距与收敛" if zh else "Gaps between provinces and convergence")
    b.paragraph("{figure:beta}把各省起始收入与此后的年均增长画在一起："
                "点越靠左上，说明起点低而增长快。"
                "{table:convergence}汇总σ收敛、β收敛与泰尔指数分解，"
                "逐年数字见{table:yearly}。" if zh else
                "{figure:beta} plots each province's initial income against its later "
                "annual growth: points to the upper left started low and grew fast. "
                "{table:convergence} summarises σ- and β-convergence and the Theil "
                "decomposition; {table:yearly} gives them year by year.")
    b.figure("beta", (f"各省 {first} 年农村收入与 {first}—{last} 年年均增长" if zh else
                      f"Provinces: rural income in {first} and annual growth {first}–{last}")
             + real, _beta_figure(r, language), source=income_src)
    b.table("convergence", ("省际农村收入的收敛与差距分解" if zh else
                            "Convergence and decomposition of rural income gaps across "
                            "provinces") + real, _convergence_table(r, language),
            source=income_src, kinds=dict.fromkeys(_convergence_table(r, language).columns,
                                                   "text"),
            notes=["每个省份自成一个聚类；31 个聚类少于 42 个，"
                   "β 的 p 值与区间取自施加原假设的野聚类自助法，区间由检验反演。" if zh else
                   "Each province is its own cluster; with 31 clusters, fewer than 42, β's "
                   "p-value and interval come from the restricted wild cluster bootstrap, "
                   "the interval by inverting the test."])
    yearly, ykinds, ydecimals = _yearly_table(r.theil, language)
    b.table("yearly", ("各年省际农村收入离散度与泰尔指数分解" if zh else
                       "Dispersion of provincial rural income and the Theil decomposition by "
                       "year") + real, yearly, source=income_src, kinds=ykinds, decimals=ydecimals,
            appendix=True)

    if data.level == "province":
        _user_panel_part(b, data, start_year=start_year, end_year=end_year, inference=inference,
                         reps=reps, seed=seed, framework=framework, language=language)

    b.heading("832 个国家贫困县的退出进程" if zh else "The exit of the 832 poverty counties")
    b.paragraph("{figure:exit_calendar}按省份显示每年摘帽的贫困县数，"
                "逐省逐年数字见{table:exits}。" if zh else
                "{figure:exit_calendar} shows the counties exiting each year by province; "
                "{table:exits} gives the numbers.")
    b.figure("exit_calendar", ("各省贫困县分年摘帽数（2016—2020 年）" if zh else
                       "Poverty counties exiting by province and year, 2016–2020") + real,
             _exit_figure(r.exits, language), source=exit_src)
    exit_frame, exit_kinds = _exit_table(r.exits, language)
    b.table("exits", ("各省贫困县分年摘帽数" if zh else
                      "Poverty counties exiting by province and year") + real, exit_frame,
            source=exit_src, kinds=exit_kinds, appendix=True,
            notes=["摘帽年度为名单所列年度，2016—2019 年的退出多在次年公告；2020 年的 52 个县于 "
                   "2020 年 11 月 23 日全部退出。" if zh else
                   "Exit years as listed; exits of 2016–2019 were mostly announced the "
                   "following year; the 52 counties of 2020 had all exited by 23 November "
                   "2020.", _mirror_notes(language)[1]])
    b.table("classification", ("国家统计局东中西部和东北地区划分" if zh else
                               "NBS regional classification"), _regions_reader(language),
            source=_REGION_SOURCE[lang], appendix=True,
            kinds=dict.fromkeys(_regions_reader(language).columns, "text"),
            notes=["本章以四大区域分解：东北三省单列，是国家统计局 2011 年以来的现行划分；"
                   "三大地带把东北并入东部与中部，只作对照。" if zh else
                   "The chapter decomposes by the four regions, the NBS classification since "
                   "2011, with the three Northeast provinces on their own; the three belts fold "
                   "them into East and Central and are shown for comparison only."])

    ranks = {"income": 30.0, "convergence": 31.0, "theil": 32.0, "exits": 33.0}
    refs = {"income": "{table:regions}", "convergence": "{table:convergence}",
            "theil": "{table:convergence}", "exits": "{figure:exit_calendar}"}
    from linkage.sections.overview import cite

    for kind, text in _findings(r, language):
        b.finding(cite(text, refs[kind], language=language), rank=ranks[kind])
    _metrics(b, r, language)
    _methods(b, r, language)
    return b.build()


def _user_panel_part(b: SectionBuilder, data: PanelData, *, start_year: int, end_year: int,
                     inference: Inference, reps: int, seed: int | None, framework: str,
                     language: Language) -> None:
    """The report's own province panel (``panel`` of level province): the same σ/β and Theil
    analysis on its rural income, sourced to the user's file, beside the NBS figures."""
    from linkage.frameworks import load_framework
    from linkage.sections.overview import data_source

    zh = is_zh(language)
    value = "rural_income_pc"
    name = load_framework(framework or None)[value]
    label_name = name.name_zh if zh else name.name_en
    b.heading("所用省级面板的省际收敛" if zh else "Convergence in the report's province panel")
    if value not in data.panel.columns:
        b.paragraph(f"报告所用的省级面板没有{label_name}，本节从略。" if zh else
                    f"The report's province panel has no {label_name}; this part is omitted.")
        return
    frame = data.between_years(start_year, end_year).panel
    r = panel_convergence(frame, value=value, inference=inference, reps=reps, seed=seed)
    t = r.theil
    sd = t["sd_log"]
    b.paragraph((
        f"报告所用的省级面板（{r.provinces} 个省份，{r.first_year}—{r.last_year} 年）按同样方法"
        f"计算：{label_name}的对数标准差由 {sd.iloc[0]:.3f} 变为 {sd.iloc[-1]:.3f}；"
        f"绝对β系数 {r.beta.beta:.4f}（{_p(r.beta)}）；泰尔T指数中四大区域之间的部分占 "
        f"{t['between_share'].iloc[-1]:.1f}%。逐年数字见{{table:panel_convergence}}，"
        "可与上文国家统计局数字对照。") if zh else (
        f"The report's province panel ({r.provinces} provinces, {r.first_year}–{r.last_year}), "
        f"analysed the same way: the SD of log {label_name} went from {sd.iloc[0]:.3f} to "
        f"{sd.iloc[-1]:.3f}; absolute β {r.beta.beta:.4f} ({_p(r.beta)}); the four regions "
        f"account for {t['between_share'].iloc[-1]:.1f}% of Theil T. "
        "{table:panel_convergence} gives the years, to compare with the NBS figures above."))
    table, kinds, decimals = _yearly_table(t, language)
    b.table("panel_convergence", (f"所用省级面板：{label_name}的省际离散度与泰尔分解" if zh else
                                  f"Report's province panel: dispersion of {label_name} and "
                                  "the Theil decomposition"),
            table, source=data_source(data, language), kinds=kinds, decimals=decimals)


def _metrics(b: SectionBuilder, r: ProvincialIncome, language: Language) -> None:
    zh = is_zh(language)
    last = r.last_year
    sd = r.sigma.table["sd_log"]
    b.metric("real_rural_income", f"全国农村居民人均可支配收入（{last} 年）" if zh else
             f"National rural disposable income ({last})", r.national.at[last, "rural"],
             "元" if zh else "yuan")
    b.metric("real_urban_rural_ratio", f"全国城乡收入比（{last} 年）" if zh else
             f"National urban–rural income ratio ({last})", r.national.at[last, "ratio"])
    b.metric("real_sigma_change", "省际对数收入标准差的变化" if zh else
             "Change of the SD of log provincial rural income", sd.iloc[-1] - sd.iloc[0])
    b.metric("real_beta", "省际绝对β收敛系数" if zh else "Absolute β across provinces",
             r.betas["absolute"].beta)
    b.metric("real_theil_between_share", f"四大区域间差距占比（{last} 年）" if zh else
             f"Share between the four regions ({last})", r.theil["between_share"].iloc[-1],
             "%")


def _methods(b: SectionBuilder, r: ProvincialIncome, language: Language) -> None:
    zh = is_zh(language)
    beta = r.betas["absolute"]
    draws = beta.wild.reps if beta.wild is not None else 0
    weights = beta.wild.weights if beta.wild is not None else ""
    dips = r.provinces[r.provinces["fell"] != ""]
    names = dips["province" if zh else "province_en"]
    fell = ("、".join(names + "（" + dips["fell"] + "）") if zh else
            ", ".join(names + " (" + dips["fell"].str.replace("、", ", ") + ")"))
    if zh:
        b.method("省级农村收入：国家统计局城乡一体化住户调查的农村居民人均可支配收入"
                 "（2013 年起），名义值；年均增长为几何平均；"
                 "城乡收入比 = 城镇 / 农村居民人均可支配收入。")
        b.method("σ收敛看各年省际对数收入标准差是否下降（对年份的线性趋势检验）；"
                 "β收敛把各省年均对数增长对起始对数收入回归（Barro & Sala-i-Martin 1992），"
                 "条件β收敛加入四大区域固定效应。"
                 + (f"每个省份自成一个聚类，31 个聚类少于 42 个，"
                    f"β 的 p 值与区间取自施加原假设的野聚类自助法"
                    f"（{weights.capitalize()} 权重，{draws} 次，随机种子固定）。" if draws else
                    "标准误按省聚类（Stata 小样本校正）。"))
        b.method("泰尔T指数按省份不加权计算（附带数据没有分省农村人口），"
                 "分解为四大区域之间与区域内部（Shorrocks 1980）；"
                 "31 个省份是全体而非样本，分解结果是描述，不附抽样区间。")
        b.caveat("省级数字描述的是 31 个省份这一层级的差距，不是全国农村居民个人之间的差距；"
                 "省内县际、户际差距更大。")
        b.caveat("收入为名义值，增长中含价格上涨；β收敛是描述性关系，不是因果效应。"
                 + (f"农村收入比上年下降的只有{fell}，一次性冲击会影响起止年份的比较。" if fell
                    else ""))
        b.caveat("省级收入表与 832 县名单读自公开整理与转载（见附表注），"
                 "正式引用前请与《中国统计年鉴》和各省退出公告原文核对。")
        return
    b.method("Provincial rural income: rural disposable income per capita of the NBS integrated "
             "household survey (from 2013), nominal; annual growth is the geometric mean; the "
             "urban–rural ratio is urban over rural disposable income per capita.")
    b.method("σ-convergence asks whether the SD of log provincial income falls over the years "
             "(linear trend test); β-convergence regresses each province's annual log growth "
             "on its initial log income (Barro & Sala-i-Martin 1992), conditional β adds "
             "region fixed effects. "
             + (f"Each province is its own cluster; with 31 clusters, fewer than 42, β's "
                f"p-value and interval come from the restricted wild cluster bootstrap "
                f"({weights.capitalize()} weights, {draws} draws, fixed seed)." if draws else
                "Standard errors clustered by province (Stata's small-sample correction)."))
    b.method("Theil T is computed over provinces without weights (the shipped tables have no "
             "provincial rural population) and split between and within the four regions "
             "(Shorrocks 1980); the 31 provinces are the whole population, not a sample, so "
             "the decomposition is descriptive and carries no sampling interval.")
    b.caveat("Provincial figures describe gaps between the 31 provinces, not between rural "
             "residents; gaps between counties and households within provinces are larger.")
    b.caveat("Incomes are nominal, so growth includes price increases; β-convergence is a "
             "descriptive relation, not a causal effect."
             + (f" Rural income fell from the year before only in {fell}; a one-off shock "
                "affects comparisons between the first and the last year." if fell else ""))
    b.caveat("The provincial income table and the 832-county list were read from public "
             "compilations and reprints (appendix notes); check them against the China "
             "Statistical Yearbook and the provincial exit announcements before citing them.")

"""Table and figure labels in Chinese (default) and English (标签).

Reports are Chinese first; every label the kit prints comes from :data:`LABELS` so that a
report can be switched to English with one parameter (``language="en"``).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

__all__ = ["LABELS", "Language", "label", "rename_columns", "simulated_note"]

Language = Literal["zh", "en"]

LABELS: dict[str, tuple[str, str]] = {
    "indicator": ("指标", "Indicator"),
    "indicator_id": ("指标代码", "Indicator id"),
    "unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "positive": ("正向", "positive"),
    "negative": ("逆向", "negative"),
    "subsystem": ("子系统", "Subsystem"),
    "layer": ("层面", "Layer"),
    "function": ("功能", "Function"),
    "dimension": ("维度", "Dimension"),
    "n_obs": ("有效观测", "Observations"),
    "n_missing": ("缺失数", "Missing"),
    "missing_share": ("缺失率(%)", "Missing (%)"),
    "n_regions": ("县数", "Counties"),
    "first_year": ("起始年", "First year"),
    "last_year": ("截止年", "Last year"),
    "year": ("年份", "Year"),
    "mean": ("均值", "Mean"),
    "std": ("标准差", "Std. dev."),
    "min": ("最小值", "Min"),
    "median": ("中位数", "Median"),
    "max": ("最大值", "Max"),
    "cv": ("变异系数", "CV"),
    "value": ("数值", "Value"),
    "series": ("序列", "Series"),
    "region": ("地区", "Region"),
    "province_mean": ("全省平均", "Province average"),
    "poverty_counties": ("原贫困县", "Former poverty counties"),
    "other_counties": ("其他县", "Other counties"),
    "key_assistance": ("重点帮扶县", "Key assistance counties"),
    "ratio": ("比值", "Ratio"),
    "gap_ratio": ("原贫困县/其他县", "Former poverty / other"),
    "simulated": ("模拟数据", "Simulated data"),
    "source": ("资料来源", "Source"),
    "per_person": ("人", "persons"),
    "per_household": ("户", "households"),
    # --- 衔接 (assessment, scoring, coupling) -----------------------------------------------

    # --- 巩固 (consolidation, poverty, monitoring, vulnerability) ------------------------------
    "households": ("样本户数", "Sample households"),
    "period": ("时期", "Period"),
    "monitored": ("监测户数(样本)", "Monitored (sample)"),
    "monitored_w": ("监测户数(加权)", "Monitored (weighted)"),
    "monitored_share": ("监测户占比(%)", "Monitored share (%)"),
    "eliminated_w": ("已消除风险户数(加权)", "Risk eliminated (weighted)"),
    "elimination_rate": ("风险消除率(户,%)", "Risk eliminated, households (%)"),
    "elimination_rate_persons": ("风险消除率(人,%)", "Risk eliminated, persons (%)"),
    "new_w": ("新识别户数(加权)", "Newly identified (weighted)"),
    "returned_w": ("其中脱贫户(返贫风险)", "of which exited-poor"),
    "value_pct": ("数值(%)", "Value (%)"),
    "data_kind": ("数据性质", "Data"),
    "real": ("真实统计", "Real statistics"),
    "user_data": ("本数据", "This data"),
    "from_status": ("上年状态", "Status, first year"),
    "to_status": ("下年状态", "Status, second year"),
    "H": ("多维贫困发生率H(%)", "Headcount H (%)"),
    "A": ("平均剥夺强度A(%)", "Intensity A (%)"),
    "M0": ("调整后贫困指数M0", "Adjusted headcount M0"),
    "M0_lower": ("M0 95%CI下限", "M0 95% CI low"),
    "M0_upper": ("M0 95%CI上限", "M0 95% CI high"),
    "FGT0": ("贫困发生率FGT0(%)", "Headcount FGT0 (%)"),
    "FGT0_lower": ("FGT0 95%CI下限(%)", "FGT0 95% CI low (%)"),
    "FGT0_upper": ("FGT0 95%CI上限(%)", "FGT0 95% CI high (%)"),
    "FGT1": ("贫困距FGT1(%)", "Poverty gap FGT1 (%)"),
    "FGT2": ("贫困强度FGT2(%)", "Severity FGT2 (%)"),
    "poverty_rate": ("当前贫困率(%)", "Currently poor (%)"),
    "mean_vulnerability": ("平均脆弱性(%)", "Mean vulnerability (%)"),
    "vulnerable": ("高脆弱比例(%)", "Highly vulnerable (%)"),
    "relative": ("相对脆弱比例(%)", "Relatively vulnerable (%)"),
    "vulnerable_not_poor": ("高脆弱但非贫困(%)", "Vulnerable, not poor (%)"),
    "relative_not_poor": ("相对脆弱但非贫困(%)", "Relatively vulnerable, not poor (%)"),
    "group": ("农户类型", "Household type"),
    "assessed": ("有劳动力样本户", "Able-bodied sample households"),
    "dependence_rate": ("转移依赖率(%)", "Transfer-dependent (%)"),
    "contribution": ("贡献率(%)", "Contribution (%)"),
    "uncensored": ("剥夺率(未删减,%)", "Uncensored headcount (%)"),
    "censored": ("剥夺率(删减后,%)", "Censored headcount (%)"),

    # --- 拓展 (extension, inequality, convergence, overview) ----------------------------------
    "ci_low": ("CI下限", "CI low"),
    "ci_high": ("CI上限", "CI high"),
    "n_poverty_counties": ("原贫困县县数", "Former poverty counties (n)"),
    "n_other_counties": ("其他县县数", "Other counties (n)"),
    "poverty_area_income": ("贫困地区/脱贫县", "Poverty areas / former poverty counties"),
    "poverty_area_income_yuan": ("贫困地区/脱贫县(元)", "Poverty areas (yuan)"),
    "national_rural": ("全国农村", "National rural"),
    "national_rural_yuan": ("全国农村(元)", "National rural (yuan)"),
    "value_type": ("数值类型", "Value type"),
    "status_poverty_county": ("原国家贫困县", "former national poverty county"),
    "status_key_assistance": ("国家乡村振兴重点帮扶县", "national key assistance county"),
    "status_other": ("非原贫困县", "not a former poverty county"),
    "status_unknown": ("县属性未提供", "county status not given"),
    "peer_mean": ("同类县平均", "Peer average"),
    "first_ratio": ("起始比值", "First ratio"),
    "last_ratio": ("截止比值", "Last ratio"),
    "gap_trend": ("差距变化", "Gap trend"),
    "gap_catching_up": ("落后但差距缩小", "behind, gap narrowed"),
    "gap_overtook": ("由落后转为领先", "overtook"),
    "gap_not_narrowed": ("落后且差距未缩小", "behind, gap not narrowed"),
    "gap_lead_widened": ("领先且领先未缩小", "ahead, lead not narrowed"),
    "gap_lead_narrowed": ("领先但领先缩小", "ahead, lead narrowed"),
    "gap_lost_lead": ("由领先转为落后", "lost the lead"),
    "beta_absolute": ("绝对β收敛", "Absolute β-convergence"),
    "beta_conditional": ("条件β收敛", "Conditional β-convergence"),
    "beta_panel": ("面板β收敛(双向固定效应)", "Panel β-convergence (two-way FE)"),
    "beta": ("β", "β"),
    "cluster_se": ("聚类稳健标准误", "Cluster-robust SE"),
    "pvalue": ("p值", "p-value"),
    "inference": ("p值方法", "p-value from"),
    "inference_cluster": ("聚类稳健t", "cluster-robust t"),
    "inference_wild": ("野聚类自助法", "wild cluster bootstrap"),
    "speed": ("收敛速度λ(%/年)", "Speed λ (%/year)"),
    "half_life": ("半衰期(年)", "Half-life (years)"),
    "implausible": ("速度不可信", "Implausible speed"),
    "nobs": ("样本数N", "N"),
    "clusters": ("聚类数", "Clusters"),
    "r2": ("R²", "R²"),
    "theil_T": ("泰尔T", "Theil T"),
    "theil_T_between": ("泰尔T组间", "Theil T between"),
    "theil_T_within": ("泰尔T组内", "Theil T within"),
    "theil_T_between_share": ("泰尔T组间占比(%)", "Theil T between share (%)"),
    "theil_L": ("泰尔L", "Theil L"),
    "theil_L_between": ("泰尔L组间", "Theil L between"),
    "theil_L_within": ("泰尔L组内", "Theil L within"),
    "theil_L_between_share": ("泰尔L组间占比(%)", "Theil L between share (%)"),
    "dagum_gini": ("基尼系数", "Gini"),
    "dagum_within": ("组内", "Within"),
    "dagum_net_between": ("组间净值", "Net between"),
    "dagum_transvariation": ("超变密度", "Transvariation"),
    "dagum_within_pct": ("组内贡献(%)", "Within (%)"),
    "dagum_net_between_pct": ("组间净值贡献(%)", "Net between (%)"),
    "dagum_transvariation_pct": ("超变密度贡献(%)", "Transvariation (%)"),
    "income_wage_pct": ("工资性收入(%)", "Wage income (%)"),
    "income_business_pct": ("经营净收入(%)", "Net business income (%)"),
    "income_property_pct": ("财产净收入(%)", "Net property income (%)"),
    "income_transfer_pct": ("转移净收入(%)", "Net transfer income (%)"),
    "group_year": ("组别 年份", "Group, year"),
    "sd_log": ("对数标准差", "SD of log income"),
    "ln_income": ("ln(收入)", "ln(income)"),
    "density": ("核密度", "Kernel density"),
    "fig_income_ratio": ("原贫困地区收入相对水平：本数据与真实全国序列",
                         "Relative income of former poverty areas: this data and the real series"),
    "fig_sigma": ("σ收敛：县域对数收入标准差", "σ-convergence: SD of log county income"),
    "fig_theil": ("泰尔T指数的组间与组内分量", "Theil T: between and within groups"),
    "fig_density": ("县域农村居民收入分布（对数）", "Distribution of county rural income (log)"),
    "fig_missing": ("各指标分年份缺失率 (%)", "Missing share by indicator and year (%)"),
    "fig_national": ("贫困地区/脱贫县农村居民收入相对全国农村",
                     "Rural income of poverty areas relative to national rural"),
    "source_county_panel": ("资料来源：县域面板", "Source: county panel"),
    "source_real_series": ("真实序列：国家统计局、国新办（经转载页面），见 "
                           "data/raw/reference/SOURCES.md。",
                           "Real series: NBS and SCIO releases (read from reprint pages), see "
                           "data/raw/reference/SOURCES.md."),

    # --- 政策效果 (evaluation, policy_report) --------------------------------------------------

}


def label(key: str, language: Language = "zh") -> str:
    """The label for ``key`` in ``language`` (``"zh"`` or ``"en"``).

    >>> label("missing_share"), label("missing_share", "en")
    ('缺失率(%)', 'Missing (%)')
    """
    zh, en = LABELS[key]
    return zh if language == "zh" else en


def rename_columns(table: pd.DataFrame, language: Language = "zh") -> pd.DataFrame:
    """``table`` with every column that is a key of :data:`LABELS` renamed to its label."""
    return table.rename(columns={k: label(k, language) for k in table.columns if k in LABELS})


def simulated_note(language: Language = "zh") -> str:
    """The note every figure and table made from the bundled sample carries."""
    if language == "zh":
        return "注：模拟数据（linkage 内置样本，按真实全国统计校准），不代表任何真实地区。"
    return (
        "Note: simulated data (linkage sample, calibrated to national statistics); "
        "no real area."
    )

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

    # --- 政策效果 (evaluation, policy_report) --------------------------------------------------
    "reg_variable": ("变量", "Variable"),
    "reg_nobs": ("观测值", "Observations"),
    "reg_unit_fe": ("县固定效应", "County FE"),
    "reg_time_fe": ("年份固定效应", "Year FE"),
    "reg_clustered_by": ("聚类层级", "Clustered by"),
    "reg_r2_within": ("组内R²", "Within R²"),
    "reg_r2": ("R²", "R²"),
    "reg_yes": ("是", "Yes"),
    "reg_no": ("否", "No"),
    "reg_robust": ("异方差稳健", "robust"),
    "reg_iid": ("常规", "conventional"),
    "reg_note": ("注：括号内为标准误；* p<0.1，** p<0.05，*** p<0.01。",
                 "Note: standard errors in parentheses; * p<0.1, ** p<0.05, *** p<0.01."),
    "pe_event_time": ("事件时间", "Event time"),
    "pe_cohort": ("处理队列（首次受处理年份，0 为从未受处理）",
                  "Cohort (first treated year, 0 = never treated)"),
    "pe_counties": ("县数", "Counties"),
    "pe_estimator": ("估计量", "Estimator"),
    "pe_coef": ("系数", "Coefficient"),
    "pe_se": ("标准误", "Std. error"),
    "pe_pvalue": ("p 值", "p-value"),
    "pe_ci_low": ("置信区间下限", "CI low"),
    "pe_ci_high": ("置信区间上限", "CI high"),
    "pe_band_low": ("一致置信带下限", "Uniform band low"),
    "pe_band_high": ("一致置信带上限", "Uniform band high"),
    "pe_true_effect": ("真实效应（模拟数据）", "True effect (simulated data)"),
    "pe_event_study": ("TWFE事件研究", "TWFE event study"),
    "pe_event_study_se": ("TWFE事件研究标准误", "TWFE event study SE"),
    "pe_cs": ("Callaway–Sant'Anna", "Callaway–Sant'Anna"),
    "pe_cs_se": ("Callaway–Sant'Anna标准误", "Callaway–Sant'Anna SE"),
    "pe_sun_abraham": ("Sun–Abraham", "Sun–Abraham"),
    "pe_sun_abraham_se": ("Sun–Abraham标准误", "Sun–Abraham SE"),
    "pe_test": ("检验", "Test"),
    "pe_statistic": ("统计量", "Statistic"),
    "pe_df": ("自由度", "df"),
    "pe_dropped_cohort": ("剔除的队列", "Dropped cohort"),
    "pe_placebo_estimate": ("真实估计", "Estimate"),
    "pe_placebo_mean": ("安慰剂均值", "Placebo mean"),
    "pe_placebo_sd": ("安慰剂标准差", "Placebo s.d."),
    "pe_draws": ("抽样次数", "Draws"),

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

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
    # Rates are named without their unit: linkage.consolidation adds "(人,%)" / "(户,%)"
    # ("(persons, %)" / "(households, %)") from per_person / per_household.
    "households": ("样本户数", "Sample households"),
    "period": ("时期", "Period"),
    "total": ("合计", "Total"),
    "monitored": ("监测户数(样本)", "Monitored households (sample)"),
    "monitored_w": ("监测户数(加权)", "Monitored households (weighted)"),
    "monitored_share": ("监测对象占比", "Monitored share"),
    "eliminated_w": ("已消除风险户数(加权)", "Risk eliminated, households (weighted)"),
    "elimination_rate": ("风险消除率", "Risk eliminated"),
    "new_w": ("新识别户数(加权)", "Newly identified households (weighted)"),
    "returned_w": ("其中脱贫户(返贫风险,加权户数)",
                   "of which exited-poor (risk of return, weighted)"),
    "value_pct": ("数值(%)", "Value (%)"),
    "data_kind": ("数据性质", "Data"),
    "real": ("真实统计", "Real statistics"),
    "user_data": ("本数据", "This data"),
    "status": ("状态", "Status"),
    "not_monitored": ("非监测对象", "Not monitored"),
    "unstable": ("脱贫不稳定户", "Unstable exited-poor"),
    "marginal": ("边缘易致贫户", "Marginal, prone to poverty"),
    "sudden": ("突发严重困难户", "Sudden severe hardship"),
    "exited_stable": ("脱贫户·稳定", "Exited-poor, stable"),
    "exited_risk": ("脱贫户·风险", "Exited-poor, at risk"),
    "other_stable": ("一般农户·稳定", "Other, stable"),
    "other_risk": ("一般农户·风险", "Other, at risk"),
    "unobserved": ("未观测", "Unobserved"),
    "flow_exited_in": ("脱贫户转入风险比例", "Exited-poor entering risk"),
    "flow_other_in": ("一般农户转入风险比例", "Others entering risk"),
    "flow_exited_out": ("脱贫户风险解除比例", "Exited-poor leaving risk"),
    "flow_other_out": ("一般农户风险解除比例", "Others leaving risk"),
    "H": ("多维贫困发生率H", "Headcount ratio H"),
    "A": ("平均剥夺强度A", "Intensity A"),
    "M0": ("调整后多维贫困指数M0", "Adjusted headcount ratio M0"),
    "FGT0": ("低于监测标准比例FGT0", "Below the monitoring threshold FGT0"),
    "FGT1": ("收入缺口指数FGT1", "Income gap FGT1"),
    "FGT2": ("收入缺口平方指数FGT2", "Squared income gap FGT2"),
    "ci_lower": ("下限", "low"),
    "ci_upper": ("上限", "high"),
    "poverty_rate": ("当前低于监测标准比例", "Currently below the threshold"),
    "mean_vulnerability": ("平均脆弱性", "Mean vulnerability"),
    "vulnerable": ("高脆弱比例", "Highly vulnerable"),
    "relative": ("相对脆弱比例", "Relatively vulnerable"),
    "vulnerable_not_poor": ("高脆弱且当前不低于标准", "Highly vulnerable, not below threshold"),
    "relative_not_poor": ("相对脆弱且当前不低于标准", "Relatively vulnerable, not below threshold"),
    "group": ("农户类型", "Household type"),
    "exited_households": ("脱贫户", "Exited-poor households"),
    "other_households": ("一般农户", "Other households"),
    "assessed": ("有劳动力样本户", "Able-bodied sample households"),
    "dependence_rate": ("转移依赖率", "Transfer-dependent"),
    "weight": ("权重", "Weight"),
    "contribution": ("贡献率", "Contribution"),
    "uncensored": ("剥夺率(未删减)", "Uncensored headcount"),
    "censored": ("剥夺率(删减后)", "Censored headcount"),

    # --- 拓展 (extension, inequality, convergence, overview) ----------------------------------

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

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
    "stage": ("指标性质", "Stage"),
    "stage_input": ("投入", "Input"),
    "stage_output": ("产出", "Output"),
    "stage_outcome": ("成效", "Outcome"),
    "eligible": ("适用范围", "Applies to"),
    "all_counties": ("全部县", "All counties"),
    "poverty_county": ("原贫困县", "Former poverty counties"),
    "status_poverty_county": ("原贫困县", "former poverty county"),
    "status_key_assistance": ("重点帮扶县", "key assistance county"),
    "weighting_entropy": ("熵值法", "entropy"),
    "weighting_critic": ("CRITIC 法", "CRITIC"),
    "weighting_cv": ("变异系数法", "coefficient of variation"),
    "weighting_equal": ("等权", "equal weights"),
    "weighting_expert": ("专家权重", "expert weights"),
    "weighting_combined": ("主客观组合赋权", "expert + entropy combined"),
    "hierarchy_global": ("子系统内全局赋权", "global within each subsystem"),
    "hierarchy_hierarchical": ("逐层赋权", "level by level"),
    "scope_pooled": ("各年份合并标准化，得分跨年可比", "pooled over years, comparable over time"),
    "scope_year": ("逐年标准化，仅年内可比", "within each year, comparable within a year only"),
    "aggregation_sum": ("加权求和（节点内加权平均）", "weighted sum (weighted mean within a node)"),
    "aggregation_topsis": ("TOPSIS 贴近度", "TOPSIS closeness"),
    "county_word": ("县", "counties"),
    "prefecture_word": ("市", "prefectures"),
    "compare_higher": ("高于", "higher than"),
    "compare_lower": ("低于", "lower than"),
    "compare_equal": ("等于", "equal to"),
    "group_gap": ("差值(原贫困县−其他县)", "Difference (former poverty − other)"),
    "n_poverty_counties": ("原贫困县数", "Former poverty counties (n)"),
    "n_other_counties": ("其他县数", "Other counties (n)"),
    "C_classic": ("C(经典)", "C (classic)"),
    "C_corrected": ("C(修正)", "C (corrected)"),
    "D_classic": ("D(经典)", "D (classic)"),
    "D_corrected": ("D(修正)", "D (corrected)"),
    "mean_obstacle": ("平均障碍度", "Mean obstacle degree"),
    "rank": ("位次", "Rank"),
    "region_code": ("区划代码", "Region code"),
    "position": ("位置", "Position"),
    "grade": ("协调等级", "Grade"),
    "type": ("相对发展类型", "Relative development type"),
    "top_k": ("前 {k} 位", "top {k}"),
    "bottom_k": ("后 {k} 位", "bottom {k}"),
    "n_top": ("居前列的县数", "Counties with it among the main obstacles"),
    "n_applicable": ("适用县数", "Counties where it applies"),
    "share_of_applicable": ("占适用县比例", "Share of those counties"),
    "mean_share": ("居前列时平均障碍度", "Mean obstacle degree when among them"),
    "weighting": ("赋权方法", "Weighting"),
    "mean_D": ("D均值(全部)", "Mean D (all)"),
    "D_poverty": ("D均值(原贫困县)", "Mean D (former poverty counties)"),
    "D_other": ("D均值(其他县)", "Mean D (other counties)"),
    "D_gap": ("D差值(原贫困县−其他县)", "D difference (former poverty − other)"),
    "spearman": ("与参照赋权的排名相关(Spearman)",
                 "Rank correlation with the reference (Spearman)"),
    "max_shift": ("最大位次变动", "Largest rank change"),
    "max_shift_region": ("位次变动最大的地区", "Region with the largest change"),
    "mean_abs_shift": ("平均位次变动", "Mean absolute rank change"),
    "no_expert_weights": ("指标体系未给出专家权重", "the framework gives no expert weights"),
    "effort_no_inputs": ("数据中没有投入类指标，未计算政策投入指数。",
                         "The data hold no input indicators: no policy-effort index."),
    "effort_no_attribute": ("县属性表中没有 {attributes}（投入类指标的适用范围），"
                            "未计算政策投入指数。",
                            "The region table lacks {attributes} (where inputs apply): no "
                            "policy-effort index."),
    "node": ("节点", "Node"),
    "name": ("名称", "Name"),
    "level": ("层级", "Level"),
    "function_total": ("功能(两层合计)", "Function (both layers)"),
    "local_weight": ("局部权重", "Local weight"),
    "global_weight": ("全局权重", "Global weight"),
    "obstacle_share": ("障碍度", "Obstacle degree"),
    "score": ("得分", "Score"),
    "coupling_corrected": ("修正耦合度", "corrected C"),
    "coupling_classic": ("经典耦合度", "classic C"),
    "title_top_weights": ("{name}权重最大的 10 项指标", "Ten largest weights: {name}"),
    "title_scores": ("巩固、拓展与乡村振兴得分（全省平均）",
                     "Consolidation, extension and revitalization scores (province mean)"),
    "title_dimensions": ("乡村振兴五个维度得分（全省平均）",
                         "Revitalization dimensions (province mean)"),
    "title_d": ("耦合协调度 D（{method}）", "Coupling coordination D ({method})"),
    "title_heatmap": ("各地区历年耦合协调度 D（有地级市时为其所辖县均值）",
                      "D by region and year (prefecture means where prefectures are named)"),
    "title_types": ("{year} 年相对发展类型", "Relative development types, {year}"),
    "title_obstacle_dims": ("{name}各维度障碍度（{year} 年全省平均）",
                            "Obstacle degree by dimension: {name}, {year}"),
    "title_effort": ("政策投入指数（投入类指标，不计入成果得分）",
                     "Policy-effort index (inputs, not counted as achievements)"),
    "title_sensitivity": ("不同赋权下 {year} 年各地区 D 与位次", "D and rank by weighting, {year}"),
    "missing_raise": ("不允许缺失", "none allowed"),
    "missing_year_mean": ("以当年各县均值插补", "filled with the year's mean over counties"),
    "missing_interpolate": ("县内按年份线性插补（两端取最近值，全缺时取当年均值）",
                            "interpolated over years within the county (nearest value at the "
                            "ends, year mean where a county has none)"),

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

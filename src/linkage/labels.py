"""Table and figure labels in Chinese (default) and English (标签).

Reports are Chinese first; every label the kit prints comes from :data:`LABELS` so that a
report can be switched to English with one parameter (``language="en"``).
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from linkage.checks import check_option

__all__ = ["LABELS", "Language", "is_zh", "label", "rename_columns", "simulated_note"]

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
    "union_share": ("任一项未达标比例", "Failing any guarantee"),
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
    "ci_low": ("CI下限", "CI low"),
    "ci_high": ("CI上限", "CI high"),
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
    "n_not_applicable": ("不适用", "Not applicable"),
    "first_ratio": ("起始比值", "First ratio"),
    "last_ratio": ("截止比值", "Last ratio"),
    "gap_trend": ("差距变化", "Gap trend"),
    # gap verdicts judge the change by its interval (inequality.gap_trend, change_sign)
    "gap_catching_up": ("落后但差距缩小", "behind, gap narrowed"),
    "gap_overtook": ("由落后转为领先", "overtook"),
    "gap_not_narrowed": ("落后且差距扩大", "behind, gap widened"),
    "gap_behind_unclear": ("落后，差距变化不显著", "behind, no significant change"),
    "gap_lead_widened": ("领先且领先扩大", "ahead, lead widened"),
    "gap_lead_narrowed": ("领先但领先缩小", "ahead, lead narrowed"),
    "gap_lost_lead": ("由领先转为落后", "lost the lead"),
    "gap_ahead_unclear": ("领先，变化不显著", "ahead, no significant change"),
    "ratio_change": ("较起始年的比值变化", "Change of the ratio since the first year"),
    "change_up": ("上升", "rose"),
    "change_down": ("下降", "fell"),
    "change_flat": ("变化不显著", "no significant change"),
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


def is_zh(language: Language) -> bool:
    """Whether ``language`` is Chinese; an :class:`~linkage.errors.InputError` unless it is
    ``"zh"`` or ``"en"`` (an unknown code never falls back silently).

    >>> is_zh("zh"), is_zh("en")
    (True, False)
    """
    check_option("language", language, Language)
    return language == "zh"


def label(key: str, language: Language = "zh") -> str:
    """The label for ``key`` in ``language`` (``"zh"`` or ``"en"``).

    >>> label("missing_share"), label("missing_share", "en")
    ('缺失率(%)', 'Missing (%)')
    """
    zh, en = LABELS[key]
    return zh if is_zh(language) else en


def rename_columns(table: pd.DataFrame, language: Language = "zh") -> pd.DataFrame:
    """``table`` with every column that is a key of :data:`LABELS` renamed to its label."""
    return table.rename(columns={k: label(k, language) for k in table.columns if k in LABELS})


def simulated_note(language: Language = "zh") -> str:
    """The note every figure and table made from the bundled sample carries."""
    if is_zh(language):
        return "注：模拟数据（linkage 内置样本，按真实全国统计校准），不代表任何真实地区。"
    return (
        "Note: simulated data (linkage sample, calibrated to national statistics); "
        "no real area."
    )

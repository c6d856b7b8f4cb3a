"""Table and figure labels in Chinese (default) and English (标签).

Reports are Chinese first; every label the kit prints comes from :data:`LABELS` so that a
report can be switched to English with one parameter (``language="en"``).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["LABELS", "Language", "label", "simulated_note"]

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
    "persons": ("人", "persons"),
    "households": ("户", "households"),
    # --- 衔接 (assessment, scoring, coupling) -----------------------------------------------

    # --- 巩固 (consolidation, poverty, monitoring, vulnerability) ------------------------------

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


def simulated_note(language: Language = "zh") -> str:
    """The note every figure and table made from the bundled sample carries."""
    if language == "zh":
        return "注：模拟数据（linkage 内置样本，按真实全国统计校准），不代表任何真实地区。"
    return (
        "Note: simulated data (linkage sample, calibrated to national statistics); "
        "no real area."
    )

"""A small but realistic report document for the renderer tests (two sections, zh and en)."""

from __future__ import annotations

import re
from datetime import date

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from linkage.reporting.document import Cover, Document, Section, SectionBuilder

HOSTILE = "<img src=x onerror=alert(1)>县"
SOURCE_ZH = ("资料来源：linkage 内置模拟数据（模拟数据，非真实统计），按国家统计局"
             "《2023年国民经济和社会发展统计公报》校准。")
SOURCE_EN = ("Source: linkage bundled simulated data (not official statistics), calibrated to "
             "the National Bureau of Statistics Statistical Communiqué 2023.")
MIRROR = "https://www.stats.gov.cn/sj/zxfb/202402/t20240228_1947915.html"
#: a second mirror, listed after the first with 、 as the reference tables do
MIRROR2 = "http://www.gov.cn/xinwen/2024-02/29/content_6934935.htm"

ZH = {"overview": "数据概览", "linkage": "衔接", "counties": ["甲县", "乙自治县", HOSTILE],
      "income": "农村居民人均可支配收入（元）", "share": "转移净收入占比（%）",
      "flag": "是否原贫困县", "score": "综合得分", "year": "年份", "n": "县数（个）",
      "method": "综合得分由熵值法赋权、线性加权求和得到（王淑佳等，2021）。",
      "caveat": "模拟数据只用于演示方法，**不代表**任何真实地区。"}
EN = {"overview": "Data overview", "linkage": "Linkage", "counties": ["County A", "County B",
                                                                       HOSTILE],
      "income": "Rural disposable income per capita (yuan)", "share": "Transfer share (%)",
      "flag": "Former poverty county", "score": "Composite score", "year": "Year",
      "n": "Counties", "method": "Scores are entropy-weighted sums (Wang et al. 2021).",
      "caveat": "Simulated data illustrate the methods **only**."}


def _line_figure() -> plt.Figure:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([2015, 2020, 2025], [1.0, 2.0, 3.0])
    return fig


def sections(language: str = "zh") -> tuple[Section, Section]:
    """The two sections: one with a figure and a wide table, one with appendix blocks."""
    w = ZH if language == "zh" else EN
    source = SOURCE_ZH if language == "zh" else SOURCE_EN
    a = SectionBuilder("overview", w["overview"], language=language, simulated=True)
    a.heading("样本与数据" if language == "zh" else "Sample and data")
    a.paragraph(("全省 3 个县，见{table:counties}；收入走势见{figure:trend}，**逐年上升**。")
                if language == "zh" else
                "Three counties ({table:counties}); income rises (**{figure:trend}**).")
    frame = pd.DataFrame({
        "县" if language == "zh" else "County": w["counties"],
        w["income"]: [12345.6, np.nan, 9876.5], w["share"]: [0.123, 0.456, None],
        w["flag"]: [True, False, None], w["year"]: [2023, 2024, 2025]})
    a.table("counties", f"各县概况（{HOSTILE}）" if language == "zh" else "Counties", frame,
            source=source, notes=["注：“—”表示缺失。" if language == "zh"
                                  else "Note: — marks a missing value."],
            kinds={w["income"]: "money", w["share"]: "share", w["flag"]: "flag",
                   w["year"]: "year"})
    a.figure("trend", "收入走势" if language == "zh" else "Income trend", _line_figure(),
             source=source)
    wide = pd.DataFrame(np.arange(36, dtype=float).reshape(3, 12) * 1000.5,
                        columns=[f"{'第' if language == 'zh' else 'Indicator '}{i}"
                                 f"{'项指标得分（分）' if language == 'zh' else ' score'}"
                                 for i in range(1, 13)])
    a.table("wide", "全部指标得分" if language == "zh" else "All indicator scores", wide,
            source=source, kinds={c: "score" for c in wide.columns})
    a.finding(f"{w['counties'][2]}的收入最低（{{table:counties}}）。" if language == "zh" else
              f"{w['counties'][2]} has the lowest income ({{table:counties}}).", rank=2)
    a.metric("n_counties", w["n"], 3, "个")
    a.method(w["method"])
    a.caveat(w["caveat"])

    b = SectionBuilder("linkage", w["linkage"], language=language, simulated=True)
    b.heading("耦合协调" if language == "zh" else "Coupling coordination")
    b.paragraph("协调度见{figure:coupling}，明细见{table:detail}。" if language == "zh" else
                "Coordination in {figure:coupling}; details in {table:detail}.")
    b.figure("coupling", "耦合协调度" if language == "zh" else "Coupling coordination",
             _line_figure(), source=source)
    b.table("ranks", "得分排名" if language == "zh" else "Ranking",
            pd.DataFrame({w["score"]: [0.61234, 0.5, np.nan], w["n"]: [1, 2, 3]}),
            source=source, kinds={w["score"]: "score", w["n"]: "count"})
    b.table("detail", "逐年明细" if language == "zh" else "Yearly detail",
            pd.DataFrame({w["year"]: [2015, 2016], w["score"]: [0.1, None]}),
            source=source, appendix=True, kinds={w["year"]: "year", w["score"]: "score"},
            notes=[f"注：镜像页面 {MIRROR}、{MIRROR2}" if language == "zh"
                   else f"Note: mirror {MIRROR}"])
    b.figure("scatter", "附：散点" if language == "zh" else "Scatter", _line_figure(),
             source=source, appendix=True)
    b.finding("协调度整体处于**勉强协调**。" if language == "zh" else
              "Coordination is **barely coordinated** overall.", rank=1)
    b.method("耦合度采用修正模型。" if language == "zh" else "Corrected coupling model.")
    return a.build(), b.build()


PROVENANCE = {
    "created_utc": "2026-12-04T10:00:00+00:00", "linkage_version": "1.2.0",
    "git_revision": "0123456789abcdef", "python": "3.12.1", "platform": "Linux-x86_64",
    "run_id": "demo", "packages": {"pandas": "2.2.3", "numpy": "2.1.0"},
    "inputs": {"panel": {"path": "/home/analyst/秘密目录/panel.parquet",
                         "sha256": "ab" * 32, "bytes": 123456}},
    "parameters": {"panel": "/home/analyst/秘密目录/panel.parquet", "start_year": 2015,
                   "outcome": "rural_income_pc", "cluster": None,
                   "covariates": ["rural_population"], "seed": 20210,
                   "region_code": f"{HOSTILE}"},
}


def document(language: str = "zh") -> Document:
    """The sample report: cover with every field, both sections, a provenance record."""
    zh = language == "zh"
    cover = Cover("巩固拓展脱贫攻坚成果同乡村振兴有效衔接评估报告" if zh else
                  "Consolidation and rural revitalization report",
                  f"示例省 {HOSTILE}" if zh else f"Sample province {HOSTILE}",
                  "2015—2025年" if zh else "2015–2025", date(2026, 12, 4),
                  "某某党校课题组" if zh else "Party school team", "张三" if zh else "Zhang San",
                  simulated=True)
    return Document(cover, sections(language), language=language, provenance=PROVENANCE)


def visible_text(markup: str) -> str:
    """What a reader sees: tags, styles and scripts removed, entities decoded."""
    import html

    body = re.sub(r"(?is)<(style|script|svg)[^>]*>.*?</\1>", " ", markup)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body))

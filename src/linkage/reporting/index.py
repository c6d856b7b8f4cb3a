"""What a batch shows on top (批次索引与汇总): ``index.html`` and the cross-region summary.

- :func:`write_index` writes ``index.html``: every region with its status, links to its HTML,
  Word and PDF report, its time, and for a failure the reason and the partial notebook; links
  to the summary report and the metrics table. Self-contained (no script, no external style),
  every value escaped.
- :func:`summary_document` builds the cross-region summary as a
  :class:`~linkage.reporting.document.Document` from the metrics alone: what ran and what
  failed, rankings on the numeric metrics, the distribution of every graded metric (text
  values such as coordination grades), flags counted, a chart across regions. It is rendered
  like a region report.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from linkage.atomic import atomic_path
from linkage.reporting.document import Cover, Document, Section, SectionBuilder
from linkage.reporting.region import RegionResult

__all__ = ["summary_document", "write_index"]

_WORDS = {
    "zh": {"title": "批次报告索引", "region": "地区", "code": "区划代码", "level": "层级",
           "status": "状态", "reports": "报告", "seconds": "用时（秒）", "reason": "失败原因",
           "ok": "成功", "failed": "失败", "partial": "出错的笔记本", "summary": "汇总报告",
           "metrics": "指标汇总表", "run": "运行记录",
           "counts": "共 {n} 个地区：成功 {ok} 个，失败 {bad} 个。",
           "html": "网页", "docx": "Word", "pdf": "PDF", "notes": "说明",
           "province": "省", "prefecture": "地级市", "county": "县", "created": "生成时间"},
    "en": {"title": "Batch report index", "region": "Region", "code": "Code", "level": "Level",
           "status": "Status", "reports": "Reports", "seconds": "Time (s)",
           "reason": "Reason for failure", "ok": "OK", "failed": "Failed",
           "partial": "failed notebook", "summary": "Summary report", "metrics": "Metrics table",
           "run": "Run record", "counts": "{n} regions: {ok} OK, {bad} failed.",
           "html": "HTML", "docx": "Word", "pdf": "PDF", "notes": "Notes",
           "province": "Province", "prefecture": "Prefecture", "county": "County",
           "created": "Created"},
}

_STYLE = """
body{font-family:"Noto Sans SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em;
color:#222}h1{font-size:1.5em}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ccc;padding:.35em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.failed{color:#a40000;font-weight:bold}.ok{color:#1a6e1a}
td.num{text-align:right}.reason{font-size:.9em;color:#555}
"""


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(quote(href), quote=True)}">{html.escape(text)}</a>'


def write_index(path: Path, results: Sequence[RegionResult], *, run_id: str,
                language: str = "zh", summary: Mapping[str, str] | None = None,
                metrics: Mapping[str, str] | None = None, notes: Sequence[str] = ()) -> Path:
    """Write ``index.html`` (links relative to its folder; every value escaped); ``notes``
    (the batch's, e.g. no PDF renderer) are shown once above the table."""
    w = _WORDS["zh" if language == "zh" else "en"]
    ok = sum(r.ok for r in results)
    rows = []
    for r in results:
        links = " · ".join(_link(f"{r.folder}/{r.outputs[f]}", w[f])
                           for f in ("html", "docx", "pdf") if f in r.outputs)
        reason = html.escape(r.error)
        if r.partial:
            reason += " " + _link(f"{r.folder}/{r.partial}", f"（{w['partial']}）")
        rows.append(
            f"<tr><td>{html.escape(r.code or '—')}</td><td>{html.escape(r.name)}</td>"
            f"<td>{html.escape(w.get(r.level, r.level))}</td>"
            f'<td class="{"ok" if r.ok else "failed"}">{w["ok" if r.ok else "failed"]}</td>'
            f"<td>{links or '—'}</td><td class=\"num\">{r.seconds:.1f}</td>"
            f'<td class="reason">{reason}</td></tr>')
    top = []
    for name, files in ((w["summary"], summary or {}), (w["metrics"], metrics or {})):
        if files:
            top.append(f"{html.escape(name)}：" + " · ".join(
                _link(rel, kind.upper() if kind != "docx" else "Word")
                for kind, rel in files.items()))
    top.append(_link("run.json", w["run"]))
    lang = "zh-CN" if language == "zh" else "en"
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(w['title'])} {html.escape(run_id)}</title><style>{_STYLE}</style></head>
<body><h1>{html.escape(w['title'])}</h1>
<p>{html.escape(run_id)} · {html.escape(w['created'])} {datetime.now():%Y-%m-%d %H:%M}</p>
<p>{html.escape(w['counts'].format(n=len(results), ok=ok, bad=len(results) - ok))}</p>
<p>{'<br>'.join(top)}</p>
{''.join(f'<p class="reason">{html.escape(n)}</p>' for n in notes)}
<table><thead><tr><th>{w['code']}</th><th>{w['region']}</th><th>{w['level']}</th>
<th>{w['status']}</th><th>{w['reports']}</th><th>{w['seconds']}</th><th>{w['reason']}</th>
</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""
    with atomic_path(path) as tmp:
        Path(tmp).write_text(page, encoding="utf-8")
    return path


# ---------------------------------------------------------------------- summary report ----

_TEXT = {
    "zh": {"cover": "{title}（汇总）", "region": "本批次 {n} 个地区", "period": "{a}—{b} 年",
           "batch": "批次概况", "rank": "地区排名", "grades": "等级与标识分布",
           "counts": "本批次共生成 {n} 个地区的报告，成功 {ok} 个，失败 {bad} 个。",
           "failed_title": "未能生成报告的地区", "failed_cols": ("区划代码", "地区", "失败原因"),
           "all_ok": "全部地区的报告均已生成。",
           "failed_finding": "{bad} 个地区的报告未能生成（见{ref}），其余地区不受影响。",
           "rank_text": "按{label}从高到低，前三位是{top}，末位是{last}（见{ref}）。",
           "rank_title": "各地区{label}排名（前 {k} 位）", "rank_all": "各地区关键指标一览",
           "rank_cols": ("名次", "地区", "区划代码"), "chart": "各地区{label}",
           "grade_title": "各地区{label}分布", "grade_cols": ("类别", "地区数（个）", "占比（%）"),
           "grade_text": "{label}以“{top}”最多，共 {count} 个地区（见{ref}）。",
           "flag_text": "{label}为“是”的地区有 {count} 个。",
           "method": "汇总表只读取各地区报告中的关键指标，不重新计算；排名按数值从高到低，"
                     "数值相同者名次相同。",
           "source_sim": "资料来源：本批次各地区报告的关键指标（linkage 内置模拟数据（模拟数据，"
                         "非真实统计））。",
           "source": "资料来源：本批次各地区报告的关键指标；原始数据的发布者与版本见各地区报告。",
           "unit_sep": "（{u}）", "regions": "地区数（个）"},
    "en": {"cover": "{title} (summary)", "region": "{n} regions of this batch",
           "period": "{a}–{b}", "batch": "The batch", "rank": "Rankings",
           "grades": "Grades and flags",
           "counts": "Reports were produced for {n} regions: {ok} succeeded, {bad} failed.",
           "failed_title": "Regions without a report",
           "failed_cols": ("Code", "Region", "Reason"),
           "all_ok": "Every region's report was produced.",
           "failed_finding": "{bad} regions failed (see {ref}); the others are unaffected.",
           "rank_text": "By {label}, the top three are {top}; last is {last} (see {ref}).",
           "rank_title": "Regions ranked by {label} (top {k})",
           "rank_all": "Key metrics of every region",
           "rank_cols": ("Rank", "Region", "Code"), "chart": "{label} by region",
           "grade_title": "Distribution of {label}",
           "grade_cols": ("Category", "Regions", "Share (%)"),
           "grade_text": "The most common {label} is “{top}”, in {count} regions (see {ref}).",
           "flag_text": "{count} regions have {label}.",
           "method": "The summary reads the key metrics of the region reports; nothing is "
                     "recomputed. Rankings are from high to low; ties share a rank.",
           "source_sim": "Source: key metrics of this batch's region reports (linkage bundled "
                         "simulated data — simulated, not real statistics).",
           "source": "Source: key metrics of this batch's region reports; the original "
                     "publishers and releases are named in each region report.",
           "unit_sep": " ({u})", "regions": "Regions"},
}

#: Regions shown in the main-body ranking table and chart (the full list is in the appendix).
TOP = 10
#: Up to this many regions, the chart shows every region; beyond, the top and bottom TOP.
CHART_ALL = 40
#: Units of metrics that are positions or dates, not magnitudes: never ranked or charted.
NOT_RANKED = frozenset({"位", "名", "年", "rank", "year"})
#: Numeric metrics charted across regions (the first also gets the ranking table).
CHARTS = 3


_ENGLISH_HALF = re.compile(r" / [^\u4e00-\u9fff—]*")


def _in_language(text: str, language: str) -> str:
    """A kit message ("中文 / English — 提示") in the report's language: the Chinese parts for
    ``zh`` (the English after each " / " dropped); as written for ``en``."""
    return " ".join(_ENGLISH_HALF.sub(" ", text).split()) if language == "zh" else text


def _label(labels: Mapping[str, tuple[str, str]], key: str, t: Mapping[str, str]) -> str:
    label, unit = labels[key]
    return label + (t["unit_sep"].format(u=unit) if unit else "")


def summary_document(results: Sequence[RegionResult], frame: pd.DataFrame,
                     labels: Mapping[str, tuple[str, str]], *, title: str, start_year: int,
                     end_year: int, language: str = "zh", simulated: bool = False,
                     organisation: str = "", author: str = "",
                     provenance: Mapping[str, Any] | None = None) -> Document:
    """The cross-region summary report, from the metrics table (:func:`metrics_frame`)."""
    lang = "zh" if language == "zh" else "en"
    t = _TEXT[lang]
    source = t["source_sim"] if simulated else t["source"]
    ok = frame[frame["status"] == "ok"]
    sections: list[Section] = []

    b = SectionBuilder("batch", t["batch"], language=lang, simulated=simulated)
    bad = len(results) - len(ok)
    b.paragraph(t["counts"].format(n=len(results), ok=len(ok), bad=bad))
    if bad:
        failed = pd.DataFrame([(r.code or "—", r.name, _in_language(r.error, lang))
                               for r in results if not r.ok],
                              columns=list(t["failed_cols"]))
        b.table("failed", t["failed_title"], failed, source=source,
                kinds=dict.fromkeys(failed.columns, "text"))
        b.finding(t["failed_finding"].format(bad=bad, ref="{table:failed}"), rank=5)
    else:
        b.paragraph(t["all_ok"])
    b.method(t["method"])
    sections.append(b.build())

    # a ranking needs values that differ, and magnitudes (not ranks or years)
    numeric = [k for k in labels if k in ok and pd.api.types.is_float_dtype(ok[k])
               and ok[k].nunique() > 1 and labels[k][1] not in NOT_RANKED]
    if numeric and len(ok) > 1:
        sections.append(_rankings(ok, numeric, labels, t, lang, simulated, source))
    # a distribution of categories that differ between regions; flags counted
    graded = [k for k in labels if k in ok and (
        (pd.api.types.is_string_dtype(ok[k]) and ok[k].nunique() > 1)
        or (ok[k].dtype == "boolean" and ok[k].notna().any()))]
    if graded:
        sections.append(_grades(ok, graded, labels, t, lang, simulated, source))
    cover = Cover(title=t["cover"].format(title=title), region=t["region"].format(n=len(results)),
                  period=t["period"].format(a=start_year, b=end_year),
                  organisation=organisation, author=author, simulated=simulated)
    return Document(cover, tuple(sections), lang, dict(provenance or {}))  # type: ignore[arg-type]


def _ranked(ok: pd.DataFrame, key: str) -> pd.DataFrame:
    data = ok[["region_name", "region_code", key]].dropna(subset=[key])
    data = data.assign(rank=data[key].rank(ascending=False, method="min").astype(int))
    return data.sort_values(["rank", "region_code"], kind="mergesort")


def _bars(ranked: pd.DataFrame, key: str, axis_label: str) -> Any:
    """A horizontal bar per region, highest first (the top and bottom TOP when many)."""
    import matplotlib.pyplot as plt

    shown = ranked if len(ranked) <= CHART_ALL else pd.concat([ranked.head(TOP),
                                                             ranked.tail(TOP)])
    fig, ax = plt.subplots(figsize=(6.3, max(2.5, 0.22 * len(shown) + 0.8)))
    ax.barh(range(len(shown)), shown[key].to_numpy(), color="#3b6ea5")
    ax.set_yticks(range(len(shown)), [str(n) for n in shown["region_name"]], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    return fig


def _rankings(ok: pd.DataFrame, numeric: list[str], labels: Mapping[str, tuple[str, str]],
              t: Mapping[str, Any], lang: str, simulated: bool, source: str) -> Section:
    from linkage.plotting import setup_cjk

    setup_cjk()
    b = SectionBuilder("rankings", t["rank"], language=lang, simulated=simulated)
    first = numeric[0]
    label = _label(labels, first, t)
    data = _ranked(ok, first)
    rank_col, name_col, code_col = t["rank_cols"]
    top = data.head(TOP).rename(columns={"rank": rank_col, "region_name": name_col,
                                         "region_code": code_col, first: label})
    top = top[[rank_col, name_col, code_col, label]]
    sep = "、" if lang == "zh" else ", "
    b.paragraph(t["rank_text"].format(
        label=labels[first][0], top=sep.join(data["region_name"].head(3)),
        last=data["region_name"].iloc[-1], ref="{table:top}"))
    b.table("top", t["rank_title"].format(label=labels[first][0], k=min(TOP, len(data))), top,
            source=source, kinds={rank_col: "int", name_col: "text", code_col: "text",
                                  label: "auto"})
    for i, key in enumerate(numeric[:CHARTS]):
        ranked = data if i == 0 else _ranked(ok, key)
        if i:
            b.paragraph(t["rank_text"].format(
                label=labels[key][0], top=sep.join(ranked["region_name"].head(3)),
                last=ranked["region_name"].iloc[-1], ref=f"{{figure:chart{i}}}"))
        b.figure(f"chart{i}", t["chart"].format(label=labels[key][0]),
                 _bars(ranked, key, _label(labels, key, t)), source=source)
    # every region and every numeric metric, in the appendix
    table = ok[["region_name", "region_code", *numeric]].sort_values(
        first, ascending=False, kind="mergesort")
    headers = {"region_name": name_col, "region_code": code_col} | {
        k: _label(labels, k, t) for k in numeric}
    table = table.rename(columns=headers)
    b.table("all", t["rank_all"], table, source=source, appendix=True,
            kinds={name_col: "text", code_col: "text"})
    b.finding(t["rank_text"].format(
        label=labels[first][0], top=sep.join(data["region_name"].head(3)),
        last=data["region_name"].iloc[-1], ref="{table:top}"), rank=10)
    return b.build()


def _grades(ok: pd.DataFrame, graded: list[str], labels: Mapping[str, tuple[str, str]],
            t: Mapping[str, Any], lang: str, simulated: bool, source: str) -> Section:
    import matplotlib.pyplot as plt

    from linkage.plotting import setup_cjk

    setup_cjk()
    b = SectionBuilder("grades", t["grades"], language=lang, simulated=simulated)
    cat, n_col, share_col = t["grade_cols"]
    charted = False
    for i, key in enumerate(graded):
        name = labels[key][0]
        values = ok[key].dropna()
        if ok[key].dtype == "boolean":
            b.paragraph(t["flag_text"].format(label=name, count=int(values.sum())))
            continue
        counts = values.value_counts().sort_index(kind="mergesort")
        counts = counts.sort_values(ascending=False, kind="mergesort")
        table = pd.DataFrame({cat: counts.index.astype(str), n_col: counts.to_numpy(),
                              share_col: 100.0 * counts.to_numpy() / counts.sum()})
        b.paragraph(t["grade_text"].format(label=name, top=counts.index[0],
                                           count=int(counts.iloc[0]), ref=f"{{table:g{i}}}"))
        b.table(f"g{i}", t["grade_title"].format(label=name), table, source=source,
                kinds={cat: "text", n_col: "count", share_col: "percent"})
        if not charted:
            fig, ax = plt.subplots(figsize=(6.3, max(2.2, 0.35 * len(counts) + 0.8)))
            ax.barh(range(len(counts)), counts.to_numpy(), color="#3b6ea5")
            ax.set_yticks(range(len(counts)), [str(c) for c in counts.index], fontsize=8)
            ax.invert_yaxis()
            ax.set_xlabel(t["regions"])
            b.figure(f"gchart{i}", t["grade_title"].format(label=name), fig, source=source)
            charted = True
        if i == 0:
            b.finding(t["grade_text"].format(label=name, top=counts.index[0],
                                             count=int(counts.iloc[0]), ref=f"{{table:g{i}}}"),
                      rank=20)
    return b.build()

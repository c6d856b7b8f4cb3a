"""The 衔接评估 report notebook (02_linkage) executes end to end under papermill."""

from __future__ import annotations

import pytest


@pytest.mark.notebooks
def test_linkage_notebook_runs_on_the_sample(execute_report):
    report = execute_report(["02_linkage"])
    # weights, 2 trends, D trend, heat map, types, effort index, 2 obstacle charts
    assert report.figures >= 8
    assert "模拟数据" in report.html
    for phrase in ("耦合协调度 D 的全省均值", "主要障碍维度", "C(修正)", "C(经典)",
                   "熵值法权重反映", "王淑佳", "勉强协调", "产出、成效类指标参与成果评价",
                   "政策投入指数", "不是政策效果", "Spearman", "D差值(原贫困县−其他县)",
                   "适用县数", "修正耦合度"):
        assert phrase in report.text, phrase
    assert "C (corrected)" not in report.text  # the Chinese report has Chinese headers


@pytest.mark.notebooks
def test_linkage_notebook_runs_with_other_methods_and_years(execute_report):
    text = execute_report(
        ["02_linkage"], "t2", coupling_method="classic", start_year=2019, end_year=2024,
        weighting="critic", hierarchy="hierarchical", missing="year_mean", scope="year",
        top_k=2, language="en").text
    assert "2019" in text and "2024" in text and "2025" not in text
    assert "within each year" in text and "entropy weights reflect" not in text
    # English tables, titles and findings
    for phrase in ("C (corrected)", "Rank correlation with the reference (Spearman)",
                   "Former poverty counties", "it is not a policy effect", "Global weight",
                   "Counties where it applies", "Largest weights in Rural revitalization"):
        assert phrase in text, phrase
    # the narrative reports the classic D: the province mean of 2019 computed by the library
    from linkage.panel import load_panel
    from linkage.scoring import score_framework
    from linkage.sections.linkage import linkage_coupling

    data = load_panel().between_years(2019, 2024)
    scores = score_framework(data.panel, weighting="critic", hierarchy="hierarchical",
                             missing="year_mean", scope="year")
    d_2019 = linkage_coupling(scores, method="classic")["D"].xs(2019, level="year").mean()
    assert f"coupling coordination degree D rose from {d_2019:.3f}" in text or \
        f"coupling coordination degree D fell from {d_2019:.3f}" in text


@pytest.mark.notebooks
def test_linkage_notebook_runs_on_a_user_panel_with_some_indicators(tmp_path, execute_report):
    from linkage.frameworks import load_framework
    from linkage.sample import load_sample

    table = load_framework().indicator_table()
    keep = [i for i in table.index if table.at[i, "dimension"] not in ("ecology", "assets")]
    panel = load_sample().panel[["region_code", "year", *keep]]
    path = tmp_path / "my_panel.csv"
    panel.to_csv(path, index=False)
    text = execute_report(["02_linkage"], "user", defaults=False, panel=str(path)).text
    assert "缺少 7 项" in text  # 5 ecology + 2 asset indicators
    assert "forest_cover" in text  # the absent indicators are named


@pytest.mark.notebooks
def test_prefecture_level_report_speaks_of_prefectures(execute_report):
    html = execute_report(["02_linkage"], "pref", region_level="prefecture").html
    assert "个市" in html and "评价覆盖 12 个市" in html
    assert "个县、" not in html
    assert "政策投入指数" in html  # the markdown says why it is not computed at this level

"""The 衔接评估 report notebook (02_linkage) executes end to end under papermill."""

from __future__ import annotations

import nbformat
import pytest

from linkage.cli import default_report_parameters
from linkage.report import run_report


def _outputs(result):
    nb = nbformat.read(result.notebooks[0], as_version=4)
    return [out for cell in nb.cells for out in cell.get("outputs", [])]


def _text(outputs) -> str:
    parts = []
    for out in outputs:
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.mark.notebooks
def test_linkage_notebook_runs_on_the_sample(tmp_path):
    result = run_report(["02_linkage"], parameters=default_report_parameters(),
                        out_dir=tmp_path, run_id="t")
    outputs = _outputs(result)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not any("missing from font" in o.get("text", "") for o in outputs)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 7  # weights, 2 trends, D trend, heat map, types, 2 obstacle charts
    html = result.html.read_text(encoding="utf-8")
    assert "模拟数据" in html
    assert html.count("data:image/png;base64,") >= len(images)  # figures embedded
    text = _text(outputs)
    for phrase in ("耦合协调度 D 的全省均值", "主要障碍维度", "C (corrected)", "C (classic)",
                   "熵值法权重反映", "王淑佳", "勉强协调"):
        assert phrase in text, phrase


@pytest.mark.notebooks
def test_linkage_notebook_runs_with_other_methods_and_years(tmp_path):
    params = default_report_parameters() | {
        "coupling_method": "classic", "start_year": 2019, "end_year": 2024,
        "weighting": "critic", "hierarchy": "hierarchical", "missing": "year_mean",
        "scope": "year", "top_k": 2}
    result = run_report(["02_linkage"], parameters=params, out_dir=tmp_path, run_id="t2")
    outputs = _outputs(result)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = _text(outputs)
    assert "2019" in text and "2024" in text and "2025 年" not in text
    assert "逐年标准化" in text and "熵值法权重反映" not in text
    # the narrative reports the classic D: the province mean of 2019 computed by the library
    from linkage.assessment import linkage_coupling
    from linkage.panel import load_panel
    from linkage.scoring import score_framework

    data = load_panel().between_years(2019, 2024)
    scores = score_framework(data.panel, weighting="critic", hierarchy="hierarchical",
                             missing="year_mean", scope="year")
    d_2019 = linkage_coupling(scores, method="classic")["D"].xs(2019, level="year").mean()
    assert f"耦合协调度 D 的全省均值由 {d_2019:.3f}" in text


@pytest.mark.notebooks
def test_linkage_notebook_runs_on_a_user_panel_with_some_indicators(tmp_path):
    from linkage.frameworks import load_framework
    from linkage.sample import load_sample

    table = load_framework().indicator_table()
    keep = [i for i in table.index if table.at[i, "dimension"] not in ("ecology", "assets")]
    panel = load_sample().panel[["region_code", "year", *keep]]
    path = tmp_path / "my_panel.csv"
    panel.to_csv(path, index=False)
    result = run_report(["02_linkage"], parameters={"panel": str(path)}, out_dir=tmp_path,
                        run_id="user")
    outputs = _outputs(result)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = _text(outputs)
    assert "缺少 7 项" in text  # 5 ecology + 2 asset indicators
    assert "forest_cover" in text  # the absent indicators are named


@pytest.mark.notebooks
def test_prefecture_level_report_speaks_of_prefectures(tmp_path):
    params = default_report_parameters() | {"region_level": "prefecture"}
    result = run_report(["02_linkage"], parameters=params, out_dir=tmp_path, run_id="pref")
    html = result.html.read_text(encoding="utf-8")
    assert "个市" in html and "评价覆盖 12 个市" in html
    assert "个县、" not in html

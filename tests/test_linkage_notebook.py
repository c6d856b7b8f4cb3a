"""The 衔接评估 notebook (02_linkage) executes under papermill and saves its report section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from section_text import assembled, reader_problems

from linkage.frameworks import load_framework
from linkage.paths import notebooks_dir
from linkage.reporting.document import Section
from linkage.reporting.executors import PapermillRunner

FW = load_framework()


def run_section(name: str, tmp_path: Path, **parameters) -> Section:
    """Execute report notebook ``name`` with ``parameters`` and load the section it saved."""
    source = notebooks_dir() / f"{name}.ipynb"
    out = tmp_path / f"{name}.json"
    runner = PapermillRunner()
    try:
        runner.execute(source, tmp_path / f"{name}-run.ipynb",
                       {**parameters, "section_out": str(out)}, timeout=600)
    finally:
        runner.close()
    return Section.load(out)


def _text(section: Section) -> str:
    from section_text import visible_texts

    return "\n".join(visible_texts(section))


@pytest.mark.notebooks
def test_linkage_notebook_saves_a_county_section(tmp_path):
    from linkage.panel import load_panel

    section = run_section("02_linkage", tmp_path, region_code="990327")
    assert section.key == "linkage" and section.language == "zh" and section.simulated
    counties = load_panel().counties
    places = (*counties["region_name"], *counties["prefecture_name"].unique())
    assert reader_problems(section, FW, place_names=places) == []
    assert assembled(section).summary[0].startswith("磐浦县")
    text = _text(section)
    for phrase in ("耦合协调度 D", "王淑佳", "政策投入指数", "不是政策效果", "Spearman",
                   "排名（位/共 120 县）", "同类县中排名", "熵值法权重反映"):
        assert phrase in text, phrase


@pytest.mark.notebooks
def test_linkage_notebook_with_other_methods_years_and_language(tmp_path):
    section = run_section("02_linkage", tmp_path, coupling_method="classic", start_year=2019,
                          end_year=2024, weighting="critic", hierarchy="hierarchical",
                          missing="year_mean", scope="year", top_k=2, language="en")
    text = _text(section)
    assert section.language == "en"
    assert "2019" in text and "2024" in text and "2025" not in text
    assert "within each year" in text and "classic C" in text
    assert "Former poverty counties" in text and "it is not a policy effect" in text
    # the finding reports the classic D: the province mean of 2019 computed by the library
    from linkage.panel import load_panel
    from linkage.scoring import score_framework
    from linkage.sections.linkage import linkage_coupling

    data = load_panel().between_years(2019, 2024)
    scores = score_framework(data.panel, counties=data.counties, weighting="critic",
                             hierarchy="hierarchical", missing="year_mean", scope="year")
    d_2019 = linkage_coupling(scores, method="classic")["D"].xs(2019, level="year").mean()
    assert re.search(rf"coupling coordination degree D (rose|fell) from {d_2019:.3f}", text)


@pytest.mark.notebooks
def test_linkage_notebook_on_a_user_panel_with_some_indicators(tmp_path):
    from linkage.sample import load_sample

    table = FW.indicator_table()
    keep = [i for i in table.index if table.at[i, "dimension"] not in ("ecology", "assets")]
    panel = load_sample().panel[["region_code", "year", *keep]]
    path = tmp_path / "my_panel.csv"
    panel.to_csv(path, index=False)
    section = run_section("02_linkage", tmp_path, panel=str(path))
    text = _text(section)
    assert section.simulated  # region codes of the simulated province (99…)
    assert "用户提供的县域面板（my_panel.csv；模拟数据" in text
    assert str(tmp_path) not in text  # the file name, never a local path
    assert "数据中缺少 7 项指标" in text  # 5 ecology + 2 asset indicators, by name
    assert FW["forest_cover"].name_zh in text and "forest_cover" not in text


@pytest.mark.notebooks
def test_prefecture_level_section_speaks_of_prefectures(tmp_path):
    section = run_section("02_linkage", tmp_path, region_level="prefecture")
    text = _text(section)
    assert "全省 12 个市" in text and "排名（位/共 12 市）" in text
    assert "个县、" not in text
    assert "政策投入指数" in text  # the section says why it is not computed at this level

"""The real-data chapter (全国省级真实数据): every number is checked against a hand computation
from the shipped CSV files, read here with the csv module — not through the code under test."""

from __future__ import annotations

import csv
import doctest
import math
from collections import Counter, defaultdict

import numpy as np
import pytest
from section_text import reader_problems

from linkage import paths
from linkage.errors import InputError
from linkage.frameworks import load_framework
from linkage.reporting.document import Cover, Document, Figure, Paragraph, Table
from linkage.sections import national

INCOME = paths.reference_dir() / "province_income_rural_urban_2010_2020.csv"
EXITS = paths.reference_dir() / "poverty_county_exit_list_832_coded.csv"
NET_2013 = paths.reference_dir() / "province_rural_net_income_2013_partial.csv"


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _income() -> dict[tuple[str, int], tuple[float, float]]:
    """(province, year) → (rural, urban), straight from the CSV text."""
    return {(r["province"], int(r["year"])): (float(r["rural_disposable_income_yuan"]),
                                               float(r["urban_disposable_income_yuan"]))
            for r in _rows(INCOME)}


def _provinces() -> list[str]:
    return sorted({r["province"] for r in _rows(INCOME)} - {"全国"})


def _four_regions() -> dict[str, str]:
    return {r["province"]: r["region"] for r in _rows(national.REGIONS_FILE)}


@pytest.fixture(scope="module")
def result() -> national.ProvincialIncome:
    return national.provincial_income(reps=199, seed=7)


@pytest.fixture(scope="module", params=["zh", "en"])
def section(request):
    return national.build(region_code="990327", language=request.param, reps=199)


# --- the numbers ------------------------------------------------------------------------------


def test_a_provinces_growth_is_the_geometric_mean_of_its_csv_values(result):
    income = _income()
    first, last = income[("贵州", 2013)][0], income[("贵州", 2020)][0]
    by_name = result.provinces.set_index("province")
    assert by_name.at["贵州", "growth_pct"] == pytest.approx(
        100 * ((last / first) ** (1 / 7) - 1), rel=1e-12)
    assert by_name.at["贵州", "rural_first"] == first
    # rank 1 is the highest rural income of 2020
    top = max(_provinces(), key=lambda p: income[(p, 2020)][0])
    assert by_name.at[top, "rank_last"] == 1


def test_years_of_falling_income_are_those_below_the_year_before_in_the_csv(result):
    income = _income()
    expected = {p: "、".join(str(y) for y in range(2014, 2021)
                            if income[(p, y)][0] < income[(p, y - 1)][0]) for p in _provinces()}
    assert result.provinces.set_index("province")["fell"].to_dict() == expected
    assert any(expected.values())  # the shipped data have a fall (湖北 2020)


def test_the_urban_rural_ratio_of_a_year_is_urban_over_rural(result):
    income = _income()
    rural, urban = income[("北京", 2017)]
    row = result.panel[(result.panel["province"] == "北京") & (result.panel["year"] == 2017)]
    assert float(row["ratio"].iloc[0]) == pytest.approx(urban / rural, rel=1e-12)
    rural, urban = income[("全国", 2020)]
    assert result.national.at[2020, "ratio"] == pytest.approx(urban / rural, rel=1e-12)
    assert round(urban / rural, 2) == 2.56  # the NBS figure for 2020


def test_sigma_of_a_year_is_the_sd_of_log_income_over_the_31_provinces(result):
    income = _income()
    logs = [math.log(income[(p, 2016)][0]) for p in _provinces()]
    assert len(logs) == 31
    assert result.sigma.table.at[2016, "sd_log"] == pytest.approx(np.std(logs, ddof=1),
                                                                  rel=1e-12)
    assert result.theil.at[2016, "sd_log"] == result.sigma.table.at[2016, "sd_log"]


def test_theil_by_hand_and_its_decomposition_adds_up(result):
    income, regions = _income(), _four_regions()
    y = np.array([income[(p, 2020)][0] for p in _provinces()])
    mu = y.mean()
    total = np.mean(y / mu * np.log(y / mu))
    groups = defaultdict(list)
    for p in _provinces():
        groups[regions[p]].append(income[(p, 2020)][0])
    between = sum(sum(v) / y.sum() * math.log(np.mean(v) / mu) for v in groups.values())
    row = result.theil.loc[2020]
    assert row["total"] == pytest.approx(total, rel=1e-10)
    assert row["between"] == pytest.approx(between, rel=1e-10)
    assert (result.theil["between"] + result.theil["within"]).to_numpy() == pytest.approx(
        result.theil["total"].to_numpy(), rel=1e-12)
    assert row["between_share"] == pytest.approx(100 * between / total, rel=1e-10)


def test_absolute_beta_is_the_ols_slope_with_the_wild_bootstrap_for_31_clusters(result):
    income = _income()
    x = np.array([math.log(income[(p, 2013)][0]) for p in _provinces()])
    g = np.array([math.log(income[(p, 2020)][0]) for p in _provinces()]) - x
    slope = np.polyfit(x, g / 7, 1)[0]
    beta = result.betas["absolute"]
    assert beta.beta == pytest.approx(slope, rel=1e-9)
    assert beta.clusters == 31 and beta.n == 31
    assert beta.inference == "wild"  # 31 < FEW_CLUSTERS = 42
    assert result.betas["conditional"].fixed_effects == "region"


def test_the_exit_calendar_counts_the_csv_by_province_and_year(result):
    rows = _rows(EXITS)
    by_year = Counter(int(r["exit_year"]) for r in rows)
    assert [by_year[y] for y in national.EXIT_YEARS] == [28, 125, 283, 344, 52]
    cal = result.exits.set_index("province")
    assert [int(cal[y].sum()) for y in national.EXIT_YEARS] == [28, 125, 283, 344, 52]
    by_province = Counter((r["province"], int(r["exit_year"])) for r in rows)
    for (province, year), n in by_province.items():
        assert cal.at[province, year] == n
    assert cal.at["西藏", "total"] == sum(n for (p, _), n in by_province.items() if p == "西藏")
    assert len(cal) == len({r["province"] for r in rows}) == 22
    assert list(cal["total"]) == sorted(cal["total"], reverse=True)


def test_the_regional_classification_is_the_nbs_one_with_the_northeast_folded_in_apart():
    table = national.province_regions()
    assert sorted(table["province"]) == _provinces()  # the same 31 names as the income table
    assert Counter(table["region"]) == {"东部": 10, "中部": 6, "西部": 12, "东北": 3}
    three = table.set_index("province")["region_three"]
    assert (three["辽宁"], three["吉林"], three["黑龙江"]) == ("东部", "中部", "中部")
    assert Counter(table["region_three"]) == {"东部": 11, "中部": 8, "西部": 12}
    assert table["source"].str.contains("国家统计局").all()
    assert table["province_code"].str.fullmatch(r"\d{2}0000").all()


def test_2013_is_the_disposable_basis_and_the_old_net_income_is_never_joined(result):
    income = _income()
    net = {r["province"]: float(r["rural_net_income_yuan"]) for r in _rows(NET_2013)}
    beijing = result.panel[(result.panel["province"] == "北京") & (result.panel["year"] == 2013)]
    assert float(beijing["rural"].iloc[0]) == income[("北京", 2013)][0] != net["北京"]
    assert result.old_basis == {"provinces": len(net) - 1, "national_net": net["全国"],
                                "national_disposable": income[("全国", 2013)][0]}
    assert result.panel["year"].min() == 2013 and result.panel["year"].max() == 2020
    assert result.panel.groupby("year")["province_code"].nunique().eq(31).all()


@pytest.mark.parametrize("years", [(2012, 2020), (2013, 2021), (2019, 2020), (2018, 2016)])
def test_years_outside_the_disposable_basis_or_the_table_are_refused(years):
    with pytest.raises(InputError, match="2013"):
        national.provincial_income(*years, reps=99)


def test_doctests():
    failed, tried = doctest.testmod(national)
    assert tried >= 5 and failed == 0


# --- the section ------------------------------------------------------------------------------


def test_the_section_reads_as_a_report_and_names_real_data(section):
    zh = section.language == "zh"
    assert reader_problems(section, load_framework()) == []
    assert not section.simulated
    real = "真实数据" if zh else "real data"
    assert real in section.title.lower() or real in section.title
    for block in section.blocks:
        if isinstance(block, (Table, Figure)) and block.key != "classification":
            assert real in block.title.lower() or real in block.title, block.key
            assert ("国家统计局" if zh else "National Bureau of Statistics") in block.source \
                or ("国务院扶贫" if zh else "Poverty Alleviation") in block.source, block.key


def test_mirror_pages_appear_only_in_appendix_notes(section):
    mirrors = ("vervain1902", "caomeikeyan", "http")
    for block in section.blocks:
        if isinstance(block, (Table, Figure)) and not block.appendix:
            shown = " ".join([block.title, block.source, *block.notes])
            assert not any(m in shown for m in mirrors), block.key
        if isinstance(block, Paragraph):
            assert not any(m in block.text for m in mirrors)
    notes = " ".join(n for b in section.blocks if isinstance(b, Table) and b.appendix
                     for n in b.notes)
    assert "vervain1902" in notes and "caomeikeyan" in notes


def test_main_body_is_short_and_long_tables_go_to_the_appendix(section):
    main = [b for b in section.blocks if isinstance(b, (Table, Figure)) and not b.appendix]
    assert [b.key for b in main] == ["regions", "beta", "convergence", "exit_calendar"]
    assert all(len(b.frame) <= 6 for b in main if isinstance(b, Table))
    appendix = {b.key: b for b in section.blocks if isinstance(b, Table) and b.appendix}
    assert len(appendix["provinces"].frame) == 31
    assert len(appendix["exits"].frame) == 23  # 22 provinces + the national total


def test_the_document_numbers_and_resolves_every_reference(section):
    doc = Document(Cover("t", "r", "2013—2020"), (section,), language=section.language)
    assembled = doc.assemble()  # raises on an unknown {table:…}/{figure:…}
    text = " ".join(getattr(b, "text", "") for c in assembled.chapters for b in c.blocks)
    assert "{table:" not in text and "{figure:" not in text


def test_findings_state_the_exit_totals_and_the_national_ratio(section):
    text = " ".join(f.text for f in section.findings)
    for n in (28, 125, 283, 344, 52):
        assert str(n) in text
    assert "2.56" in text and "2.81" in text
    values = {m.key: m.value for m in section.metrics}
    assert values["real_urban_rural_ratio"] == pytest.approx(2.5587, abs=1e-4)


def test_the_simulated_province_is_not_passed_off_as_a_real_one(section):
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert ("模拟省份" if section.language == "zh" else "simulated province") in text


def test_a_real_province_is_placed_among_the_31(result):
    income = _income()
    rank = 1 + sum(income[(p, 2020)][0] > income[("贵州", 2020)][0] for p in _provinces())
    zh = national.province_context(result, "520000", language="zh")
    assert zh.startswith("本报告地区所在的贵州") and f"第 {rank} 位" in zh
    en = national.province_context(result, "520000", language="en")
    assert "Guizhou" in en and f"rank {rank} of 31" in en
    assert "模拟省份" in national.province_context(result, None)
    assert "不能确定" in national.province_context(result, None, simulated=False)


@pytest.mark.parametrize(("codes", "region", "expected"), [
    (["520102", "520121"], "", "520000"),    # a real province's counties, province report
    (["520102", "530102"], "530102", "530000"),  # a county report: its own province
    (["520102", "530102"], "", None),        # two provinces: no single one to place
    (["710102", "710121"], "", None),        # not one of the 31
])
def test_the_reports_province_comes_from_the_region_codes(codes, region, expected):
    import pandas as pd

    from linkage.panel import PanelData

    data = PanelData(pd.DataFrame({"region_code": codes, "year": 2020}), pd.DataFrame(),
                     False, ())
    assert national._province_of(data, region) == (expected, False)


def test_the_chapter_is_computed_once_per_batch(tmp_path, monkeypatch):
    calls = []
    real = national.provincial_income

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(national, "provincial_income", counted)
    first = national.build(region_code="990327", reps=99, cache_dir=str(tmp_path))
    second = national.build(region_code="990102", reps=99, cache_dir=str(tmp_path))
    assert len(calls) == 1
    assert [f.text for f in first.findings] == [f.text for f in second.findings]


# --- the notebook -----------------------------------------------------------------------------


@pytest.mark.notebooks
@pytest.mark.parametrize("language", ["zh", "en"])
def test_notebook_saves_the_section(tmp_path, language):
    from linkage.paths import notebooks_dir
    from linkage.reporting.document import Section
    from linkage.reporting.executors import PapermillRunner

    out = tmp_path / "national.json"
    PapermillRunner().execute(
        notebooks_dir() / "07_national.ipynb", tmp_path / "07.ipynb",
        {"region_code": "990327", "reps": 99, "language": language, "section_out": str(out),
         "cache_dir": str(tmp_path / "shared")}, timeout=600)
    section = Section.load(out)
    assert section.key == national.KEY and section.language == language
    assert reader_problems(section, load_framework()) == []
    assert {m.key for m in section.metrics} == {
        "real_rural_income", "real_urban_rural_ratio", "real_sigma_change", "real_beta",
        "real_theil_between_share"}


# --- the report's own province panel --------------------------------------------------------
def _province_panel_csv(tmp_path, years=range(2013, 2021)):
    """A user's province panel as `linkage yearbook --to-panel` writes it (real NBS values)."""
    income = _income()
    codes = {r["province"]: r["province_code"] for r in _rows(INCOME)}
    lines = ["region_code,year,农村居民人均可支配收入"]
    lines += [f"{codes[name]},{year},{income[name, year][0]}" for name in _provinces()
              for year in years]
    path = tmp_path / "省级面板.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_province_panel_is_analysed_in_the_chapter_and_sourced_to_its_file(tmp_path):
    """The chapter takes a province panel: σ by hand, β as panel_convergence, the user's file
    as the source (not 真实数据 of the NBS), and the county sample has no such table."""
    section = national.build(panel=str(_province_panel_csv(tmp_path)), start_year=2013,
                             end_year=2020, reps=99)
    table = next(b for b in section.blocks
                 if isinstance(b, Table) and b.key == "panel_convergence")
    logs = [math.log(_income()[code, 2016][0]) for code in _provinces()]
    assert table.frame.iloc[3, 0] == "2016"
    assert table.frame.iloc[3, 1] == f"{np.std(logs, ddof=1):.3f}"
    assert "省级面板.csv" in table.source and "真实数据" not in table.title
    text = " ".join(b.text for b in section.blocks if isinstance(b, Paragraph))
    assert "31 个省份，2013—2020 年" in text
    assert reader_problems(section, load_framework()) == []
    plain = national.build(reps=99)
    assert not any(getattr(b, "key", "") == "panel_convergence" for b in plain.blocks)


def test_panel_convergence_refuses_codes_that_are_not_provinces():
    import pandas as pd

    frame = pd.DataFrame({"region_code": ["110000", "130102"] * 3,
                          "year": [2018, 2018, 2019, 2019, 2020, 2020], "y": [1.0] * 6})
    with pytest.raises(InputError, match="不是省级区划代码（如 130102）"):
        national.panel_convergence(frame, value="y")

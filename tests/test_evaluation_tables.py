"""Specification of linkage.evaluation.tables: regression tables in the journals' format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from linkage.errors import InputError
from linkage.evaluation import did_2x2, regression_table, stars, twfe_did

KIELMC = Path(__file__).parent / "data" / "kielmc_wooldridge.csv"


@pytest.mark.parametrize(("p", "expected"), [(0.0099, "***"), (0.01, "**"), (0.0499, "**"),
                                             (0.05, "*"), (0.0999, "*"), (0.1, ""), (0.9, "")])
def test_star_thresholds_are_strict(p, expected):
    assert stars(p) == expected


@pytest.fixture
def models():
    data = pd.read_csv(KIELMC)
    plain = did_2x2(data, "rprice", group="nearinc", post="y81")
    age = did_2x2(data, "rprice", group="nearinc", post="y81", covariates=["age", "agesq"])
    return data, plain, age


def test_two_models_side_by_side(models):
    _, plain, age = models
    t = regression_table({"基准": plain, "加入房龄": age}, digits=3).to_frame()
    assert list(t.columns) == ["基准", "加入房龄"]
    # Wooldridge: δ = −11863.903 (SE 7456.646, p ≈ 0.11: no star); −21920.27 (6359.75, p<0.01)
    assert t.loc["nearinc×y81", "基准"] == "-11863.903"
    assert t.iloc[1]["基准"] == "(7456.646)"
    assert t.loc["nearinc×y81", "加入房龄"].endswith("***")
    assert t.loc["age", "基准"] == ""
    assert t.loc["观测值"].tolist() == ["321", "321"]
    assert t.loc["县固定效应"].tolist() == ["否", "否"]
    assert t.loc["聚类层级"].tolist() == ["常规", "常规"]
    assert t.loc["p 值方法"].tolist() == ["常规t", "常规t"]
    assert t.loc["R²", "基准"] == "0.1739"


def test_fixed_effect_rows_and_english(models):
    data, plain, _ = models
    panel = data.assign(grp=data["nearinc"] * 10 + data["rooms"])
    fe = twfe_did(panel.assign(D=panel["y81nrinc"]), "rprice", unit="grp", time="year",
                  treated="D")
    t = regression_table([plain, fe], terms=["nearinc×y81", "D"],
                         labels={"D": "处理×政策后"}).to_frame()
    assert list(t.columns) == ["(1)", "(2)"]
    assert t.loc["县固定效应"].tolist() == ["否", "是"]
    assert t.loc["年份固定效应"].tolist() == ["否", "是"]
    assert t.loc["聚类层级", "(2)"] == "grp"
    assert t.loc["组内R²", "(1)"] == "" and t.loc["组内R²", "(2)"] != ""
    assert "处理×政策后" in t.index
    en = regression_table([fe], language="en").to_frame()
    assert "County FE" in en.index and en.loc["County FE", "(1)"] == "Yes"


def test_exports(models, tmp_path):
    _, plain, age = models
    table = regression_table([plain, age])
    html = table.to_html()
    assert html.startswith("<table") and "</table>" in html and "*** p&lt;0.01" in html
    path = table.to_csv(tmp_path / "表1.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", index_col=0)
    assert back.shape[1] == 2
    with pytest.raises(InputError, match="language"):
        regression_table([plain], language="fr")


def test_each_column_says_where_its_stars_come_from(models):
    """Stars of a wild-bootstrapped column and of a cluster-robust one sit side by side: the
    "p 值方法" row names each column's inference, two-way clustering included."""
    data, _, _ = models
    panel = data.assign(grp=data["nearinc"] * 10 + data["rooms"], D=data["y81nrinc"])
    keys = {"unit": "grp", "time": "year", "treated": "D"}
    cluster = twfe_did(panel, "rprice", **keys)
    wild = twfe_did(panel, "rprice", **keys, inference="wild", reps=199)
    two_way = twfe_did(panel, "rprice", **keys, cluster=["grp", "year"])
    t = regression_table({"a": cluster, "b": wild, "c": two_way}, terms=["D"]).to_frame()
    assert t.loc["p 值方法"].tolist() == ["聚类稳健t", "野聚类自助法", "双向聚类稳健t"]
    assert t.loc["D", "b"].rstrip("*") == t.loc["D", "a"].rstrip("*")  # same estimate
    assert t.loc["D", "b"].count("*") == len(stars(wild.pvalue))
    en = regression_table({"b": wild}, terms=["D"], language="en").to_frame()
    assert en.loc["p-value from", "b"] == "wild cluster bootstrap"

"""Specification of linkage.monitoring: threshold table, lookup, classification, summaries."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkage import datasets
from linkage.errors import InputError
from linkage.monitoring import (
    GUARANTEE_COLUMNS,
    classify_households,
    monitoring_summary,
    threshold_for,
    threshold_lookup,
    threshold_table,
)
from linkage.paths import sample_dir
from linkage.sample import load_sample


@pytest.fixture(scope="module")
def households():
    return load_sample().households


# --- threshold table ------------------------------------------------------------------------


def test_table_keeps_every_real_figure_with_its_source():
    table = threshold_table()
    real = datasets.load("monitoring_income_thresholds")
    reported = table[table["value_type"] == "reported"]
    assert len(reported) == len(real)
    assert sorted(reported["threshold_yuan"].dropna()) == sorted(
        real["monitoring_threshold_yuan_per_capita_net_income"].dropna().astype(float))
    assert (table["source"].str.len() > 10).all()


def test_added_national_defaults_are_marked_assumed_and_equal_the_sample_assumption():
    table = threshold_table()
    national = table[table["jurisdiction_code"] == "000000"].set_index("year")
    meta = json.loads((sample_dir() / "metadata.json").read_text(encoding="utf-8"))
    for year, value in meta["monitoring_threshold_yuan"].items():
        assert national.loc[int(year), "threshold_yuan"] == value
    # 2022 (6600) is the one reported national figure; every other national row is assumed.
    assert national.loc[2022, "value_type"] == "reported"
    others = national.drop(index=2022)
    assert (others["value_type"] == "assumed").all()
    assert others["basis"].str.contains("ASSUMPTION").all()


def test_user_table_with_bad_value_type_is_refused(tmp_path):
    table = threshold_table()
    table.loc[0, "value_type"] = "guess"
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    with pytest.raises(InputError, match="value_type"):
        threshold_table(path)


# --- lookup -----------------------------------------------------------------------------------


def test_lookup_prefers_county_then_province_then_national():
    table = threshold_table()
    codes = pd.Series(["350526", "350102", "530102", "990101"], index=[10, 11, 12, 13])
    years = pd.Series([2024, 2024, 2025, 2025], index=codes.index)
    got = threshold_for(codes, years, table)
    # 德化县 own 19560; 福州 has no row → national 2024 (assumed 7580); 云南 8700; 99 → national.
    assert got.tolist() == [19560.0, 7580.0, 8700.0, 8020.0]
    assert got.index.equals(codes.index)


def test_lookup_says_which_level_and_value_type_was_used():
    codes = pd.Series(["350526", "350102", "530102", "990101"], index=[10, 11, 12, 13])
    years = pd.Series([2024, 2024, 2025, 2023], index=codes.index)
    got = threshold_lookup(codes, years)
    assert got["level"].tolist() == ["county", "national", "province", "national"]
    assert got["value_type"].tolist() == ["reported", "assumed", "reported", "assumed"]
    assert got["jurisdiction_code"].tolist() == ["350526", "000000", "530000", "000000"]
    assert got["threshold_yuan"].equals(threshold_for(codes, years))


def test_lookup_without_any_figure_names_the_region_and_year():
    with pytest.raises(InputError, match=r"990101 在 2019 年"):
        threshold_for(pd.Series(["990101"]), pd.Series([2019]))


def test_rule_only_row_without_figure_is_not_used():
    # 安徽 2020 has a rule (1.5 × poverty line) but no yuan figure, and there is no national
    # 2020 row: the lookup must fail rather than invent a number.
    with pytest.raises(InputError):
        threshold_for(pd.Series(["340102"]), pd.Series([2020]))


# --- classification -------------------------------------------------------------------------


def _frame(**cols):
    n = len(next(iter(cols.values())))
    base = {"region_code": ["990101"] * n, "year": [2022] * n, "shock": ["无"] * n,
            "exited_poor": [False] * n, "income_pc": [9000.0] * n}
    base |= dict.fromkeys(GUARANTEE_COLUMNS, [True] * n)
    return pd.DataFrame(base | cols)


def test_classification_rules():
    h = _frame(income_pc=[6599.0, 6600.0, 6599.0, 6599.0, 9000.0, 9000.0],
               exited_poor=[True, True, False, False, False, False],
               shock=["无", "无", "自然灾害", "失业", "无", "疾病"],
               housing_safe_ok=[True, True, True, True, False, False])
    got = classify_households(h, threshold_table()).tolist()
    # threshold 2022 = 6600: strictly below is at risk; unemployment is not a severe shock;
    # unsafe housing puts a household at risk even with income above the line.
    assert got == ["脱贫不稳定户", "非监测对象", "突发严重困难户", "边缘易致贫户",
                   "边缘易致贫户", "突发严重困难户"]
    income_only = classify_households(h, threshold_table(), rule="income").tolist()
    assert income_only[4:] == ["非监测对象", "非监测对象"]


def test_classification_with_aligned_threshold_series():
    h = _frame(income_pc=[100.0, 200.0])
    got = classify_households(h, pd.Series([150.0, 150.0]))
    assert got.tolist() == ["边缘易致贫户", "非监测对象"]


def test_classification_refuses_missing_income():
    h = _frame(income_pc=[np.nan])
    with pytest.raises(InputError, match="income_pc"):
        classify_households(h, threshold_table())


@pytest.mark.parametrize("column", ["housing_safe_ok", "exited_poor", "shock"])
def test_classification_refuses_a_missing_guarantee_flag_or_shock(column):
    # a missing guarantee would read as True (达标) through astype(bool): refused, row named
    h = _frame(income_pc=[9000.0, 9000.0])
    h[column] = h[column].astype(object)
    h.loc[1, column] = None
    with pytest.raises(InputError, match=r"行 1") as info:
        classify_households(h, threshold_table())
    assert info.value.column == column


def test_classification_refuses_bad_rule_and_unaligned_thresholds():
    h = _frame(income_pc=[100.0, 200.0])
    with pytest.raises(InputError, match="rule"):
        classify_households(h, threshold_table(), rule="guarantees")
    with pytest.raises(InputError, match="thresholds"):
        classify_households(h, pd.Series([150.0, np.nan]))


# --- summary ----------------------------------------------------------------------------------


def _baoshan_households() -> pd.DataFrame:
    """A 2020–2021 roster reproducing the 保山 2021 bulletin, category by category.

    Each category is split into four cells (eliminated × newly identified). The published
    table gives household and person totals for eliminated / not eliminated and for new;
    cell households and persons are chosen to meet those margins (new households are put
    among the not-eliminated first), and persons are spread evenly over a cell's households.
    Households identified before 2021 also get a monitored 2020 row (risk not eliminated).
    """
    table = datasets.load("monitoring_case_baoshan_2021")
    rows = []
    for rec in table[table["category"] != "合计"].itertuples():
        new_not = min(rec.households_new_2021, rec.households_not_eliminated)
        new_elim = rec.households_new_2021 - new_not
        # persons of new households: proportionally within the new total
        p_new_not = round(rec.persons_new_2021 * new_not / rec.households_new_2021)
        p_new_elim = rec.persons_new_2021 - p_new_not
        cells = [
            (False, True, new_not, p_new_not),
            (False, False, rec.households_not_eliminated - new_not,
             rec.persons_not_eliminated - p_new_not),
            (True, True, new_elim, p_new_elim),
            (True, False, rec.households_risk_eliminated - new_elim,
             rec.persons_risk_eliminated - p_new_elim),
        ]
        for eliminated, new, n_hh, n_p in cells:
            if n_hh == 0:
                continue
            sizes = np.full(n_hh, n_p // n_hh)
            sizes[: n_p % n_hh] += 1
            rows.append(pd.DataFrame({
                "category": rec.category, "eliminated": eliminated, "new": new, "hh_size": sizes}))
    roster = pd.concat(rows, ignore_index=True)
    roster["household_id"] = [f"h{i:06d}" for i in range(len(roster))]
    y2021 = pd.DataFrame({
        "household_id": roster["household_id"], "year": 2021, "hh_size": roster["hh_size"],
        "monitor_category": roster["category"],
        "risk_eliminated": pd.array(roster["eliminated"], dtype="boolean"),
        "exited_poor": roster["category"] == "脱贫不稳定户"})
    old = roster[~roster["new"]]
    # the bulletin gives no 2020 status; only 2021 is checked, so any recorded value serves
    y2020 = y2021.loc[old.index].assign(year=2020)
    y2020["risk_eliminated"] = pd.array([False] * len(y2020), dtype="boolean")
    return pd.concat([y2020, y2021], ignore_index=True).assign(city="保山市")


def test_baoshan_bulletin_categories_and_totals_are_reproduced():
    table = datasets.load("monitoring_case_baoshan_2021").set_index("category")
    s = monitoring_summary(_baoshan_households(), by=("city", "year")).loc[("保山市", 2021)]
    total = table.loc["合计"]
    assert s["monitored_households"] == total["households_total"] == 16369
    assert s["monitored_persons"] == total["persons_total"] == 54851
    assert s["eliminated_households"] == total["households_risk_eliminated"] == 7282
    assert s["eliminated_persons"] == total["persons_risk_eliminated"] == 27256
    assert s["new_households"] == total["households_new_2021"] == 6189
    assert s["new_persons"] == total["persons_new_2021"] == 19409
    for cat in ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户"):
        assert s[f"households_{cat}"] == table.loc[cat, "households_total"]
    # 返贫 = newly identified 脱贫户 (the 脱贫不稳定户 newly identified in 2021).
    assert s["new_exited_households"] == table.loc["脱贫不稳定户", "households_new_2021"] == 1569
    assert s["new_other_households"] == 987 + 3633
    assert s["new_exited_persons"] + s["new_other_persons"] == s["new_persons"]
    assert s["elimination_rate"] == pytest.approx(7282 / 16369)
    assert s["elimination_rate_persons"] == pytest.approx(27256 / 54851)  # the bulletin's unit


def test_sample_weighted_elimination_rates_match_its_calibration_and_the_national_level(
        households):
    # Sample metadata (computed by the generator's own code, calibration.risk_eliminated_share):
    # national: 65.7 % (2022-11), 60.4 % (2024-06) — monitoring_prevent_return_national.csv.
    s = monitoring_summary(households, by=("year",), weights="weight")
    meta = json.loads((sample_dir() / "metadata.json").read_text(encoding="utf-8"))
    achieved = meta["calibration"]["risk_eliminated_share"]["achieved"]
    assert (100 * s["elimination_rate_w"]).round(2).tolist() == list(achieved.values())
    assert s.loc[2024, "elimination_rate_w"] == pytest.approx(0.604, abs=0.05)
    # persons (the unit of the national figures), as the sample README reports them
    consistency = meta["calibration"]["monitoring_consistency"]["risk_eliminated_rate_pct"]
    assert (100 * s["elimination_rate_persons_w"]).round(2).tolist() == list(
        consistency["households_survey_estimate"].values())


def test_first_year_new_counts_are_unknown_not_zero(households):
    s = monitoring_summary(households, by=("year",))
    assert s.loc[2021, ["new_households", "new_exited_households"]].isna().all()
    assert (s.loc[2022:, "new_households"] > 0).all()
    # Everyone monitored in a year was either monitored the year before or is new.
    prev = s["monitored_households"].shift(1)
    assert (s["monitored_households"].iloc[1:] == (prev + s["new_households"]).iloc[1:]).all()


def test_weighted_counts_equal_sums_of_weights(households):
    s = monitoring_summary(households, by=("year",), weights="weight")
    sub = households[(households["year"] == 2023)
                     & (households["monitor_category"] != "非监测对象")]
    assert s.loc[2023, "monitored_households_w"] == pytest.approx(sub["weight"].sum())
    assert s.loc[2023, "monitored_persons_w"] == pytest.approx(
        (sub["weight"] * sub["hh_size"]).sum())


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_summary_is_invariant_to_row_order(seed):
    h = load_sample().households.iloc[:3000]
    order = np.random.default_rng(seed).permutation(len(h))
    a = monitoring_summary(h, weights="weight")
    b = monitoring_summary(h.iloc[order], weights="weight")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_categories_sum_to_monitored(households):
    s = monitoring_summary(households)
    cats = s[[c for c in s.columns if c.startswith("households_")]].sum(axis=1)
    assert (cats == s["monitored_households"]).all()


def _roster() -> pd.DataFrame:
    """Three households over two years; b is large and never has its risk eliminated."""
    return pd.DataFrame({
        "household_id": ["a", "a", "b", "b", "c", "c"], "year": [2021, 2022] * 3,
        "region_code": ["990101", "990101", "990101", "990101", "990102", "990102"],
        "hh_size": [2, 2, 6, 6, 1, 1], "exited_poor": [True, True, False, False, False, False],
        "monitor_category": ["脱贫不稳定户", "脱贫不稳定户", "边缘易致贫户", "边缘易致贫户",
                             "非监测对象", "非监测对象"],
        "risk_eliminated": pd.array([False, True, False, False, pd.NA, pd.NA], dtype="boolean"),
        "weight": [10.0, 10.0, 5.0, 5.0, 20.0, 20.0]})


def test_elimination_rate_per_household_and_per_person_differ_by_hand():
    s = monitoring_summary(_roster(), by=("year",), weights="weight").loc[2022]
    assert s["elimination_rate"] == pytest.approx(1 / 2)           # a of {a, b}
    assert s["elimination_rate_persons"] == pytest.approx(2 / 8)    # 2 of 2 + 6 persons
    assert s["elimination_rate_w"] == pytest.approx(10 / 15)
    assert s["elimination_rate_persons_w"] == pytest.approx(20 / (20 + 30))


def test_missing_group_key_raises_naming_rows_or_is_dropped_and_reported():
    h = _roster()
    h.loc[[2, 3], "region_code"] = None
    with pytest.raises(InputError, match=r"region_code.*2, 3") as info:
        monitoring_summary(h)
    assert info.value.column == "region_code"
    s = monitoring_summary(h, missing="drop")
    assert s.attrs["dropped_rows"] == 2 and "2" in s.attrs["note"]
    assert s["monitored_households"].sum() == 2  # household b is not counted anywhere
    assert monitoring_summary(_roster()).attrs == {"dropped_rows": 0, "note": ""}


def test_monitored_household_with_missing_elimination_is_not_counted_as_not_eliminated():
    h = _roster()
    h.loc[3, "risk_eliminated"] = pd.NA
    with pytest.raises(InputError, match="risk_eliminated") as info:
        monitoring_summary(h, by=("year",))
    assert "3" in str(info.value)
    s = monitoring_summary(h, by=("year",), missing="drop")
    assert s.attrs["dropped_rows"] == 1
    assert s.loc[2022, "elimination_rate"] == 1.0  # a only: b's 2022 status is unknown
    with pytest.raises(InputError, match="missing"):
        monitoring_summary(h, missing="keep")


def test_named_weight_column_that_is_absent_raises():
    with pytest.raises(InputError, match="wt"):
        monitoring_summary(_roster(), weights="wt")


def test_unknown_category_is_refused(households):
    bad = households.head(3).copy()
    bad.loc[bad.index[0], "monitor_category"] = "低保户"
    with pytest.raises(InputError, match="低保户"):
        monitoring_summary(bad)

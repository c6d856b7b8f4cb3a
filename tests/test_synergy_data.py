"""Specification of the sample policy corpus in src/linkage/synergy/data (plain pandas).

The files follow the shared data model of the policy-synergy issue: one row per document in
``policy_documents.csv`` (UTF-8 with BOM), confirmed 0/1/2 codes per document and code id in
``policy_codes.csv``, 0/1 PMC items in ``pmc_items.csv``, a full text for every simulated (模拟)
document in ``texts/``. Real documents are national (中央) documents whose facts carry a source
URL; simulated ones belong to the sample province 模拟省 (region codes 99xxxx).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from linkage.frameworks import load_framework

DATA = Path(__file__).resolve().parents[1] / "src" / "linkage" / "synergy" / "data"

DOCUMENT_COLUMNS = ["doc_id", "title", "doc_number", "issuers", "level", "date", "doc_type",
                    "valid_from", "valid_to", "region_code", "simulated", "source", "text_file",
                    "note"]
GOALS = ["basic_guarantees", "income_stability", "relocation_support", "risk_monitoring",
         "self_reliance", "assistance", "leadership", "assets", "employment",
         "specialty_industry", "multi_actor", "precision", "industry", "ecology", "civility",
         "governance", "prosperity"]
INSTRUMENTS = ["supply_funds", "supply_talent", "supply_infrastructure",
               "supply_public_services", "supply_technology", "env_planning", "env_finance",
               "env_tax", "env_regulation", "env_evaluation", "demand_procurement",
               "demand_outsourcing", "demand_pairing", "demand_pilot"]
PMC_SIZES = {"X1": 5, "X2": 4, "X3": 5, "X4": 5, "X5": 3, "X6": 8, "X7": 5, "X8": 5, "X9": 5}
PMC_COLUMNS = [f"{k}.{j}" for k, n in PMC_SIZES.items() for j in range(1, n + 1)] + ["X10"]
LEVELS = {"中央", "省", "市", "县"}
DOC_TYPES = {"法律", "条例", "规划", "决定", "意见", "方案", "办法", "通知", "其他"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def documents() -> pd.DataFrame:
    return _read("policy_documents.csv")


@pytest.fixture(scope="module")
def real(documents: pd.DataFrame) -> pd.DataFrame:
    return documents[documents["simulated"] == "False"]


@pytest.fixture(scope="module")
def simulated(documents: pd.DataFrame) -> pd.DataFrame:
    return documents[documents["simulated"] == "True"]


@pytest.fixture(scope="module")
def codes() -> pd.DataFrame:
    return _read("policy_codes.csv")


@pytest.fixture(scope="module")
def pmc() -> pd.DataFrame:
    return _read("pmc_items.csv")


def test_csv_files_are_utf8_with_bom() -> None:
    for name in ("policy_documents.csv", "policy_codes.csv", "pmc_items.csv"):
        assert (DATA / name).read_bytes().startswith(b"\xef\xbb\xbf"), name


def test_document_columns_are_the_data_model_in_order(documents: pd.DataFrame) -> None:
    assert list(documents.columns) == DOCUMENT_COLUMNS


def test_doc_ids_are_unique_without_spaces(documents: pd.DataFrame) -> None:
    ids = documents["doc_id"]
    assert ids.is_unique
    assert ids.str.fullmatch(r"[A-Za-z0-9_.-]+").all(), ids[~ids.str.fullmatch(r"\S+")].tolist()


def test_categories_and_flags_take_allowed_values(documents: pd.DataFrame) -> None:
    assert set(documents["level"]) <= LEVELS
    assert set(documents["doc_type"]) <= DOC_TYPES
    assert set(documents["simulated"]) == {"True", "False"}
    assert documents["region_code"].str.fullmatch(r"\d{6}").all()
    assert (documents["title"].str.strip() != "").all()
    assert not documents["title"].str.contains("[《》]").any()


def test_issuers_are_full_names_separated_by_the_chinese_semicolon(
        documents: pd.DataFrame) -> None:
    parts = documents["issuers"].str.split("；")
    assert parts.map(lambda p: all(x and x == x.strip() for x in p)).all()
    assert parts.map(lambda p: len(p) == len(set(p))).all()
    assert not documents["issuers"].str.contains("[;,，、]").any()
    # joint issuance is present, so the co-issuance network has edges
    assert (parts.map(len) >= 2).sum() >= 15


def test_dates_parse_and_validity_is_ordered(documents: pd.DataFrame) -> None:
    for column in ("date", "valid_from", "valid_to"):
        filled = documents[column][documents[column] != ""]
        assert filled.str.fullmatch(DATE).all(), column
        pd.to_datetime(filled, format="%Y-%m-%d")  # raises on an impossible date
    both = documents[(documents["valid_from"] != "") & (documents["valid_to"] != "")]
    assert (both["valid_from"] <= both["valid_to"]).all()
    assert len(both) >= 5


def test_an_empty_date_is_explained_in_the_note(documents: pd.DataFrame) -> None:
    undated = documents[documents["date"] == ""]
    assert undated["note"].str.contains("未能通过检索核实|未能核实").all()
    assert (documents["simulated"][documents["date"] == ""] == "False").all()
    assert len(undated) <= 4


def test_at_least_thirty_real_national_documents_with_a_source_url(real: pd.DataFrame) -> None:
    assert len(real) >= 30
    assert (real["level"] == "中央").all()
    assert (real["region_code"] == "000000").all()
    assert real["source"].str.contains(r"https?://\S+").all()
    assert real["note"].str.contains("illustrative coding").all()
    assert (real["text_file"] == "").all()


@pytest.mark.parametrize("number", ["中发〔2020〕30号", "中农组发〔2021〕7号", "国办函〔2021〕51号",
                                    "中发〔2015〕34号", "国发〔2016〕64号", "国发〔2021〕25号",
                                    "人社部发〔2021〕26号"])
def test_required_documents_are_present_by_doc_number(real: pd.DataFrame, number: str) -> None:
    assert (real["doc_number"] == number).sum() == 1


@pytest.mark.parametrize("title", ["中华人民共和国乡村振兴促进法",
                                   "乡村振兴战略规划（2018－2022年）"])
def test_required_documents_are_present_by_title(real: pd.DataFrame, title: str) -> None:
    assert (real["title"] == title).sum() == 1


def test_the_central_no1_documents_2018_to_2025_are_all_present(real: pd.DataFrame) -> None:
    no1 = real[real["note"].str.contains("中央一号文件")]
    assert (no1["issuers"] == "中共中央；国务院").all()
    assert sorted(no1["date"].str[:4].astype(int)) == list(range(2018, 2026))


def test_the_law_has_its_effective_date(real: pd.DataFrame) -> None:
    law = real[real["doc_type"] == "法律"].iloc[0]
    assert (law["date"], law["valid_from"]) == ("2021-04-29", "2021-06-01")
    assert law["issuers"] == "全国人民代表大会常务委员会"


def test_simulated_documents_belong_to_the_sample_province(simulated: pd.DataFrame) -> None:
    assert len(simulated) >= 20
    assert simulated["doc_id"].str.startswith("sim-").all()
    assert simulated["note"].str.contains("模拟").all()
    assert simulated["doc_number"].str.startswith("模").all()
    code = simulated["region_code"]
    assert code.str.startswith("99").all()
    expected = pd.Series("县", index=code.index)
    expected[code.str.endswith("00")] = "市"
    expected[code.str.endswith("0000")] = "省"
    assert (simulated["level"] == expected).all()
    assert set(simulated["level"]) == {"省", "市", "县"}
    assert simulated["date"].str[:4].astype(int).between(2021, 2025).all()


def test_every_simulated_document_has_a_text_of_400_to_900_characters(
        simulated: pd.DataFrame) -> None:
    assert (simulated["text_file"] == simulated["doc_id"] + ".txt").all()
    lengths = simulated["text_file"].map(
        lambda name: len((DATA / "texts" / name).read_text(encoding="utf-8").strip()))
    assert lengths.between(400, 900).all(), lengths[~lengths.between(400, 900)].to_dict()


def test_the_texts_folder_holds_exactly_the_registered_files(documents: pd.DataFrame) -> None:
    registered = set(documents["text_file"]) - {""}
    assert {p.name for p in (DATA / "texts").iterdir()} == registered


def test_code_ids_are_the_framework_dimensions_and_the_instruments(codes: pd.DataFrame) -> None:
    assert list(codes.columns) == ["doc_id", *GOALS, *INSTRUMENTS]
    dimensions = set(load_framework().indicator_table()["dimension"])
    assert set(GOALS) == dimensions


def test_every_document_is_coded_once_with_0_1_or_2(codes: pd.DataFrame,
                                                    documents: pd.DataFrame) -> None:
    assert codes["doc_id"].is_unique
    assert set(codes["doc_id"]) == set(documents["doc_id"])
    values = codes[GOALS + INSTRUMENTS]
    assert values.isin(["0", "1", "2"]).all().all()


def test_codes_discriminate_between_documents(codes: pd.DataFrame) -> None:
    values = codes.set_index("doc_id")[GOALS + INSTRUMENTS].astype(int)
    share_of_twos = (values == 2).to_numpy().mean()
    assert 0.1 < share_of_twos < 0.4
    assert not values.duplicated().any()
    # 中农组发〔2021〕7号 is about monitoring, 国办函〔2021〕51号 about assets
    assert values.loc["zngf2021-7", "risk_monitoring"] == 2
    assert values.loc["gbh2021-51", "assets"] == 2
    assert values.loc["rsbf2021-26", "employment"] == 2


def test_counties_under_cover_ecology_and_civility(codes: pd.DataFrame,
                                                   documents: pd.DataFrame) -> None:
    level = documents.set_index("doc_id")["level"]
    values = codes.set_index("doc_id")[GOALS].astype(int)
    by_level = values.groupby(level).mean()
    assert by_level.loc["县", ["ecology", "civility"]].mean() < \
        by_level.loc["省", ["ecology", "civility"]].mean()
    assert by_level.loc["县", ["employment", "specialty_industry"]].mean() > \
        by_level.loc["县", ["ecology", "civility"]].mean()


def test_pmc_items_are_0_1_with_the_data_model_columns(pmc: pd.DataFrame,
                                                       documents: pd.DataFrame) -> None:
    assert list(pmc.columns) == ["doc_id", *PMC_COLUMNS]
    assert pmc["doc_id"].is_unique and len(pmc) == 10
    assert set(pmc["doc_id"]) <= set(documents["doc_id"])
    assert pmc[PMC_COLUMNS].isin(["0", "1"]).all().all()
    assert pmc["doc_id"].str.startswith("sim-").sum() == 2


def test_pmc_scores_differ_within_the_usual_range(pmc: pd.DataFrame) -> None:
    items = pmc.set_index("doc_id")[PMC_COLUMNS].astype(int)
    groups = items.columns.str.split(".").str[0]
    score = items.T.groupby(groups).mean().T.sum(axis=1)
    # e.g. zf2020-30: X1 4/5 + X2 3/4 + X3 3/5 + 1 + 1 + 1 + 1 + X8 4/5 + 1 + X10 1 = 8.95
    assert score["zf2020-30"] == pytest.approx(8.95)
    assert score.between(5, 9.5).all()
    assert score.nunique() >= 8 and score.max() - score.min() > 2

"""Policy corpus (linkage.synergy.corpus): reading, validation, texts, helpers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from linkage.errors import InputError
from linkage.synergy.corpus import (
    DOCUMENT_COLUMNS,
    PolicyCorpus,
    load_sample_corpus,
    read_corpus,
    read_texts,
)
from linkage.synergy.scheme import load_scheme

FIXTURE = Path(__file__).parent / "data" / "synergy"
SCHEME = load_scheme()


@pytest.fixture(scope="module")
def corpus() -> PolicyCorpus:
    return load_sample_corpus(FIXTURE)


def _documents() -> pd.DataFrame:
    return pd.read_csv(FIXTURE / "policy_documents.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")


def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "docs.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


# --- the fixture corpus ------------------------------------------------------------------


def test_documents_and_derived_columns(corpus):
    docs = corpus.documents
    assert list(docs.index) == ["t-c1", "t-c2", "t-p1"]
    assert docs.index.name == "doc_id"
    assert list(docs.columns) == [*DOCUMENT_COLUMNS[1:], "year", "strength", "n_issuers"]
    assert docs["year"].tolist() == [2020, 2021, 2021]
    # t-c1 中共中央；国务院 意见 → 4; t-c2 领导小组 (no top issuer) 意见 → 3;
    # t-p1 省厅 方案 → 3 − 1 = 2
    assert docs["strength"].tolist() == [4, 3, 2]
    assert docs["n_issuers"].tolist() == [2, 1, 2]
    assert docs["simulated"].tolist() == [False, False, True]
    assert docs.loc["t-p1", "valid_to"] == pd.Timestamp("2025-12-31")
    assert pd.isna(docs.loc["t-c1", "valid_from"])
    assert docs.loc["t-c2", "text_file"] == ""
    assert corpus.simulated


def test_codes_wide_nullable(corpus):
    codes = corpus.codes
    assert list(codes.columns) == list(SCHEME.code_ids)
    assert (codes.dtypes == "Int64").all()
    assert codes.loc["t-c1", ["risk_monitoring", "income_stability", "supply_funds"]].tolist() \
        == [2, 1, 1]
    assert pd.isna(codes.loc["t-c2", "supply_funds"])  # empty cell: not coded
    assert codes.loc["t-p1"].isna().all()  # not in the codes file
    assert codes["industry"].isna().all()  # column not in the file
    assert corpus.auto_codes.isna().all().all()
    assert corpus.auto_codes.shape == codes.shape


def test_pmc_items_and_texts(corpus):
    assert corpus.pmc_items.to_dict("index") == {"t-c1": {"X1.1": 1, "X1.2": 0, "X10": 1}}
    assert corpus.texts.to_dict() == {
        "t-c1": "健全防止返贫动态监测和帮扶机制，加大衔接资金投入。",
        "t-p1": "对监测对象开展动态监测，落实财政资金。",  # GBK file, detected
    }
    assert len(corpus.source_files) == 4


def test_codes_of_and_helpers(corpus):
    assert list(corpus.goal_codes.columns) == list(SCHEME.goal_ids)
    assert list(corpus.instrument_codes.columns) == list(SCHEME.instrument_ids)
    assert corpus.codes_of("goal", auto=True).isna().all().all()
    assert corpus.issuer_list()["t-p1"] == ["某省农业农村厅", "某省财政厅"]
    frame = corpus.to_frame()
    assert frame.loc["t-c1", "risk_monitoring"] == 2 and frame.loc["t-c1", "strength"] == 4


def test_subset(corpus):
    central = corpus.subset(level="中央")
    assert list(central.documents.index) == ["t-c1", "t-c2"]
    assert list(central.codes.index) == ["t-c1", "t-c2"]
    later = corpus.subset(years=(2021, 2021))
    assert list(later.documents.index) == ["t-c2", "t-p1"]
    assert later.pmc_items.empty and list(later.texts.index) == ["t-p1"]
    assert len(corpus.subset(level=["省", "县"], years=(2020, 2025))) == 1
    with pytest.raises(InputError, match="层级"):
        corpus.subset(level="乡")


def test_summary_hand_computed(corpus):
    table = corpus.summary()
    # 中央: 2 documents 2020–2021, strength (4 + 3) / 2 = 3.5, 1 joint, 2 coded, 1 text;
    # 省: 1 document, strength 2, joint, not coded, text, simulated.
    assert list(table.index) == ["中央", "省", "合计"]
    assert table.loc["中央"].astype(str).tolist() == ["2", "2020–2021", "3.5", "1", "2", "1",
                                                     "0"]
    assert table.loc["合计"].astype(str).tolist() == ["3", "2020–2021", "3.0", "2", "2", "2",
                                                     "1"]
    english = corpus.summary("en")
    assert english.index.name == "Level" and "Documents" in english.columns


def test_with_auto_codes_keeps_confirmed(corpus):
    auto = pd.DataFrame({"risk_monitoring": [1, 0]}, index=pd.Index(["t-c1", "t-p1"],
                                                                    name="doc_id"))
    updated = corpus.with_auto_codes(auto)
    assert updated.auto_codes.loc["t-c1", "risk_monitoring"] == 1
    pd.testing.assert_frame_equal(updated.codes, corpus.codes)
    with pytest.raises(InputError, match="取值"):
        corpus.with_auto_codes(auto.assign(risk_monitoring=[1, 7]))


# --- headings and formats ----------------------------------------------------------------


def test_chinese_headings_from_excel(tmp_path):
    docs = _documents().rename(columns={"doc_id": "文件编号", "title": "标题", "doc_number": "文号",
                                        "issuers": "发文机关", "level": "层级",
                                        "date": "发布日期", "doc_type": "文种"})
    docs["发布日期"] = ["2020年12月16日", "2021/5/14", "2021.8.1"]
    book = Workbook()
    sheet = book.active
    sheet.append(list(docs.columns))
    for row in docs.itertuples(index=False):
        sheet.append(list(row))
    path = tmp_path / "docs.xlsx"
    book.save(path)
    corpus = read_corpus(path)
    assert corpus.documents["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-12-16", "2021-05-14", "2021-08-01"]
    assert corpus.documents["strength"].tolist() == [4, 3, 2]


def test_optional_columns_default(tmp_path):
    docs = _documents().drop(columns=["doc_number", "valid_from", "valid_to", "simulated",
                                      "source", "text_file", "note"])
    corpus = read_corpus(docs)
    assert not corpus.documents["simulated"].any()
    assert (corpus.documents["note"] == "").all()
    assert corpus.texts.empty and corpus.pmc_items.empty


def test_codes_by_chinese_name(corpus):
    codes = pd.DataFrame({"文件编号": ["t-c2"], "防止返贫监测": ["1"],
                          "资金投入（supply_funds）": [2]})
    result = read_corpus(_documents(), codes)
    assert result.codes.loc["t-c2", ["risk_monitoring", "supply_funds"]].tolist() == [1, 2]


@given(st.permutations(range(3)))
@settings(max_examples=10, deadline=None)
def test_row_order_invariance(order):
    base = read_corpus(_documents())
    shuffled = read_corpus(_documents().iloc[list(order)])
    pd.testing.assert_frame_equal(shuffled.documents.sort_index(), base.documents.sort_index())


# --- errors name file, row and column ------------------------------------------------------


@pytest.mark.parametrize(("column", "row", "value", "words"), [
    ("doc_id", 4, "t-c1", "重复"),
    ("doc_id", 3, "t c2", "空格"),
    ("level", 3, "乡", "层级"),
    ("doc_type", 2, "公告", "文种"),
    ("date", 4, "2021-13-01", "日期"),
    ("region_code", 4, "99000", "6 位"),
    ("region_code", 4, "990100", "层级"),  # a prefecture code on a 省 document
    ("simulated", 2, "也许", "是 或 否"),
    ("valid_to", 4, "2021-01-01", "早于"),
    ("title", 3, "", "缺少"),
])
def test_document_errors(tmp_path, column, row, value, words):
    docs = _documents()
    docs.loc[row - 2, column] = value
    path = _write(tmp_path, docs)
    with pytest.raises(InputError) as info:
        read_corpus(path)
    error = info.value
    assert error.file == str(path)
    assert error.row == row
    assert error.column == column
    assert words in error.message
    assert error.hint


def test_several_problems_are_counted(tmp_path):
    docs = _documents()
    docs.loc[0, "level"] = "乡"
    docs.loc[2, "date"] = "someday"
    with pytest.raises(InputError, match="另有 1 处问题") as info:
        read_corpus(_write(tmp_path, docs))
    assert info.value.row == 2


def test_missing_required_column(tmp_path):
    with pytest.raises(InputError, match="发文机关") as info:
        read_corpus(_write(tmp_path, _documents().drop(columns="issuers")))
    assert info.value.column == "issuers"


def test_unknown_column(tmp_path):
    with pytest.raises(InputError, match="无法识别的列") as info:
        read_corpus(_write(tmp_path, _documents().assign(标题2="x")))
    assert info.value.column == "标题2"


@pytest.mark.parametrize(("codes", "row", "column", "words"), [
    ("doc_id,risk_monitoring\nt-c1,3\n", 2, "risk_monitoring", "0、1、2"),
    ("doc_id,risk_monitoring\nt-c1,是\n", 2, "risk_monitoring", "0、1、2"),
    ("doc_id,risk_monitoring\nt-c1,1\nt-x9,1\n", 3, "doc_id", "不在政策文件表"),
    ("doc_id,risk_monitoring\nt-c1,1\nt-c1,2\n", 3, "doc_id", "重复"),
    ("doc_id,risk_monitor\nt-c1,1\n", None, "risk_monitor", "risk_monitoring"),
])
def test_code_errors(tmp_path, codes, row, column, words):
    path = tmp_path / "codes.csv"
    path.write_text(codes, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_corpus(_documents(), path)
    error = info.value
    assert (error.file, error.row, error.column) == (str(path), row, column)
    assert words in error.message


def test_pmc_values_are_zero_one(tmp_path):
    path = tmp_path / "pmc.csv"
    path.write_text("doc_id,X1.1,X10\nt-c1,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="0、1") as info:
        read_corpus(_documents(), pmc_items=path)
    assert (info.value.row, info.value.column) == (2, "X10")


def test_missing_text_file_names_the_row(tmp_path):
    docs = _documents()
    docs.loc[1, "text_file"] = "t-c2.txt"
    with pytest.raises(InputError, match=r"t-c2\.txt") as info:
        read_corpus(_write(tmp_path, docs), texts=FIXTURE / "texts")
    assert (info.value.row, info.value.column) == (3, "text_file")


# --- texts ----------------------------------------------------------------------------------


def test_read_texts_docx_and_pdf(tmp_path):
    import docx
    from pypdf import PdfWriter

    document = docx.Document()
    document.add_paragraph("建立健全防止返贫动态监测机制")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "衔接资金"
    document.save(tmp_path / "w1.docx")
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with open(tmp_path / "scan.pdf", "wb") as fh:
        writer.write(fh)
    texts = read_texts(tmp_path)
    assert texts["w1"] == "建立健全防止返贫动态监测机制\n衔接资金"
    assert texts["scan"] == ""
    assert any("scan.pdf" in w for w in texts.attrs["warnings"])


def test_encrypted_pdf_is_input_error(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    with open(tmp_path / "locked.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(InputError, match="PDF 文件已加密") as info:
        read_texts(tmp_path)
    assert info.value.file.endswith("locked.pdf")


@pytest.mark.parametrize("name", ["broken.pdf", "broken.docx"])
def test_damaged_file_is_input_error(tmp_path, name):
    (tmp_path / name).write_bytes(b"not really a document")
    with pytest.raises(InputError, match="无法读取") as info:
        read_texts(tmp_path)
    assert info.value.file.endswith(name)


def test_undetectable_encoding_is_input_error(tmp_path):
    (tmp_path / "x.txt").write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(InputError):
        read_texts(tmp_path)


def test_sample_folder_without_documents(tmp_path):
    with pytest.raises(InputError, match=r"policy_documents\.csv"):
        load_sample_corpus(tmp_path)


def test_blank_strings_are_not_coded():
    codes = pd.DataFrame({"doc_id": ["t-c1", "t-c2"], "risk_monitoring": ["", 1]})
    result = read_corpus(_documents(), codes)
    assert result.codes["risk_monitoring"].tolist() == [pd.NA, 1, pd.NA]


def test_doctests():
    import doctest

    import linkage.synergy.corpus as module

    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0


def test_undated_document_is_kept_and_left_out_of_year_spans(tmp_path):
    # a date that could not be verified stays empty: the document counts, its year is <NA>,
    # and a span of years never includes it
    docs = _documents()
    docs.loc[0, "date"] = ""
    corpus = read_corpus(_write(tmp_path, docs))
    undated = docs.loc[0, "doc_id"]
    assert pd.isna(corpus.documents.loc[undated, "year"])
    assert undated in corpus.documents.index
    assert undated not in corpus.subset(years=(1949, 2100)).documents.index
    assert len(corpus.subset(years=(1949, 2100))) == len(docs) - 1


def test_folder_with_excel_tables(tmp_path):
    # a user's folder may hold the tables as .xlsx (Excel is what researchers keep them in)
    docs = _documents()
    docs.to_excel(tmp_path / "policy_documents.xlsx", index=False)
    pd.read_csv(FIXTURE / "policy_codes.csv", dtype=str, keep_default_na=False).to_excel(
        tmp_path / "policy_codes.xlsx", index=False)
    corpus = load_sample_corpus(tmp_path)
    reference = load_sample_corpus(FIXTURE)
    assert list(corpus.documents.index) == list(reference.documents.index)
    pd.testing.assert_frame_equal(corpus.codes, reference.codes)
    assert corpus.texts.empty


def test_missing_folder_is_input_error(tmp_path):
    with pytest.raises(InputError, match="不存在"):
        load_sample_corpus(tmp_path / "nowhere")
    with pytest.raises(InputError, match="policy_documents"):
        load_sample_corpus(tmp_path)

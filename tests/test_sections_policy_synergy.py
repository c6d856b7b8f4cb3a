"""The policy-synergy chapter (政策协同): built for a county, a prefecture and the province of the
sample; what it shows is checked against the shipped corpus files read here with the csv module,
not through the code under test; a user's folder and coding sheet change it; bad input stops a
run before anything is written."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from section_text import assembled, reader_problems

from linkage.errors import InputError
from linkage.frameworks import load_framework
from linkage.panel import load_panel
from linkage.reporting.document import Figure, Table
from linkage.sections import policy_synergy
from linkage.synergy.corpus import DATA_DIR

FW = load_framework()
COUNTY, PREFECTURE, PROVINCE = "990327", "990300", "990000"
METRICS = {"synergy_documents", "synergy_coverage", "synergy_rank_agreement",
           "synergy_mismatch_dims", "synergy_pmc_mean"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _places() -> tuple[str, ...]:
    counties = load_panel().counties
    return (*counties["region_name"], *counties["prefecture_name"].unique())


def _governing(rows: list[dict[str, str]], counties: set[str], prefectures: set[str]
               ) -> list[dict[str, str]]:
    """The documents of a region by the data model: central, the province's, its prefectures',
    its counties'."""
    return [r for r in rows if r["level"] == "中央"
            or (r["level"] == "省" and r["region_code"] == PROVINCE)
            or (r["level"] == "市" and r["region_code"] in prefectures)
            or (r["level"] == "县" and r["region_code"] in counties)]


def _table(section, key: str) -> Table:
    return next(b for b in section.blocks if isinstance(b, Table) and b.key == key)


def _metric(section, key: str):
    return next(m.value for m in section.metrics if m.key == key)


@pytest.fixture(scope="module")
def sections(tmp_path_factory):
    cache = tmp_path_factory.mktemp("shared")
    return {code: policy_synergy.build(region_code=code, cache_dir=str(cache))
            for code in (COUNTY, PREFECTURE, "")}


# --- what a reader sees -----------------------------------------------------------------------


def test_county_prefecture_and_province_read_as_reports(sections):
    for section in sections.values():
        assert section.key == policy_synergy.KEY and section.simulated
        assert reader_problems(section, FW, place_names=_places()) == []
        document = assembled(section)  # every {table:…}/{figure:…} resolves
        numbered = [b for c in document.chapters for b in c.blocks if hasattr(b, "label")]
        labels = [n.label for n in numbered] + [n.label for n in document.appendix]
        assert len(labels) == len(set(labels))
        assert {n.block.key for n in numbered} >= {"corpus", "goals", "consistency",
                                                   "instruments", "network", "pmc",
                                                   "integration", "mismatch"}
        # the detail a leader does not need in the chapter's body goes to the appendix
        assert {n.block.key for n in document.appendix} >= {
            "documents", "scheme", "mix", "equivalence", "agencies", "pmc_detail",
            "pmc_surface"}
        # the body's PMC table fits a portrait page: scores, grade and weak variables only
        pmc = next(n.block for n in numbered if n.block.key == "pmc")
        assert len(pmc.frame.columns) == 6 and "低于均值的一级变量" in pmc.frame.columns
        for block in section.blocks:
            if isinstance(block, (Table, Figure)):
                assert block.source.startswith("资料来源：") and block.title


def test_the_summary_opens_with_where_attention_does_not_turn_into_progress(sections):
    section = sections[COUNTY]
    document = assembled(section)
    assert document.summary[0].startswith("磐浦县政策关注较高而成效进展偏慢")
    table = _table(section, "integration").frame
    slow = table.loc[table["判断"] == "高关注低进展", "维度"].tolist()
    assert _metric(section, "synergy_mismatch_dims") == len(slow)
    for name in slow:  # the finding names every dimension the table diagnoses
        assert name in document.summary[0]


def test_a_county_report_reads_the_documents_that_govern_it(sections):
    rows = _rows(DATA_DIR / "policy_documents.csv")
    expected = _governing(rows, {COUNTY}, {PREFECTURE})
    section = sections[COUNTY]
    assert _metric(section, "synergy_documents") == len(expected)
    shown = _table(section, "documents").frame
    assert sorted(shown["标题"]) == sorted(r["title"] for r in expected)
    # simulated documents are labelled 模拟, real ones as illustrative coding
    simulated = {r["title"] for r in expected if r["simulated"].lower() in ("true", "1", "是")}
    notes = dict(zip(shown["标题"], shown["说明"], strict=True))
    assert {t for t, n in notes.items() if n == "模拟文件"} == simulated
    assert {n for t, n in notes.items() if t not in simulated} == {"真实文件，示例编码"}
    if simulated:
        assert "模拟" in _table(section, "documents").title
    assert any("示例编码" in c for c in section.caveats)


def test_the_province_reads_every_document_of_the_province(sections):
    rows = _rows(DATA_DIR / "policy_documents.csv")
    counties = set(load_panel().counties.index.astype(str))
    prefectures = {c[:4] + "00" for c in counties}
    assert _metric(sections[""], "synergy_documents") == len(
        _governing(rows, counties, prefectures))


def test_the_mean_pmc_is_the_mean_over_documents_of_the_sum_of_group_means():
    """PMC by hand from pmc_items.csv: X_k = mean of the X<k>.<j> items, PMC = Σ_k X_k."""
    rows = _rows(DATA_DIR / "pmc_items.csv")
    totals = []
    for row in rows:
        groups: dict[str, list[float]] = {}
        for column, value in row.items():
            if column != "doc_id":
                groups.setdefault(column.split(".")[0], []).append(float(value))
        totals.append(sum(sum(v) / len(v) for v in groups.values()))
    section = policy_synergy.build(region_code=COUNTY)
    assert _metric(section, "synergy_pmc_mean") == pytest.approx(sum(totals) / len(totals))
    assert len(_table(section, "pmc").frame) == len(rows)


def test_metrics_for_the_batch_table(sections):
    for code, section in sections.items():
        values = {m.key: m.value for m in section.metrics}
        assert set(values) == METRICS, code
        assert 0 <= values["synergy_coverage"] <= 100
        assert -1 <= values["synergy_rank_agreement"] <= 1


def test_the_english_chapter_keeps_chinese_only_in_proper_names():
    section = policy_synergy.build(region_code=COUNTY, language="en")
    assert section.language == "en" and section.title == policy_synergy.TITLE["en"]
    # document titles, numbers, issuers, agencies and the texts' keywords are Chinese names
    rows = _rows(DATA_DIR / "policy_documents.csv")
    names = [r[k] for r in rows for k in ("title", "doc_number", "issuers")]
    names += [part for r in rows for part in r["issuers"].split("；")]
    network = _table(section, "agencies").frame.iloc[:, 0].tolist()
    keywords = (_table(section, "keywords").frame.iloc[:, 1:].to_numpy().ravel().tolist()
                if any(b.key == "keywords" for b in section.blocks if isinstance(b, Table))
                else [])
    pmc = _table(section, "pmc").frame.iloc[:, 0].str.removesuffix(" (simulated)").tolist()
    proper = (*_places(), *names, *network, *keywords, *pmc)
    assert reader_problems(section, FW, place_names=tuple(n for n in proper if n)) == []


# --- a user's corpus, a coding sheet, bad input ---------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the sample corpus folder, as a user would hold it."""
    target = tmp_path / "我的政策"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_filled_coding_sheet_is_read_back_and_changes_the_chapter(folder, tmp_path):
    """Every document coded 2 (重点) on 产业兴旺 in the sheet: its attention, the strength-weighted
    mean emphasis over 2, is Σ w·2 / (2 Σ w) = 1 exactly, the highest possible."""
    from openpyxl import load_workbook

    from linkage.synergy.corpus import load_sample_corpus
    from linkage.synergy.sheet import write_coding_sheet

    sheet = write_coding_sheet(load_sample_corpus(folder), tmp_path / "编码表.xlsx")
    book = load_workbook(sheet)
    ws = book["编码"]
    column = next(c.column for c in ws[1] if str(c.value).endswith("（industry）"))
    for row in range(3, ws.max_row + 1):
        if ws.cell(row=row, column=1).value:
            ws.cell(row=row, column=column).value = 2
    book.save(sheet)
    plain = policy_synergy.build(region_code=COUNTY, policy_corpus=str(folder))
    coded = policy_synergy.build(region_code=COUNTY, policy_corpus=str(folder),
                                 coding_sheet=str(sheet))

    def industry(section):
        table = _table(section, "integration").frame.set_index("维度")
        return table.loc["产业兴旺", "政策关注度"]

    assert industry(coded) == "1.000" and industry(plain) != "1.000"
    assert "用户提供" in _table(coded, "corpus").source
    assert reader_problems(coded, FW, place_names=_places()) == []


def test_a_broken_documents_file_names_file_row_and_column_before_the_report_runs(folder):
    from linkage.reporting.inputs import check_report_inputs

    path = folder / "policy_documents.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("level")] = "乡"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputError) as exc:
        check_report_inputs({"policy_corpus": str(folder)})
    assert "policy_documents.csv" in str(exc.value.file)
    assert exc.value.row == 3 and exc.value.column is not None
    with pytest.raises(InputError):
        policy_synergy.build(region_code=COUNTY, policy_corpus=str(folder))


def test_a_missing_folder_or_a_document_without_pmc_items_is_an_input_error(tmp_path):
    from linkage.reporting.inputs import check_report_inputs

    with pytest.raises(InputError, match="policy_corpus"):
        check_report_inputs({"policy_corpus": str(tmp_path / "没有这个文件夹")})
    with pytest.raises(InputError, match="coding_sheet"):
        check_report_inputs({"coding_sheet": str(tmp_path / "没有.xlsx")})
    with pytest.raises(InputError) as exc:
        check_report_inputs({"pmc_documents": "no-such-document"})
    assert exc.value.column == "pmc_documents"


def test_chosen_pmc_surfaces_are_drawn_for_the_named_documents():
    from linkage.synergy.corpus import load_sample_corpus

    corpus = load_sample_corpus()
    ids = list(corpus.pmc_items.index.astype(str))
    assert policy_synergy.pmc_selection(corpus, f"{ids[-1]}, {ids[0]}") == [ids[-1], ids[0]]
    default = policy_synergy.pmc_selection(corpus)
    assert 1 <= len(default) <= 3 and set(default) <= set(ids)


def test_run_configs_take_the_chapters_options_and_check_them_first(folder, tmp_path):
    from linkage.reporting.batch import run_batch
    from linkage.reporting.config import parse_config

    def config(corpus: str) -> str:
        return (f"regions: ['{COUNTY}']\nsections:\n  overview: {{}}\n  policy_synergy:\n"
                f"    policy_corpus: {corpus}\n    pmc_documents: ''\n")

    plan = run_batch(parse_config(config(str(folder))), out=tmp_path / "out", dry_run=True,
                     progress="quiet")
    assert plan.dry_run and [r.code for r in plan.regions] == [COUNTY]
    (folder / "policy_documents.csv").write_text("doc_id,title\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="policy_documents"):
        run_batch(parse_config(config(str(folder))), out=tmp_path / "out", progress="quiet")
    assert not (tmp_path / "out").exists()


def test_province_wide_results_are_computed_once_per_batch(tmp_path, monkeypatch):
    calls = []
    real = policy_synergy.province_synergy

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(policy_synergy, "province_synergy", counted)
    first = policy_synergy.build(region_code=COUNTY, cache_dir=str(tmp_path))
    second = policy_synergy.build(region_code="990125", cache_dir=str(tmp_path))
    assert len(calls) == 1
    assert _table(first, "equivalence").frame.equals(_table(second, "equivalence").frame)


def test_region_documents_is_the_data_model_rule():
    import doctest

    assert doctest.testmod(policy_synergy).failed == 0


# --- the notebook -----------------------------------------------------------------------------


@pytest.mark.notebooks
def test_notebook_saves_the_section(tmp_path):
    from linkage.paths import notebooks_dir
    from linkage.reporting.document import Section
    from linkage.reporting.executors import PapermillRunner

    out = tmp_path / "policy_synergy.json"
    PapermillRunner().execute(
        notebooks_dir() / "06_policy_synergy.ipynb", tmp_path / "06.ipynb",
        {"region_code": COUNTY, "section_out": str(out), "cache_dir": str(tmp_path / "shared")},
        timeout=600)
    section = Section.load(out)
    assert section.key == policy_synergy.KEY and section.language == "zh"
    assert reader_problems(section, FW, place_names=_places()) == []
    assert {m.key for m in section.metrics} == METRICS


def test_a_folder_with_an_excel_documents_table_and_no_codes_asks_for_a_coding_sheet(folder,
                                                                                      tmp_path):
    """The documents as .xlsx are read; with no confirmed code the chapter cannot measure
    anything and says how to code (before a report runs), and a filled sheet makes it work."""
    import pandas as pd

    from linkage.reporting.inputs import check_report_inputs

    documents = pd.read_csv(folder / "policy_documents.csv", dtype=str, keep_default_na=False,
                            encoding="utf-8-sig")
    codes = pd.read_csv(folder / "policy_codes.csv", dtype=str, encoding="utf-8-sig")
    (folder / "policy_documents.csv").unlink()
    (folder / "policy_codes.csv").unlink()
    documents.to_excel(folder / "policy_documents.xlsx", index=False)
    with pytest.raises(InputError, match="coding_sheet"):
        check_report_inputs({"policy_corpus": str(folder)})
    sheet = tmp_path / "codes.csv"
    codes.to_csv(sheet, index=False, encoding="utf-8-sig")
    section = policy_synergy.build(region_code=COUNTY, policy_corpus=str(folder),
                                   coding_sheet=str(sheet))
    assert _metric(section, "synergy_documents") == len(
        _governing(_rows(DATA_DIR / "policy_documents.csv"), {COUNTY}, {PREFECTURE}))


def test_pmc_items_of_another_structure_need_their_bands(folder):
    """A user's PMC table with nine first-level variables (X10 dropped, as many papers do):
    the default bands are for ten, so the run stops before it starts and asks for pmc_bands;
    with bands the chapter's PMC table grades the documents with them."""
    from linkage.reporting.inputs import check_report_inputs

    items = folder / "pmc_items.csv"
    table = pd.read_csv(items, dtype=str, encoding="utf-8-sig").drop(columns="X10")
    table.to_csv(items, index=False, encoding="utf-8-sig")
    with pytest.raises(InputError, match="bands"):
        check_report_inputs({"policy_corpus": str(folder)})
    bands = "8:完美,6:优秀,4:可接受,0:不良"
    check_report_inputs({"policy_corpus": str(folder), "pmc_bands": bands})
    section = policy_synergy.build(region_code=COUNTY, policy_corpus=str(folder),
                                   pmc_bands=bands)
    grades = set(_table(section, "pmc").frame["等级"])
    assert grades <= {"完美", "优秀", "可接受", "不良"} and grades
    # the text states the bands used, not the default ones
    assert any("用户给定的区间：8 分以上为完美、6—8 分为优秀" in m for m in section.methods)
    assert any("9 个一级变量" in b.text for b in section.blocks if hasattr(b, "text"))
    with pytest.raises(InputError, match="等级区间"):
        check_report_inputs({"policy_corpus": str(folder), "pmc_bands": "8-完美"})

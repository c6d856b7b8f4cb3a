"""Run configs: the shipped examples load; every mistake names the key and its line; region
items expand against the data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linkage.errors import InputError
from linkage.paths import project_root, sample_dir
from linkage.reporting.config import (
    SECTION_KEYS,
    RunConfig,
    load_config,
    parse_config,
    resolve_regions,
)
from linkage.reporting.region import county_table


@pytest.fixture(scope="module")
def counties():
    return county_table(str(sample_dir() / "counties.csv"))


def test_sample_config_is_every_county_all_sections_html_and_word():
    config = load_config(project_root() / "configs" / "sample.yaml")
    assert config.regions == ("all counties",)
    assert tuple(config.sections) == SECTION_KEYS
    assert config.formats == ("html", "docx")
    assert (config.panel, config.counties, config.households, config.framework) == ("",) * 4
    assert config.language == "zh" and config.executor == "local"
    assert config.sections["linkage"]["weighting"] == "entropy"
    # the policy-synergy chapter comes last, on the bundled sample corpus by default
    assert list(config.sections)[-1] == "policy_synergy"
    assert config.sections["policy_synergy"] == dict.fromkeys(
        ("policy_corpus", "coding_sheet", "scheme", "pmc_documents", "pmc_bands"), "")


def test_the_demo_is_three_counties_of_the_sample(counties):
    from linkage.cli import DEMO_REGIONS

    regions = resolve_regions(RunConfig(regions=DEMO_REGIONS), counties)
    assert [r.level for r in regions] == ["county"] * 3
    assert all(r.found for r in regions)


def test_an_empty_config_means_defaults():
    config = parse_config("")
    assert config.regions == ("all counties",) and tuple(config.sections) == SECTION_KEYS
    assert (config.start_year, config.end_year, config.retries) == (2015, 2025, 1)


def _error(text: str) -> InputError:
    with pytest.raises(InputError) as exc:
        parse_config(text, source=Path("run.yaml"))
    return exc.value


@pytest.mark.parametrize(("text", "line", "key"), [
    ("language: zh\nformat: [html]\n", 2, "format"),
    ("sections:\n  overview: {}\n  linkages: {}\n", 3, "sections.linkages"),
    ("formats:\n  - html\n  - odt\n", 3, "formats[1]"),
    ("years:\n  start: 2024\n  end: 2020\n", 2, "years.start"),
    ("language: fr\n", 1, "language"),
    ("executor:\n  name: local\n  workers: 0\n", 3, "executor.workers"),
    ("executor:\n  name: slurm\n", 2, "executor.name"),
    ("regions:\n  - '990102'\n  - 9901\n", 3, "regions[1]"),
    ("regions: all counties of prefecture 9901\n", 1, "regions"),
    ("data:\n  panel: x.csv\n  householdz: y\n", 3, "data.householdz"),
    ("cover:\n  title: [a, b]\n", 2, "cover.title"),
    ("timeout: -1\n", 1, "timeout"),
    ("retries: many\n", 1, "retries"),
    ("sections:\n  linkage: entropy\n", 2, "sections.linkage"),
    ("sections: [overview, 3]\n", 1, "sections[1]"),
])
def test_every_mistake_names_the_key_and_the_line(text, line, key):
    error = _error(text)
    assert error.row == line, error.message
    assert key in error.problem
    assert "run.yaml" in error.message and f"第 {line} 行" in error.message


def test_yaml_syntax_errors_name_the_line():
    error = _error("language: zh\nsections:\n  overview: {\n  linkage: {}\n")
    assert error.row is not None and "YAML" in error.problem


def test_codes_keep_their_digits_and_lists_their_order():
    config = parse_config("regions: ['990327', province, 990102, all counties of prefecture "
                          "990100]\nsections: [linkage, overview]\nformats: pdf\n")
    assert config.regions == ("990327", "province", "990102",
                              "all counties of prefecture 990100")
    assert list(config.sections) == ["linkage", "overview"]
    assert config.formats == ("pdf",)


def test_the_config_survives_its_json_record():
    config = load_config(project_root() / "configs" / "sample.yaml")
    again = RunConfig.from_json(config.to_json())
    assert again.to_json() == config.to_json()


def test_region_items_expand_against_the_county_table(counties):
    def codes(text):
        return [r.code for r in resolve_regions(parse_config(text), counties)]

    assert len(codes("regions: all counties")) == len(counties) == 120
    prefectures = counties["prefecture_code"].nunique()
    everything = codes("regions: all")
    assert everything[0] == "" and len(everything) == 1 + prefectures + 120
    assert codes("regions: all prefectures") == sorted(counties["prefecture_code"].unique())
    of_990100 = codes("regions: all counties of prefecture 990100")
    assert of_990100 == list(counties.loc[counties["prefecture_code"] == "990100",
                                          "region_code"])
    # each region once, in the order written
    assert codes("regions: ['990125', all counties of prefecture 990100]")[:2] == [
        "990125", "990102"]
    assert codes("regions: ['990125', all counties of prefecture 990100]").count("990125") == 1


def test_region_names_come_from_the_data_and_real_codes_absent_are_kept_to_fail_alone(counties):
    # 110101 (东城区) and 130223 (滦县, abolished 2018) are real 民政部 codes not in the sample
    regions = resolve_regions(parse_config(
        "regions: ['990327', '990100', '110101', '130223', province]"), counties)
    assert [(r.name, r.level, r.found) for r in regions] == [
        ("磐浦县", "county", True), ("临平市", "prefecture", True),
        ("110101", "county", False), ("130223", "county", False), ("全省", "province", True)]
    assert [r.folder for r in regions] == ["990327", "990100", "110101", "130223", "province"]


def test_a_code_that_is_no_real_code_is_a_config_error_at_its_line(counties):
    config = parse_config("language: zh\nregions:\n  - '990327'\n  - '123456'\n",
                          source=Path("run.yaml"))
    with pytest.raises(InputError) as exc:
        resolve_regions(config, counties)
    assert exc.value.row == 4 and "123456" in exc.value.problem
    assert "linkage places" in (exc.value.hint or "")


def test_an_nbs_functional_unit_code_is_recognised_not_rejected(counties):
    # 130171 石家庄高新技术产业开发区: NBS 统计用区划代码 only (管委会, fifth digit 7)
    (region,) = resolve_regions(parse_config("regions: ['130171']"), counties)
    assert (region.code, region.found) == ("130171", False)


def test_a_prefecture_without_counties_is_a_config_error_at_its_line(counties):
    config = parse_config("language: zh\nregions:\n  - all counties of prefecture 123400\n",
                          source=Path("run.yaml"))
    with pytest.raises(InputError) as exc:
        resolve_regions(config, counties)
    assert exc.value.row == 3 and "123400" in exc.value.problem
    assert re.search("990100", exc.value.hint or "")

"""Specification of linkage.report's guards: inputs checked before anything runs, outputs inert.

(Executing notebooks is tested in test_notebooks.py and tests/hostile; these tests need no
kernel.)
"""

from __future__ import annotations

from html.parser import HTMLParser

import nbformat
import pytest

from linkage.errors import InputError, OutputError
from linkage.escaping import html_text, markdown_text, xlsx_text
from linkage.paths import sample_dir
from linkage.report import check_report_inputs, run_report, sanitise_outputs

PAYLOAD = "<img src=x onerror=alert('LINKAGE_XSS')>"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _notebook_with(*outputs) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    nb.cells = [cell]
    return nb


def test_markdown_outputs_show_data_as_text():
    nb = sanitise_outputs(_notebook_with(
        {"text/markdown": f"**甲县** {PAYLOAD} [链接](javascript:alert(1)) [ok](https://x.cn)"}))
    html = nb.cells[0].outputs[0].data["text/html"]
    assert "&lt;img src=x onerror" in html
    tags = _tags(html)
    assert ("strong", {}) in tags  # Markdown still renders
    assert not [t for t, a in tags if t == "img"]
    assert [a.get("href") for t, a in tags if t == "a"] == [None, "https://x.cn"]


def test_markdown_escaped_by_a_narrative_is_not_escaped_twice():
    """Narratives escape data values (escaping.markdown_text): the report shows the name as
    the reader should read it, once — and a raw tag after an escaped backslash stays inert."""
    from linkage.escaping import markdown_text

    nb = sanitise_outputs(_notebook_with({"text/markdown": f"重点县：{markdown_text(PAYLOAD)}"},
                                         {"text/markdown": "\\\\" + PAYLOAD}))
    escaped, raw = (o.data["text/html"] for o in nb.cells[0].outputs)
    assert "&lt;img src=x onerror=alert('LINKAGE_XSS')&gt;" in escaped.replace("&#x27;", "'")
    assert "&amp;lt;" not in escaped
    for html in (escaped, raw):
        assert not [t for t, a in _tags(html) if t == "img"]


def test_html_outputs_lose_scripts_and_handlers_but_keep_tables():
    html = (f'<table class="dataframe"><tr><td onclick="f()">{html_text(PAYLOAD)}</td></tr>'
            "</table><script>alert(1)</script><b onmouseover=alert(1)>x</b>")
    nb = sanitise_outputs(_notebook_with({"text/html": html, "text/plain": "t"},
                                         {"application/javascript": "alert(1)"}))
    out = nb.cells[0].outputs
    tags = _tags(out[0].data["text/html"])
    assert ("table", {"class": "dataframe"}) in tags
    assert not [t for t, _ in tags if t == "script"]
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on")]
    assert "application/javascript" not in out[1].data


def test_escaping_helpers():
    assert html_text(PAYLOAD).startswith("&lt;img")
    assert markdown_text("*甲* [x](y)") == "\\*甲\\* \\[x\\]\\(y\\)"
    from openpyxl import Workbook

    ws = Workbook().active
    assert xlsx_text(ws["A1"], "=cmd|' /C calc'!A0").data_type == "s"
    assert xlsx_text(ws["A2"], 3.5).value == 3.5


@pytest.mark.parametrize(("parameters", "fragment"), [
    ({"language": "fr"}, "language"),
    ({"key_indicators": ["foo"]}, "foo"),
    ({"start_year": 2024, "end_year": 2020}, "2024"),
    ({"region_code": "12345"}, "region_code"),
    ({"panel": "nope.csv"}, "nope.csv"),
    ({"framework": "nope.yaml"}, "nope.yaml"),
])
def test_bad_parameters_are_refused_before_running(parameters, fragment):
    with pytest.raises(InputError, match=fragment):
        check_report_inputs(parameters)


def test_input_files_are_validated_with_the_kit(tmp_path):
    panel = tmp_path / "p.csv"
    panel.write_text("region_code,year,rural_income_pc\n990102,2021年,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="年份"):
        check_report_inputs({"panel": str(panel)})
    counties = tmp_path / "c.csv"
    counties.write_text("code,name\n990102,甲县\n", encoding="utf-8")
    with pytest.raises(InputError, match="region_code"):
        check_report_inputs({"counties": str(counties)})
    check_report_inputs({"panel": str(sample_dir() / "county_panel.csv"), "language": "en",
                         "key_indicators": ["rural_income_pc"]})


@pytest.mark.parametrize("run_id", ["../x", "/abs/x", "a/b", ".."])
def test_run_id_must_be_a_plain_name(tmp_path, run_id):
    with pytest.raises(OutputError, match="run-id"):
        run_report(["01"], out_dir=tmp_path, run_id=run_id)
    assert not any(tmp_path.iterdir())


def test_long_digit_runs_are_masked_in_report_outputs():
    nb = _notebook_with({"text/plain": "户 11010519491231002X", "text/html": "<p>13812345678</p>"})
    nb.cells[0].outputs.append(nbformat.v4.new_output("stream", name="stdout",
                                                      text="电话 13812345678\n"))
    out = sanitise_outputs(nb).cells[0].outputs
    text = str(out[0].data) + out[1].text
    assert "11010519491231002X" not in text and "13812345678" not in text
    assert text.count("已隐去") == 3

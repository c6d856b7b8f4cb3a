"""Specification of linkage.plotting: Chinese figures with no missing glyphs, on any machine."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import font_manager
from matplotlib.figure import Figure

from linkage.errors import InputError
from linkage.plotting import (
    BUNDLED_FAMILY,
    SYSTEM_FAMILIES,
    add_source_note,
    bar_chart,
    bundled_font_path,
    heatmap,
    line_chart,
    missing_glyphs,
    setup_cjk,
)

SYMBOLS = "−‰℃、。《》×÷±≤≥·—…‘’“”（）：；，％"
COUNTIES = ["青山县", "绿水县", "白云区"]


@pytest.fixture(autouse=True)
def _restore_rcparams():
    with mpl.rc_context():
        yield


def gb2312(*, hanzi_only: bool) -> list[str]:
    leads = range(0xB0, 0xF8) if hanzi_only else range(0xA1, 0xF8)
    chars = []
    for lead in leads:
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def chinese_figure() -> Figure:
    """A Chinese title and tick labels, negative values, and ‰ ℃ 、 in the labels."""
    fig = Figure(layout="constrained")
    ax = fig.subplots()
    ax.bar([*COUNTIES, "乡村振兴"], [-12.5, 3.0, 8.25, -0.5])
    ax.set_title("各县返贫风险变化（‰）、年均气温（℃）")
    ax.set_ylabel("变化量 −/+ ‰")
    fig.text(0.5, 0.01, "注：《模拟数据》“示例”…", ha="center", fontweight="bold")
    return fig


def render_strictly(fig: Figure) -> None:
    """Draw the figure with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


def resolved_font(family: str) -> Path:
    found = font_manager.findfont(font_manager.FontProperties(family=family),
                                  fallback_to_default=False)
    return Path(found).resolve()


# --- the bundled font ------------------------------------------------------------------------


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_bundled_font_file_exists_and_is_small_enough(weight):
    path = bundled_font_path(weight=weight)
    assert path.is_file()
    assert path.suffix == ".otf"
    assert path.stat().st_size <= 4_000_000


def test_bundled_fonts_total_at_most_8_mb():
    total = sum(bundled_font_path(weight=w).stat().st_size for w in ("regular", "bold"))
    assert total <= 8_000_000


def test_licence_file_ships_beside_the_font():
    licence = bundled_font_path().parent / "OFL.txt"
    text = licence.read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in text
    assert "Adobe" in text
    assert (bundled_font_path().parent / "README.md").is_file()


@pytest.mark.parametrize("weight", ["regular", "bold"])
def test_bundled_cmap_covers_all_gb2312_and_report_symbols(weight):
    with TTFont(bundled_font_path(weight=weight)) as font:
        cmap = font.getBestCmap()
    hanzi = gb2312(hanzi_only=True)
    assert len(hanzi) == 6763
    assert [c for c in gb2312(hanzi_only=False) if ord(c) not in cmap] == []
    assert [c for c in SYMBOLS if ord(c) not in cmap] == []
    assert 0x2212 in cmap
    assert all(ord(c) in cmap for c in "0123456789ABCxyz%")


@pytest.mark.parametrize(("weight", "expected"), [("regular", 400), ("bold", 700)])
def test_bundled_font_has_its_own_family_name(weight, expected):
    path = bundled_font_path(weight=weight)
    assert font_manager.FontProperties(fname=path).get_name() == BUNDLED_FAMILY
    assert font_manager.ttfFontProperty(font_manager.get_font(path)).weight == expected
    assert BUNDLED_FAMILY not in SYSTEM_FAMILIES


def test_unknown_font_weight_is_an_input_error():
    with pytest.raises(InputError, match="regular"):
        bundled_font_path(weight="light")


# --- setup_cjk -------------------------------------------------------------------------------


def test_without_setup_the_check_reports_missing_glyphs():
    mpl.rcParams["font.family"] = ["DejaVu Sans"]
    messages = missing_glyphs(chinese_figure())
    assert messages
    assert all("missing from font" in m for m in messages)


def test_bundled_path_renders_chinese_and_minus_without_missing_glyphs():
    assert setup_cjk(prefer_system=False) == BUNDLED_FAMILY
    assert mpl.rcParams["font.family"][0] == BUNDLED_FAMILY
    assert mpl.rcParams["font.sans-serif"][:2] == [BUNDLED_FAMILY, "DejaVu Sans"]
    assert resolved_font(BUNDLED_FAMILY) == bundled_font_path().resolve()
    assert mpl.rcParams["axes.unicode_minus"] is True
    fig = chinese_figure()
    render_strictly(fig)
    assert missing_glyphs(fig) == []
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(t.startswith("\u2212") for t in ticks)  # the minus glyph was really used


def test_preferred_path_uses_an_installed_system_font_and_renders_cleanly():
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    expected = next((f for f in SYSTEM_FAMILIES if f in installed), BUNDLED_FAMILY)
    assert setup_cjk() == expected
    assert mpl.rcParams["font.family"][0] == expected
    fig = chinese_figure()
    render_strictly(fig)
    assert missing_glyphs(fig) == []


def test_fresh_machine_without_cjk_system_fonts_falls_back_to_bundled(monkeypatch):
    """Only matplotlib's own fonts (DejaVu, STIX …) are visible, as on a fresh CI machine."""
    own = Path(mpl.get_data_path()).resolve()
    fresh = [
        e for e in font_manager.fontManager.ttflist if Path(e.fname).resolve().is_relative_to(own)
    ]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fresh)
    font_manager.fontManager._findfont_cached.cache_clear()
    try:
        assert setup_cjk(prefer_system=True) == BUNDLED_FAMILY
        assert resolved_font(BUNDLED_FAMILY) == bundled_font_path().resolve()
        fig = chinese_figure()
        render_strictly(fig)
        assert missing_glyphs(fig) == []
    finally:
        font_manager.fontManager._findfont_cached.cache_clear()


def test_setup_is_idempotent_and_registers_fonts_once():
    first = setup_cjk(prefer_system=False)
    settings_after_first = dict(mpl.rcParams)
    n_fonts = len(font_manager.fontManager.ttflist)
    second = setup_cjk(prefer_system=False)
    assert first == second
    assert dict(mpl.rcParams) == settings_after_first
    assert len(font_manager.fontManager.ttflist) == n_fonts
    bundled = str(bundled_font_path())
    assert [e.fname for e in font_manager.fontManager.ttflist].count(bundled) == 1


def test_setup_sets_a_clean_report_style():
    setup_cjk(prefer_system=False)
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["savefig.dpi"] >= 300
    assert mpl.rcParams["pdf.fonttype"] == 42
    assert Figure().get_layout_engine() is not None  # constrained layout by default


def test_bundled_font_embeds_in_pdf_and_svg():
    setup_cjk(prefer_system=False)
    outputs = {}
    for fmt in ("pdf", "svg"):
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            chinese_figure().savefig(buffer, format=fmt)
        outputs[fmt] = buffer.getvalue()
    assert b"NotoSansSCSubset-linkage" in outputs["pdf"]  # the font itself is embedded
    assert outputs["svg"].startswith(b"<?xml")


def test_unsupported_language_is_an_input_error():
    with pytest.raises(InputError, match="zh"):
        setup_cjk(script="ja")


# --- figure helpers --------------------------------------------------------------------------


@pytest.fixture
def trend():
    years = [2020, 2021, 2022, 2023]
    return pd.DataFrame({
        "年份": years * 3,
        "地区": np.repeat(["青山县", "绿水县", "全省"], 4),
        "人均可支配收入（元）": [-1.0, 2.0, 3.5, 4.0, 1.0, 1.5, 2.0, 2.5, 1.2, 1.8, 2.4, 3.0],
    })


def test_line_chart_labels_and_one_line_per_group(trend):
    setup_cjk(prefer_system=False)
    fig = line_chart(trend, x="年份", y="人均可支配收入（元）", hue="地区",
                     title="青山县与全省对比", ylabel="收入（元）")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "青山县与全省对比"
    assert ax.get_xlabel() == "年份"  # defaults to the column name
    assert ax.get_ylabel() == "收入（元）"
    assert [line.get_label() for line in ax.get_lines()] == ["青山县", "绿水县", "全省"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["青山县", "绿水县", "全省"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [-1.0, 2.0, 3.5, 4.0])
    assert missing_glyphs(fig) == []


def test_line_chart_highlight_greys_out_the_other_lines(trend):
    fig = line_chart(trend, x="年份", y="人均可支配收入（元）", hue="地区", highlight="青山县")
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert lines["青山县"].get_linewidth() > lines["全省"].get_linewidth()
    assert lines["全省"].get_color() == lines["绿水县"].get_color() == "#b0b0b0"
    assert lines["青山县"].get_color() != "#b0b0b0"


def test_line_chart_names_a_missing_column(trend):
    with pytest.raises(InputError) as caught:
        line_chart(trend, x="年份", y="收入")
    assert caught.value.column == "收入"


def test_line_chart_rejects_an_unknown_highlight(trend):
    with pytest.raises(InputError, match="highlight") as caught:
        line_chart(trend, x="年份", y="人均可支配收入（元）", hue="地区", highlight="红河县")
    assert caught.value.column == "地区"


def test_bar_chart_labels_from_series_and_arguments():
    setup_cjk(prefer_system=False)
    s = pd.Series([3.0, -1.5, 2.0], index=pd.Index(COUNTIES, name="县"), name="增速（%）")
    fig = bar_chart(s, title="各县收入增速")
    ax = fig.axes[0]
    assert ax.get_title() == "各县收入增速"
    assert ax.get_xlabel() == "县"
    assert ax.get_ylabel() == "增速（%）"
    assert [t.get_text() for t in ax.get_xticklabels()] == COUNTIES
    assert [p.get_height() for p in ax.patches] == [3.0, -1.5, 2.0]
    assert missing_glyphs(fig) == []


def test_horizontal_bar_chart_puts_the_first_category_on_top():
    s = pd.Series([3.0, -1.5, 2.0], index=COUNTIES)
    fig = bar_chart(s, horizontal=True, xlabel="得分", ylabel="县")
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("得分", "县")
    assert [p.get_width() for p in ax.patches] == [3.0, -1.5, 2.0]
    assert ax.yaxis_inverted()


def test_bar_chart_rejects_text_values():
    with pytest.raises(InputError, match="数字") as caught:
        bar_chart(pd.Series(["高", "低"], name="等级"))
    assert caught.value.column == "等级"


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=12),
       st.booleans())
def test_bar_lengths_equal_the_values(values, horizontal):
    fig = bar_chart(pd.Series(values), horizontal=horizontal)
    lengths = [p.get_width() if horizontal else p.get_height() for p in fig.axes[0].patches]
    assert lengths == values


def test_heatmap_shows_values_masks_missing_and_labels_axes():
    setup_cjk(prefer_system=False)
    grid = pd.DataFrame(
        [[0.25, np.nan, 0.5], [0.75, 1.0, -0.5]],
        index=pd.Index(["青山县", "绿水县"], name="地区"),
        columns=pd.Index([2021, 2022, 2023], name="年份"),
    )
    fig = heatmap(grid, title="耦合协调度", fmt=".2f", colorbar_label="得分")
    ax, bar = fig.axes
    assert ax.get_title() == "耦合协调度"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("年份", "地区")
    assert bar.get_ylabel() == "得分"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2021", "2022", "2023"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["青山县", "绿水县"]
    shown = ax.images[0].get_array()
    assert shown.mask.tolist() == [[False, True, False], [False, False, False]]
    np.testing.assert_array_equal(shown.filled(np.nan), grid.to_numpy())
    assert sorted(t.get_text() for t in ax.texts) == sorted(
        ["0.25", "0.50", "0.75", "1.00", "-0.50"])
    assert missing_glyphs(fig) == []


def test_heatmap_of_missingness_accepts_booleans():
    panel = pd.DataFrame({"2021": [1.0, None], "2022": [None, 2.0]}, index=["收入", "就业"])
    fig = heatmap(panel.isna(), colorbar_label="缺失")
    assert fig.axes[0].images[0].get_array().tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert len(fig.axes[0].texts) == 0  # no numbers without fmt


def test_heatmap_names_a_text_column():
    grid = pd.DataFrame({"2021": [0.1, 0.2], "备注": ["无", "有"]})
    with pytest.raises(InputError) as caught:
        heatmap(grid)
    assert caught.value.column == "备注"


def test_source_note_sits_below_the_axes_and_is_replaced_not_stacked():
    setup_cjk(prefer_system=False)
    fig = line_chart(pd.DataFrame({"年份": [2021, 2022], "值": [1.0, -2.0]}), x="年份", y="值")
    assert add_source_note(fig, "资料来源：国家统计局。") is fig
    add_source_note(fig, "资料来源：样例数据。", simulated=True)
    notes = [t.get_text() for t in fig.texts]
    assert notes == ["资料来源：样例数据。（模拟数据，非真实统计）"]
    assert missing_glyphs(fig) == []
    renderer = fig._get_renderer()
    note_top = fig.texts[0].get_window_extent(renderer).y1
    axes_bottom = fig.axes[0].get_tightbbox(renderer).y0
    assert note_top <= axes_bottom


@pytest.mark.parametrize("layout", ["none", "tight", "constrained"])
def test_source_note_does_not_overlap_tick_labels_in_any_layout(layout):
    setup_cjk(prefer_system=False)
    fig = Figure(layout=layout)
    ax = fig.subplots()
    ax.plot([2021, 2022], [-1.0, 1.0])
    ax.set_xlabel("年份")
    add_source_note(fig, "资料来源：国家统计局。\n注：2022 年为初步数。")
    render_strictly(fig)
    renderer = fig._get_renderer()
    assert fig.texts[0].get_window_extent(renderer).y1 <= ax.get_tightbbox(renderer).y0


def test_simulated_note_is_not_marked_twice():
    fig = add_source_note(Figure(), "资料来源：模拟数据。", simulated=True)
    assert [t.get_text() for t in fig.texts] == ["资料来源：模拟数据。"]


def test_heatmap_grows_taller_for_many_rows():
    setup_cjk(prefer_system=False)
    grid = pd.DataFrame(np.arange(80.0).reshape(40, 2), columns=[2022, 2023])
    assert heatmap(grid).get_figheight() > mpl.rcParams["figure.figsize"][1]
    assert heatmap(grid.head(3)).get_figheight() == mpl.rcParams["figure.figsize"][1]


def test_show_displays_one_embedded_png(monkeypatch):
    import IPython.display

    from linkage.plotting import line_chart, setup_cjk, show

    setup_cjk(prefer_system=False)
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    fig = line_chart(pd.DataFrame({"年份": [2021, 2022], "收入": [-1.0, 2.0]}), x="年份", y="收入")
    show(fig)
    assert len(shown) == 1
    assert shown[0].data[:8] == b"\x89PNG\r\n\x1a\n"
    assert shown[0].width == round(fig.get_figwidth() * 100)

"""Figures with Chinese labels (中文图表): one call sets up fonts and a clean report style.

:func:`setup_cjk` makes matplotlib render Chinese text, full-width punctuation and the minus
sign without missing glyphs, also on a fresh machine with no CJK system fonts: it prefers an
installed Simplified-Chinese system font (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi) and
otherwise registers the subset of Noto Sans CJK SC that ships inside the package (SIL Open Font
License 1.1; see ``linkage/fonts/README.md``). SimHei is never used (it has no U+2212 minus
sign and no redistributable licence).

The figure helpers (:func:`line_chart`, :func:`bar_chart`, :func:`heatmap`,
:func:`add_source_note`) return :class:`matplotlib.figure.Figure` objects that are not
registered with ``pyplot``: in a notebook, leave the figure as the last expression of a cell
(or call ``display(fig)``); elsewhere save it with ``fig.savefig(path)``. This module never
selects a backend, so notebooks keep their inline figures.
"""

from __future__ import annotations

import io
import itertools
import warnings
from collections.abc import Hashable, Sequence
from functools import cache
from pathlib import Path
from typing import Literal

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine
from matplotlib.ticker import MaxNLocator

from linkage.errors import InputError

__all__ = [
    "BUNDLED_FAMILY",
    "SYSTEM_FAMILIES",
    "Script",
    "add_source_note",
    "bar_chart",
    "bundled_font_path",
    "heatmap",
    "line_chart",
    "missing_glyphs",
    "setup_cjk",
    "show",
]

Script = Literal["zh"]

BUNDLED_FAMILY = "Noto Sans SC Subset (linkage)"
"""Family name of the bundled font (renamed so it never shadows a full system copy)."""

SYSTEM_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
"""Simplified-Chinese system families preferred by :func:`setup_cjk`, best first."""

_FONT_DIR = Path(__file__).resolve().parent / "fonts"
_BUNDLED_FILES = ("NotoSansSC-linkage-Regular.otf", "NotoSansSC-linkage-Bold.otf")
_MINUS = 0x2212
_NOTE_GID = "linkage-source-note"
_SIMULATED_MARK = "模拟数据"

_REPORT_STYLE = {
    "figure.figsize": (6.3, 3.9),  # inches: 16 cm wide, fits an A4 page in Word
    "figure.dpi": 110,
    "figure.constrained_layout.use": True,  # long Chinese labels are never clipped
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "bold",
    "axes.labelsize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "pdf.fonttype": 42,  # embed real fonts: text stays editable and searchable
    "ps.fonttype": 42,
}


def bundled_font_path(*, weight: Literal["regular", "bold"] = "regular") -> Path:
    """Path of the bundled CJK font (随包字体文件): a GB2312 subset of Noto Sans CJK SC.

    Parameters
    ----------
    weight : {"regular", "bold"}
        Which of the two bundled weights.

    Returns
    -------
    pathlib.Path
        An OpenType (CFF) font file inside the installed package; its licence is
        ``OFL.txt`` in the same folder.

    Examples
    --------
    >>> bundled_font_path().name
    'NotoSansSC-linkage-Regular.otf'
    """
    files = {"regular": _BUNDLED_FILES[0], "bold": _BUNDLED_FILES[1]}
    if weight not in files:
        raise InputError(
            f"未知字重 {weight!r} / unknown font weight",
            hint='weight 只能是 "regular" 或 "bold"。',
        )
    return _FONT_DIR / files[weight]


@cache
def _has_minus(path: str) -> bool:
    return _MINUS in font_manager.get_font(path).get_charmap()


def _register_bundled() -> None:
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for name in _BUNDLED_FILES:
        path = str(_FONT_DIR / name)
        if path not in known:
            font_manager.fontManager.addfont(path)


def _choose_family(prefer_system: bool) -> str:
    if prefer_system:
        installed = {entry.name for entry in font_manager.fontManager.ttflist}
        for family in SYSTEM_FAMILIES:
            if family in installed:
                return family
    return BUNDLED_FAMILY


def setup_cjk(*, prefer_system: bool = True, script: Script = "zh") -> str:
    """Set up matplotlib for Chinese figures (中文字体与报告样式) and return the font family.

    Chooses the first installed family of :data:`SYSTEM_FAMILIES` when ``prefer_system`` is
    true, else (or when none is installed) the bundled OFL font :data:`BUNDLED_FAMILY`, which is
    registered with ``font_manager.fontManager.addfont`` (no cache rebuild). Then sets
    ``font.family`` and ``font.sans-serif`` to ``[family, bundled, "DejaVu Sans", ...]`` so that
    a glyph missing from the first font falls back to the next; ``axes.unicode_minus`` to
    whether the chosen font has U+2212 (true for Noto/Source Han); and a clean report style
    (16 cm wide figures, 300 dpi when saved, no top/right spines, light horizontal grid, fonts
    embedded in PDF). Calling it again is cheap and leaves the same settings. It never selects
    a backend.

    Parameters
    ----------
    prefer_system : bool, default True
        Use an installed system CJK font if there is one; ``False`` always uses the bundled
        font (reproducible figures on every machine).
    script : {"zh"}
        Script to set up: ``"zh"`` = Simplified Chinese (the only one bundled). Reports in
        English use it too: their place names are Chinese.

    Returns
    -------
    str
        The font family now first in ``rcParams["font.family"]``.

    Examples
    --------
    >>> setup_cjk(prefer_system=False)
    'Noto Sans SC Subset (linkage)'
    """
    if script != "zh":
        raise InputError(
            f"不支持的文字 {script!r} / unsupported script",
            hint='目前只支持简体中文：script="zh"。',
        )
    _register_bundled()
    family = _choose_family(prefer_system)
    chosen = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    previous = [f for f in mpl.rcParams["font.sans-serif"] if f not in (family, BUNDLED_FAMILY)]
    families = list(dict.fromkeys([family, BUNDLED_FAMILY, "DejaVu Sans"]))
    mpl.rcParams.update(_REPORT_STYLE)
    mpl.rcParams["font.family"] = families
    mpl.rcParams["font.sans-serif"] = list(dict.fromkeys([*families, *previous]))
    mpl.rcParams["axes.unicode_minus"] = _has_minus(chosen)
    return family


def missing_glyphs(fig: Figure) -> list[str]:
    """Missing-glyph warnings (缺字检查) raised when ``fig`` is drawn.

    Renders the figure to an in-memory PNG with the Agg renderer (the figure's own canvas and
    the session's backend are left alone) and collects matplotlib's "Glyph ... missing from
    font(s)" warnings.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    list of str
        One message per missing glyph; empty when every character rendered.

    Examples
    --------
    >>> _ = setup_cjk(prefer_system=False)
    >>> fig = Figure()
    >>> _ = fig.suptitle("青山县 −3 ‰")
    >>> missing_glyphs(fig)
    []
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _require_columns(frame: pd.DataFrame, columns: Sequence[Hashable]) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise InputError(
            f"数据中没有列 {absent[0]!r} / column not found",
            column=str(absent[0]),
            hint=f"现有列：{', '.join(map(str, frame.columns))}。",
        )


def _new_figure(*, rows: int = 0) -> Figure:
    """A constrained-layout figure, taller than the default when it has many rows of labels."""
    width, height = mpl.rcParams["figure.figsize"]
    return Figure(figsize=(width, max(height, 0.28 * rows + 1.4)), layout="constrained")


def _label(ax, *, title: str | None, xlabel: str | None, ylabel: str | None) -> None:
    if title:
        ax.set_title(title)
    ax.set_xlabel(xlabel or "")
    ax.set_ylabel(ylabel or "")


def line_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    highlight: Hashable | Sequence[Hashable] | None = None,
) -> Figure:
    """Trend lines (趋势折线图), e.g. one county against the province over the years.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long table, one row per point (e.g. columns ``year``, ``region_name``, ``value``).
    x, y : str
        Columns for the horizontal axis (e.g. year) and the value.
    hue : str, optional
        Column whose values make separate lines (e.g. ``region_name``); a legend is drawn.
    title, xlabel, ylabel : str, optional
        Chinese labels; the axis labels default to the column names.
    highlight : value or list of values of ``hue``, optional
        Lines to emphasise (thick, coloured); the other lines are drawn thin and grey.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> df = pd.DataFrame({"年份": [2021, 2022, 2021, 2022],
    ...                    "地区": ["青山县", "青山县", "全省", "全省"],
    ...                    "收入": [1.0, 1.2, 1.1, 1.3]})
    >>> line_chart(df, x="年份", y="收入", hue="地区", highlight="青山县").axes[0].get_xlabel()
    '年份'
    """
    _require_columns(frame, [x, y] + ([hue] if hue is not None else []))
    data = frame.sort_values(x)
    groups = [(None, data)] if hue is None else list(data.groupby(hue, sort=False))
    if highlight is None:
        emphasised: set = set()
    elif isinstance(highlight, str) or not isinstance(highlight, Sequence):
        emphasised = {highlight}
    else:
        emphasised = set(highlight)
    unknown = emphasised - {key for key, _ in groups}
    if unknown:
        raise InputError(
            f"highlight 中的 {sorted(map(str, unknown))} 不是列 {hue!r} 的取值 / "
            "highlight value not found",
            column=None if hue is None else str(hue),
            hint="highlight 须是 hue 列中已有的取值（如地区名称），并须同时给出 hue=。",
        )
    fig = _new_figure()
    ax = fig.subplots()
    colours = itertools.cycle(mpl.rcParams["axes.prop_cycle"].by_key()["color"])
    for key, part in groups:
        if emphasised and key not in emphasised:
            style = {"color": "#b0b0b0", "linewidth": 1.0, "zorder": 1}
        else:
            style = {"color": next(colours), "linewidth": 2.4 if emphasised else None, "zorder": 2}
        ax.plot(part[x], part[y], marker="o", markersize=3, label=key, **style)
    if pd.api.types.is_integer_dtype(data[x]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if hue is not None:
        ax.legend(title=str(hue))
    _label(ax, title=title, xlabel=xlabel or str(x), ylabel=ylabel or str(y))
    return fig


def bar_chart(
    series: pd.Series,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    horizontal: bool = False,
) -> Figure:
    """Bar chart (柱状图/条形图) of one value per category, in the series' order.

    Parameters
    ----------
    series : pandas.Series
        Values indexed by category (e.g. county names); negative values draw downwards
        (leftwards); a missing value leaves its slot empty.
    title, xlabel, ylabel : str, optional
        Chinese labels. ``xlabel``/``ylabel`` are the horizontal/vertical axis labels;
        by default the category axis is labelled with the index name and the value axis
        with the series name.
    horizontal : bool, default False
        Horizontal bars (条形图), first category at the top — better for long names.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> counties = pd.Index(["青山县", "绿水县"], name="县")
    >>> s = pd.Series([3.0, -1.5], index=counties, name="增速（%）")
    >>> bar_chart(s).axes[0].get_ylabel()
    '增速（%）'
    """
    if not pd.api.types.is_numeric_dtype(series):
        raise InputError(
            f"柱状图的数值须为数字，实际类型为 {series.dtype} / bar values must be numeric",
            column=None if series.name is None else str(series.name),
            hint="先用 pd.to_numeric 转换，或选择数值列。",
        )
    category = "" if series.index.name is None else str(series.index.name)
    value = "" if series.name is None else str(series.name)
    labels = series.index.astype(str)
    fig = _new_figure()
    ax = fig.subplots()
    values = series.to_numpy(dtype=float, na_value=np.nan)
    if horizontal:
        ax.barh(labels, values, color="C0")
        ax.invert_yaxis()
        ax.grid(False, axis="y")
        ax.grid(True, axis="x")
        ax.axvline(0, color="#555555", linewidth=0.8)
        _label(ax, title=title, xlabel=xlabel or value, ylabel=ylabel or category)
    else:
        ax.bar(labels, values, color="C0")
        ax.axhline(0, color="#555555", linewidth=0.8)
        if len(labels) > 8 or labels.str.len().max() > 4:
            ax.tick_params(axis="x", labelrotation=45)
            for tick in ax.get_xticklabels():
                tick.set_horizontalalignment("right")
                tick.set_rotation_mode("anchor")
        _label(ax, title=title, xlabel=xlabel or category, ylabel=ylabel or value)
    return fig


def heatmap(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    cmap: str = "YlGnBu",
    fmt: str | None = None,
    colorbar_label: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
) -> Figure:
    """Heat map (热力图) of a grid such as region × year or indicator × year.

    Missing cells are drawn light grey, so the same helper makes missingness maps (pass
    ``frame.isna()``; booleans are shown as 0/1).

    Parameters
    ----------
    frame : pandas.DataFrame
        Wide table: rows (e.g. regions or indicators) × columns (e.g. years), numeric or bool.
    title : str, optional
    cmap : str, default "YlGnBu"
        Matplotlib colour map name.
    fmt : str, optional
        Python format spec to print each value in its cell (e.g. ``".2f"``, ``".0%"``);
        ``None`` prints no numbers.
    colorbar_label : str, optional
        Label of the colour bar (e.g. "得分" or "缺失").
    xlabel, ylabel : str, optional
        Axis labels; default to ``frame.columns.name`` / ``frame.index.name``.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> grid = pd.DataFrame([[0.2, None], [0.5, 0.7]],
    ...                     index=["青山县", "绿水县"], columns=[2021, 2022])
    >>> len(heatmap(grid, fmt=".1f").axes)  # the map and its colour bar
    2
    """
    non_numeric = [
        c for c in frame.columns
        if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_bool_dtype(frame[c]))
    ]
    if non_numeric:
        raise InputError(
            f"热力图的列 {non_numeric[0]!r} 不是数值 / heat-map column is not numeric",
            column=str(non_numeric[0]),
            hint="只保留数值列（行 = 地区或指标，列 = 年份），文字列请设为索引。",
        )
    values = frame.astype(float).to_numpy(na_value=np.nan)
    masked = np.ma.masked_invalid(values)
    colours = mpl.colormaps[cmap].with_extremes(bad="#e6e6e6")
    fig = _new_figure(rows=frame.shape[0])
    ax = fig.subplots()
    image = ax.imshow(masked, cmap=colours, aspect="auto", interpolation="nearest")
    ax.grid(False)
    ax.set_xticks(np.arange(frame.shape[1]), frame.columns.astype(str),
                  rotation=90 if frame.shape[1] > 6 else 0)
    ax.set_yticks(np.arange(frame.shape[0]), frame.index.astype(str))
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(image, ax=ax)
    if colorbar_label:
        bar.set_label(colorbar_label)
    if fmt is not None:
        norm = image.norm(masked).filled(np.nan)
        rows, cols = np.nonzero(~np.ma.getmaskarray(masked))
        for r, c in zip(rows, cols, strict=True):
            ax.text(c, r, format(values[r, c], fmt), ha="center", va="center", fontsize=8,
                    color="white" if norm[r, c] > 0.6 else "black")
    _label(
        ax,
        title=title,
        xlabel=xlabel or ("" if frame.columns.name is None else str(frame.columns.name)),
        ylabel=ylabel or ("" if frame.index.name is None else str(frame.index.name)),
    )
    return fig


def add_source_note(fig: Figure, text: str, *, simulated: bool = False) -> Figure:
    """Put a source/notes line (资料来源/注) under a figure; calling again replaces it.

    Space is reserved at the bottom of the figure (through its layout engine, or by raising
    the subplots when it has none) so the note never overlaps the axis labels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    text : str
        E.g. ``"资料来源：国家统计局《中国农村统计年鉴》。"``; may span several lines.
    simulated : bool, default False
        Figure made from the bundled sample: makes sure the note says 模拟数据 (appends
        "（模拟数据，非真实统计）" unless the text already says so).

    Returns
    -------
    matplotlib.figure.Figure
        The same figure, so the call can end a notebook cell.

    Examples
    --------
    >>> fig = add_source_note(Figure(), "资料来源：样例数据。", simulated=True)
    >>> [t.get_text() for t in fig.texts]
    ['资料来源：样例数据。（模拟数据，非真实统计）']
    """
    if simulated and _SIMULATED_MARK not in text:
        text = f"{text}（{_SIMULATED_MARK}，非真实统计）"
    previous = [t for t in fig.texts if t.get_gid() == _NOTE_GID]
    for old in previous:
        old.remove()
    size = mpl.rcParams["font.size"] * 0.85
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=size, color="#444444",
             gid=_NOTE_GID)
    lines = text.count("\n") + 1
    strip = min(0.3, (lines * size * 1.45 + 4) / (fig.get_figheight() * 72))
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        engine.set(rect=(0, strip, 1, 1 - strip))  # (left, bottom, width, height)
    elif isinstance(engine, TightLayoutEngine):
        engine.set(rect=(0, strip, 1, 1))  # (left, bottom, right, top)
    elif not previous:
        fig.subplots_adjust(bottom=fig.subplotpars.bottom + strip)
    return fig


def show(fig: Figure) -> None:
    """Display a figure in a notebook as an embedded PNG (在笔记本中显示图形).

    Works whatever the kernel's matplotlib backend is (also under papermill with
    ``MPLBACKEND=Agg``), shows the figure exactly once, and embeds it in the executed
    notebook, so the rendered HTML report is self-contained.
    """
    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200)
    # shown at about 100 px per inch of figure width, sharp on high-density screens
    display(Image(data=buffer.getvalue(), format="png", width=round(fig.get_figwidth() * 100)))

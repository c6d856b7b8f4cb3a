"""PMC index of policy documents (政策建模一致性指数, PMC 指数模型).

Ruiz Estrada (2011) scores a policy on first-level variables (一级变量) X_1 … X_k, each made of
binary secondary variables (二级变量) X_{k,j} ∈ {0, 1} coded from the text (1 = the policy has
the feature). A first-level variable is the mean of its secondary items and the PMC index is
their sum:

.. math:: X_k = \\frac{1}{n_k} \\sum_{j=1}^{n_k} X_{k,j}, \\qquad
          \\mathrm{PMC} = \\sum_{k} X_k \\in [0, k].

The PMC surface (PMC 曲面) is the 3 × 3 matrix of the first nine X_k, row-major
``[[X1, X2, X3], [X4, X5, X6], [X7, X8, X9]]``; depressions in it show a policy's weak
variables (凹陷). Grades follow the four bands of the Chinese PMC literature for ten
first-level variables (:data:`PMC_BANDS`).

References
----------
Ruiz Estrada, M. A. (2011). Policy modeling: Definition, classification and evaluation.
*Journal of Policy Modeling*, 33(4), 523–536. https://doi.org/10.1016/j.jpolmod.2011.02.003

张永安, 郄海拓 (2017). “大众创业、万众创新”政策量化评价研究 (ten first-level variables; the
grades 完美/优秀/可接受/不良 of :data:`PMC_BANDS`). Bands differ between papers (some call a
mean PMC above 7 only 可接受, some use five grades): state the bands used in every report.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage.checks import first_rows
from linkage.errors import InputError
from linkage.labels import Language, is_zh, label
from linkage.plotting import setup_cjk

__all__ = [
    "PMC_BANDS",
    "PMC_VARIABLES",
    "PMCDepression",
    "parse_bands",
    "pmc_depression",
    "pmc_index",
    "pmc_report_table",
    "pmc_surface",
    "pmc_surface_figure",
]

Bands = Sequence[tuple[float, str]]

PMC_BANDS: tuple[tuple[float, str], ...] = (
    (9.0, "完美"),
    (7.0, "优秀"),
    (5.0, "可接受"),
    (0.0, "不良"),
)
"""Default grades for **ten** first-level variables, from the top: PMC ∈ [9, 10] 完美
(perfect), [7, 9) 优秀 (excellent), [5, 7) 可接受 (acceptable), [0, 5) 不良 (poor). These are
the consistency levels of the Chinese PMC literature with ten first-level variables, e.g.
张永安、郄海拓 (2017); Ruiz Estrada (2011) defines the index and the surface. Some papers use
five grades instead (pass those as ``bands=``). With another number of first-level variables
the literature has no common bands (杨赐然、毛宗福、崔丹 2022, 《中国卫生政策研究》15(4), nine
first-level variables: five grades 完美/优秀/良好/合格/不良), so :func:`pmc_index` asks for
``bands=`` instead of guessing."""

#: The first-level PMC variables of the kit's data model (the sample corpus's ``pmc_items.csv``:
#: X1–X9 with secondary items ``X<k>.<j>``, X10 a single column), by language — names for the
#: ``variable_names`` of :func:`pmc_surface_figure` and :func:`pmc_report_table`.
PMC_VARIABLES: dict[str, dict[str, str]] = {
    "zh": {"X1": "政策性质", "X2": "政策时效", "X3": "发布机构", "X4": "政策领域",
           "X5": "政策工具", "X6": "政策目标", "X7": "政策对象", "X8": "激励约束",
           "X9": "政策评价", "X10": "政策公开"},
    "en": {"X1": "Nature", "X2": "Time span", "X3": "Issuer", "X4": "Field",
           "X5": "Instruments", "X6": "Goals", "X7": "Targets", "X8": "Incentives",
           "X9": "Evaluation", "X10": "Openness"},
}

_EN_GRADES = {"完美": "perfect", "优秀": "excellent", "可接受": "acceptable", "不良": "poor"}
_ITEM = re.compile(r"^X(\d+)(?:\.(\d+))?$")
_FIRST = re.compile(r"^X(\d+)$")
_TIE_DECIMALS = 9  # PMC values equal to 1e-9 share a rank and a grade (float sums of fractions)


def _natural(names: Sequence[str]) -> list[str]:
    """First-level names in numeric order (X1, X2, …, X10) when all are ``X<k>``, else as given."""
    if all(_FIRST.match(n) for n in names):
        return sorted(names, key=lambda n: int(n[1:]))
    return list(names)


def _default_groups(columns: pd.Index) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    singles: set[str] = set()
    for column in columns:
        match = _ITEM.match(column) if isinstance(column, str) else None
        if match is None:
            raise InputError(
                f"列名 {column!r} 不符合 PMC 二级变量的命名 X<k>.<j> / column name is not "
                "X<k>.<j>",
                column=str(column),
                hint="二级变量命名为 X1.1、X1.2 …，单独计分的一级变量命名为 X10；"
                "“X1:1” 请改为 “X1.1”；或用 groups= 指定分组。",
            )
        first = f"X{int(match.group(1))}"
        if match.group(2) is None:
            singles.add(first)
        groups.setdefault(first, []).append(column)
    clash = sorted(f for f in singles if len(groups[f]) > 1)
    if clash:
        raise InputError(
            f"一级变量 {clash[0]} 既有单独一列又有二级变量 {groups[clash[0]]} / a first-level "
            "variable is both a single column and a group",
            column=clash[0],
            hint=f"删去单独的列 {clash[0]}，或删去 {clash[0]}.j 各列。",
        )
    return groups


def _checked_groups(columns: pd.Index, groups: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if not isinstance(groups, Mapping) or not groups:
        raise InputError("groups 应为非空的映射：一级变量名 → 二级变量列名列表 / groups must be "
                         "a non-empty mapping",
                         hint='例如 {"X1": ["X1.1", "X1.2"], "X2": ["X2.1"]}')
    owner: dict[str, str] = {}
    checked: dict[str, list[str]] = {}
    for name, members in groups.items():
        members = [members] if isinstance(members, str) else list(members)
        if not members:
            raise InputError(f"一级变量 {name!r} 没有任何二级变量列 / group has no columns",
                             column=str(name), hint="为它列出至少一列，或从 groups 中删去它。")
        for column in members:
            if column not in columns:
                raise InputError(
                    f"一级变量 {name!r} 的列 {column!r} 不在数据中 / column of a group is absent",
                    column=str(column),
                    hint=f"现有列 / available: {', '.join(map(str, list(columns)[:20]))}")
            if column in owner:
                raise InputError(
                    f"列 {column!r} 同时属于一级变量 {owner[column]!r} 和 {name!r} / "
                    "overlapping groups", column=str(column),
                    hint="每个二级变量只能属于一个一级变量。")
            owner[column] = name
        checked[str(name)] = members
    unused = [c for c in columns if c not in owner]
    if unused:
        raise InputError(
            f"列 {unused[0]!r} 不属于 groups 中的任何一级变量 / a column is in no group",
            column=str(unused[0]),
            hint="把它加入某个一级变量，或先从数据中删去它（不会被悄悄忽略）。")
    return checked


def _binary(items: pd.DataFrame) -> np.ndarray:
    if not isinstance(items, pd.DataFrame):
        raise InputError(f"items 应为 pandas.DataFrame，实际为 {type(items).__name__} / "
                         "items must be a DataFrame",
                         hint="每行一项政策（索引 = 政策编号），每列一个 0/1 二级变量。")
    if items.empty:
        raise InputError("items 没有数据行或列 / items is empty",
                         hint="至少需要一项政策和一个二级变量。")
    duplicated = items.columns[items.columns.duplicated()]
    if len(duplicated):
        raise InputError(f"列 {duplicated[0]!r} 重复 / duplicate column", column=str(duplicated[0]),
                         hint="每个二级变量只能有一列。")
    repeated = items.index[items.index.duplicated()]
    if len(repeated):
        raise InputError(
            f"政策编号重复：{first_rows(repeated.unique())} / duplicate policy ids",
            hint="每项政策一行；合并或删去重复的行。")
    try:  # fast path: one conversion of the whole table
        array = items.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        array = items.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=np.float64,
                                                                      na_value=np.nan)
    bad_cells = ~((array == 0) | (array == 1))
    if not bad_cells.any():
        return array
    column = items.columns[bad_cells.any(axis=0).argmax()]  # the first offending column
    values = items[column]
    missing = values.isna().to_numpy()
    if missing.any():
        raise InputError(
            f"有 {int(missing.sum())} 项政策缺少编码（{first_rows(items.index[missing])}）/ "
            "missing codes", column=str(column),
            hint="PMC 二级变量须逐项编码为 0 或 1：补齐编码后再计算（缺失不会当作 0）。")
    bad = bad_cells[:, items.columns.get_loc(column)]
    raise InputError(
        f"有 {int(bad.sum())} 个值不是 0 或 1（{first_rows(items.index[bad])}，如 "
        f"{values[bad].iloc[0]!r}）/ values must be 0 or 1", column=str(column),
        hint="1 = 政策具备该特征，0 = 不具备；请改正这些单元格。")


def _checked_bands(bands: Bands | None, k: int) -> list[tuple[float, str]]:
    if bands is None:
        if k != 10:
            raise InputError(
                f"有 {k} 个一级变量：默认分级只适用于 10 个一级变量 / default bands are for ten "
                "first-level variables",
                hint="请用 bands= 给出分级，从高到低，如 bands=[(8, '完美'), (6, '优秀'), "
                "(4, '可接受'), (0, '不良')]，并在报告中写明所用分级。")
        return list(PMC_BANDS)
    checked: list[tuple[float, str]] = []
    for band in bands:
        try:
            lower, name = band
            lower = float(lower)
        except (TypeError, ValueError) as exc:
            raise InputError(f"分级 {band!r} 应为 (下限, 等级名) / a band is (lower_bound, label)",
                             hint="例如 bands=[(9, '完美'), (7, '优秀'), (5, '可接受'), "
                             "(0, '不良')]") from exc
        if not np.isfinite(lower) or not isinstance(name, str) or not name.strip():
            raise InputError(f"分级 {band!r} 的下限须为有限数、等级名须为非空文字 / bad band",
                             hint="例如 (7, '优秀')。")
        checked.append((lower, name))
    if not checked:
        raise InputError("bands 为空 / bands is empty", hint="至少给出一档，如 [(0, '全部')]。")
    lowers = [b for b, _ in checked]
    if any(a <= b for a, b in pairwise(lowers)):
        raise InputError(f"分级下限须从高到低严格递减，实际为 {lowers} / bands must be descending",
                         hint="从最高一档写起，例如 [(9, …), (7, …), (5, …), (0, …)]。")
    if lowers[-1] > 0:
        raise InputError(f"最低一档的下限为 {lowers[-1]:g}，低于它的政策将无等级 / the lowest "
                         "band must start at 0", hint="把最后一档的下限设为 0。")
    names = [n for _, n in checked]
    if len(set(names)) != len(names):
        raise InputError(f"等级名重复：{names} / duplicate band labels", hint="每档一个名称。")
    return checked


def parse_bands(text: str) -> list[tuple[float, str]]:
    """Grade bands from the command line (等级区间): ``"9:完美,7:优秀,5:可接受,0:不良"`` →
    ``[(9.0, "完美"), (7.0, "优秀"), (5.0, "可接受"), (0.0, "不良")]`` (checked again by
    :func:`pmc_index`: descending, reaching 0, labels distinct).

    >>> parse_bands("2.5:优秀, 1.5:可接受, 0:不良")
    [(2.5, '优秀'), (1.5, '可接受'), (0.0, '不良')]
    """
    bands = []
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        bound, sep, name = part.replace("：", ":").partition(":")
        try:
            if not (sep and name.strip()):
                raise ValueError(part)
            bands.append((float(bound), name.strip()))
        except ValueError:
            raise InputError(f"等级区间写法不对：{part!r} / malformed band", column="bands",
                             hint="写成 下限:等级，逗号分隔，从高到低，如 "
                                  "9:完美,7:优秀,5:可接受,0:不良") from None
    return bands


def pmc_index(items: pd.DataFrame, *, groups: Mapping[str, Sequence[str]] | None = None,
              bands: Bands | None = None) -> pd.DataFrame:
    """PMC index (PMC 指数) of each policy from its 0/1 secondary variables.

    Ruiz Estrada (2011): :math:`X_k = \\tfrac{1}{n_k}\\sum_j X_{k,j}` (mean of the first-level
    variable's binary items), :math:`\\mathrm{PMC} = \\sum_k X_k` of the **unrounded** X_k.
    Grades by :data:`PMC_BANDS` (张永安、郄海拓 2017) unless ``bands`` is given.

    Parameters
    ----------
    items : pandas.DataFrame
        One row per policy (index = policy id, unique), one column per secondary variable,
        values 0/1 (int, float or bool; no missing cells). Columns are named ``X<k>.<j>``
        (e.g. ``X1.1``); by default they are grouped by the part before the dot, and a
        first-level variable with a single column of its own (``X10``) is scored directly.
    groups : mapping, optional
        First-level name → list of its columns; overrides the default grouping. Every column
        must belong to exactly one group (column names are then free).
    bands : sequence of (lower_bound, label), optional
        Grades from the top, lower bounds strictly descending, the last one 0, e.g.
        ``[(9, "完美"), (7, "优秀"), (5, "可接受"), (0, "不良")]``; a policy gets the first band
        whose lower bound its PMC reaches. Default :data:`PMC_BANDS`, which applies to ten
        first-level variables only: with another number an :class:`InputError` asks for
        ``bands=``.

    Returns
    -------
    pandas.DataFrame
        Index = the policies in input order; columns ``X1 … Xk`` (first-level names in
        natural numeric order X1, X2, …, X10; group names as given when they are not all
        ``X<k>``), ``PMC`` (0 … k), ``rank`` (int, 1 = highest; ties share the smallest rank,
        ``method="min"``: 1, 2, 2, 4; PMC values equal to 1e-9 count as ties) and ``grade``
        (ordered categorical, lowest band first).

    Raises
    ------
    InputError
        Values other than 0/1, missing cells, duplicate policy ids or columns, column names
        not ``X<k>.<j>`` (default grouping), a group with no columns, overlapping groups, a
        column in no group, bands not descending.

    Examples
    --------
    >>> items = pd.DataFrame({"X1.1": [1, 1], "X1.2": [1, 0], "X2.1": [1, 0], "X2.2": [0, 0],
    ...                       "X2.3": [1, 1]}, index=["甲", "乙"])
    >>> pmc_index(items, bands=[(1.5, "高"), (0, "低")]).round(3)
        X1     X2    PMC  rank grade
    甲  1.0  0.667  1.667     1     高
    乙  0.5  0.333  0.833     2     低
    """
    values = _binary(items)
    found = _checked_groups(items.columns, groups) if groups is not None else \
        _default_groups(items.columns)
    names = _natural(list(found))
    position = {c: i for i, c in enumerate(items.columns)}
    membership = np.zeros((len(items.columns), len(names)))
    for j, name in enumerate(names):
        membership[[position[c] for c in found[name]], j] = 1.0 / len(found[name])
    first_level = values @ membership  # one matrix product: X_k = mean of the group's items
    checked_bands = _checked_bands(bands, len(names))

    table = pd.DataFrame(first_level, index=items.index, columns=names)
    pmc = first_level.sum(axis=1)
    table["PMC"] = pmc
    rounded = pd.Series(np.round(pmc, _TIE_DECIMALS), index=items.index)
    table["rank"] = rounded.rank(method="min", ascending=False).astype(int)
    lowers = np.array([b for b, _ in checked_bands])
    labels = [n for _, n in checked_bands]
    band = (rounded.to_numpy()[:, None] < lowers[None, :]).sum(axis=1)  # first band reached
    table["grade"] = pd.Categorical.from_codes(len(labels) - 1 - band,
                                               categories=labels[::-1], ordered=True)
    return table


def _first_level_columns(table: pd.DataFrame | pd.Series) -> list[str]:
    labels = table.columns if isinstance(table, pd.DataFrame) else table.index
    return _natural([c for c in labels if isinstance(c, str) and _FIRST.match(c)])


def pmc_surface(scores: pd.Series | pd.DataFrame, variables: Sequence[str] | None = None
                ) -> pd.DataFrame:
    """PMC surface matrix (PMC 曲面矩阵) of one policy: its first nine X_k as a 3 × 3 grid.

    Ruiz Estrada (2011): ``[[X1, X2, X3], [X4, X5, X6], [X7, X8, X9]]`` (row-major), the
    matrix drawn as the PMC surface; a tenth variable, if any, is left out as in the
    literature.

    Parameters
    ----------
    scores : pandas.Series or one-row pandas.DataFrame
        A row of :func:`pmc_index` (``table.loc["policy"]``), or any Series of X_k; for the
        average surface pass ``table[["X1", …, "X9"]].mean()``.
    variables : sequence of 9 str, optional
        Which nine entries, in row-major order; default the first nine ``X<k>`` in numeric
        order.

    Returns
    -------
    pandas.DataFrame
        3 × 3 floats, index ``row`` 1–3, columns ``column`` 1–3; ``.attrs["variables"]`` is the
        3 × 3 list of variable names of the cells.

    Examples
    --------
    >>> pmc_surface(pd.Series({f"X{k}": k / 10 for k in range(1, 11)})).to_numpy().tolist()
    [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]
    """
    if isinstance(scores, pd.DataFrame):
        if len(scores) != 1:
            raise InputError(
                f"PMC 曲面一次只画一项政策，收到 {len(scores)} 行 / one policy at a time",
                hint='选一行，如 table.loc["政策编号"]；平均曲面用 table[[...X1–X9...]].mean()。')
        scores = scores.iloc[0]
    if not isinstance(scores, pd.Series):
        raise InputError(f"scores 应为 pandas.Series，实际为 {type(scores).__name__} / scores "
                         "must be a Series", hint='例如 pmc_index(items).loc["政策编号"]。')
    chosen = list(variables) if variables is not None else _first_level_columns(scores)[:9]
    if len(chosen) != 9:
        raise InputError(
            f"PMC 曲面需要 9 个一级变量，实际为 {len(chosen)} 个 / the surface needs nine "
            "variables", hint="用 variables= 指定 9 个一级变量（按行排列）。")
    absent = [v for v in chosen if v not in scores.index]
    if absent:
        raise InputError(f"没有一级变量 {absent[0]!r} / variable absent", column=str(absent[0]),
                         hint=f"现有 / available: {', '.join(map(str, scores.index))}")
    try:
        grid = pd.to_numeric(scores[chosen]).to_numpy(dtype=np.float64).reshape(3, 3)
    except (TypeError, ValueError) as exc:
        raise InputError("PMC 曲面的值须为数值 / surface values must be numeric",
                         hint="传入 pmc_index 结果的一行。") from exc
    surface = pd.DataFrame(grid, index=pd.Index([1, 2, 3], name="row"),
                           columns=pd.Index([1, 2, 3], name="column"))
    surface.attrs["variables"] = [chosen[0:3], chosen[3:6], chosen[6:9]]
    return surface


def _policy_names(ids: Sequence[Hashable], names: Mapping[Hashable, str] | None) -> list[str]:
    if names is None:
        return [str(i) for i in ids]
    absent = [i for i in ids if i not in names]
    if absent:
        raise InputError(f"names 缺少政策 {first_rows(absent)} 的名称 / names lacks policies",
                         hint="为每项政策给出名称，例如 documents['title']。")
    return [str(names[i]) for i in ids]


def pmc_surface_figure(pmc_table: pd.DataFrame, policies: Sequence[Hashable], *,
                       language: Language = "zh",
                       variable_names: Mapping[str, str] | None = None,
                       names: Mapping[Hashable, str] | None = None) -> Figure:
    """PMC surfaces (PMC 曲面图) of selected policies as 3 × 3 heat surfaces side by side.

    One panel per policy (:func:`pmc_surface`), cells labelled with the variable (and its name
    from ``variable_names``) and its X_k to two decimals; one colour scale fixed at 0–1 for
    every panel, so surfaces are comparable (Ruiz Estrada 2011 draws them as 3-D surfaces;
    the heat form shows the same matrix without hidden cells).

    Parameters
    ----------
    pmc_table : pandas.DataFrame
        Result of :func:`pmc_index`.
    policies : sequence
        Policy ids (index labels of ``pmc_table``) to draw, in order.
    language : {"zh", "en"}
        Language of titles and the colour-bar label.
    variable_names : mapping, optional
        ``X<k>`` → name, e.g. ``{"X1": "政策性质"}``, shown under the variable.
    names : mapping, optional
        Policy id → title shown above its panel (default the id).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> items = pd.DataFrame({f"X{k}.1": [1, 0] for k in range(1, 10)}, index=["甲", "乙"])
    >>> table = pmc_index(items, bands=[(0, "全部")])
    >>> len(pmc_surface_figure(table, ["甲", "乙"]).axes)  # two panels and the colour bar
    3
    """
    zh = is_zh(language)
    if isinstance(policies, str) or not isinstance(policies, Sequence) or not policies:
        raise InputError("policies 应为非空的政策编号列表 / policies must be a non-empty list",
                         hint='例如 ["zf2020-30", "zf2021-1"]。')
    absent = [p for p in policies if p not in pmc_table.index]
    if absent:
        raise InputError(f"PMC 表中没有政策 {first_rows(absent)} / policies not in the table",
                         hint="政策编号须为 pmc_index 结果的索引。")
    titles = _policy_names(policies, names)
    setup_cjk()
    count = len(policies)
    columns = min(count, 3)
    rows = -(-count // columns)
    fig = Figure(figsize=(2.6 * columns + 0.9, 2.7 * rows + 0.3), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    image = None
    for ax, policy, title in zip(axes, policies, titles, strict=False):
        surface = pmc_surface(pmc_table.loc[policy])
        grid = surface.to_numpy()
        image = ax.imshow(grid, cmap="YlGnBu", vmin=0.0, vmax=1.0, interpolation="nearest")
        for r in range(3):
            for c in range(3):
                variable = surface.attrs["variables"][r][c]
                text = variable
                if variable_names and variable in variable_names:
                    text += f"\n{variable_names[variable]}"
                ax.text(c, r, f"{text}\n{grid[r, c]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if grid[r, c] > 0.6 else "black")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.spines[:].set_visible(False)
        pmc = float(pmc_table.loc[policy, "PMC"])
        ax.set_title(f"{title}\nPMC = {pmc:.2f}", fontsize=9)
    for ax in axes[count:]:
        ax.set_visible(False)
    bar = fig.colorbar(image, ax=axes[:count].tolist(), shrink=0.8)
    bar.set_label("一级变量得分 X_k" if zh else "First-level score X_k")
    return fig


def pmc_report_table(pmc_table: pd.DataFrame, *, names: Mapping[Hashable, str] | None = None,
                     language: Language = "zh",
                     variable_names: Mapping[str, str] | None = None,
                     brief: bool = False, weakest: int = 3) -> pd.DataFrame:
    """The PMC table for a report (PMC 指数评价表): one row per policy, best first.

    Columns: policy (its name from ``names``, otherwise its id), X1 … Xk and the PMC index
    rounded to two decimals (as Chinese PMC papers print them; ranks and grades come from
    the unrounded values), rank and grade. With ``brief=True`` (a chapter's table, narrow
    enough for a portrait page) the X_k columns give way to the 凹陷指数 k − PMC and the
    policy's weak variables after the grade: at most ``weakest`` first-level variables below
    the mean of the policies scored, the furthest below first (:func:`pmc_depression`).

    Parameters
    ----------
    pmc_table : pandas.DataFrame
        Result of :func:`pmc_index`.
    names : mapping, optional
        Policy id → name (e.g. the document title); when given, ids do not appear.
    language : {"zh", "en"}
        Header language; the default grade labels are translated for ``"en"``.
    variable_names : mapping, optional
        ``X<k>`` → name, appended to the variable's header (``X1 政策性质``).
    brief : bool
        PMC, 凹陷指数, rank, grade and weakest variables instead of every X_k.
    weakest : int
        How many below-average variables ``brief`` names per policy.

    Returns
    -------
    pandas.DataFrame
        Sorted by rank (ties in input order), a plain 1 … n index.

    Examples
    --------
    >>> table = pmc_index(pd.DataFrame({"X1.1": [0, 1], "X2.1": [1, 1]}, index=["a", "b"]),
    ...                   bands=[(1.5, "高"), (0, "低")])
    >>> pmc_report_table(table, names={"a": "甲文件", "b": "乙文件"})
        政策   X1   X2  PMC 指数  排名 等级
    1  乙文件  1.0  1.0     2.0   1  高
    2  甲文件  0.0  1.0     1.0   2  低
    """
    zh = is_zh(language)
    variables = _first_level_columns(pmc_table)
    missing = [c for c in ("PMC", "rank", "grade") if c not in pmc_table.columns]
    if missing or not variables:
        raise InputError(f"这不是 pmc_index 的结果（缺少 {missing or 'X1 … Xk'}）/ not a PMC table",
                         hint="先计算 table = pmc_index(items)。")
    ordered = pmc_table.sort_values("rank", kind="stable")
    report = pd.DataFrame({label("pmc_policy", language): _policy_names(ordered.index, names)})

    def header(variable: str) -> str:
        if variable_names and variable in variable_names:
            return f"{variable} {variable_names[variable]}"
        return variable

    if not brief:
        for variable in variables:
            report[header(variable)] = ordered[variable].round(2).to_numpy()
    report[label("pmc_index", language)] = ordered["PMC"].round(2).to_numpy()
    report[label("pmc_rank", language)] = ordered["rank"].to_numpy()
    grades = ordered["grade"].astype(str)
    report[label("pmc_grade", language)] = (grades if zh else grades.replace(_EN_GRADES)).to_numpy()
    if brief:
        if isinstance(weakest, bool) or not isinstance(weakest, int) or weakest < 1:
            raise InputError(f"weakest={weakest!r} 应为正整数 / must be a positive integer",
                             hint="例如 weakest=3：每件文件列出最多 3 个低于均值的一级变量。")
        diagnosis = pmc_depression(ordered)
        report[label("pmc_depression", language)] = diagnosis.depression.round(2).to_numpy()
        gaps = diagnosis.gaps.stack()
        below = gaps[gaps < -1e-12].sort_values(kind="stable")
        weak = below.groupby(level=0, sort=False).head(weakest).reset_index()
        listed = weak.groupby(weak.columns[0], sort=False)[weak.columns[1]].agg(
            lambda v: ("、" if zh else ", ").join(header(x) for x in v))
        report[label("pmc_weakest", language)] = (
            listed.reindex(ordered.index).fillna("无" if zh else "none").to_numpy())
    report.index = pd.RangeIndex(1, len(report) + 1)
    return report


@dataclass(frozen=True)
class PMCDepression:
    """Depression diagnosis of PMC scores (凹陷分析): how far each policy falls short.

    Attributes
    ----------
    depression : pandas.Series
        凹陷指数 per policy = k − PMC (0 = every feature present).
    mean : pandas.Series
        Mean of each X_k over the policies (the average surface).
    gaps : pandas.DataFrame
        X_k − mean X_k per policy and variable: negative = below the average of the set
        (a 凹陷 point of that policy's surface).
    """

    depression: pd.Series
    mean: pd.Series
    gaps: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """One row per policy: ``depression`` then the gaps ``X1 … Xk``."""
        return pd.concat([self.depression, self.gaps], axis=1)

    def summary(self, language: Language = "zh") -> str:
        """One sentence: the deepest policy and the weakest variable on average."""
        worst = self.depression.idxmax()
        weakest = self.mean.idxmin()
        if is_zh(language):
            return (f"凹陷指数最大的是 {worst}（{self.depression[worst]:.2f}）；"
                    f"各政策平均得分最低的一级变量是 {weakest}（{self.mean[weakest]:.2f}）。")
        return (f"Deepest depression: {worst} ({self.depression[worst]:.2f}); weakest variable "
                f"on average: {weakest} ({self.mean[weakest]:.2f}).")


def pmc_depression(pmc_table: pd.DataFrame) -> PMCDepression:
    """Depression index (凹陷指数) and below-average variables of each policy.

    凹陷指数 = k − PMC, the distance to the perfect policy (every X_k = 1), as in the Chinese
    PMC literature (e.g. 张永安、郄海拓 2017); and each X_k against its mean over the policies
    scored, which shows where a policy's surface dips below the set's average.

    Parameters
    ----------
    pmc_table : pandas.DataFrame
        Result of :func:`pmc_index`.

    Returns
    -------
    PMCDepression

    Examples
    --------
    >>> table = pmc_index(pd.DataFrame({"X1.1": [0, 1], "X2.1": [1, 1]}, index=["a", "b"]),
    ...                   bands=[(0, "全部")])
    >>> pmc_depression(table).depression.tolist()
    [1.0, 0.0]
    """
    variables = _first_level_columns(pmc_table)
    if "PMC" not in pmc_table.columns or not variables:
        raise InputError("这不是 pmc_index 的结果 / not a PMC table",
                         hint="先计算 table = pmc_index(items)。")
    scores = pmc_table[variables].astype(float)
    mean = scores.mean()
    depression = (len(variables) - pmc_table["PMC"].astype(float)).rename("depression")
    return PMCDepression(depression=depression, mean=mean.rename("mean"), gaps=scores - mean)

"""Indicator framework objects (指标体系对象): Indicator, Node, Framework.

These are plain frozen dataclasses; they are built from YAML by
:func:`linkage.frameworks.load_framework`, which also validates them. The tree is

    subsystem → dimension → indicator                      e.g. 乡村振兴
    subsystem → layer → function → dimension → indicator   e.g. 脱贫成果 (减贫/制度 × 巩固/拓展)

Each indicator carries its ``stage`` in the results chain (指标性质: ``input`` 投入, ``output``
产出, ``outcome`` 成效) and, optionally, ``eligible``: the boolean county attribute (e.g.
``poverty_county``) that says where it applies. Achievement scores use outputs and outcomes;
inputs form the policy-effort index (:mod:`linkage.scoring`).

Weights (``weight``) are optional subjective/expert weights *local to their siblings*: the weights
of the indicators of one dimension sum to 1, the weights of the dimensions of one function sum
to 1, and so on. :meth:`Framework.expert_weights` multiplies them along the path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from linkage.checks import check_option
from linkage.errors import FrameworkError

__all__ = ["INDICATOR_COLUMNS", "STAGES", "Framework", "Indicator", "Level", "Node", "Stage"]

Level = Literal["subsystem", "layer", "function", "dimension"]
Stage = Literal["input", "output", "outcome"]
"""Stage of an indicator in the results chain (指标性质): ``"input"`` 投入 — resources put in
(funds, staff, assisting organisations); ``"output"`` 产出 — what programmes deliver directly
(facilities built or reaching people, people trained or enrolled, plans and measures in place);
``"outcome"`` 成效 — the state of people and places the policies aim to change (incomes,
poverty and risk, employment, health/education/housing status, economic structure)."""

#: The stages in results-chain order (labels: ``linkage.labels.label("stage_" + stage)``).
STAGES: tuple[str, ...] = get_args(Stage)

#: Columns of :meth:`Framework.indicator_table`, in order (contract).
INDICATOR_COLUMNS: tuple[str, ...] = (
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "definition",
    "source",
    "subsystem",
    "layer",
    "function",
    "dimension",
    "weight",
    "stage",
    "eligible",
    "valid_min",
    "valid_max",
)


@dataclass(frozen=True)
class Indicator:
    """One indicator (指标) of a framework.

    Attributes
    ----------
    id : str
        ASCII snake_case identifier; also the column name in the county-year panel.
    name_zh, name_en : str
        Chinese and English names.
    unit : str
        Unit of the values (e.g. ``"元"``, ``"%"``, ``"‰"``, ``"万元/村"``).
    direction : int
        ``+1`` if larger is better (正向指标), ``-1`` if smaller is better (负向指标).
    definition : str
        How the value is computed (numerator/denominator, scope).
    source : str
        Typical data source (统计年鉴, 全国防止返贫监测信息系统, 农业农村部门统计, ...).
    subsystem, layer, function, dimension : str
        Ids of the ancestors; ``layer`` and ``function`` are ``""`` in a
        subsystem → dimension → indicator branch (乡村振兴).
    weight : float or None
        Expert weight within its dimension, if the framework gives one.
    reference : str
        Where the indicator comes from (plan, literature), ``""`` if not stated.
    stage : {"input", "output", "outcome"}
        Stage in the results chain (指标性质, see :data:`Stage`). Required in YAML; an
        indicator built in code without one is an ``"outcome"``.
    eligible : str
        Boolean county attribute (a column of the county table, e.g. ``"poverty_county"``)
        where the indicator applies; ``""`` = every county.
    valid_range : tuple of (float or None, float or None)
        Range of possible values (值域) declared in the framework (``range: [0, 100]``),
        inclusive, in the indicator's ``unit``; ``None`` = open on that side. Data outside it
        are errors (:func:`linkage.schemas.county_panel_schema`). Default: no bound.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    direction: int
    definition: str
    source: str
    subsystem: str
    layer: str
    function: str
    dimension: str
    weight: float | None
    reference: str = ""
    stage: Stage = "outcome"
    eligible: str = ""
    valid_range: tuple[float | None, float | None] = (None, None)

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise FrameworkError(
                f"指标 {self.id} 的性质 stage={self.stage!r} 无效 / invalid stage",
                column=self.id, hint=f"可选 / choose one of: {', '.join(STAGES)}")
        low, high = self.valid_range
        if low is not None and high is not None and not low < high:
            raise FrameworkError(
                f"指标 {self.id} 的值域 [{low}, {high}] 下限不小于上限 / empty range",
                column=self.id, hint="range: [下限, 上限]，下限 < 上限；不设限的一侧写 null")

    @property
    def valid_min(self) -> float:
        """Lower end of :attr:`valid_range` (NaN when open)."""
        return math.nan if self.valid_range[0] is None else float(self.valid_range[0])

    @property
    def valid_max(self) -> float:
        """Upper end of :attr:`valid_range` (NaN when open)."""
        return math.nan if self.valid_range[1] is None else float(self.valid_range[1])

    @property
    def aliases(self) -> tuple[str, ...]:
        """Accepted column headings: id, 中文名, English name, 中文名(单位), 中文名（单位）."""
        return (
            self.id,
            self.name_zh,
            self.name_en,
            f"{self.name_zh}({self.unit})",
            f"{self.name_zh}（{self.unit}）",
        )


@dataclass(frozen=True)
class Node:
    """One inner node of the framework tree (子系统 / 层 / 功能 / 维度).

    Attributes
    ----------
    id : str
        snake_case id, unique among its siblings (dimension ids are unique in the framework).
    name_zh, name_en : str
        Names.
    level : {"subsystem", "layer", "function", "dimension"}
        Position in the tree.
    path : str
        Ids from the subsystem down, joined by ``/`` (e.g. ``"poverty/outcome/consolidate"``);
        unique in the framework.
    parent : str
        ``path`` of the parent node, ``""`` for a subsystem.
    weight : float or None
        Expert weight among its siblings.
    description : str
        Optional free text.
    """

    id: str
    name_zh: str
    name_en: str
    level: Level
    path: str
    parent: str
    weight: float | None
    description: str = ""


@dataclass(frozen=True)
class Framework:
    """An indicator framework (指标体系): metadata, inner nodes and indicators in YAML order.

    Build one with :func:`linkage.frameworks.load_framework`.

    Examples
    --------
    >>> from linkage.frameworks import load_framework
    >>> fw = load_framework()
    >>> fw["engel_coefficient"].direction
    -1
    >>> fw.column_aliases()["农村居民恩格尔系数（%）"]
    'engel_coefficient'
    """

    id: str
    version: str
    name_zh: str
    name_en: str
    source: Path | None
    indicators: tuple[Indicator, ...]
    nodes: tuple[Node, ...] = ()
    description: str = ""
    references: tuple[str, ...] = ()
    _by_id: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {ind.id: ind for ind in self.indicators})

    # --- access -------------------------------------------------------------------------
    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Indicator ids in YAML order."""
        return tuple(ind.id for ind in self.indicators)

    @property
    def subsystem_ids(self) -> tuple[str, ...]:
        """Subsystem ids in YAML order (e.g. ``("poverty", "revitalization")``)."""
        return tuple(node.id for node in self.nodes if node.level == "subsystem")

    def __getitem__(self, indicator_id: str) -> Indicator:
        try:
            return self._by_id[indicator_id]
        except KeyError:
            raise KeyError(
                f"框架 {self.id!r} 中没有指标 {indicator_id!r} / no indicator {indicator_id!r}"
            ) from None

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __len__(self) -> int:
        return len(self.indicators)

    # --- tables -------------------------------------------------------------------------
    def indicator_table(self) -> pd.DataFrame:
        """Indicator table (指标表): one row per indicator, indexed by ``id``, YAML order.

        Columns ``name_zh, name_en, unit, direction, definition, source, subsystem, layer,
        function, dimension, weight, stage, eligible, valid_min, valid_max`` (``weight`` is NaN
        where the YAML gives none; ``eligible`` is ``""`` for an indicator that applies to every
        county; ``valid_min``/``valid_max`` are the declared ``range``, NaN where open).
        """
        rows = [[getattr(ind, col) for col in INDICATOR_COLUMNS] for ind in self.indicators]
        table = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))
        table.index = pd.Index(self.indicator_ids, name="id")
        table["direction"] = table["direction"].astype("int64")
        table["weight"] = pd.to_numeric(table["weight"]).astype("float64")
        return table

    def to_frame(self) -> pd.DataFrame:
        """Same as :meth:`indicator_table`."""
        return self.indicator_table()

    def stage_ids(self, *stages: Stage) -> tuple[str, ...]:
        """Ids of the indicators of the given stages, in YAML order.

        >>> from linkage.frameworks import load_framework
        >>> "east_west_funds_pc" in load_framework().stage_ids("input")
        True
        """
        for stage in stages:
            check_option("stage", stage, Stage)
        return tuple(ind.id for ind in self.indicators if ind.stage in stages)

    def dimensions(self) -> pd.DataFrame:
        """Dimension table (维度表): one row per dimension, indexed by dimension id.

        Columns ``name_zh, name_en, subsystem, layer, function, weight, n_indicators``.
        """
        dims = [node for node in self.nodes if node.level == "dimension"]
        counts = pd.Series([ind.dimension for ind in self.indicators]).value_counts()
        parts = [node.path.split("/") for node in dims]
        table = pd.DataFrame(
            {
                "name_zh": [node.name_zh for node in dims],
                "name_en": [node.name_en for node in dims],
                "subsystem": [p[0] for p in parts],
                "layer": [p[1] if len(p) == 4 else "" for p in parts],
                "function": [p[2] if len(p) == 4 else "" for p in parts],
                "weight": pd.array([node.weight for node in dims], dtype="Float64")
                .astype("float64"),
            },
            index=pd.Index([node.id for node in dims], name="dimension"),
        )
        table["n_indicators"] = counts.reindex(table.index, fill_value=0).astype("int64")
        return table

    def tree_table(self) -> pd.DataFrame:
        """Long table of the whole tree (树形表): inner nodes and indicators, pre-order.

        Columns ``path, id, level, parent, name_zh, name_en, weight`` where ``level`` is one of
        subsystem/layer/function/dimension/indicator and ``parent`` is the parent's ``path``
        (``""`` for subsystems). Useful for AHP questionnaires and for weights by level.
        """
        dim_paths = {n.id: n.path for n in self.nodes if n.level == "dimension"}
        children: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            children.setdefault(dim_paths[ind.dimension], []).append(ind)
        records = []
        for node in self.nodes:
            records.append(
                (node.path, node.id, node.level, node.parent, node.name_zh, node.name_en,
                 node.weight)
            )
            records.extend(
                (f"{node.path}/{ind.id}", ind.id, "indicator", node.path, ind.name_zh,
                 ind.name_en, ind.weight)
                for ind in children.get(node.path, [])
            )
        table = pd.DataFrame(
            records, columns=["path", "id", "level", "parent", "name_zh", "name_en", "weight"]
        )
        table["weight"] = pd.to_numeric(table["weight"]).astype("float64")
        return table

    def expert_weights(self, *, subsystem: str | None = None) -> pd.Series | None:
        """Global expert weights (主观/专家权重): product of local weights along each path.

        ``w_j = w(subsystem) · w(layer) · w(function) · w(dimension) · w(indicator)``, where the
        subsystem factor is left out when ``subsystem`` is given (weights then sum to 1 within
        that subsystem).

        Parameters
        ----------
        subsystem : str, optional
            Only the indicators of this subsystem.

        Returns
        -------
        pandas.Series or None
            Indexed by indicator id (YAML order), named ``"weight"``; ``None`` if some node or
            indicator on the way has no weight.
        """
        weight_of = {node.path: node.weight for node in self.nodes}
        ids, values = [], []
        for ind in self.indicators:
            if subsystem is not None and ind.subsystem != subsystem:
                continue
            parts = [p for p in (ind.subsystem, ind.layer, ind.function, ind.dimension) if p]
            paths = ["/".join(parts[: k + 1]) for k in range(len(parts))]
            if subsystem is not None:
                paths = paths[1:]
            factors = [weight_of[p] for p in paths] + [ind.weight]
            if any(f is None for f in factors):
                return None
            ids.append(ind.id)
            values.append(math.prod(factors))
        if subsystem is not None and not ids:
            raise KeyError(f"框架 {self.id!r} 中没有子系统 {subsystem!r} / no such subsystem")
        return pd.Series(values, index=pd.Index(ids, name="id"), name="weight", dtype="float64")

    # --- column headings ----------------------------------------------------------------
    def column_aliases(self) -> dict[str, str]:
        """Accepted column headings (列名别名) → indicator id.

        For each indicator: the id, the Chinese name, the English name, ``中文名(单位)`` and
        ``中文名（单位）`` (full-width parentheses), all stripped of surrounding whitespace.
        Callers should strip a heading before looking it up (see :func:`resolve_column`).

        Raises
        ------
        FrameworkError
            If one heading would mean two different indicators (ambiguous alias); the loader
            already rejects such frameworks, so this only happens for hand-built objects.
        """
        aliases: dict[str, str] = {}
        for ind in self.indicators:
            for alias in ind.aliases:
                key = alias.strip()
                other = aliases.setdefault(key, ind.id)
                if other != ind.id:
                    raise FrameworkError(
                        f"列名 “{key}” 同时指向指标 {other} 和 {ind.id} / ambiguous column "
                        f"heading {key!r}",
                        file=self.source,
                        column=ind.id,
                        hint="give the indicators distinct Chinese and English names",
                    )
        return aliases

    def resolve_column(self, heading: str) -> str | None:
        """The indicator id a column heading stands for, or ``None``.

        >>> from linkage.frameworks import load_framework
        >>> load_framework().resolve_column("  森林覆盖率(%) ")
        'forest_cover'
        """
        return self.column_aliases().get(str(heading).strip())

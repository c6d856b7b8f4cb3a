"""Co-issuance network of agencies (联合发文网络): joint documents as evidence of cross-department
coordination (手段相通性).

Agencies are nodes; two agencies are linked when they issued a document together, the edge
weight being the number of such documents. A document with one issuer adds its agency as a node
only. Network measures follow the policy-network literature (e.g. 张国兴、高秀林、汪应洛等 2014,
中国节能减排政策的测量、协同与演变, 中国人口·资源与环境 24(12):62–73) with networkx (Hagberg,
Schult & Swart 2008, Proc. 7th Python in Science Conference, 11–15).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib as mpl
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from linkage.checks import SEED, first_rows, require_columns
from linkage.errors import InputError
from linkage.labels import Language, is_zh, label
from linkage.plotting import setup_cjk

__all__ = [
    "SHORT_NAMES",
    "CoissuanceNetwork",
    "coissuance_network",
    "issuer_pairs",
    "network_figure",
    "short_name",
]

SHORT_NAMES: dict[str, str] = {
    "中共中央办公厅": "中办",
    "国务院办公厅": "国办",
    "全国人民代表大会常务委员会": "全国人大常委会",
    "中央农村工作领导小组办公室": "中央农办",
    "国务院扶贫开发领导小组办公室": "国务院扶贫办",
    "国家发展和改革委员会": "国家发展改革委",
    "人力资源和社会保障部": "人力资源社会保障部",
    "住房和城乡建设部": "住房城乡建设部",
    "国家卫生健康委员会": "国家卫生健康委",
    "国家林业和草原局": "国家林草局",
    "国家医疗保障局": "国家医保局",
    "国家乡村振兴局": "乡村振兴局",
    "中国人民银行": "人民银行",
    "中国银行保险监督管理委员会": "银保监会",
    "国家金融监督管理总局": "金融监管总局",
    "中国证券监督管理委员会": "证监会",
    "中华全国供销合作总社": "供销合作总社",
    "国务院国有资产监督管理委员会": "国务院国资委",
}
"""Short names of agencies for figure labels (图中机构简称): the short forms the agencies use
themselves in joint documents and on gov.cn (中办, 国办, 国家发展改革委, 人力资源社会保障部, 国务院
扶贫办 …). A name not in the table is shown in full — a made-up abbreviation could name the
wrong body (中央农办 is the office of 中央农村工作领导小组, not the group itself, so the group
keeps its full name)."""

_SEPARATORS = r"[；;]"


def short_name(name: str) -> str:
    """The figure label of an agency: its entry in :data:`SHORT_NAMES`, else the full name.

    >>> short_name("国务院办公厅"), short_name("农业农村部")
    ('国办', '农业农村部')
    """
    return SHORT_NAMES.get(name, name)


def _select(documents: pd.DataFrame, level: str | Sequence[str] | None,
            years: tuple[int, int] | None) -> pd.DataFrame:
    keep = np.ones(len(documents), dtype=bool)
    if level is not None:
        require_columns(documents, ["level"], what="政策文件表 / documents")
        levels = [level] if isinstance(level, str) else list(level)
        keep &= documents["level"].isin(levels).to_numpy()
    if years is not None:
        require_columns(documents, ["year"], what="政策文件表 / documents")
        if len(years) != 2 or years[0] > years[1]:
            raise InputError(f"years={years!r} 应为 (起始年, 截止年) / years must be (first, last)",
                             column="years", hint="例如 (2021, 2025)")
        year = pd.to_numeric(documents["year"])
        keep &= ((year >= years[0]) & (year <= years[1])).to_numpy()
    return documents.loc[keep]


def issuer_pairs(documents: pd.DataFrame) -> pd.DataFrame:
    """联合发文机构对 One row per document and issuer (``doc_id``, ``issuer``), from the
    ``issuers`` column (full names separated by ``；``).

    Examples
    --------
    >>> docs = pd.DataFrame({"issuers": ["农业农村部；财政部", "财政部"]}, index=["a", "b"])
    >>> issuer_pairs(docs).to_numpy().tolist()
    [['a', '农业农村部'], ['a', '财政部'], ['b', '财政部']]
    """
    require_columns(documents, ["issuers"], what="政策文件表 / documents")
    names = documents["issuers"].fillna("").astype(str).str.split(_SEPARATORS)
    long = names.explode().str.strip().rename("issuer")
    long = long.rename_axis("doc_id").reset_index()
    empty = (long["issuer"] != "").groupby(long["doc_id"], sort=False).sum() == 0
    if empty.any():
        raise InputError(f"文件 {first_rows(empty.index[empty])} 没有发文机关 / no issuer",
                         column="issuers", hint="填写发文机关全称，多个机关以“；”分隔")
    long = long[long["issuer"] != ""]
    return long.drop_duplicates().reset_index(drop=True)


@dataclass(frozen=True)
class CoissuanceNetwork:
    """联合发文网络 The co-issuance network of agencies (see :func:`coissuance_network`).

    Attributes
    ----------
    graph : networkx.Graph
        Agencies as nodes (full names), edge attribute ``weight`` = joint documents.
    nodes : DataFrame
        Indexed by agency: ``short_name``, ``n_documents`` (issued, alone or jointly),
        ``n_joint`` (jointly issued), ``degree`` (partners), ``weighted_degree`` (Σ edge
        weights), ``degree_centrality`` (degree / (n − 1)), ``betweenness`` (normalised, hop
        counts), ``eigenvector`` (within the agency's component, see
        :func:`coissuance_network`), ``component`` (0 = the largest).
    edges : DataFrame
        ``source``, ``target``, ``weight``, sorted by weight.
    density : float
        2m / (n(n − 1)) of the unweighted graph (NaN for fewer than two agencies).
    n_components : int
        Connected components (an agency that never issues jointly is one).
    n_documents, n_joint : int
        Documents, and documents with more than one issuer.
    """

    graph: nx.Graph
    nodes: pd.DataFrame
    edges: pd.DataFrame
    density: float
    n_components: int
    n_documents: int
    n_joint: int

    @property
    def share_joint(self) -> float:
        """Share of jointly issued documents (联合发文占比)."""
        return self.n_joint / self.n_documents if self.n_documents else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """The node table."""
        return self.nodes

    def summary(self, language: Language = "zh") -> str:
        """One paragraph in ``language``: size, joint share, density, components, hubs."""
        top = self.nodes.sort_values(["weighted_degree", "betweenness"], ascending=False)
        hubs = top[top["degree"] > 0].head(3)
        if is_zh(language):
            text = (f"{self.n_documents} 件文件涉及 {len(self.nodes)} 个发文机关，联合发文 "
                    f"{self.n_joint} 件（{self.share_joint:.1%}）；网络有 {len(self.edges)} 条"
                    f"联系，密度 {self.density:.3f}，连通分量 {self.n_components} 个。")
            if len(hubs):
                text += "联合发文最多的机关：" + "、".join(
                    f"{r.short_name}（{int(r.weighted_degree)} 次，伙伴 {int(r.degree)} 个）"
                    for r in hubs.itertuples()) + "。"
            return text
        text = (f"{self.n_documents} documents from {len(self.nodes)} agencies, "
                f"{self.n_joint} issued jointly ({self.share_joint:.1%}); {len(self.edges)} "
                f"ties, density {self.density:.3f}, {self.n_components} components.")
        if len(hubs):
            text += " Most joint issuing: " + "; ".join(
                f"{r.short_name} ({int(r.weighted_degree)} times, {int(r.degree)} partners)"
                for r in hubs.itertuples()) + "."
        return text


def _eigenvector(graph: nx.Graph, components: list[set]) -> dict:
    """Eigenvector centrality within each component of ≥ 2 agencies (unit norm per component);
    isolated agencies 0."""
    out = dict.fromkeys(graph.nodes, 0.0)
    for members in components:
        if len(members) > 1:
            out |= nx.eigenvector_centrality(_ordered_subgraph(graph, members), weight="weight",
                                             max_iter=10_000, tol=1e-10)
    return out


def coissuance_network(documents: pd.DataFrame, *, level: str | Sequence[str] | None = None,
                       years: tuple[int, int] | None = None) -> CoissuanceNetwork:
    """联合发文网络 Co-issuance network of the agencies issuing ``documents``.

    Nodes are the issuing agencies (``issuers``, separated by ``；``); each pair of agencies
    that issued a document together is an edge whose ``weight`` is the number of their joint
    documents. Measures (networkx): degree (number of partners), weighted degree (Σ weights),
    degree centrality :math:`k_i/(n-1)`, betweenness centrality (Freeman 1977, Sociometry
    40(1):35–41; normalised, on hop counts — edge weights are tie strengths, not distances),
    density :math:`2m/(n(n-1))` and the number of connected components.

    **Eigenvector centrality** (Bonacich 1972, J. Mathematical Sociology 2(1):113–120; weighted)
    is not defined for a disconnected graph as a whole (the leading eigenvector lives on one
    component only and is not unique when components tie), which is the usual case here:
    agencies that never issue jointly are components of their own. It is therefore computed
    **within each connected component** of two or more agencies (unit Euclidean norm per
    component) and is 0 for isolated agencies; compare it only within a component (column
    ``component``).

    Parameters
    ----------
    documents : DataFrame
        The policy data model: ``issuers`` (and ``level``, ``year`` to filter).
    level : str or list of str, optional
        Keep documents of these levels (e.g. ``"中央"``).
    years : (int, int), optional
        Keep documents issued in these years (inclusive).

    Returns
    -------
    CoissuanceNetwork

    Examples
    --------
    >>> docs = pd.DataFrame({"issuers": ["A；B", "A；C", "A"]}, index=["d1", "d2", "d3"])
    >>> net = coissuance_network(docs)
    >>> round(net.density, 4), net.nodes["degree"].to_dict()
    (0.6667, {'A': 2, 'B': 1, 'C': 1})
    """
    docs = _select(documents, level, years)
    pairs = issuer_pairs(docs)
    joint = pairs.merge(pairs, on="doc_id", suffixes=("_a", "_b"))
    joint = joint[joint["issuer_a"] < joint["issuer_b"]]
    edges = (joint.groupby(["issuer_a", "issuer_b"]).size().rename("weight").reset_index()
             .rename(columns={"issuer_a": "source", "issuer_b": "target"})
             .sort_values(["weight", "source", "target"], ascending=[False, True, True],
                          ignore_index=True))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(pairs["issuer"].unique()))
    graph.add_weighted_edges_from(edges.itertuples(index=False, name=None))
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    component = {n: i for i, members in enumerate(components) for n in members}
    per_doc = pairs.groupby("doc_id")["issuer"].transform("size")
    counts = pd.DataFrame({"n_documents": pairs.groupby("issuer").size(),
                           "n_joint": (per_doc > 1).groupby(pairs["issuer"]).sum()})
    nodes = pd.DataFrame({
        "short_name": [short_name(n) for n in graph.nodes],
        "degree": pd.Series(dict(graph.degree())),
        "weighted_degree": pd.Series(dict(graph.degree(weight="weight"))).astype(int),
        "degree_centrality": pd.Series(nx.degree_centrality(graph)) if len(graph) > 1 else 0.0,
        "betweenness": pd.Series(nx.betweenness_centrality(graph)),
        "eigenvector": pd.Series(_eigenvector(graph, components)),
        "component": pd.Series(component),
    }, index=pd.Index(list(graph.nodes), name="issuer")).join(counts)
    nodes = nodes[["short_name", "n_documents", "n_joint", "degree", "weighted_degree",
                   "degree_centrality", "betweenness", "eigenvector", "component"]]
    n_issuers = pairs.groupby("doc_id").size()
    return CoissuanceNetwork(
        graph=graph, nodes=nodes, edges=edges,
        density=nx.density(graph) if len(graph) > 1 else float("nan"),
        n_components=len(components), n_documents=len(n_issuers),
        n_joint=int((n_issuers > 1).sum()))


def _ordered_subgraph(graph: nx.Graph, nodes: object, order: list | None = None) -> nx.Graph:
    """A copy of the subgraph on ``nodes`` whose nodes and edges come in ``order`` (default: the
    graph's own order). networkx iterates a small subgraph *view* in the order of its node
    set — string hashing, different in every process — so a layout or drawing made from a
    view is not reproducible."""
    keep = set(nodes)
    order = [n for n in graph.nodes if n in keep] if order is None else list(order)
    out = nx.Graph()
    out.add_nodes_from(order)
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return out


def _packed_layout(graph: nx.Graph, seed: int) -> dict:
    """Layout of each connected component in its own square (side ∝ size^0.85), the squares
    packed in rows from the largest component down: a spring layout of a whole disconnected
    graph pushes the components to the rim and crushes each into a point. A component of four
    or more agencies is drawn on a circle, busiest first (co-issuance groups are dense — one
    document with ten issuers is a ten-clique — and a force layout piles their labels on one
    another); three agencies by Kamada–Kawai from a seeded spring start; a pair one above the
    other, so that the two names do not collide."""
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    sides = np.power([len(c) for c in components], 0.85)
    width = 1.25 * np.sqrt((sides ** 2).sum())
    pos, x, y, row = {}, 0.0, 0.0, 0.0
    for members, side in zip(components, sides, strict=True):
        if x > 0 and x + side > width:
            x, y, row = 0.0, y - 1.2 * row, 0.0
        centre = np.array([x + side / 2, y - side / 2])
        sub = _ordered_subgraph(graph, members)
        if len(members) == 1:
            pos[next(iter(members))] = centre
        elif len(members) == 2:
            a, b = sorted(members)
            step = np.array([0.0, 0.45 * side])
            pos |= {a: centre + step, b: centre - step}
        elif len(members) == 3:
            start = nx.spring_layout(sub, seed=seed, weight=None)
            pos |= nx.kamada_kawai_layout(sub, pos=start, weight=None, center=centre,
                                          scale=0.45 * side)
        else:
            order = sorted(members, key=lambda n: (-sub.degree(n), n))
            pos |= nx.circular_layout(_ordered_subgraph(sub, members, order), center=centre,
                                      scale=0.45 * side)
        x, row = x + 1.2 * side, max(row, side)
    return pos


def network_figure(net: CoissuanceNetwork, *, language: Language = "zh",
                   seed: int = SEED, labels: int | None = 20,
                   title: str | None = None, isolates: bool = True) -> Figure:
    """联合发文网络图 The co-issuance network: agencies as circles, joint documents as lines.

    Each connected component is laid out on its own (a circle for four or more agencies,
    Kamada–Kawai for three, fixed ``seed`` so the figure is the same on every run), and the
    components are packed in rows from the largest down (agencies that never issue jointly
    come last, as single circles, unless ``isolates=False``). Node area grows with the
    weighted degree, edge width with the number of joint documents; labels are
    :func:`short_name`.

    Parameters
    ----------
    net : CoissuanceNetwork
    language : {"zh", "en"}
        Language of the title (agency names stay Chinese).
    seed : int
        Layout seed.
    labels : int or None
        Label the agencies with the largest weighted degree, this many (default 20, so that
        a large network stays readable); None = every agency.
    title : str, optional
        Figure title; default 政策联合发文网络 / Co-issuance network of agencies; ``""`` for
        none (a report puts the title above the figure).
    isolates : bool, default True
        Draw the agencies that never issue jointly (single circles); False leaves them out,
        so that the figure shows cooperation only (say how many in the figure's note).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> docs = pd.DataFrame({"issuers": ["国务院办公厅；财政部", "教育部"]}, index=["a", "b"])
    >>> fig = network_figure(coissuance_network(docs))
    >>> sorted(t.get_text() for t in fig.axes[0].texts)
    ['国办', '教育部', '财政部']
    """
    setup_cjk()
    graph = net.graph
    if not isolates:
        graph = _ordered_subgraph(graph, [n for n, d in graph.degree() if d > 0])
    width, _ = mpl.rcParams["figure.figsize"]
    fig = Figure(figsize=(width, width * 0.8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(label("synergy_network_title", language) if title is None else title)
    if len(graph) == 0:
        return fig
    pos = _packed_layout(graph, seed)
    nodes = net.nodes.reindex(list(graph.nodes))
    strength = nodes["weighted_degree"].to_numpy(dtype=float)
    size = 30 + 400 * strength / max(strength.max(), 1.0)
    weights = np.array([d["weight"] for *_, d in graph.edges(data=True)], dtype=float)
    nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#999999",
                           width=0.6 + 2.4 * weights / max(weights.max(initial=1.0), 1.0))
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=size, node_color="#9ecae1",
                           edgecolors="#4c72b0")
    shown = (nodes.index if labels is None else
             nodes.sort_values(["weighted_degree", "n_documents"], ascending=False,
                               kind="stable").index[:labels])
    nx.draw_networkx_labels(graph, pos, ax=ax, labels={n: short_name(n) for n in shown},
                            font_size=6.5, font_family=mpl.rcParams["font.family"],
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.75})
    ax.margins(x=0.15, y=0.08)  # room for the labels of the outer circles
    return fig

"""Co-issuance network of agencies (linkage.synergy.network)."""

from __future__ import annotations

import doctest
import math

import networkx as nx
import pandas as pd
import pytest
from matplotlib.figure import Figure

import linkage.synergy.network as module
from linkage.errors import InputError
from linkage.plotting import missing_glyphs
from linkage.synergy.network import (
    SHORT_NAMES,
    coissuance_network,
    issuer_pairs,
    network_figure,
    short_name,
)


@pytest.fixture
def three_documents() -> pd.DataFrame:
    """A+B, A+C, A alone."""
    return pd.DataFrame({"issuers": ["A；B", "A；C", "A"], "level": ["中央", "中央", "省"],
                         "year": [2020, 2021, 2022]}, index=["d1", "d2", "d3"])


def test_three_documents_hand_computed(three_documents):
    net = coissuance_network(three_documents)
    nodes = net.nodes
    # edges A–B and A–C (weight 1 each) among 3 agencies: density 2 / 3
    assert net.density == pytest.approx(2 / 3)
    assert nodes["degree"].to_dict() == {"A": 2, "B": 1, "C": 1}
    assert nodes["weighted_degree"].to_dict() == {"A": 2, "B": 1, "C": 1}
    # degree centrality k/(n − 1)
    assert nodes["degree_centrality"].to_dict() == {"A": 1.0, "B": 0.5, "C": 0.5}
    # A lies on the one shortest path B–A–C; normalised by (n−1)(n−2)/2 = 1
    assert nodes["betweenness"].to_dict() == {"A": 1.0, "B": 0.0, "C": 0.0}
    # star with two leaves: leading eigenvector (√2, 1, 1)/2, i.e. A = 1/√2, leaves 1/2
    assert nodes.loc["A", "eigenvector"] == pytest.approx(1 / math.sqrt(2), abs=1e-8)
    assert nodes.loc["B", "eigenvector"] == pytest.approx(0.5, abs=1e-8)
    assert nodes["n_documents"].to_dict() == {"A": 3, "B": 1, "C": 1}
    assert nodes["n_joint"].to_dict() == {"A": 2, "B": 1, "C": 1}
    assert net.n_components == 1
    assert (net.n_documents, net.n_joint) == (3, 2)
    assert net.share_joint == pytest.approx(2 / 3)
    assert net.edges[["source", "target", "weight"]].values.tolist() == [
        ["A", "B", 1], ["A", "C", 1]]


def test_repeated_joint_documents_add_weight_and_filters_apply():
    docs = pd.DataFrame({"issuers": ["A；B", "B；A", "A；B；C", "D"],
                         "level": ["中央", "中央", "省", "省"], "year": [2019, 2021, 2021, 2021]},
                        index=["d1", "d2", "d3", "d4"])
    net = coissuance_network(docs)
    weights = {(s, t): w for s, t, w in net.edges.itertuples(index=False)}
    assert weights == {("A", "B"): 3, ("A", "C"): 1, ("B", "C"): 1}
    assert net.nodes.loc["A", "weighted_degree"] == 4
    # D issues alone: a node of its own, a second component, eigenvector 0
    assert net.n_components == 2 and net.nodes.loc["D", "degree"] == 0
    assert net.nodes.loc["D", "eigenvector"] == 0 and net.nodes.loc["D", "component"] == 1
    assert coissuance_network(docs, level="中央").edges["weight"].tolist() == [2]
    recent = coissuance_network(docs, years=(2020, 2021))
    assert recent.n_documents == 3 and set(recent.nodes.index) == {"A", "B", "C", "D"}


def test_disconnected_graph_eigenvector_within_components():
    # two separate pairs and an isolate: networkx's numpy eigenvector refuses this graph
    docs = pd.DataFrame({"issuers": ["A；B", "C；D", "E"]}, index=["d1", "d2", "d3"])
    net = coissuance_network(docs)
    graph = net.graph
    with pytest.raises(nx.AmbiguousSolution):
        nx.eigenvector_centrality_numpy(graph)
    ev = net.nodes["eigenvector"]
    # each pair: (1, 1)/√2 within its component; the isolate 0
    for node in "ABCD":
        assert ev[node] == pytest.approx(1 / math.sqrt(2), abs=1e-8)
    assert ev["E"] == 0
    assert net.density == pytest.approx(2 / 10)
    assert net.n_components == 3


def test_issuers_parsing_and_errors():
    docs = pd.DataFrame({"issuers": ["农业农村部； 财政部;农业农村部", ""]}, index=["a", "b"])
    with pytest.raises(InputError, match="没有发文机关") as err:
        issuer_pairs(docs)
    assert err.value.column == "issuers" and "'b'" in str(err.value)
    pairs = issuer_pairs(docs.iloc[:1])
    assert pairs["issuer"].tolist() == ["农业农村部", "财政部"]  # duplicates and spaces gone
    with pytest.raises(InputError, match="years"):
        coissuance_network(docs.iloc[:1].assign(year=2020), years=(2022, 2020))


def test_single_agency_network_does_not_crash():
    net = coissuance_network(pd.DataFrame({"issuers": ["A"]}, index=["d"]))
    assert math.isnan(net.density) and net.nodes.loc["A", "degree_centrality"] == 0


def test_short_names_are_documented_forms_with_full_name_fallback():
    assert short_name("中共中央办公厅") == "中办"
    assert short_name("国务院办公厅") == "国办"
    assert short_name("中央农村工作领导小组办公室") == "中央农办"
    # the leading group itself is not its office: no made-up abbreviation
    assert short_name("中央农村工作领导小组") == "中央农村工作领导小组"
    assert short_name("某县人民政府") == "某县人民政府"
    assert all(len(v) < len(k) for k, v in SHORT_NAMES.items())


def test_summary_and_figure(three_documents):
    docs = three_documents.assign(issuers=["国务院办公厅；财政部", "国务院办公厅；农业农村部",
                                           "国务院办公厅"])
    net = coissuance_network(docs)
    text = net.summary()
    assert "3 件文件涉及 3 个发文机关" in text and "国办（2 次，伙伴 2 个）" in text
    assert "density 0.667" in net.summary("en")
    fig = network_figure(net)
    assert isinstance(fig, Figure)
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert labels == {"国办", "财政部", "农业农村部"}
    assert missing_glyphs(fig) == []
    # fixed seed: the same layout every time
    again = network_figure(net)
    assert [t.get_position() for t in again.axes[0].texts] == [
        t.get_position() for t in fig.axes[0].texts]


def test_docstring_examples():
    failed, tried = doctest.testmod(module)
    assert tried > 0 and failed == 0


def test_figure_labels_only_the_busiest_agencies():
    docs = pd.DataFrame({"issuers": ["A；B", "A；B", "A；C", "D", "E；F"]},
                        index=["d1", "d2", "d3", "d4", "d5"])
    net = coissuance_network(docs)
    # weighted degree: A 3, B 2, then C, E, F 1, D 0
    fig = network_figure(net, labels=2)
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["A", "B"]
    assert len(network_figure(net, labels=None).axes[0].texts) == 6


def test_isolates_can_be_left_out_of_the_figure():
    # three documents: 甲+乙, 甲+丙 jointly, 丁 alone → 丁 never issues jointly
    docs = pd.DataFrame({"issuers": ["甲；乙", "甲；丙", "丁"]}, index=["a", "b", "c"])
    net = coissuance_network(docs)
    drawn = {t.get_text() for t in network_figure(net, isolates=False, labels=None)
             .axes[0].texts}
    assert drawn == {"甲", "乙", "丙"}
    assert "丁" in {t.get_text() for t in network_figure(net, labels=None).axes[0].texts}


def test_the_figure_is_the_same_in_every_process():
    # networkx iterates a small subgraph view in the order of a set of strings, which Python
    # hashes differently in every process: layouts must not depend on it (reports are
    # reproducible, and warm and cold kernels must draw the same figure)
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, io, pandas as pd\n"
        "from linkage.synergy.network import coissuance_network, network_figure\n"
        "docs = pd.DataFrame({'issuers': ['甲部；乙部；丙部；丁部；戊部；己部',\n"
        "    '庚局；辛局；壬局', '子委；丑委', '寅厅；卯厅；辰厅；巳厅；午厅', '未'],\n"
        "    'level': ['中央'] * 5})\n"
        "net = coissuance_network(docs)\n"
        "buf = io.BytesIO(); network_figure(net, isolates=False, labels=None).savefig(buf)\n"
        "print(hashlib.sha256(buf.getvalue()).hexdigest(),\n"
        "      net.nodes['eigenvector'].round(12).tolist())\n")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed},
                              check=True).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1, outputs

"""The 政策效果 report notebook (05_policy_effects) executes end to end under papermill."""

from __future__ import annotations

import nbformat
import pytest

from linkage.cli import default_report_parameters
from linkage.report import run_report


def _outputs(result):
    nb = nbformat.read(result.notebooks[0], as_version=4)
    return [out for cell in nb.cells for out in cell.get("outputs", [])]


def _text(outputs) -> str:
    parts = []
    for out in outputs:
        parts.append(out.get("text", ""))
        parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


def _run(tmp_path, run_id, **parameters):
    result = run_report(["05_policy_effects"],
                        parameters=default_report_parameters() | parameters,
                        out_dir=tmp_path, run_id=run_id)
    outputs = _outputs(result)
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert not any("missing from font" in o.get("text", "") for o in outputs)
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # event study, placebo distribution
    html = result.html.read_text(encoding="utf-8")
    assert "模拟数据" in html
    assert html.count("data:image/png;base64,") >= len(images)  # figures embedded
    return _text(outputs)


@pytest.mark.notebooks
def test_policy_notebook_runs_on_the_sample_for_key_assistance(tmp_path):
    text = _run(tmp_path, "t")
    for phrase in ("国家乡村振兴重点帮扶县", "真实效应（模拟数据）", "Callaway–Sant'Anna",
                   "Sun–Abraham", "PSM-DID", "随机化安慰剂检验", "平行趋势", "SUTVA",
                   "选择性", "按发展水平最低选出", "更换聚类层级", "只有一个处理队列"):
        assert phrase in text, phrase
    # the true average effect of the sample's key-assistance counties over 2021-2025:
    # mean of 0.015·(year − 2020) for year 2021..2025 = 0.015·3 = 0.045 (README of the sample)
    assert "0.0450" in text


@pytest.mark.notebooks
def test_policy_notebook_runs_for_staggered_exit(tmp_path):
    text = _run(tmp_path, "exit", treatment="exit")
    for phrase in ("贫困县摘帽", "逐一剔除各处理队列", "PSM-DID 未估计", "尚未摘帽",
                   "发展水平较高的县先摘帽", "真实效应（模拟数据）"):
        assert phrase in text, phrase

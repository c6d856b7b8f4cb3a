"""The 拓展 report notebook (04_extension): β-convergence states its inference, its interval
and what it left out, with the notebook's parameters named in the argument vocabulary."""

from __future__ import annotations

import pytest


@pytest.mark.notebooks
def test_extension_notebook_states_beta_inference_and_rows_left_out(execute_report):
    report = execute_report(["04_extension"], "extension", inference="auto", missing="drop",
                            cluster="prefecture_code", reps=199)
    text = report.text
    # 12 prefectures (< 42): wild bootstrap p-values and inverted intervals, Rademacher weights
    # by the one rule (12 is not below WEBB_BELOW = 12)
    for phrase in ("野聚类自助法（WCR，施加原假设，Rademacher 权重，199 次", "区间由检验反演",
                   "未进入回归的观测", "p 值与置信区间采用限制性野聚类自助法"):
        assert phrase in text, phrase
    assert "Traceback" not in report.html

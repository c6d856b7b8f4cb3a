"""Shared test fixtures (测试夹具): a small indicator framework and valid example data."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from linkage.frameworks import Framework, Indicator

# Property tests check invariants, not timing: no per-example deadline (CI machines are busy).
# On CI (CI=true) the examples are derandomised, so a red run is reproducible and never a
# matter of luck; locally they stay random to keep searching for counterexamples.
settings.register_profile("linkage", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "linkage")


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``linkage`` kernel once, before pytest-xdist starts its workers: on a fresh
    environment two workers would otherwise both find it missing and write it at once."""
    if not hasattr(config, "workerinput"):  # the controller, or a run without workers
        from linkage.teaching.kernel import ensure_kernel

        ensure_kernel()


def _indicator(id_: str, name_zh: str, name_en: str, unit: str, direction: int,
               subsystem: str, dimension: str) -> Indicator:
    return Indicator(
        id=id_, name_zh=name_zh, name_en=name_en, unit=unit, direction=direction,
        definition=f"{name_zh}的定义", source="测试", subsystem=subsystem,
        layer="outcome" if subsystem == "poverty" else "",
        function="consolidate" if subsystem == "poverty" else "",
        dimension=dimension, weight=None,
        valid_range=(0.0, 100.0) if unit == "%" else (0.0, None),
    )


@pytest.fixture(scope="session")
def small_framework() -> Framework:
    """Three-indicator framework: two 脱贫成果 indicators (one negative), one 乡村振兴."""
    return Framework(
        id="test_fw", version="0.1", name_zh="测试指标体系", name_en="Test framework",
        source=None,
        indicators=(
            _indicator("rural_income", "农村居民人均可支配收入", "Rural income per capita", "元",
                       1, "poverty", "income"),
            _indicator("engel_coefficient", "农村居民恩格尔系数", "Rural Engel coefficient",
                       "%", -1, "poverty", "income"),
            _indicator("forest_cover", "森林覆盖率", "Forest cover", "%", 1,
                       "revitalization", "ecology"),
        ),
    )


@pytest.fixture
def household_rows() -> pd.DataFrame:
    """Three valid household-year rows (one with a net operating loss), ids as columns."""
    return pd.DataFrame({
        "household_id": ["H001", "H002", "H001"],
        "region_code": ["990101", "990101", "990101"],
        "year": [2021, 2021, 2022],
        "hh_size": [4, 2, 4],
        "n_labour": [2, 0, 3],
        "income_wage": [20000.0, 0.0, 24000.0],
        "income_business": [5000.0, -1000.0, 3000.0],
        "income_property": [0.0, 200.0, 0.0],
        "income_transfer": [3000.0, 9000.0, 1000.0],
        "income_pc": [7000.0, 4100.0, 7000.0],
        "food_clothing_ok": [True, True, True],
        "compulsory_edu_ok": [True, True, True],
        "basic_medical_ok": [True, False, True],
        "housing_safe_ok": [True, True, True],
        "drinking_water_ok": [True, True, True],
        "exited_poor": [True, False, True],
        "monitor_category": ["非监测对象", "突发严重困难户", "非监测对象"],
        "shock": ["无", "疾病", "无"],
        "risk_eliminated": pd.array([pd.NA, False, pd.NA], dtype="boolean"),
        "weight": [1.0, 2.5, 1.0],
    })


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A folder standing in for data/raw/ (inputs, never modified)."""
    path = tmp_path / "raw"
    path.mkdir()
    return path


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """A folder standing in for data/processed/."""
    return tmp_path / "processed"


class ExecutedReport:
    """A report run by :func:`linkage.report.run_report`, with its notebooks' outputs read back.

    Creating one asserts what every report must satisfy: no cell raised, no CJK glyph is
    missing from a figure, and every figure is embedded in the self-contained HTML.
    """

    def __init__(self, result) -> None:
        import nbformat

        self.result = result
        self.by_notebook = {
            path.stem: [out for cell in nbformat.read(path, as_version=4).cells
                        for out in cell.get("outputs", [])]
            for path in result.notebooks
        }
        self.outputs = [out for outs in self.by_notebook.values() for out in outs]
        self.html = result.html.read_text(encoding="utf-8")
        errors = [o for o in self.outputs if o.get("output_type") == "error"]
        assert not errors, errors[0].get("evalue")
        assert not [o for o in self.outputs if "missing from font" in o.get("text", "")]
        assert self.html.count("data:image/png;base64,") >= self.figures

    @property
    def figures(self) -> int:
        """Number of PNG figures in the executed notebooks."""
        return sum(self.figures_in(name) for name in self.by_notebook)

    def figures_in(self, notebook: str) -> int:
        """Number of PNG figures in one executed notebook (by name, e.g. ``"04_extension"``)."""
        return sum("image/png" in o.get("data", {}) for o in self.by_notebook[notebook])

    @property
    def text(self) -> str:
        """All text and rich-text outputs (streams, markdown, HTML tables) joined."""
        parts = []
        for out in self.outputs:
            parts.append(out.get("text", ""))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
        return "\n".join(parts)


@pytest.fixture
def execute_report(tmp_path):
    """``execute_report(notebooks, run_id, **parameters)``: run report notebooks on the bundled
    sample (``default_report_parameters()`` updated with ``parameters``) into ``tmp_path``."""
    from linkage.cli import default_report_parameters
    from linkage.report import run_report

    def run(notebooks, run_id="t", *, defaults=True, **parameters) -> ExecutedReport:
        params = (default_report_parameters() if defaults else {}) | parameters
        return ExecutedReport(run_report(list(notebooks), parameters=params, out_dir=tmp_path,
                                         run_id=run_id))

    return run

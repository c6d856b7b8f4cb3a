"""Single reports (研究报告) — moved to :mod:`linkage.reporting`.

``linkage report`` runs one region report: :func:`linkage.reporting.region.run_report`;
the checks made before a run are in :mod:`linkage.reporting.inputs`. The names stay importable
from here for code written against earlier versions.
"""

from linkage.reporting.inputs import (
    DEFAULT_NOTEBOOKS,
    LANGUAGES,
    check_report_inputs,
    coerce_parameters,
    list_notebooks,
    resolve_notebook,
)
from linkage.reporting.region import ReportResult, run_report

__all__ = [
    "DEFAULT_NOTEBOOKS",
    "LANGUAGES",
    "ReportResult",
    "check_report_inputs",
    "coerce_parameters",
    "list_notebooks",
    "resolve_notebook",
    "run_report",
]

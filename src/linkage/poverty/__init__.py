"""Poverty measures (贫困测度): FGT, Alkire–Foster, decomposable by design, bootstrap CIs.

- :func:`fgt`, :func:`fgt_by_group` — Foster–Greer–Thorbecke (1984) headcount, gap, severity;
- :func:`alkire_foster` — Alkire & Foster (2011) multidimensional poverty (H, A, M0, M1, M2,
  censored headcounts, contributions, subgroup decomposition), with :data:`DEFAULT_AF_SPEC`
  (两不愁三保障 + 饮水安全 + 收入) and :func:`af_inputs` for household monitoring data;
- :class:`FGTStats`, :class:`AFStats` — per-group sufficient statistics; partitions of the data
  (chunks, files, workers) combine exactly with ``+``;
- :func:`fgt_bootstrap_ci`, :func:`af_bootstrap_ci` — stratified cluster (Rao–Wu) bootstrap;
- :func:`unit_weights`, :data:`Per` — rates per person (人, the Chinese convention) or per
  household (户): every measure is a rate per unit of the weights it is given.
"""

from linkage.poverty.af import AFStats, AlkireFosterResult, alkire_foster
from linkage.poverty.bootstrap import (
    AFMeasure,
    BootstrapResult,
    af_bootstrap_ci,
    fgt_bootstrap_ci,
)
from linkage.poverty.income_poverty import FGTStats, fgt, fgt_by_group
from linkage.poverty.spec import (
    DEFAULT_AF_SPEC,
    AFDimension,
    AFIndicator,
    AFInputs,
    AFSpec,
    af_inputs,
)
from linkage.poverty.units import Per, unit_name, unit_weights

__all__ = [
    "DEFAULT_AF_SPEC",
    "AFDimension",
    "AFIndicator",
    "AFInputs",
    "AFMeasure",
    "AFSpec",
    "AFStats",
    "AlkireFosterResult",
    "BootstrapResult",
    "FGTStats",
    "Per",
    "af_bootstrap_ci",
    "af_inputs",
    "alkire_foster",
    "fgt",
    "fgt_bootstrap_ci",
    "fgt_by_group",
    "unit_name",
    "unit_weights",
]

"""Policy evaluation (政策效应评估): difference-in-differences, event studies, PSM-DID,
placebo and robustness checks, and regression tables in the field's format.

Estimation is built on pyfixest (fixed effects absorbed, not dummies); standard errors follow
Stata ``reghdfe`` by default (see ``linkage.evaluation._fit``).
"""

from linkage.evaluation.event_study import (
    EventStudyResult,
    PretrendTest,
    event_study,
    event_time_dummies,
)
from linkage.evaluation.placebo import (
    PlaceboResult,
    cluster_robustness,
    drop_one_cohort,
    placebo_test,
)
from linkage.evaluation.psm import MatchResult, PSMDIDResult, balance_table, psm_did, psm_match
from linkage.evaluation.staggered import (
    EstimatorComparison,
    StaggeredAggregate,
    StaggeredDIDResult,
    SunAbrahamResult,
    compare_estimators,
    staggered_did,
    sun_abraham,
)
from linkage.evaluation.synth import SynthResult, donor_weights, synthetic_control
from linkage.evaluation.tables import RegressionTable, regression_table, stars
from linkage.evaluation.twfe import TWFEResult, did_2x2, twfe_did

__all__ = [
    "EstimatorComparison",
    "EventStudyResult",
    "MatchResult",
    "PSMDIDResult",
    "PlaceboResult",
    "PretrendTest",
    "RegressionTable",
    "StaggeredAggregate",
    "StaggeredDIDResult",
    "SunAbrahamResult",
    "SynthResult",
    "TWFEResult",
    "balance_table",
    "cluster_robustness",
    "compare_estimators",
    "did_2x2",
    "donor_weights",
    "drop_one_cohort",
    "event_study",
    "event_time_dummies",
    "placebo_test",
    "psm_did",
    "psm_match",
    "regression_table",
    "staggered_did",
    "stars",
    "sun_abraham",
    "synthetic_control",
    "twfe_did",
]

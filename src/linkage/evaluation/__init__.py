"""Policy evaluation (政策效应评估): difference-in-differences, event studies, PSM-DID,
placebo and robustness checks, and regression tables in the field's format.

Estimation is built on pyfixest (fixed effects absorbed, not dummies); standard errors follow
Stata ``reghdfe`` by default (see ``linkage.evaluation._fit``), with the wild cluster
bootstrap for few (treated) clusters (:mod:`linkage.evaluation.wild`, the kit's one
implementation, also used by β-convergence). Every result has
``.tidy(level=...)`` (the one coefficient-table schema, :func:`tidy_table`) and
``.summary(language=...)``.
"""

from linkage.evaluation.comparison import (
    EstimatorComparison,
    compare_estimators,
    covariate_controls,
    covariate_note,
)
from linkage.evaluation.event_study import (
    EventStudyResult,
    PretrendTest,
    event_study,
    event_time_dummies,
)
from linkage.evaluation.inference import format_pvalue, tidy_table
from linkage.evaluation.placebo import (
    PlaceboResult,
    cluster_robustness,
    drop_one_cohort,
    placebo_test,
)
from linkage.evaluation.psm import MatchResult, PSMDIDResult, balance_table, psm_did, psm_match
from linkage.evaluation.staggered import StaggeredAggregate, StaggeredDIDResult, staggered_did
from linkage.evaluation.sun_abraham import SunAbrahamResult, sun_abraham
from linkage.evaluation.synth import SynthResult, donor_weights, synthetic_control
from linkage.evaluation.tables import RegressionTable, inference_key, regression_table, stars
from linkage.evaluation.twfe import TWFEResult, did_2x2, treated_clusters, twfe_did
from linkage.evaluation.wild import (
    WildBootstrap,
    few_clusters,
    wild_bootstrap_ols,
    wild_cluster_bootstrap,
    wild_weights_for,
)

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
    "WildBootstrap",
    "balance_table",
    "cluster_robustness",
    "compare_estimators",
    "covariate_controls",
    "covariate_note",
    "did_2x2",
    "donor_weights",
    "drop_one_cohort",
    "event_study",
    "event_time_dummies",
    "few_clusters",
    "format_pvalue",
    "inference_key",
    "placebo_test",
    "psm_did",
    "psm_match",
    "regression_table",
    "staggered_did",
    "stars",
    "sun_abraham",
    "synthetic_control",
    "tidy_table",
    "treated_clusters",
    "twfe_did",
    "wild_bootstrap_ols",
    "wild_cluster_bootstrap",
    "wild_weights_for",
]

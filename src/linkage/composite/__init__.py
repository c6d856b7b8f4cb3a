"""Composite indices (综合指数): normalisation, weights and aggregation of an indicator system.

The field's most-used method: an indicator system (指标体系) is normalised with the direction
of each indicator (:func:`normalize`), weighted — objectively (:func:`entropy_weights` 熵值法,
:func:`critic_weights` CRITIC, :func:`cv_weights` 变异系数法, :func:`equal_weights`),
subjectively (:func:`ahp_weights` 层次分析法) or both (:func:`combine_weights` 组合赋权) — and
aggregated by a weighted sum (:func:`weighted_sum`) or TOPSIS (:func:`topsis`).

Conventions: data are DataFrames with units (e.g. county-years, identifiers in the index) as
rows and indicators as columns; directions map indicator id → +1/−1 (e.g.
``framework.indicator_table()["direction"]``); weights are Series indexed by indicator id.
For a panel, pooling all years (the default) makes scores comparable over time.

>>> import pandas as pd
>>> from linkage.composite import normalize, entropy_weights, weighted_sum
>>> df = pd.DataFrame({"income": [3.0, 5.0, 9.0], "engel": [40.0, 35.0, 30.0]})
>>> d = {"income": 1, "engel": -1}
>>> weighted_sum(normalize(df, d), entropy_weights(df, d), scale=100).round(1).tolist()
[0.0, 41.0, 100.0]
"""

from linkage.composite.aggregate import TopsisDistance, TopsisNormalization, topsis, weighted_sum
from linkage.composite.ahp import RANDOM_INDEX, AHPResult, RandomIndexTable, ahp_weights
from linkage.composite.normalization import ConstantRule, MissingRule, NormalizeMethod, normalize
from linkage.composite.weights import (
    CombineMethod,
    ConstantWeightRule,
    EntropyVariant,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_values,
    entropy_weights,
    equal_weights,
)

__all__ = [
    "RANDOM_INDEX",
    "AHPResult",
    "CombineMethod",
    "ConstantRule",
    "ConstantWeightRule",
    "EntropyVariant",
    "MissingRule",
    "NormalizeMethod",
    "RandomIndexTable",
    "TopsisDistance",
    "TopsisNormalization",
    "ahp_weights",
    "combine_weights",
    "critic_weights",
    "cv_weights",
    "entropy_values",
    "entropy_weights",
    "equal_weights",
    "normalize",
    "topsis",
    "weighted_sum",
]

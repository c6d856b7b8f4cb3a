"""Unit of a rate (统计单位): persons (人) or households (户).

Chinese statistics publish 贫困发生率, FGT, multidimensional headcounts and vulnerability
shares as shares of **persons**; household survey data carry **household** weights. A rate per
person weights each household by its survey weight times its size (every member shares the
household's status: :func:`linkage.checks.person_weights`); a rate per household by its survey
weight alone. The two differ whenever household size is related to the status — larger rural
households are usually poorer per head — so every table of the kit says which it is, (人) or (户).

The option is spelled ``per`` everywhere (docs/architecture.md, "Argument vocabulary").
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option, person_weights, survey_weights
from linkage.labels import Language, label

__all__ = ["Per", "unit_name", "unit_weights"]

Per = Literal["person", "household"]
"""Unit of a rate: ``"person"`` (人, household weight × household size) or ``"household"``
(户, household weight)."""


def unit_weights(data: pd.DataFrame, weights: str | pd.Series | np.ndarray | None, *,
                 per: Per, size: str = "hh_size") -> np.ndarray:
    """Weights that make a weighted share a rate per person or per household (统计单位权数).

    Parameters
    ----------
    data : DataFrame
        One row per household (or household-year).
    weights : str, Series or None
        Household survey weights (column name or aligned Series); None = every household 1.
    per : {"person", "household"}
        ``"person"``: weights × ``data[size]``; ``"household"``: the weights themselves.
    size : str, default "hh_size"
        Household size column (persons, ≥ 1), used when ``per="person"``.

    Returns
    -------
    ndarray
        One positive weight per row.

    Examples
    --------
    >>> hh = pd.DataFrame({"hh_size": [1, 4], "weight": [10.0, 10.0]})
    >>> unit_weights(hh, "weight", per="person").tolist()
    [10.0, 40.0]
    >>> unit_weights(hh, "weight", per="household").tolist()
    [10.0, 10.0]
    """
    check_option("per", per, Per)
    if per == "person":
        return person_weights(data, weights, size=size)
    return survey_weights(weights, data)


def unit_name(per: Per, language: Language = "zh") -> str:
    """``"人"`` / ``"户"`` (``"persons"`` / ``"households"``) for table headings.

    >>> unit_name("person"), unit_name("household", "en")
    ('人', 'households')
    """
    check_option("per", per, Per)
    return label("per_person" if per == "person" else "per_household", language)

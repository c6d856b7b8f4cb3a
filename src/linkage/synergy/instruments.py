"""Instrument interoperability (手段相通性): the instrument mix behind each goal and its
concentration.

Instruments follow Rothwell & Zegveld (1981, *Industrial Innovation and Public Policy*, Frances
Pinter, ch. 4) as used in Chinese policy studies (supply / environment / demand; e.g. 黄萃、苏竣、
施丽萍、程啸天 2011, 中国高新技术产业税收优惠政策文本量化研究, 科学学研究 29(2):178–185).
Interoperable instruments show as goals pursued with a broad, shared mix rather than one
instrument each; the Herfindahl–Hirschman index measures how concentrated a mix is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from linkage.errors import InputError
from linkage.synergy._inputs import (
    ALL,
    CodeMissing,
    Weight,
    code_ids,
    coded,
    group_key,
    one_hot,
)

__all__ = ["herfindahl", "instrument_mix"]


def instrument_mix(documents: pd.DataFrame, codes: pd.DataFrame, instruments: object, *,
                   goals: object | None = None, categories: pd.Series | None = None,
                   by: str | None = None, weight: Weight | None = "strength",
                   missing: CodeMissing = "raise") -> pd.DataFrame:
    """政策工具结构 Instrument mix per goal (and per level or period): weighted instrument shares.

    For the documents addressing goal g (code ≥ 1) in group k,

    .. math:: s_{kgi} = \\frac{\\sum_{d\\in k} w_d\\,\\mathbb 1[e_{dg}\\ge 1]\\,u_{di}}
              {\\sum_{i'} \\sum_{d\\in k} w_d\\,\\mathbb 1[e_{dg}\\ge 1]\\,u_{di'}}

    with :math:`u_{di}` ∈ {0, 1, 2} the code of instrument i (提及/重点) and :math:`w_d` the
    policy strength (1–5) or 1: the strength- and emphasis-weighted share of each instrument
    in the documents pursuing g. With ``categories`` the instruments are summed into their
    categories first (供给型/环境型/需求型, Rothwell & Zegveld 1981). Computed as one tensor
    product over documents.

    Parameters
    ----------
    documents, codes
        The policy data model (see :func:`linkage.synergy.goals.goal_profiles`).
    instruments : list of str or Series
        Instrument code ids (a Series: its index).
    goals : list of str, optional
        Goal code ids; None = the mix of all documents of each group (no goal split).
    categories : Series, optional
        Instrument id → category (e.g. ``supply``/``environment``/``demand``), for the mix of
        categories; None = of single instruments.
    by : str or None
        ``"level"``, ``"period"``, ``"year"``, another column, or None (all documents).
    weight : {"strength"} or None
    missing : {"raise", "drop"}
        Documents with an unconfirmed code on a goal or instrument.

    Returns
    -------
    DataFrame
        Index (``by``, ``goal``) — only ``goal`` when ``by`` is None, only ``by`` when
        ``goals`` is None — columns instruments (or categories), rows summing to 1 (NaN where
        no document of the group addresses the goal or uses any instrument);
        ``attrs["n_documents"]`` = documents behind each row.

    Examples
    --------
    >>> docs = pd.DataFrame({"strength": [5, 1]}, index=["a", "b"])
    >>> codes = pd.DataFrame({"g": [1, 1], "funds": [2, 0], "pilot": [0, 2]}, index=["a", "b"])
    >>> instrument_mix(docs, codes, ["funds", "pilot"], goals=["g"]).round(3).to_numpy().tolist()
    [[0.833, 0.167]]
    """
    inst = code_ids(instruments, "instruments")
    goal_ids = code_ids(goals, "goals") if goals is not None else []
    data = coded(documents, codes, goal_ids + inst, weight=weight, missing=missing)
    key = group_key(data.documents, by)
    groups = one_hot(key).to_numpy() * data.weights[:, None]                 # d × k
    pursues = ((data.values[goal_ids].to_numpy() >= 1).astype(float) if goals is not None
               else np.ones((len(data.documents), 1)))                        # d × g
    uses = data.values[inst]
    if categories is not None:
        absent = [i for i in inst if i not in categories.index]
        if absent:
            raise InputError(f"工具 {absent[0]!r} 没有类别 / instrument has no category",
                             column=absent[0], hint="categories 须为每个工具给出类别")
        uses = uses.T.groupby(categories.reindex(inst).to_numpy(), sort=False).sum().T
    sums = np.einsum("dk,dg,di->kgi", groups, pursues, uses.to_numpy())
    counts = np.einsum("dk,dg->kg", (groups > 0).astype(float), pursues)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = sums / sums.sum(axis=2, keepdims=True)
    goal_index = goal_ids if goals is not None else [ALL]
    index = pd.MultiIndex.from_product([list(key.cat.categories), goal_index],
                                       names=[by or "group", "goal"])
    out = pd.DataFrame(shares.reshape(-1, uses.shape[1]), index=index,
                       columns=pd.Index(uses.columns, name="instrument"))
    out.attrs["n_documents"] = dict(zip(index, counts.reshape(-1).astype(int), strict=True))
    out.attrs["n_dropped"] = data.n_dropped
    if goals is None:
        out = out.droplevel("goal")
    elif by is None:
        out = out.droplevel(0)
    return out


def herfindahl(shares: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """赫芬达尔—赫希曼指数 Herfindahl–Hirschman concentration of a mix (HHI, HHI*, 1/HHI).

    .. math:: HHI = \\sum_{i=1}^{n} s_i^2, \\qquad
              HHI^{*} = \\frac{HHI - 1/n}{1 - 1/n}, \\qquad N_{eq} = 1/HHI

    (Hirschman 1964, "The paternity of an index", American Economic Review 54(5):761;
    Herfindahl 1950, *Concentration in the Steel Industry*, PhD thesis, Columbia University).
    HHI lies in [1/n, 1]: 1 = one instrument only; HHI* rescales it to [0, 1] over the n
    available categories (0 = an even spread); the equivalent number 1/HHI is how many
    equally used instruments would give the same concentration. Values are rescaled to shares
    first, so counts may be passed; n counts every column, used or not.

    Parameters
    ----------
    shares : Series or DataFrame
        One mix (Series) or one mix per row (e.g. :func:`instrument_mix`); values ≥ 0.

    Returns
    -------
    Series or DataFrame
        ``hhi``, ``hhi_normalized``, ``equivalent_number``, ``n`` (a Series for a Series input,
        else one row per mix); NaN for a mix of zeros (and ``hhi_normalized`` for n = 1).

    Examples
    --------
    >>> herfindahl(pd.Series([0.5, 0.5, 0.0, 0.0])).to_dict()
    {'hhi': 0.5, 'hhi_normalized': 0.3333333333333333, 'equivalent_number': 2.0, 'n': 4.0}
    """
    frame = shares.to_frame().T if isinstance(shares, pd.Series) else shares
    if not isinstance(frame, pd.DataFrame):
        raise InputError("shares 应为 Series 或 DataFrame / shares must be a Series or DataFrame")
    values = frame.to_numpy(dtype=float)
    if (values[~np.isnan(values)] < 0).any():
        raise InputError("份额不能为负 / shares must be non-negative",
                         hint="传入各工具的份额或频数 / pass shares or counts")
    total = values.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = values / np.where(total > 0, total, np.nan)
        hhi = (s ** 2).sum(axis=1)
        hhi = np.where(np.isnan(s).any(axis=1), np.nan, hhi)
        n = values.shape[1]
        out = pd.DataFrame({"hhi": hhi,
                            "hhi_normalized": (hhi - 1 / n) / (1 - 1 / n) if n > 1 else np.nan,
                            "equivalent_number": 1 / hhi, "n": float(n)}, index=frame.index)
    return out.iloc[0].rename(None) if isinstance(shares, pd.Series) else out

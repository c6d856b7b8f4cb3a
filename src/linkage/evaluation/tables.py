"""Regression tables in the field's format (回归结果表): coefficients with stars, standard
errors in parentheses, N, fixed-effect rows, clustering and within R², side by side."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from linkage.atomic import atomic_write_text
from linkage.checks import check_option
from linkage.evaluation._fit import FitSummary
from linkage.labels import Language, label

__all__ = ["RegressionTable", "inference_key", "regression_table", "stars"]


class HasFit(Protocol):
    """A result with a fitted regression (``fit``) and its tidy table (``tidy()``)."""

    fit: FitSummary

    def tidy(self, level: float | None = None) -> pd.DataFrame: ...


def inference_key(result: Any) -> str:
    """The :data:`~linkage.labels.LABELS` key naming how a result's p-values were obtained:
    ``inference_wild`` (wild cluster bootstrap), ``inference_cluster`` /
    ``inference_cluster_twoway`` (cluster-robust t, one- or two-way), ``inference_hetero``,
    ``inference_iid``; PSM-DID ``inference_psm_bootstrap`` / ``inference_psm_fixed``;
    Callaway–Sant'Anna ``inference_cs_analytic`` / ``inference_cs_bootstrap``."""
    if hasattr(result, "match"):  # PSMDIDResult
        return f"inference_psm_{result.inference}"
    if hasattr(result, "est_method"):  # Callaway–Sant'Anna
        return f"inference_cs_{result.inference}"
    if result.inference == "cluster" and len(result.fit.cluster) > 1:
        return "inference_cluster_twoway"
    return f"inference_{result.inference}"


def stars(pvalue: float) -> str:
    """Significance stars: * p<0.1, ** p<0.05, *** p<0.01 (the convention of Chinese journals).

    >>> stars(0.004), stars(0.03), stars(0.07), stars(0.2)
    ('***', '**', '*', '')
    """
    return "***" if pvalue < 0.01 else "**" if pvalue < 0.05 else "*" if pvalue < 0.1 else ""


@dataclass(frozen=True)
class RegressionTable:
    """Several models side by side (回归结果表); ``to_frame``, ``to_csv``, ``to_html``."""

    table: pd.DataFrame
    note: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_csv(self, path: str | Path) -> Path:
        """Write UTF-8 with BOM (opens correctly in Chinese Excel); atomic."""
        path = Path(path)
        text = self.table.to_csv(index=True) + self.note + "\n"
        atomic_write_text(path, "\ufeff" + text)
        return path

    def to_html(self) -> str:
        """A plain ``<table>`` (three-line style) that pastes into Word."""
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in
                       [self.table.index.name or "", *self.table.columns])
        border = "border-top:1.5px solid black;border-bottom:1px solid black"
        rows = []
        for i, (name, values) in enumerate(self.table.iterrows()):
            cells = "".join(f"<td style='text-align:center'>{html.escape(str(v))}</td>"
                            for v in values)
            rows.append(f"<tr><td>{html.escape(str(name))}</td>{cells}</tr>"
                        if i else f"<tr style='{border}'><td>{html.escape(str(name))}</td>"
                        f"{cells}</tr>")
        return ("<table style='border-collapse:collapse;border-bottom:1.5px solid black'>"
                f"<thead><tr style='{border}'>{head}</tr></thead><tbody>{''.join(rows)}"
                f"</tbody></table><p>{html.escape(self.note)}</p>")


def regression_table(
    models: Sequence[HasFit] | Mapping[str, HasFit],
    *,
    terms: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    digits: int = 4,
    language: Language = "zh",
) -> RegressionTable:
    """Regression table for one or several models (回归结果表).

    Each coefficient cell is ``0.0123***`` with the standard error ``(0.0045)`` in the row
    below; then rows N, 县固定效应/年份固定效应 (是/否), clustering, "p 值方法" (how each
    column's p-values and stars were obtained, :func:`inference_key`) and within R².
    Stars: * p<0.1, ** p<0.05, *** p<0.01 (two-sided; the p-values of each model's
    ``tidy()`` table: t with G−1 df when clustered, as reghdfe, or the wild-bootstrap /
    re-matching-bootstrap p-value when the model used one).

    Parameters
    ----------
    models : sequence or mapping of results
        Results with a ``.fit`` :class:`FitSummary` and ``.tidy()`` (:class:`TWFEResult`,
        :class:`EventStudyResult`, :class:`PSMDIDResult`); a mapping's keys become column
        titles, otherwise (1), (2), ….
    terms : sequence of str, optional
        Terms to show, in order (default: all, in order of first appearance).
    labels : mapping, optional
        Display names of terms (e.g. ``{"treated": "重点帮扶县×政策后"}``).
    digits : int
        Decimals.
    language : {"zh", "en"}
        Row labels.

    Returns
    -------
    RegressionTable

    Examples
    --------
    >>> import numpy as np
    >>> from linkage.evaluation import did_2x2
    >>> df = pd.DataFrame({"g": [0, 0, 1, 1] * 3, "p": [0, 1, 0, 1] * 3,
    ...                    "y": np.arange(12.0) % 5})
    >>> regression_table([did_2x2(df, "y", group="g", post="p")]).to_frame().index[0]
    'g×p'
    """
    check_option("language", language, Language)
    if isinstance(models, Mapping):
        titles, results = list(map(str, models)), list(models.values())
    else:
        titles, results = [f"({j + 1})" for j in range(len(models))], list(models)
    fits = [m.fit for m in results]
    coefs = [m.tidy().set_index("term") for m in results]
    if terms is None:
        terms = list(dict.fromkeys(t for c in coefs for t in c.index if t != "const"))
    labels = dict(labels or {})
    index: list[str] = []
    body: list[list[str]] = []
    for term in terms:
        coef_row, se_row = [], []
        for c in coefs:
            if term in c.index:
                r = c.loc[term]
                coef_row.append(f"{r['coef']:.{digits}f}{stars(r['pvalue'])}")
                se_row.append(f"({r['se']:.{digits}f})")
            else:
                coef_row.append("")
                se_row.append("")
        index += [labels.get(term, term), ""]
        body += [coef_row, se_row]
    yes, no = label("reg_yes", language), label("reg_no", language)
    footer = {
        "reg_nobs": [f"{f.nobs:,}" for f in fits],
        "reg_unit_fe": [yes if "unit" in f.fixed_effects else no for f in fits],
        "reg_time_fe": [yes if "time" in f.fixed_effects else no for f in fits],
        "reg_clustered_by": [_cluster_label(f, language) for f in fits],
        "reg_inference": [label(inference_key(m), language) for m in results],
    }
    if any(f.fixed_effects for f in fits):
        footer["reg_r2_within"] = [f"{f.r2_within:.4f}" if f.fixed_effects else "" for f in fits]
    if not all(f.fixed_effects for f in fits):
        footer["reg_r2"] = ["" if f.fixed_effects else f"{f.r2:.4f}" for f in fits]
    for key, row in footer.items():
        index.append(label(key, language))
        body.append(row)
    table = pd.DataFrame(body, index=pd.Index(index, name=label("reg_variable", language)),
                         columns=titles)
    return RegressionTable(table=table, note=label("reg_note", language))


def _cluster_label(fit: FitSummary, language: Language) -> str:
    if fit.vcov_type == "cluster":
        return " & ".join(fit.cluster)
    return label("reg_robust" if fit.vcov_type == "hetero" else "reg_iid", language)

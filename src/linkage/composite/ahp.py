"""Analytic hierarchy process (层次分析法, AHP): weights from a pairwise comparison matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage.checks import check_option
from linkage.errors import InputError
from linkage.labels import Language, is_zh

__all__ = ["RANDOM_INDEX", "AHPResult", "RandomIndexTable", "ahp_weights"]

RandomIndexTable = Literal["saaty1980", "tummala_ling1998"]

#: Random consistency index RI by matrix order n = 1, 2, ... (平均随机一致性指标).
RANDOM_INDEX: dict[str, tuple[float, ...]] = {
    # Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill, ch. 1: n ≤ 10 as reproduced
    # by practically all software and textbooks; n = 11–15 as in Saaty's extended table (some
    # Chinese textbooks print 1.52, 1.54, 1.56, 1.58, 1.59 there instead).
    "saaty1980": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
                  1.51, 1.48, 1.56, 1.57, 1.59),
    # Tummala & Ling (1998), Theory and Decision 44(3):221–230, Table (as used by pymcdm).
    "tummala_ling1998": (0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537,
                         1.4882, 1.5117, 1.5356, 1.5571, 1.5714, 1.5831),
}

#: Saaty's acceptance threshold for the consistency ratio.
SAATY_THRESHOLD = 0.1


@dataclass(frozen=True)
class AHPResult:
    """Result of :func:`ahp_weights`.

    Attributes
    ----------
    weights : Series
        Priority weights indexed by the matrix labels, summing to 1.
    lambda_max : float
        Principal eigenvalue λmax (最大特征根).
    ci : float
        Consistency index CI = (λmax − n)/(n − 1) (一致性指标).
    ri : float
        Random index RI for order n (平均随机一致性指标).
    cr : float
        Consistency ratio CR = CI/RI (一致性比率); 0 for n ≤ 2.
    consistent : bool
        CR < 0.1, Saaty's rule (通过一致性检验).
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool

    def to_frame(self) -> pd.DataFrame:
        """Weights as a table indexed by indicator id, with the rank (1 = most important)."""
        return pd.DataFrame({
            "weight": self.weights,
            "rank": self.weights.rank(ascending=False, method="min").astype(int),
        })

    def summary(self, language: Language = "zh") -> str:
        """层次分析法结果: weights, λmax, CI, RI, CR and the consistency verdict (Chinese or
        English)."""
        check_option("language", language, Language)
        zh = is_zh(language)
        verdict = (("通过一致性检验" if self.consistent else "未通过一致性检验") if zh else
                   ("consistent" if self.consistent else "not consistent"))
        lines = [f"{'层次分析法（AHP）：' if zh else 'Analytic hierarchy process (AHP): '}"
                 f"n = {len(self.weights)}",
                 *(f"  {k}: {v:.4f}" for k, v in self.weights.items()),
                 f"λmax = {self.lambda_max:.4f}, CI = {self.ci:.4f}, RI = {self.ri:.2f}, "
                 f"CR = {self.cr:.4f} {'<' if self.consistent else '≥'} 0.1"
                 f"{'，' if zh else ': '}{verdict}"]
        return "\n".join(lines)


def ahp_weights(
    matrix: pd.DataFrame | np.ndarray,
    *,
    max_cr: float | None = SAATY_THRESHOLD,
    ri: RandomIndexTable = "saaty1980",
) -> AHPResult:
    """层次分析法 — AHP weights, λmax, CI, RI and CR from a pairwise comparison matrix.

    Saaty (1977), *J. Math. Psychology* 15(3):234–281; Saaty (1980), *The Analytic Hierarchy
    Process*, McGraw-Hill. The weights are the principal (Perron) eigenvector of A,
    :math:`A w = \\lambda_{max} w`, scaled to sum 1;
    :math:`CI = (\\lambda_{max} - n)/(n-1)`, :math:`CR = CI / RI_n`. For n ≤ 2 every
    reciprocal matrix is consistent and CR = 0.

    Parameters
    ----------
    matrix : DataFrame or array
        Square positive reciprocal matrix, :math:`a_{ij}` = importance of i over j on Saaty's
        1–9 scale, :math:`a_{ji} = 1/a_{ij}`, :math:`a_{ii} = 1`. A DataFrame's index labels the
        weights (its columns must carry the same labels). Reciprocity is checked to 1 %
        so that values typed as 0.333 pass.
    max_cr : float or None
        Raise an InputError when CR ≥ ``max_cr`` (default 0.1, Saaty's threshold); None returns
        the result anyway (``consistent`` still reports CR < 0.1).
    ri : {"saaty1980", "tummala_ling1998"}
        Random-index table (n ≤ 15); Saaty's (default) is what textbooks and most papers use.

    Returns
    -------
    AHPResult

    Examples
    --------
    >>> a = pd.DataFrame([[1, 3, 5], [1/3, 1, 5/3], [1/5, 3/5, 1]],
    ...                  index=list("xyz"), columns=list("xyz"))
    >>> res = ahp_weights(a)
    >>> res.weights.round(4).to_dict(), round(res.cr, 6)
    ({'x': 0.6522, 'y': 0.2174, 'z': 0.1304}, 0.0)
    """
    check_option("ri", ri, RandomIndexTable)
    a, labels = _pairwise(matrix)
    n = len(a)
    table = RANDOM_INDEX[ri]
    if n > len(table):
        raise InputError(
            f"判断矩阵阶数 {n} 超出随机一致性指标表（最大 {len(table)}）/ matrix too large for "
            "the RI table",
            hint="把指标分组成多层，每层不超过 9 个 / split into levels of at most 9 items",
        )
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    lambda_max = float(eigenvalues[k].real)
    ci = max((lambda_max - n) / (n - 1), 0.0) if n > 2 else 0.0
    ri_n = table[n - 1]
    cr = ci / ri_n if n > 2 else 0.0
    result = AHPResult(
        weights=pd.Series(vector / vector.sum(), index=labels, name="weight"),
        lambda_max=lambda_max, ci=ci, ri=ri_n, cr=cr, consistent=cr < SAATY_THRESHOLD,
    )
    if max_cr is not None and cr >= max_cr:
        raise InputError(
            f"判断矩阵未通过一致性检验：CR = {cr:.4f} ≥ {max_cr}（λmax = {lambda_max:.4f}, "
            f"CI = {ci:.4f}, RI = {ri_n}）/ the pairwise comparisons are inconsistent",
            hint="调整矛盾的两两比较后重试，或显式传入 max_cr=None 接受该结果 / revise the "
            "contradictory comparisons, or pass max_cr=None to accept them",
        )
    return result


def _pairwise(matrix: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """The checked comparison matrix as floats, and its labels."""
    if isinstance(matrix, pd.DataFrame):
        if not matrix.index.equals(matrix.columns):
            raise InputError(
                "判断矩阵的行标签与列标签不一致 / row and column labels of the matrix differ",
                hint="行、列按同一顺序列出同一组指标 / list the same items in the same order",
            )
        labels = matrix.index
    else:
        labels = pd.RangeIndex(np.shape(matrix)[0])
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"判断矩阵含非数值 / non-numeric matrix entry ({exc})") from None
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise InputError(f"判断矩阵须为方阵，得到形状 {a.shape} / the matrix must be square")
    bad = ~np.isfinite(a) | (a <= 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(
            f"判断矩阵元素 [{labels[i]}, {labels[j]}] = {a[i, j]!r} 须为正数 / entries must be "
            "positive (Saaty's 1–9 scale and reciprocals)",
            column=str(labels[j]),
        )
    if not np.allclose(np.diag(a), 1.0):
        raise InputError("判断矩阵对角线须全为 1 / the diagonal must be all 1")
    off = ~np.isclose(a * a.T, 1.0, rtol=0.0, atol=0.01)
    if off.any():
        i, j = np.argwhere(off)[0]
        raise InputError(
            f"判断矩阵不互反：a[{labels[i]},{labels[j]}] × a[{labels[j]},{labels[i]}] = "
            f"{a[i, j] * a[j, i]:.4g} ≠ 1 / the matrix is not reciprocal",
            column=str(labels[j]), hint="令 a_ji = 1/a_ij / set a_ji = 1/a_ij",
        )
    return a, labels

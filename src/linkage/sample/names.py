"""Region codes and names of the simulated province (模拟行政区划代码与名称).

Codes follow GB/T 2260 layout with the province prefix ``99`` that no real province uses:
prefecture ``99NN00``; within a prefecture the first county is a district (区, ``99NN02``),
counties (县) are numbered from ``99NN21``, and in prefectures of four or more counties the last
one is a county-level city (市, ``99NN81``). Names are two-character stems drawn from common
characters (all within GB2312, so the bundled CJK font renders them) plus 区/县/市; all stems
are distinct, so all names are unique. Any likeness to a real place is accidental.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAX_COUNTIES", "region_table"]

_FIRST = (
    "安白宝北昌长成崇大丹定东丰凤福阜富广贵桂海汉和河红鸿华怀淮黄惠吉嘉建江金锦靖"
    "景乐黎临灵龙隆鲁罗洛马茂梅蒙明南宁磐平浦普齐青清庆仁荣瑞山商上石寿顺泰天通桐"
    "万旺威文武西仙祥新兴秀宣阳永玉元云镇正中忠紫"
)
_SECOND = (
    "安坝宝北滨昌城川春达德甸东峰丰冈谷关和河湖华化江津康口乐林陵隆门宁平坪浦桥泉"
    "山善水顺台潭塘田亭溪祥兴阳源原远云州庄"
)

#: Upper bound on counties: 99 prefectures × at most 40 counties each.
MAX_COUNTIES = 3960


def _stems(n: int, rng: np.random.Generator) -> np.ndarray:
    first = np.array(list(dict.fromkeys(_FIRST)))
    second = np.array(list(dict.fromkeys(_SECOND)))
    a, b = np.meshgrid(first, second, indexing="ij")
    a, b = a.ravel(), b.ravel()
    pool = np.char.add(a[a != b], b[a != b])
    return pool[rng.choice(pool.size, size=n, replace=False)]


def region_table(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Codes and names of ``n`` counties in ``≈ n/10`` prefectures (at most 99).

    Returns a frame with ``region_code, region_name, prefecture_code, prefecture_name``,
    sorted by ``region_code``.
    """
    n_pref = int(np.clip(round(n / 10), 1, 99))
    sizes = np.full(n_pref, n // n_pref) + (np.arange(n_pref) < n % n_pref)
    pref = np.repeat(np.arange(1, n_pref + 1), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    pos = np.arange(n) - starts
    size = np.repeat(sizes, sizes)
    is_district = pos == 0
    is_city = (pos == size - 1) & (size >= 4)
    suffix = np.where(is_district, "区", np.where(is_city, "市", "县"))
    code = np.where(is_district, 2, np.where(is_city, 81, 20 + pos))
    stems = _stems(n + n_pref, rng)
    pref_code = pd.Series(pref).astype(str).str.zfill(2)
    return pd.DataFrame({
        "region_code": "99" + pref_code + pd.Series(code).astype(str).str.zfill(2),
        "region_name": pd.Series(np.char.add(stems[:n], suffix)),
        "prefecture_code": "99" + pref_code + "00",
        "prefecture_name": pd.Series(np.char.add(stems[n:], "市")[pref - 1]),
    })

"""The real programme calendars (政策处理日历): poverty-county exits and key assistance counties.

Two national lists, shipped with codes (:mod:`linkage.datasets`):

``exit_832``
    the 832 national poverty counties and their exit (摘帽) years 2016–2020 (28, 125, 283, 344,
    52 counties), ``poverty_county_exit_list_832_coded``: a staggered treatment, cohort = exit
    year;
``key_160``
    the 国家乡村振兴重点帮扶县 designated on 2021-08-27 (中央农办、国家乡村振兴局
    《关于公布国家乡村振兴重点帮扶县名单的通知》), ``key_assistance_counties_160_partial``: one
    cohort, 2021. **The shipped list is incomplete** (93 of 160: 云南, 陕西 and 宁夏 partly,
    甘肃 and 青海 not at all), so counties of those provinces that are not on it cannot be told
    from controls: their cohort is unknown (see ``missing``).

:func:`treatment_calendar` merges a list onto the user's county panel in one call, with the
cohort column the policy-effects functions take (first treated year, 0 = never treated:
:func:`linkage.evaluation.staggered.staggered_did`, ``event_study``, ``sun_abraham``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from linkage import datasets
from linkage.checks import Missing, check_option, first_rows, require_columns
from linkage.errors import InputError
from linkage.places.codes import carry, code_spans, is_nbs_functional_code, is_real_code

__all__ = ["PROGRAMMES", "Programme", "TreatmentCalendar", "programme_list",
           "treatment_calendar"]

Programme = Literal["exit_832", "key_160"]
#: What each programme is, its shipped table and its source.
PROGRAMMES: dict[str, dict[str, str]] = {
    "exit_832": {
        "title_zh": "贫困县摘帽（832个国家贫困县，2016—2020年）",
        "title_en": "Poverty-county exits (832 national poverty counties, 2016–2020)",
        "table": "poverty_county_exit_list_832_coded",
    },
    "key_160": {
        "title_zh": "国家乡村振兴重点帮扶县（2021年，名单不完整）",
        "title_en": "National key assistance counties (2021; incomplete list)",
        "table": "key_assistance_counties_160_partial",
    },
}
#: Key assistance counties per province in the 2021-08-27 notice (160 in all): the counts of
#: the notice as recorded in data/raw/reference/SOURCES.md (province_total_official column of
#: key_assistance_counties_160_partial, and the missing-province note for 甘肃 and 青海).
KEY_160_PROVINCE_TOTALS: dict[str, int] = {
    "15": 10, "45": 20, "50": 4, "51": 25, "52": 20, "53": 27, "61": 11, "62": 23, "63": 15,
    "64": 5,
}
_DESIGNATION_YEAR = 2021


@dataclass(frozen=True)
class TreatmentCalendar:
    """A programme merged onto a county panel (处理日历).

    Attributes
    ----------
    data : pandas.DataFrame
        The panel (rows in order, less the dropped ones) with the cohort column (int, first
        treated year, 0 = never treated; ``<NA>`` where unknown and ``missing="keep"``) and
        ``treated`` (0/1: time ≥ cohort > 0).
    programme : str
    vintage : str
        ``"listed"`` or the year whose codes were used.
    cohort_column : str
    units : int
        Distinct units in ``data``.
    cohorts : pandas.Series
        Units per cohort (index: cohort year, 0 = never treated).
    unknown : tuple of str
        Units whose treatment the shipped list cannot tell (key_160 only), dropped or kept.
    dropped_rows : int
    listed_not_in_panel : pandas.DataFrame
        Programme counties of the panel's provinces that the panel does not have (code, name,
        cohort): check the code vintage when it is not empty.
    attributes : pandas.DataFrame
        One row per unit (index: the unit code) in the form of the policy-effects county
        table (:func:`linkage.sections.policy_effects.treatment_cohorts`):
        ``poverty_county`` (boolean: on the 832 list), and ``exit_year`` (``Int64``, missing
        for other counties) or ``key_assistance`` (boolean, ``<NA>`` where unknown) with
        ``key_assistance_year``.
    """

    data: pd.DataFrame
    programme: str
    vintage: str
    cohort_column: str
    units: int
    cohorts: pd.Series
    unknown: tuple[str, ...]
    dropped_rows: int
    listed_not_in_panel: pd.DataFrame
    attributes: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The panel with the cohort and ``treated`` columns."""
        return self.data

    def summary(self, language: str = "zh") -> str:
        """A few lines: programme, vintage, units per cohort, what was left out."""
        info = PROGRAMMES[self.programme]
        treated = int(self.cohorts.drop(index=0, errors="ignore").sum())
        zh = language == "zh"
        per = ("、" if zh else ", ").join(f"{year}{'年' if zh else ':'} {n}"
                                         for year, n in self.cohorts.items() if year)
        if zh:
            lines = [f"{info['title_zh']}，代码口径：{self._vintage_text('zh')}",
                     f"面板 {self.units} 个县，其中处理县 {treated} 个（{per or '无'}），"
                     f"从未处理 {int(self.cohorts.get(0, 0))} 个"]
            if self.unknown:
                lines.append(f"{len(self.unknown)} 个县无法判断是否在名单上（名单不完整），"
                             f"删除 {self.dropped_rows} 行")
            if len(self.listed_not_in_panel):
                lines.append(f"名单上有 {len(self.listed_not_in_panel)} 个同省县不在面板中："
                             f"{first_rows(self.listed_not_in_panel['region_code'])}"
                             "（若面板应包含它们，请检查代码年份 vintage）")
            return "\n".join(lines)
        lines = [f"{info['title_en']}, codes: {self._vintage_text('en')}",
                 f"{self.units} units in the panel, {treated} treated ({per or 'none'}), "
                 f"{int(self.cohorts.get(0, 0))} never treated"]
        if self.unknown:
            lines.append(f"{len(self.unknown)} units cannot be classified (incomplete list); "
                         f"{self.dropped_rows} rows dropped")
        if len(self.listed_not_in_panel):
            lines.append(f"{len(self.listed_not_in_panel)} listed counties of the panel's "
                         "provinces are not in the panel (check the code vintage)")
        return "\n".join(lines)

    def _vintage_text(self, language: str) -> str:
        if self.vintage == "listed":
            return "名单当年（摘帽年/认定年）年末代码" if language == "zh" else "as listed"
        return f"{self.vintage} 年末代码" if language == "zh" else f"end-{self.vintage} codes"


def _vintage_year(vintage: str | int) -> int | None:
    if vintage == "listed":
        return None
    text = str(vintage).strip()
    if not text.isdigit() or not 2014 <= int(text) <= 2100:
        raise InputError(f"vintage={vintage!r} 无效 / invalid vintage",
                         hint="用 \"listed\"（名单当年的代码），或年份如 2020、2024 / "
                              "\"listed\" or a year such as 2020 or 2024")
    return int(text)


def programme_list(programme: Programme, *, vintage: str | int = "listed") -> pd.DataFrame:
    """One programme's counties with codes of the chosen vintage (政策名单).

    Parameters
    ----------
    programme : {"exit_832", "key_160"}
        See :mod:`linkage.places.calendar`.
    vintage : "listed" or int
        ``"listed"``: the code in force at the end of the listing year (exit year for
        ``exit_832``, 2021 for ``key_160``); a year (``2020``, ``2024`` …): the code in force at
        the end of that year. For ``exit_832`` the end-2020 and end-2024 codes are the curated
        ``code_2020``/``code_2024`` columns (水城县 → 水城区 520204, not the part that went to
        钟山区); other years are carried along the change log, where a county split in two is
        left out (its treatment cannot be given to either part). A county without a code that
        year (大柴旦行委, NBS-only, at end-2024) is left out.

    Returns
    -------
    pandas.DataFrame
        ``region_code``, ``name`` (as listed), ``province``, ``cohort`` (first treated year),
        ``source``; one row per code (冷湖行委 and 茫崖行委, both 632803 茫崖市 and both exited
        in 2019, are one row).

    Examples
    --------
    >>> table = programme_list("exit_832", vintage=2024)
    >>> table.groupby("cohort").size().tolist()
    [28, 125, 283, 342, 52]
    """
    check_option("programme", programme, Programme)
    year = _vintage_year(vintage)
    table = datasets.load(PROGRAMMES[programme]["table"])
    if programme == "exit_832":
        listed = table.assign(cohort=table["exit_year"])
        curated = {2020: "code_2020", 2024: "code_2024"}
        column = "region_code" if year is None else curated.get(year)
    else:
        listed = table.assign(cohort=_DESIGNATION_YEAR)
        column = "region_code" if year in (None, _DESIGNATION_YEAR) else None
    frame = pd.DataFrame({"region_code": listed["region_code"], "name": listed["county"],
                          "province": listed["province"], "cohort": listed["cohort"],
                          "source": listed["source"]})
    if column is not None:
        frame["region_code"] = listed[column]
    else:
        frame = frame.assign(vintage=year, row=np.arange(len(frame)))
        moved = carry(frame, "vintage")
        split = moved["row"].duplicated(keep=False)
        frame = moved[~split].assign(region_code=lambda f: f["carried"]).drop(
            columns=["carried", "vintage", "row"])
    frame = frame.dropna(subset=["region_code"])
    frame = frame.groupby("region_code", as_index=False, sort=False).agg(
        name=("name", "、".join), province=("province", "first"), cohort=("cohort", "min"),
        source=("source", "first"))
    return frame.astype({"cohort": int})


def treatment_calendar(
    panel: pd.DataFrame,
    *,
    programme: Programme,
    vintage: str | int = "listed",
    unit: str = "region_code",
    time: str = "year",
    cohort: str = "cohort",
    missing: Missing = "raise",
) -> TreatmentCalendar:
    """Merge a real programme list onto a county panel as a staggered treatment calendar.

    一次调用把真实政策名单（832个贫困县摘帽年份，或国家乡村振兴重点帮扶县）并入县域面板，
    得到多期交错处理的队列列（首次处理年份，0 = 从未处理），可直接用于
    :func:`linkage.evaluation.staggered.staggered_did` 等。

    Parameters
    ----------
    panel : pandas.DataFrame
        The user's county panel, one row per county-year.
    programme : {"exit_832", "key_160"}
        ``exit_832``: cohort = exit year (2016–2020); ``key_160``: cohort 2021 (incomplete list,
        see the module docstring).
    vintage : "listed" or int
        Which codes the panel uses: ``2024`` for end-2024 codes (水城区 520204, 旬阳市 …),
        ``2020`` for end-2020, ``"listed"`` for the codes in force when each county was listed
        (exit year). See :func:`programme_list`.
    unit, time : str
        Columns of the 6-digit county code and of the year.
    cohort : str
        Name of the cohort column to add (must not exist yet).
    missing : {"raise", "drop", "keep"}
        Counties whose treatment the list cannot tell (``key_160`` in 云南, 陕西, 甘肃, 青海,
        宁夏 when not on the partial list): raise naming them (default), drop their rows, or keep
        them with cohort ``<NA>``. A gap is never read as "never treated".

    Returns
    -------
    TreatmentCalendar
        ``.to_frame()`` is the panel with ``cohort`` and ``treated``.

    Raises
    ------
    linkage.errors.InputError
        Missing columns; a code that is no 民政部 code; a code not in force at the end of
        ``vintage`` (a panel on other codes would silently lose treated counties); unknown
        treatment under ``missing="raise"``.

    Examples
    --------
    >>> panel = pd.DataFrame({"region_code": ["130924"] * 3 + ["130102"] * 3,
    ...                       "year": [2015, 2016, 2017] * 2})
    >>> cal = treatment_calendar(panel, programme="exit_832", vintage=2020)
    >>> cal.to_frame()[["cohort", "treated"]].to_numpy().tolist()
    [[2016, 0], [2016, 1], [2016, 1], [0, 0], [0, 0], [0, 0]]
    """
    check_option("programme", programme, Programme)
    check_option("missing", missing, Missing)
    require_columns(panel, [unit, time], what="面板 / panel")
    if cohort in panel.columns:
        raise InputError(f"面板已有列 “{cohort}” / the panel already has a column {cohort!r}",
                         column=cohort, hint="用 cohort= 另取列名 / choose another name")
    year = _vintage_year(vintage)
    codes = panel[unit].astype("string").str.strip()
    _check_codes(codes, unit, year)
    listed = programme_list(programme, vintage=vintage)
    given = listed.set_index("region_code")["cohort"]
    cohorts = codes.map(given)
    unknown = pd.Series(False, index=panel.index)
    if programme == "key_160":
        counts = listed["region_code"].str[:2].value_counts()
        incomplete = [p for p, n in KEY_160_PROVINCE_TOTALS.items() if counts.get(p, 0) < n]
        unknown = cohorts.isna() & codes.str[:2].isin(incomplete)
    unknown_units = tuple(dict.fromkeys(codes[unknown]))
    if unknown_units and missing == "raise":
        raise InputError(
            f"{len(unknown_units)} 个县是否为重点帮扶县无法判断：随附名单只有 160 个中的 "
            f"{len(listed)} 个（{first_rows(pd.Index(unknown_units))}）/ key assistance status "
            "unknown: the shipped list is incomplete", column=unit,
            hint="设 missing=\"drop\" 删除这些县，或自备完整名单；缺失不会被当作“否” / "
                 "use missing=\"drop\", or supply the full list")
    data = panel.copy()
    data[cohort] = cohorts.fillna(0).mask(unknown).astype("Int64")
    if missing == "drop":
        data = data[~unknown.to_numpy()]
    if not unknown.any():
        data[cohort] = data[cohort].astype(int)
    years = pd.to_numeric(data[time], errors="coerce")
    data["treated"] = (data[cohort].gt(0) & years.ge(data[cohort])).astype("Int64")
    if not data["treated"].isna().any():
        data["treated"] = data["treated"].astype(int)
    provinces = set(codes.str[:2].dropna())
    absent = listed[listed["region_code"].str[:2].isin(provinces)
                    & ~listed["region_code"].isin(set(codes.dropna()))]
    per = data.drop_duplicates(unit)[cohort].value_counts().sort_index()
    units = data.drop_duplicates(unit).set_index(unit)[cohort]
    exits = programme_list("exit_832", vintage=vintage).set_index("region_code")["cohort"]
    attributes = pd.DataFrame({"poverty_county": units.index.isin(exits.index)},
                              index=units.index.rename("region_code"))
    if programme == "exit_832":
        attributes["exit_year"] = units.where(units.gt(0)).astype("Int64")
    else:
        attributes["key_assistance"] = units.gt(0).astype("boolean").mask(units.isna())
        attributes["key_assistance_year"] = units.where(units.gt(0)).astype("Int64")
    return TreatmentCalendar(
        data=data, programme=programme, vintage="listed" if year is None else str(year),
        cohort_column=cohort, units=int(data[unit].nunique()), cohorts=per,
        unknown=unknown_units, dropped_rows=int(len(panel) - len(data)),
        listed_not_in_panel=absent[["region_code", "name", "cohort"]].reset_index(drop=True),
        attributes=attributes)


def _check_codes(codes: pd.Series, unit: str, year: int | None) -> None:
    """Every code is a real 民政部 code (or NBS functional unit), in force at ``year``."""
    if codes.isna().any():
        rows = first_rows(codes.index[codes.isna()])
        raise InputError(f"区划代码为空（行 {rows}）/ blank region code", column=unit,
                         hint="补齐县级区划代码 / fill in the county code")
    distinct = pd.Series(codes.unique())
    fake = distinct[~(is_real_code(distinct) | is_nbs_functional_code(distinct))]
    if len(fake):
        raise InputError(
            f"{len(fake)} 个代码不是民政部行政区划代码（{first_rows(pd.Index(fake))}）/ not "
            "民政部 codes", column=unit,
            hint="政策名单只能按真实区划代码合并；地名可先用 linkage.places.resolve_codes 转为"
                 "代码 / merge needs real codes: resolve names first")
    if year is None:
        return
    life = code_spans().reindex(distinct)
    stale = distinct[(life["first_year"].gt(year) | life["last_year"].lt(year)).to_numpy()]
    if len(stale):
        raise InputError(
            f"{len(stale)} 个代码在 {year} 年末不在用（{first_rows(pd.Index(stale))}）/ codes "
            f"not in force at the end of {year}", column=unit,
            hint="面板所用代码的年份与 vintage 不一致：改 vintage（如 \"listed\"、2020、2024），"
                 "或先统一代码 / the panel's codes are of another vintage")

"""Makers of hostile and broken input files (对抗性输入样本), written by code.

Nothing large is kept in git: every input is made here, in the test's sandbox.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: A valid 18-character ID number (GB 11643 check digit correct).
VALID_ID = "11010519491231002X"
#: ID-shaped, wrong check digit (the last character should be X).
BAD_CHECK_ID = "110105194912310021"
#: Old 15-digit ID whose "date" is impossible (month 99): still ID-shaped.
ID15_ANY = "110105499931002"
SALT = "0123456789abcdef0123456789abcdef"

HOUSEHOLD_ROWS = {
    "household_id": ["H001", "H002", "H003", "H001"],
    "region_code": ["990101"] * 4,
    "year": [2021, 2021, 2021, 2022],
    "hh_size": [4, 2, 3, 4],
    "n_labour": [2, 0, 1, 3],
    "income_wage": [20000.0, 0.0, 9000.0, 24000.0],
    "income_business": [5000.0, -1000.0, 0.0, 3000.0],
    "income_property": [0.0, 200.0, 0.0, 0.0],
    "income_transfer": [3000.0, 9000.0, 3000.0, 1000.0],
    "food_clothing_ok": ["是"] * 4,
    "compulsory_edu_ok": ["是"] * 4,
    "basic_medical_ok": ["是", "否", "是", "是"],
    "housing_safe_ok": ["是"] * 4,
    "drinking_water_ok": ["是"] * 4,
    "exited_poor": ["是", "否", "是", "是"],
    "monitor_category": ["非监测对象", "突发严重困难户", "非监测对象", "非监测对象"],
    "shock": ["无", "疾病", "无", "无"],
    "weight": [1.0, 2.5, 1.0, 1.0],
}


def households(**changes: list[object]) -> pd.DataFrame:
    """Four valid household-year rows (ids as headings), with columns replaced by ``changes``."""
    frame = pd.DataFrame(HOUSEHOLD_ROWS)
    for column, values in changes.items():
        frame[column] = pd.Series(values, dtype=object)
    return frame


def household_ids(first: str, second: str, third: str) -> list[str]:
    """Household ids for the four rows (the first household appears in two years)."""
    return [first, second, third, first]


def write_csv(frame: pd.DataFrame, path: Path, *, encoding: str = "utf-8") -> Path:
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def write_xlsx(frame: pd.DataFrame, path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append([None if pd.isna(v) else v for v in row])
    book.save(path)
    return path


COUNTY_HEAD = "region_code,year,rural_income_pc,tap_water_rate,return_to_poverty_rate\n"


def county_csv(path: Path, rows: list[str], *, encoding: str = "utf-8") -> Path:
    path.write_text(COUNTY_HEAD + "".join(r + "\n" for r in rows), encoding=encoding)
    return path


GOOD_COUNTY_ROWS = ["990102,2020,10000,90.5,2.1", "990102,2021,11000,91.0,1.9",
                    "990121,2020,9000,85.0,3.0", "990121,2021,9500,86.0,2.5"]

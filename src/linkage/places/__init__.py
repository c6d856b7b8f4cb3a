"""Places (地名与区划代码): place names to 6-digit 民政部 codes and back, and the programme lists.

- :func:`resolve_codes` — province/prefecture/county names (as printed in yearbooks and Stata
  files) to codes, with the method of each match and the candidates where a name is ambiguous;
- :func:`name_of` — the official name of a code at a given year-end;
- :func:`is_real_code` — whether a code is a 民政部 code of any year 2014–2024 (or earlier, per
  the change log);
- :func:`treatment_calendar` / :func:`programme_list` — the real programme lists (832 exits,
  key assistance counties) with codes of a chosen vintage, merged onto a county panel as a
  staggered treatment calendar.

Data: the shipped 民政部 code table ``admin_divisions_2014_2024`` and change log
``admin_code_changes_2014_2024`` (:mod:`linkage.datasets`, CC0), and the alias table
``aliases.csv`` shipped beside this module (each row with its reason and source).
"""

from __future__ import annotations

from linkage.places.calendar import (
    PROGRAMMES,
    Programme,
    TreatmentCalendar,
    programme_list,
    treatment_calendar,
)
from linkage.places.codes import is_nbs_functional_code, is_real_code
from linkage.places.resolve import METHODS, aliases, name_of, resolve_codes

__all__ = [
    "METHODS",
    "PROGRAMMES",
    "Programme",
    "TreatmentCalendar",
    "aliases",
    "is_nbs_functional_code",
    "is_real_code",
    "name_of",
    "programme_list",
    "resolve_codes",
    "treatment_calendar",
]

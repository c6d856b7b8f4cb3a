"""Indicator frameworks as data (指标体系): YAML files → validated :class:`Framework` objects.

The packaged ``default.yaml`` encodes the analytic frame of 温美荣、刘万清
《协同推进脱贫成果与乡村振兴有效衔接》 (减贫成果/制度成果 × 巩固/拓展 → dimensions →
indicators) and a 乡村振兴 subsystem with the five dimensions of the general requirement
(产业兴旺、生态宜居、乡风文明、治理有效、生活富裕). Users can load their own YAML in the
same format (see ``README.md`` in this folder and :mod:`linkage.frameworks.loader`).

>>> from linkage.frameworks import load_framework
>>> fw = load_framework()
>>> fw.subsystem_ids
('poverty', 'revitalization')
"""

from linkage.frameworks.framework import (
    INDICATOR_COLUMNS,
    STAGES,
    Framework,
    Indicator,
    Node,
    Stage,
)
from linkage.frameworks.loader import list_frameworks, load_framework

__all__ = [
    "INDICATOR_COLUMNS",
    "STAGES",
    "Framework",
    "Indicator",
    "Node",
    "Stage",
    "list_frameworks",
    "load_framework",
]

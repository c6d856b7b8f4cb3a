"""linkage — 巩固拓展脱贫攻坚成果同乡村振兴有效衔接 研究工具包.

Reusable, tested analysis functions for research on consolidating (巩固) and extending (拓展)
the achievements of poverty alleviation and linking (衔接) them with rural revitalization
(乡村振兴). Parameterised notebooks in ``notebooks/`` call these functions; ``linkage`` on the
command line runs them as reports.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

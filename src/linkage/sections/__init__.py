"""Report sections (报告章节): one module per report notebook, in reading order.

=====================  ============================  ==========================================
module                 notebook                      chapter
=====================  ============================  ==========================================
``overview``           ``01_data_overview``          数据概览 / data overview
``national``           ``07_national``               真实数据 / real data (chapter 2)
``linkage``            ``02_linkage``                衔接评估 / linkage
``consolidation``      ``03_consolidation``          巩固 / consolidation
``extension``          ``04_extension``              拓展 / extension
``policy_effects``     ``05_policy_effects``         政策效果 / policy effects
``policy_synergy``     ``06_policy_synergy``         政策协同 / policy synergy (last chapter)
=====================  ============================  ==========================================

Each module does its section's analysis and hands the document a
:class:`linkage.reporting.document.Section` (findings, numbered tables and figures, metrics,
methods and caveats); the notebook holds the parameters and calls it.
"""

"""The report engine (报告引擎): documents, renderers, run configs and executors.

- :mod:`linkage.reporting.document` — the document model every section hands over and its
  assembly (cover, summary, contents, numbered chapters, methods, appendix).
"""

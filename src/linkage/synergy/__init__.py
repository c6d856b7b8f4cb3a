"""Policy synergy (政策协同): goals, instruments and outcomes of the policy system.

Effective linkage of consolidated poverty-alleviation achievements with rural revitalization
needs **policy synergy** (温美荣、刘万清): consistent goals (目标一致性), interoperable
instruments (手段相通性) and equivalent outcomes (结果同等性), integrated as one
goal–instrument–outcome chain. This package makes the policy side a reproducible analysis:

=====================  ===========================================================================
module                 concern
=====================  ===========================================================================
``scheme``             the coding scheme as data (``scheme.yaml``): goals = framework dimensions,
                       instruments (Rothwell & Zegveld 1981), policy strength 1–5 (彭纪生等 2008)
``corpus``             the policy corpus as a validated data kind; texts (.txt/.docx/.pdf); sample
``sheet``              the Excel coding sheet round trip
``text``               jieba segmentation, keyword frequencies, dictionary pre-coding, Cohen's κ
``goals``              goal profiles, similarity, coverage, orientation, goal consistency
``instruments``        instrument mix and Herfindahl–Hirschman concentration
``network``            the co-issuance network of agencies (networkx)
``outcomes``           outcome equivalence: gaps of former poverty counties closing, consistently
``integration``        attention, effort and progress per dimension; rank agreement; mismatches
``pmc``                the PMC index (Ruiz Estrada 2011), its surface and report table
=====================  ===========================================================================

:func:`pmc_index` is a public API contract (see its docstring).
"""

from importlib import import_module

#: Public name → the module defining it. Loaded on first access (PEP 562): ``outcomes`` and
#: ``integration`` pull in the econometrics stack (seconds), which ``pmc_index`` or the coding
#: sheet do not need.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(("PolicyCorpus", "load_sample_corpus", "read_corpus", "read_texts"),
                    "corpus"),
    **dict.fromkeys(("GoalConsistency", "goal_consistency", "goal_coverage", "goal_profiles",
                     "profile_similarity"), "goals"),
    **dict.fromkeys(("herfindahl", "instrument_mix"), "instruments"),
    **dict.fromkeys(("IntegrationResult", "integration_table", "mismatch_figure"),
                    "integration"),
    **dict.fromkeys(("CoissuanceNetwork", "coissuance_network", "network_figure"), "network"),
    **dict.fromkeys(("OutcomeEquivalence", "dimension_progress", "outcome_equivalence"),
                    "outcomes"),
    **dict.fromkeys(("PMC_BANDS", "PMCDepression", "pmc_depression", "pmc_index",
                     "pmc_report_table", "pmc_surface", "pmc_surface_figure"), "pmc"),
    **dict.fromkeys(("CodingScheme", "load_scheme"), "scheme"),
    **dict.fromkeys(("read_coding_sheet", "write_coding_sheet"), "sheet"),
    **dict.fromkeys(("KappaResult", "agreement_report_table", "apply_precoding",
                     "coding_agreement", "cohen_kappa", "keyword_frequencies", "precode",
                     "segment"), "text"),
}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'linkage.synergy' has no attribute {name!r}")
    value = getattr(import_module(f"linkage.synergy.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "PMC_BANDS",
    "CodingScheme",
    "CoissuanceNetwork",
    "GoalConsistency",
    "IntegrationResult",
    "KappaResult",
    "OutcomeEquivalence",
    "PMCDepression",
    "PolicyCorpus",
    "agreement_report_table",
    "apply_precoding",
    "coding_agreement",
    "cohen_kappa",
    "coissuance_network",
    "dimension_progress",
    "goal_consistency",
    "goal_coverage",
    "goal_profiles",
    "herfindahl",
    "instrument_mix",
    "integration_table",
    "keyword_frequencies",
    "load_sample_corpus",
    "load_scheme",
    "mismatch_figure",
    "network_figure",
    "outcome_equivalence",
    "pmc_depression",
    "pmc_index",
    "pmc_report_table",
    "pmc_surface",
    "pmc_surface_figure",
    "precode",
    "profile_similarity",
    "read_coding_sheet",
    "read_corpus",
    "read_texts",
    "segment",
    "write_coding_sheet",
]

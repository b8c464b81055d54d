"""The kinds of vocabulary a framework file declares, and where each lives in the file.

Kept apart from the framework schema so that the models that store vocabulary rows can name the kinds
without importing the schema (and pydantic) when a command starts.
"""

from __future__ import annotations

from typing import Literal

VocabularyKind = Literal[
    "sector", "age_phase", "evidence_source", "activity_type", "plan_status", "finding_kind"
]
# The kind of each vocabulary and where it lives in the file (finding kinds are `finding_kinds`).
VOCABULARY_KEYS: dict[VocabularyKind, str] = {
    "sector": "sectors",
    "age_phase": "age_phases",
    "evidence_source": "evidence_sources",
    "activity_type": "activity_types",
    "plan_status": "plan_statuses",
    "finding_kind": "finding_kinds",
}
VOCABULARY_KINDS: tuple[VocabularyKind, ...] = tuple(VOCABULARY_KEYS)

"""Whether a visit's overall judgement agrees with its judgement of each finding.

The rule is the framework's: an overall scale with ``implied_by`` follows the judgements of each
finding on another scale of the visit (for a 2016 revisit, sufficient progress in all, some or none
of the areas of significant weakness). A finding not judged yet may still go either way, so only an
overall judgement that no judgement of it could give is a disagreement. Messages are in the
framework's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from areasend.domain.frameworks import Framework, Visit

# Refusals: tests import and assert these exactly.
JUDGEMENTS_DISAGREE = (
    "'{overall}' does not agree with the judgement of each {kind} ({counted} of {total} judged "
    "'{counting}'{unjudged}), which gives {agreeing}. Change a judgement, or give the reason for "
    "the difference."
)
NOT_YET_JUDGED = "; {count} not yet judged"


def _labels(items: Iterable[str]) -> str:
    return " or ".join(f"'{item}'" for item in items)


def disagreement(
    framework: Framework,
    spec: Visit,
    overall: str,
    judgements: Mapping[int, str],
    findings: Iterable[Any],
) -> str | None:
    """The message saying how ``overall`` disagrees with ``judgements`` (finding id -> option) of
    ``findings``, or None when it agrees (or the framework relates the two in no way)."""
    scale = spec.overall_scale
    rule = scale.implied_by if scale is not None else None
    judged = spec.scale(rule.scale) if rule is not None else None
    if not overall or scale is None or rule is None or judged is None or judged.judges is None:
        return None
    ids = [finding.pk for finding in findings if finding.kind == judged.judges]
    given = [judgements[pk] for pk in ids if pk in judgements]
    unjudged = len(ids) - len(given)
    agreeing = scale.agreeing(given, unjudged)
    if overall in agreeing:
        return None
    kind = framework.finding_kind(judged.judges)
    option = scale.option(overall)
    counting = [o.label for o in judged.options if o.key in rule.counting]
    return JUDGEMENTS_DISAGREE.format(
        overall=option.label if option is not None else overall,
        kind=(kind.label if kind is not None else judged.judges.replace("_", " ")).lower(),
        counted=sum(1 for judgement in given if judgement in rule.counting),
        total=len(ids),
        counting="' or '".join(counting),
        unjudged=NOT_YET_JUDGED.format(count=unjudged) if unjudged else "",
        agreeing=_labels(o.label for o in scale.options if o.key in agreeing),
    )

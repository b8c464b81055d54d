"""The domain framework an inspection runs under, parsed once per framework version.

A version loaded before the regime rules were declared in the framework files borrows them from a
later version of the same framework (``frameworks.selectors.with_declared_rules``, ADR 18); one
loaded before date rules were declared borrows those of the shipped file (ADR 19).
"""

from __future__ import annotations

from functools import lru_cache

from areasend.domain.frameworks import Framework, declares_rules, load_framework_text
from areasend.frameworks.selectors import with_declared_date_rules, with_declared_rules


@lru_cache(maxsize=32)
def _parse(sha256: str, raw_text: str, name: str) -> Framework:
    return with_declared_date_rules(load_framework_text(raw_text, name))


def framework_of_version(version: object) -> Framework:
    framework = _parse(version.sha256, version.raw_text, f"{version.framework_id} v{version.version}")  # type: ignore[attr-defined]
    return framework if declares_rules(framework) else with_declared_rules(framework)


def framework_of(inspection: object) -> Framework:
    return framework_of_version(inspection.framework)  # type: ignore[attr-defined]

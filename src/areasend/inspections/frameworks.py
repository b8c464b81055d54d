"""The domain framework an inspection runs under, parsed once per framework version."""

from __future__ import annotations

from functools import lru_cache

from areasend.domain.frameworks import Framework, load_framework_text


@lru_cache(maxsize=32)
def _parse(sha256: str, raw_text: str, name: str) -> Framework:
    return load_framework_text(raw_text, name)


def framework_of(inspection: object) -> Framework:
    version = inspection.framework  # type: ignore[attr-defined]
    return _parse(version.sha256, version.raw_text, f"{version.framework_id} v{version.version}")


def framework_of_version(version: object) -> Framework:
    return _parse(version.sha256, version.raw_text, f"{version.framework_id} v{version.version}")  # type: ignore[attr-defined]

"""System checks of the platform (`areasend check`; `--deploy` adds the deployment ones)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register("staticfiles", deploy=True)
def static_manifest(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from .staticfiles import manifest_problems  # the storage classes load only when checked

    return [Error(problem, id="areasend.E001") for problem in manifest_problems()]

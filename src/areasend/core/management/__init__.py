"""What the product's own management commands share."""

from __future__ import annotations

from django.core.checks import Tags

# The system checks the product's commands run before they start: every tagged check except the URL
# configuration's. Checking the URLs imports every page module and the API (with their document,
# calendar and analysis libraries), which would cost each command start about half a second.
# `areasend check`, `areasend runserver` and `areasend migrate` still run every check, URLs included.
COMMAND_CHECKS: list[str] = [
    Tags.admin,
    Tags.async_support,
    Tags.caches,
    Tags.commands,
    Tags.compatibility,
    Tags.database,
    Tags.files,
    Tags.models,
    Tags.security,
    Tags.signals,
    Tags.sites,
    Tags.staticfiles,
    Tags.templates,
    Tags.translation,
]

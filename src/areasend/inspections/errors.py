"""The refusals every inspection service raises (kept light, for the modules that only catch them)."""

from __future__ import annotations


class InspectionError(Exception):
    """A request the rules refuse; the message says which rule."""


class StaleVersion(InspectionError):
    """An edit made from an older read than what is stored: refused rather than overwriting."""

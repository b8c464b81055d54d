"""The refusal every inspection service raises (kept light, for the modules that only catch it)."""

from __future__ import annotations


class InspectionError(Exception):
    """A request the rules refuse; the message says which rule."""

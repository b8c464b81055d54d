"""Errors raised by the analytics package. Messages are module constants where tests assert them."""

from __future__ import annotations

from areasend.domain.intake import IntakeError

UNKNOWN_AREA = "Unknown area code {code!r}: not an English upper-tier local authority in the register."
NO_SUCCESSOR = (
    "Area code {code!r} ({name}) ended on {ended} and has no single successor area; "
    "use the code of a current area."
)
BAD_PERIOD = "Period {period!r} is not a year: use 2024, 2023/24, 2023-24 or 202324."


class AnalyticsError(Exception):
    """Base class for analytics errors."""


class CatalogueError(AnalyticsError, ValueError):
    """An indicator catalogue or enquiry rules file is invalid."""


class UnknownAreaError(AnalyticsError, LookupError):
    """No live area matches the code given."""


class PeriodError(AnalyticsError, ValueError):
    """A period argument that is not a year."""


class IngestError(IntakeError, AnalyticsError):
    """A shipped file that cannot be read as published: each problem names the file, the line (the
    row of the file) and the column. Raise one with ``IngestError.at(file, line, column, message)``."""

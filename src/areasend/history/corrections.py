"""areasend's own corrections to rows of the shipped history (``data/history_corrections.yaml``).

The scraped 2023-framework file leaves a few gaps (start dates not stated, an outcome not parsed).
Each correction names its row by file, area and publication date, sets a few fields and carries its
source and confidence; the import stores them with the row, and the area's history says the value
was corrected and from what. Pure Python: no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from areasend.domain.intake import Problem

if TYPE_CHECKING:
    from .reference_data import InspectionRow

CORRECTIONS_FILE = "history_corrections.yaml"
CONFIDENCES = ("high", "medium", "low")
DATE_FIELDS = ("started_on", "ended_on")
SETTABLE = (*DATE_FIELDS, "outcome")

MSG_NOT_A_LIST = "the file must hold a list under 'corrections'"
MSG_MISSING = "correction {n}: '{field}' is required"
MSG_BAD_FIELD = "correction {n}: {field!r} cannot be corrected; fields that can be: {known}"
MSG_BAD_DATE = "correction {n}: {field} must be a date (YYYY-MM-DD), got {value!r}"
MSG_BAD_OUTCOME = "correction {n}: outcome must be 1, 2 or 3, got {value!r}"
MSG_BAD_CONFIDENCE = "correction {n}: confidence must be one of {known}, got {value!r}"
MSG_NO_ROW = "correction {n} ({area}, published {date}) matches no row of {file}"
MSG_MANY_ROWS = "correction {n} ({area}, published {date}) matches {count} rows of {file}"
MSG_END_BEFORE_START = "correction {n}: the end date {end} is before the start date {start}"


@dataclass(frozen=True)
class Correction:
    file: str
    area: str
    published: dt.date
    values: dict[str, Any]
    source: str
    confidence: str
    note: str = ""

    def as_record(self) -> dict[str, Any]:
        """What the import stores with the row: the fields set, their source and confidence."""
        return {
            "fields": [name for name in SETTABLE if name in self.values],
            "source": self.source,
            "confidence": self.confidence,
            "note": self.note,
        }


def _problem(path: Path, message: str) -> Problem:
    return Problem(file=path.name, line=None, column=None, message=message)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _read_one(n: int, item: Any, path: Path, problems: list[Problem]) -> Correction | None:
    before = len(problems)
    if not isinstance(item, dict):
        problems.append(_problem(path, MSG_MISSING.format(n=n, field="file")))
        return None
    for name in ("file", "area", "published_on", "set", "source", "confidence"):
        if not item.get(name):
            problems.append(_problem(path, MSG_MISSING.format(n=n, field=name)))
    published = _date(item.get("published_on"))
    if item.get("published_on") and published is None:
        problems.append(
            _problem(path, MSG_BAD_DATE.format(n=n, field="published_on", value=item["published_on"]))
        )
    if item.get("confidence") and item["confidence"] not in CONFIDENCES:
        problems.append(
            _problem(
                path, MSG_BAD_CONFIDENCE.format(n=n, known=", ".join(CONFIDENCES), value=item["confidence"])
            )
        )
    values: dict[str, Any] = {}
    for name, value in (item.get("set") or {}).items():
        if name not in SETTABLE:
            problems.append(_problem(path, MSG_BAD_FIELD.format(n=n, field=name, known=", ".join(SETTABLE))))
        elif name in DATE_FIELDS:
            day = _date(value)
            if day is None:
                problems.append(_problem(path, MSG_BAD_DATE.format(n=n, field=name, value=value)))
            values[name] = day
        elif value not in (1, 2, 3) or isinstance(value, bool):
            problems.append(_problem(path, MSG_BAD_OUTCOME.format(n=n, value=value)))
        else:
            values[name] = value
    start, end = values.get("started_on"), values.get("ended_on")
    if start and end and end < start:
        problems.append(_problem(path, MSG_END_BEFORE_START.format(n=n, end=end, start=start)))
    if len(problems) > before or published is None:
        return None
    return Correction(
        file=str(item["file"]),
        area=str(item["area"]).strip().upper(),
        published=published,
        values=values,
        source=str(item["source"]),
        confidence=str(item["confidence"]),
        note=str(item.get("note") or ""),
    )


def read_corrections(path: Path, problems: list[Problem]) -> list[Correction]:
    """The corrections in ``path`` (none if the file is absent); problems for every bad entry."""
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(_problem(path, f"not valid YAML: {exc}"))
        return []
    items = data.get("corrections") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(_problem(path, MSG_NOT_A_LIST))
        return []
    found = [_read_one(n, item, path, problems) for n, item in enumerate(items, start=1)]
    return [c for c in found if c is not None]


def apply_corrections(
    rows: list[InspectionRow], corrections: list[Correction], path: Path, problems: list[Problem]
) -> list[InspectionRow]:
    """The rows with each correction applied to the one row it names (its key is kept, so a row
    imported before the correction is updated, not duplicated)."""
    out = list(rows)
    for n, correction in enumerate(corrections, start=1):
        matches = [
            i
            for i, row in enumerate(out)
            if row.source == correction.file
            and row.area_code == correction.area
            and row.published_on == correction.published
            and row.kind == "full"
        ]
        where = {"n": n, "area": correction.area, "date": correction.published, "file": correction.file}
        if not matches:
            problems.append(_problem(path, MSG_NO_ROW.format(**where)))
            continue
        if len(matches) > 1:
            problems.append(_problem(path, MSG_MANY_ROWS.format(count=len(matches), **where)))
            continue
        row = out[matches[0]]
        out[matches[0]] = replace(row, **correction.values, corrected=correction.as_record())
    return out

"""The grades of inspector the inspectorates employ, and the inspectorate of each, read from
``data/inspector_grades.yaml``. A framework's team roles name the grades that may hold them
(``team_roles[].grades``); the framework files are checked against this list."""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Grade:
    key: str
    label: str
    inspectorate: str
    source: str
    confidence: str


def _load() -> dict[str, Grade]:
    text = (
        importlib.resources.files("areasend.domain").joinpath("data/inspector_grades.yaml").read_text("utf-8")
    )
    rows = yaml.safe_load(text)["grades"]
    return {
        str(row["key"]): Grade(
            key=str(row["key"]),
            label=str(row["label"]),
            inspectorate=str(row["inspectorate"]),
            source=str(row["source"]),
            confidence=str(row["confidence"]),
        )
        for row in rows
    }


GRADES: dict[str, Grade] = _load()


def grade_text(key: str) -> str:
    """'His Majesty's Inspector (HMI), Ofsted' for a known grade; the key itself otherwise."""
    grade = GRADES.get(key)
    return f"{grade.label}, {grade.inspectorate}" if grade is not None else key

"""One thing wrong with a file, and the error that carries every problem found."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Self

# An error shows this many problems; the rest are counted ("… and 12 more").
SHOWN_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and where: the file, the line (1-based; the row number in a spreadsheet) and
    the column, when the problem has one."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class IntakeError(Exception):
    """A file (or set of files) refused: ``problems`` holds every reason found, in order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        if not self.problems:
            raise ValueError("an IntakeError needs at least one problem")
        shown = "\n".join(str(p) for p in self.problems[:SHOWN_PROBLEMS])
        hidden = len(self.problems) - SHOWN_PROBLEMS
        more = f"\n… and {hidden} more" if hidden > 0 else ""
        super().__init__(f"{shown}{more}")

    @classmethod
    def at(cls, file: str, line: int | None, column: str | None, message: str) -> Self:
        """The error for one problem."""
        return cls([Problem(file, line, column, message)])

    @property
    def first(self) -> Problem:
        return self.problems[0]

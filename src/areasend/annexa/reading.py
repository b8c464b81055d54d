"""Read an Annex A list (CSV, or the "List 1" / "List 2" sheet of a workbook) into columns.

The intake toolkit (``areasend.domain.intake``) refuses what cannot be read as a table: a missing,
empty, oversized or non-UTF-8 file, a file that is not a spreadsheet, a missing header. On top of
it a list must name its sheet as Ofsted's template does and have exactly the template's columns
(matched whatever their case, spacing, hyphens, dashes and underscores): a missing or an extra
column refuses the file, with a message naming them. A refused list raises ``IntakeError``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from areasend.domain.intake import (
    EMPTY_SHEET,
    NO_HEADER,
    NO_ROWS,
    NOT_A_HEADER,
    TOO_LARGE,
    UNREADABLE,
    Column,
    ColumnSpec,
    Header,
    IntakeError,
    Problem,
    TableReader,
    cell_text,
    header_key,
    match_header,
)

from .schema import ListKind, list_kind, list_kinds

# The largest list file read (a county's List 2 as CSV is about 10 MB).
MAX_LIST_BYTES = 50 * 1024 * 1024
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")

NO_LIST_SHEET = (
    "there is no sheet named {wanted}; the workbook has {sheets}. Name the sheets as Ofsted's template "
    "does: 'List 1' (EHC plans) and 'List 2' (SEN support)"
)
BOTH_LISTS = "the workbook holds both List 1 and List 2: say which to read"
NOT_A_LIST_NUMBER = "there is no List {number}: Annex A has List 1 and List 2"


@dataclass(frozen=True)
class AnnexAList:
    """One list read: ``columns`` maps each field key to its values in row order (None when
    blank); ``lines`` is each row's line in the file (its row number in a spreadsheet)."""

    number: int
    file: str
    header_line: int
    lines: tuple[int, ...]
    columns: dict[str, list[str | None]]

    @property
    def kind(self) -> ListKind:
        return list_kind(self.number)

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def rows(self) -> list[int]:
        """The data row number of each row: 1 for the row below the header."""
        return [line - self.header_line for line in self.lines]

    def record(self, index: int) -> dict[str, str | None]:
        return {key: values[index] for key, values in self.columns.items()}

    @classmethod
    def from_records(
        cls, number: int, records: list[dict[str, str | None]], *, file: str = "list"
    ) -> AnnexAList:
        """A list from dictionaries of field values (missing keys blank), as if read from a file
        with the header on line 1 and no blank rows."""
        keys = list_kind(number).keys
        columns = {key: [(r.get(key) or "").strip() or None for r in records] for key in keys}
        return cls(number, file, 1, tuple(range(2, len(records) + 2)), columns)


def is_workbook(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(8).startswith(_WORKBOOK_MAGIC)
    except OSError:
        return False  # the reader says why it cannot be read


def read_lists(
    path: Path | str,
    *,
    number: int | None = None,
    file: str | None = None,
    max_bytes: int | None = MAX_LIST_BYTES,
) -> dict[int, AnnexAList]:
    """Every list in the file: from a workbook each sheet named "List 1" or "List 2" (only
    ``number`` when given); from a CSV file the one list, told by ``number`` or by its header."""
    path = Path(path)
    file = file if file is not None else path.name
    if number is not None and number not in list_kinds():
        raise IntakeError.at(file, None, None, NOT_A_LIST_NUMBER.format(number=number))
    if not is_workbook(path):
        found = number if number is not None else _list_of_csv(path, file, max_bytes)
        return {found: _read(path, list_kind(found), file, None, max_bytes)}
    sheets = _list_sheets(path, file, max_bytes)
    wanted = [number] if number is not None else sorted(sheets)
    missing = [n for n in wanted if n not in sheets]
    if missing or not wanted:
        names = " or ".join(repr(list_kind(n).sheet) for n in (missing or list_kinds()))
        shown = ", ".join(repr(n) for n in _sheet_names(path)) or "no sheets"
        raise IntakeError.at(file, None, None, NO_LIST_SHEET.format(wanted=names, sheets=shown))
    return {n: _read(path, list_kind(n), file, sheets[n], max_bytes) for n in wanted}


def read_list(
    path: Path | str,
    *,
    number: int | None = None,
    file: str | None = None,
    max_bytes: int | None = MAX_LIST_BYTES,
) -> AnnexAList:
    """One list; a workbook holding both lists needs ``number``."""
    lists = read_lists(path, number=number, file=file, max_bytes=max_bytes)
    if len(lists) > 1:
        raise IntakeError.at(file if file is not None else Path(path).name, None, None, BOTH_LISTS)
    return next(iter(lists.values()))


def _sheet_names(path: Path) -> list[str]:
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def _list_sheets(path: Path, file: str, max_bytes: int | None) -> dict[int, str]:
    """list number -> the sheet that holds it. A workbook that cannot be opened is refused by the
    intake toolkit, in its words."""
    try:
        names = _sheet_names(path)
    except Exception:
        problems: list[Problem] = []
        TableReader(path, ColumnSpec(()), file=file, problems=problems, max_bytes=max_bytes).read_header()
        if problems:
            raise IntakeError(problems) from None
        raise
    found: dict[int, str] = {}
    for number, kind in list_kinds().items():
        matches = [n for n in names if header_key(n) == header_key(kind.sheet)]
        if matches:
            found[number] = matches[0]
    return found


def _list_of_csv(path: Path, file: str, max_bytes: int | None) -> int:
    """Which list a CSV file holds, from its header: List 1 has the EHC plan columns."""
    every = {f.header: f for kind in list_kinds().values() for f in kind.fields}
    spec = ColumnSpec(tuple(Column(h, required=False) for h in every))
    problems: list[Problem] = []
    reader = TableReader(path, spec, file=file, problems=problems, max_bytes=max_bytes)
    header = reader.read_header()
    if header is None or problems:
        raise IntakeError(problems)
    only_first = {f.header for f in list_kind(1).fields} - {f.header for f in list_kind(2).fields}
    return 1 if only_first & set(header.positions) else 2


def _read(path: Path, kind: ListKind, file: str, sheet: str | None, max_bytes: int | None) -> AnnexAList:
    if sheet is not None:
        return _read_sheet(path, kind, file, sheet, max_bytes)
    problems: list[Problem] = []
    reader = TableReader(path, kind.spec, file=file, problems=problems, max_bytes=max_bytes)
    records: list[list[str]] = []
    lines: list[int] = []
    for row in reader.rows():
        records.append(row.fields)
        lines.append(row.line)
    if problems or reader.header is None:
        raise IntakeError(problems or [Problem(file, None, None, UNREADABLE.format(reason="no header"))])
    return _columns(kind, file, reader.header, records, lines)


def _columns(
    kind: ListKind, file: str, header: Header, records: list[list[str]], lines: list[int]
) -> AnnexAList:
    positions = header.positions
    by_position = list(zip(*records, strict=True)) if records else [() for _ in range(header.width)]
    columns = {f.key: [value or None for value in by_position[positions[f.header]]] for f in kind.fields}
    return AnnexAList(kind.number, file, header.line, tuple(lines), columns)


def _text(value: object) -> str:
    """A cell that is not text, as the toolkit gives it: a date (the commonest) as YYYY-MM-DD, a
    whole number without a decimal point."""
    if type(value) is dt.date:
        return value.isoformat()
    if type(value) is float and value.is_integer():
        return str(int(value))
    return cell_text(value).strip()


def _read_sheet(path: Path, kind: ListKind, file: str, sheet: str, max_bytes: int | None) -> AnnexAList:
    """A workbook sheet, read whole by calamine and turned into columns a column at a time (the
    intake toolkit's reader gives a row at a time, ten times slower for a large list). Refusals
    and header problems are the toolkit's, in its words; the header is on line 1."""
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise IntakeError.at(file, None, None, TOO_LARGE.format(size=size, limit=max_bytes))
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        found = workbook.get_sheet_by_name(sheet)
        rows = found.to_python(skip_empty_area=False) if found.start is not None else []
    finally:
        workbook.close()
    if not rows or all(row.count("") == len(row) for row in rows):
        raise IntakeError.at(file, None, None, EMPTY_SHEET.format(sheet=sheet))
    width = max(map(len, rows))
    padded = [row if len(row) == width else row + [""] * (width - len(row)) for row in rows]
    head = [cell_text(c).strip() for c in padded[0]]
    if not any(head):
        raise IntakeError.at(file, 1, None, NO_HEADER)
    # Columns before the first one with data are not part of the table, as the toolkit reads it.
    first = next(i for i in range(width) if any(row[i] != "" for row in padded))
    header, problems = match_header(head[first:], kind.spec, file=file, line=1)
    if not header.positions:
        raise IntakeError.at(file, 1, None, NOT_A_HEADER.format(columns=", ".join(kind.spec.names)))
    if problems:
        raise IntakeError(problems)
    lines = [i + 1 for i, row in enumerate(padded) if i and row.count("") != width]
    if not lines:
        raise IntakeError.at(file, 2, None, NO_ROWS)
    data = [padded[line - 1] for line in lines]
    by_position = list(zip(*data, strict=True))
    columns: dict[str, list[str | None]] = {}
    for f in kind.fields:
        cells = by_position[first + header.positions[f.header]]
        try:  # a column of text (most are)
            text = list(map(str.strip, cells))
        except TypeError:  # numbers and dates too: as the toolkit gives them
            text = [v.strip() if v.__class__ is str else _text(v) for v in cells]
        columns[f.key] = [v or None for v in text]
    return AnnexAList(kind.number, file, header.line, tuple(lines), columns)

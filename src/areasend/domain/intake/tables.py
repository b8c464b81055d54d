"""Read a table, a CSV file or a sheet of a workbook, row by row, collecting problems.

``TableReader(path, spec).rows()`` yields each non-blank row below the header as a ``Row`` with its
line: the record number in a CSV file and the row number in a sheet, which is what a spreadsheet
program shows. The header is on line 1 unless ``header_line`` gives another line (lines above it,
such as a title, are skipped) or is None (the first line that is not blank). Rows stream: a file of
any length is read a row at a time (a sheet is held by the workbook reader, a CSV file is not).

A refused file yields no rows and adds one problem saying why: it does not exist, is larger than
``max_bytes``, is empty, has no header, is CSV that is not UTF-8 (naming the byte and line), names a
sheet the workbook does not have (listing those it has), or is not a spreadsheet at all. A header
that names none of the required columns, lacks one of them, has a column twice or (when the spec
says so) has a column the spec does not know, is refused too. Row problems (a CSV record with
the wrong number of fields) are added as they are met and the reader goes on.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import stat
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO, Literal, NoReturn

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError

from .codes import Cell
from .columns import ColumnSpec, Header, header_key, match_header
from .problems import Problem

FILE_MISSING = "the file does not exist"
UNREADABLE = "the file cannot be read: {reason}"
TOO_LARGE = "the file is too large: {size:,} bytes, over the limit of {limit:,} bytes"
EMPTY_FILE = "the file is empty"
EMPTY_SHEET = "the sheet {sheet!r} is empty"
NO_HEADER = "no header: this line should name the columns but is blank"
NOT_A_HEADER = "no header: this line names none of the expected columns ({columns})"
ENDS_BEFORE_HEADER = "the file ends before line {line}, where the header should be"
NO_ROWS = "there are no rows below the header"
NOT_UTF8 = "the file is not UTF-8 text: {reason} at byte offset {offset}; save it as CSV UTF-8"
WRONG_FIELD_COUNT = "expected {expected} fields, found {found} (is the file truncated?)"
BAD_CSV = "cannot read this row as CSV: {error} (is a quote missing, or the file truncated?)"
NO_SUCH_SHEET = "there is no sheet named {sheet!r}; the workbook has {sheets}"
NOT_A_SPREADSHEET = "the file is not a spreadsheet: {detail}"
NAMED_AS_WORKBOOK = "it is named {suffix} but is not an Excel or OpenDocument workbook"
BINARY = "it holds binary data, not CSV text or a workbook"
PDF = "it is a PDF document"
PROTECTED = "the workbook is protected by a password"

Kind = Literal["csv", "workbook"]
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # ZIP (xlsx, ods), OLE (xls)
_SNIFF_BYTES = 8192
_CHUNK = 1 << 20


class _Refused(Exception):
    """Carries the problem that refuses a file, out of the reading code to the public methods."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


Records = Generator[tuple[int, list[str]], None, None]


class Row:
    """One row below the header. ``row["name"]`` is the text of a spec column; ``fields`` is every
    cell of the row. Text is given with surrounding whitespace removed."""

    __slots__ = ("fields", "file", "header", "line")

    def __init__(self, file: str, line: int, header: Header, fields: list[str]) -> None:
        self.file = file
        self.line = line
        self.header = header
        self.fields = fields

    def __getitem__(self, column: str) -> str:
        return self.fields[self.header.positions[column]]

    def __contains__(self, column: object) -> bool:
        return column in self.header.positions

    def get(self, column: str, default: str = "") -> str:
        position = self.header.positions.get(column)
        return default if position is None else self.fields[position]

    @property
    def values(self) -> dict[str, str]:
        return {name: self.fields[i] for name, i in self.header.positions.items()}

    def cell(self, column: str) -> Cell:
        """The cell in ``column`` (blank when an optional column is not in the file), for the checks
        in ``codes``."""
        return Cell(self.file, self.line, column, self.get(column))

    def problem(self, column: str | None, message: str) -> Problem:
        return Problem(self.file, self.line, column, message)

    def __repr__(self) -> str:
        return f"Row(line={self.line}, {self.values!r})"


class TableReader:
    """Reads one table. Problems go to ``problems`` (a list shared with the caller when given).

    ``file`` is the name problems give (the file's name by default); ``sheet`` the workbook sheet
    (the first by default; matched as headers are); ``header_line`` where the header is;
    ``max_bytes`` the largest file accepted; ``kind`` "csv" or "workbook" to insist on one (by
    default a workbook is known by its content, and a file named .xlsx, .xls, .xlsb or .ods must be
    one); ``allow_no_rows`` accepts a header with no rows below it.
    """

    def __init__(
        self,
        path: Path | str,
        spec: ColumnSpec,
        *,
        file: str | None = None,
        problems: list[Problem] | None = None,
        sheet: str | None = None,
        header_line: int | None = 1,
        max_bytes: int | None = None,
        kind: Kind | None = None,
        allow_no_rows: bool = False,
    ) -> None:
        if header_line is not None and header_line < 1:
            raise ValueError("header_line counts from 1")
        self.path = Path(path)
        self.spec = spec
        self.file = file if file is not None else self.path.name
        self.problems: list[Problem] = problems if problems is not None else []
        self.sheet = sheet
        self.header_line = header_line
        self.max_bytes = max_bytes
        self.kind = kind
        self.allow_no_rows = allow_no_rows
        self.header: Header | None = None

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, column, message))

    # --- reading -----------------------------------------------------------------------------------

    def read_header(self) -> Header | None:
        """Match the header only (a CSV file is read no further): None when the file is refused."""
        try:
            records = self._records(check_encoding=False)
            header = self._header(records)
        except _Refused as refused:
            self.problems.append(refused.problem)
            return None
        finally:
            self._close()
        return header

    def rows(self) -> Generator[Row, None, None]:
        """Every non-blank row below the header, in order."""
        try:
            records = self._records(check_encoding=True)
            header = self._header(records)
            if header is None:
                return
            file, width, count, check_width = self.file, header.width, 0, self._kind == "csv"
            for line, fields in records:
                if not any(fields):
                    continue
                if check_width and len(fields) != width:
                    column = header.name_at(len(fields)) if len(fields) < width else None
                    self.problem(line, column, WRONG_FIELD_COUNT.format(expected=width, found=len(fields)))
                    continue
                count += 1
                yield Row(file, line, header, fields)
            if not count and not self.allow_no_rows:
                self.problem(header.line + 1, None, NO_ROWS)
        except _Refused as refused:
            self.problems.append(refused.problem)
        finally:
            self._close()

    # --- the header --------------------------------------------------------------------------------

    def _header(self, records: Iterator[tuple[int, list[str]]]) -> Header | None:
        seen_content = False
        for line, fields in records:
            blank = not any(fields)
            seen_content = seen_content or not blank
            if self.header_line is None:
                if blank:
                    continue
            elif line < self.header_line:
                continue
            elif blank:
                if not seen_content and not self._has_content_after(records):
                    self._refuse_empty()
                self._refuse(NO_HEADER, line)
            header, problems = match_header(fields, self.spec, file=self.file, line=line)
            if not header.positions and self._names_no_column(header):
                self._refuse(NOT_A_HEADER.format(columns=", ".join(self.spec.names)), line)
            self.problems.extend(problems)
            self.header = header
            return None if problems else header
        if not seen_content:
            self._refuse_empty()
        self._refuse(ENDS_BEFORE_HEADER.format(line=self.header_line))

    def _names_no_column(self, header: Header) -> bool:
        """True when the spec requires columns and the header row names none of them."""
        if not any(c.required for c in self.spec.columns):
            return False
        keys = {header_key(cell) for cell in header.cells if cell}
        return not any(key in keys for c in self.spec.columns for key in c.header_keys)

    @staticmethod
    def _has_content_after(records: Iterator[tuple[int, list[str]]]) -> bool:
        return any(any(fields) for _, fields in records)

    def _refuse_empty(self) -> NoReturn:
        if self._kind == "workbook":
            self._refuse(EMPTY_SHEET.format(sheet=self._sheet_name))
        self._refuse(EMPTY_FILE)

    # --- the file ----------------------------------------------------------------------------------

    _kind: Kind = "csv"
    _sheet_name = ""
    _open_records: Records | None = None
    _workbook: CalamineWorkbook | None = None
    _binary: BinaryIO | None = None  # a CSV file, open from detection to the end of reading

    def _records(self, *, check_encoding: bool) -> Records:
        """Open the file (refusing it if it cannot be read) and return its records, numbered."""
        binary = self._detect()
        if binary is None:
            records = self._sheet_records(self._open_sheet())
        else:
            if check_encoding:
                bad = _first_non_utf8(binary)
                if bad is not None:
                    self._refuse_encoding(bad)
                binary.seek(0)
            records = self._csv_records(binary)
        self._open_records = records
        return records

    def _refuse(self, message: str, line: int | None = None) -> NoReturn:
        raise _Refused(Problem(self.file, line, None, message))

    def _refuse_encoding(self, bad: tuple[str, int, int] | None) -> NoReturn:
        reason, offset, line = bad if bad is not None else ("bytes that are not UTF-8", 0, None)
        self._refuse(NOT_UTF8.format(reason=reason, offset=offset), line)

    def _not_a_spreadsheet(self, detail: str) -> NoReturn:
        self._refuse(NOT_A_SPREADSHEET.format(detail=detail))

    def _detect(self) -> BinaryIO | None:
        """Refuse a file that cannot be read as a table; else set ``_kind`` and, for CSV, return
        the file open (bytes, at the start)."""
        try:
            found = self.path.stat()
            if stat.S_ISDIR(found.st_mode):
                self._refuse(UNREADABLE.format(reason="it is a folder"))
            size = found.st_size
            if self.max_bytes is not None and size > self.max_bytes:
                self._refuse(TOO_LARGE.format(size=size, limit=self.max_bytes))
            handle = self.path.open("rb")
            self._binary = handle
            start = handle.read(_SNIFF_BYTES)
            handle.seek(0)
        except FileNotFoundError:
            self._refuse(FILE_MISSING)
        except OSError as exc:
            self._refuse(UNREADABLE.format(reason=exc.strerror or str(exc)))
        if len(start) < _SNIFF_BYTES and not start.removeprefix(codecs.BOM_UTF8).strip():
            self._refuse(EMPTY_FILE)
        if start.startswith(_WORKBOOK_MAGIC):
            if self.kind == "csv":
                self._not_a_spreadsheet(BINARY)
            self._close_binary()  # the workbook reader opens the file itself
            self._kind = "workbook"
            return None
        suffix = self.path.suffix.lower()
        if self.kind == "workbook" or suffix in WORKBOOK_SUFFIXES:
            self._not_a_spreadsheet(NAMED_AS_WORKBOOK.format(suffix=suffix or "as a workbook"))
        if start.startswith(b"%PDF"):
            self._not_a_spreadsheet(PDF)
        if b"\x00" in start:
            self._not_a_spreadsheet(BINARY)
        self._kind = "csv"
        return handle

    def _csv_records(self, binary: BinaryIO) -> Records:
        line = 0
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as handle:
            self._binary = None  # closed with the text handle
            try:
                for line, fields in enumerate(csv.reader(handle, strict=True), start=1):
                    yield line, list(map(str.strip, fields))
            except csv.Error as exc:
                self._refuse(BAD_CSV.format(error=exc), line + 1)
            except UnicodeDecodeError:
                self._refuse_encoding(first_non_utf8(self.path))

    def _open_sheet(self) -> CalamineSheet:
        try:
            workbook = CalamineWorkbook.from_path(str(self.path))
        except PasswordError:
            self._not_a_spreadsheet(PROTECTED)
        except (CalamineError, ValueError, OSError) as exc:
            self._not_a_spreadsheet(f"it cannot be read as a workbook ({exc or type(exc).__name__})")
        self._workbook = workbook
        name = self._choose_sheet(list(workbook.sheet_names))
        self._sheet_name = name
        try:
            return workbook.get_sheet_by_name(name)
        except CalamineError as exc:
            self._not_a_spreadsheet(f"the sheet {name!r} cannot be read ({exc})")

    def _choose_sheet(self, names: list[str]) -> str:
        if not names:
            self._not_a_spreadsheet("the workbook has no sheets")
        if self.sheet is None:
            return names[0]
        if self.sheet in names:
            return self.sheet
        close = [n for n in names if header_key(n) == header_key(self.sheet)]
        if len(close) == 1:
            return close[0]
        shown = ", ".join(repr(n) for n in names)
        self._refuse(NO_SUCH_SHEET.format(sheet=self.sheet, sheets=shown))

    def _sheet_records(self, sheet: CalamineSheet) -> Records:
        if sheet.start is None:
            return
        try:
            # Rows come from row 1 of the sheet (blank rows above the data included), so the row
            # number is the position; columns start at the first one with data.
            for index, cells in enumerate(sheet.iter_rows(), start=1):
                yield index, [(c if type(c) is str else cell_text(c)).strip() for c in cells]
        except CalamineError as exc:
            self._not_a_spreadsheet(str(exc))

    def _close_binary(self) -> None:
        binary, self._binary = self._binary, None
        if binary is not None:
            binary.close()

    def _close(self) -> None:
        self._close_binary()
        records, self._open_records = self._open_records, None
        if records is not None:
            records.close()
        workbook, self._workbook = self._workbook, None
        if workbook is not None:
            workbook.close()


def cell_text(value: object) -> str:
    """A workbook cell as text: whole numbers without a decimal point, dates as YYYY-MM-DD (a date
    and time at midnight as a date), other numbers as a spreadsheet shows them (15 digits)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def first_non_utf8(path: Path) -> tuple[str, int, int] | None:
    """(reason, byte offset, line) of the first bytes of ``path`` that are not UTF-8, or None."""
    with path.open("rb") as handle:
        return _first_non_utf8(handle)


def _first_non_utf8(handle: BinaryIO) -> tuple[str, int, int] | None:
    """As ``first_non_utf8``, reading ``handle`` from where it is to its end."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = newlines = 0
    chunk = b""
    try:
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
            newlines += chunk.count(b"\n")
        chunk = b""
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        # exc.object is the bytes held back from the chunk before (never a newline) and this chunk.
        held = len(exc.object) - len(chunk)
        bad = offset - held + exc.start
        line = newlines + chunk[: max(0, exc.start - held)].count(b"\n") + 1
        return exc.reason, bad, line
    return None

"""File intake: problems, header matching, the table reader's rows and refusals, and value checks."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from areasend.domain.intake import (
    BAD_CSV,
    BAD_DATE,
    BAD_INTEGER,
    BAD_LA_NUMBER,
    BAD_ONS_CODE,
    BAD_YES_NO,
    DUPLICATE_COLUMN,
    EMPTY_FILE,
    EMPTY_SHEET,
    ENDS_BEFORE_HEADER,
    ENGLISH_AREA,
    FILE_MISSING,
    INTEGRATED_CARE_BOARD,
    ISO_DATE,
    MISSING_COLUMNS,
    NO_HEADER,
    NO_ROWS,
    NO_SUCH_DATE,
    NO_SUCH_SHEET,
    NOT_A_HEADER,
    NOT_A_SPREADSHEET,
    NOT_UTF8,
    REGION,
    REQUIRED,
    TOO_LARGE,
    UK_DATE,
    UNEXPECTED_COLUMNS,
    UNREADABLE,
    UPPER_TIER_AREA,
    WRONG_FIELD_COUNT,
    Cell,
    Column,
    ColumnSpec,
    IntakeError,
    Problem,
    TableReader,
    cell_text,
    date_value,
    first_non_utf8,
    header_key,
    integer,
    la_number,
    match_header,
    ons_code,
    optional,
    required,
    take,
    yes_no,
)
from areasend.domain.intake.tables import BINARY, NAMED_AS_WORKBOOK, PDF

SPEC = ColumnSpec.of("Unique ID", "Date of birth", optional=["Notes"])


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def write_xlsx(
    path: Path, sheets: dict[str, list[list[object]]], *, start_row: int = 1, start_col: int = 1
) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(row=start_row + r, column=start_col + c, value=value)
    workbook.save(path)
    return path


def read(
    path: Path, spec: ColumnSpec = SPEC, **options: object
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    reader = TableReader(path, spec, **options)  # type: ignore[arg-type]
    rows = [(row.line, row.values) for row in reader.rows()]
    return rows, [str(p) for p in reader.problems]


def cell(value: str, column: str = "code") -> Cell:
    return Cell("f.csv", 7, column, value)


# --- problems ----------------------------------------------------------------------------------------


def test_problem_names_file_line_column_and_message() -> None:
    assert str(Problem("a.csv", 3, "la_code", "bad")) == "a.csv, line 3, column la_code: bad"
    assert str(Problem("a.csv", 1, None, "bad")) == "a.csv, line 1: bad"
    assert str(Problem("a.csv", None, None, "bad")) == "a.csv: bad"
    assert str(Problem("a.xlsx", None, "urn", "bad")) == "a.xlsx, column urn: bad"


def test_intake_error_shows_twenty_problems_and_counts_the_rest() -> None:
    problems = [Problem("a.csv", line, None, "bad") for line in range(2, 27)]
    error = IntakeError(problems)
    text = str(error).splitlines()
    assert text[0] == "a.csv, line 2: bad"
    assert text[19] == "a.csv, line 21: bad"
    assert text[20] == "… and 5 more"
    assert error.problems == problems
    assert error.first == problems[0]


def test_intake_error_for_one_problem_and_never_for_none() -> None:
    error = IntakeError.at("a.csv", 4, "urn", "bad")
    assert error.problems == [Problem("a.csv", 4, "urn", "bad")]
    assert str(error) == "a.csv, line 4, column urn: bad"
    with pytest.raises(ValueError, match="at least one problem"):
        IntakeError([])


# --- header matching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "Date of birth",
        "date_of_birth",
        "DATE-OF-BIRTH",
        "  Date  of   birth ",
        "Date–of–birth",
        "date\u00a0of\u00a0birth",
        "Date_-_of birth",
        "\ufeffDate of birth",
    ],
)
def test_header_key_ignores_case_spacing_and_separators(variant: str) -> None:
    assert header_key(variant) == "date of birth"


def test_header_key_keeps_words_apart_and_folds_apostrophes() -> None:
    assert header_key("Known to children’s social care?") == header_key("known to children's social care?")
    assert header_key("la code") != header_key("lacode")
    assert header_key("Main education establishment – URN") == header_key("main_education_establishment_urn")


WORDS = st.lists(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1, max_size=5
)
SEPARATOR = st.sampled_from([" ", "  ", "_", "-", "–", " – ", "\t", "\u00a0", "-_"])


@given(words=WORDS, data=st.data())
def test_header_matching_is_insensitive_to_case_whitespace_and_dash_variants(
    words: list[str], data: st.DataObject
) -> None:
    name = "_".join(words)
    cased = [data.draw(st.sampled_from([w, w.upper(), w.capitalize()])) for w in words]
    variant = cased[0]
    for word in cased[1:]:
        variant += data.draw(SEPARATOR) + word
    variant = (
        data.draw(st.sampled_from(["", " ", "  "])) + variant + data.draw(st.sampled_from(["", " ", "\t"]))
    )
    header, problems = match_header(["other", variant], ColumnSpec.of(name), file="f.csv", line=1)
    assert problems == []
    assert header.positions == {name: 1}


def test_missing_required_columns_are_one_problem_naming_them_all() -> None:
    spec = ColumnSpec.of("a", "b", "c", optional=["d"])
    header, problems = match_header(["b", "x"], spec, file="f.csv", line=1)
    assert problems == [Problem("f.csv", 1, None, MISSING_COLUMNS.format(columns="a, c"))]
    assert header.positions == {"b": 0}


def test_a_column_twice_is_a_problem_naming_both_places() -> None:
    _, problems = match_header(["UPN", "Unique ID", "unique_id"], SPEC, file="f.csv", line=1)
    found = "'Unique ID' at position 2, 'unique_id' at position 3"
    assert Problem("f.csv", 1, "Unique ID", DUPLICATE_COLUMN.format(found=found)) in problems


def test_an_alias_and_the_name_together_are_a_duplicate() -> None:
    spec = ColumnSpec((Column("la_code", aliases=("LA number",)),))
    header, problems = match_header(["LA number"], spec, file="f.csv", line=1)
    assert (header.positions, problems) == ({"la_code": 0}, [])
    _, problems = match_header(["la_code", "LA number"], spec, file="f.csv", line=1)
    found = "'la_code' at position 1, 'LA number' at position 2"
    assert problems == [Problem("f.csv", 1, "la_code", DUPLICATE_COLUMN.format(found=found))]


def test_unexpected_columns_are_problems_only_when_the_spec_says_so() -> None:
    cells = ["Unique ID", "Date of birth", "Shoe size", "", "Hat size"]
    _, allowed = match_header(cells, SPEC, file="f.csv", line=1)
    assert allowed == []
    strict = ColumnSpec(SPEC.columns, allow_other_columns=False)
    _, refused = match_header(cells, strict, file="f.csv", line=1)
    assert refused == [Problem("f.csv", 1, None, UNEXPECTED_COLUMNS.format(columns="Shoe size, Hat size"))]


def test_a_spec_whose_columns_match_the_same_header_is_refused() -> None:
    with pytest.raises(ValueError, match="match the same header"):
        ColumnSpec.of("la_code", "LA code")


# --- reading CSV -------------------------------------------------------------------------------------


def test_csv_rows_come_with_their_line_numbers_and_trimmed_values(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "\ufeffunique_id,DATE OF BIRTH,notes\n"
        "A1, 01/02/2010 ,\n"
        "\n"
        '"A2","03/04/2011","two\nlines"\n'
        " , ,\n"
        "A3,05/06/2012,x\n",
        encoding="utf-8",
    )
    rows, problems = read(path)
    assert problems == []
    assert rows == [
        (2, {"Unique ID": "A1", "Date of birth": "01/02/2010", "Notes": ""}),
        (4, {"Unique ID": "A2", "Date of birth": "03/04/2011", "Notes": "two\nlines"}),
        (6, {"Unique ID": "A3", "Date of birth": "05/06/2012", "Notes": "x"}),
    ]


def test_an_optional_column_not_in_the_file_reads_as_blank(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Unique ID", "Date of birth"], ["A1", "2010-01-01"]])
    reader = TableReader(path, SPEC)
    row = next(reader.rows())
    assert "Notes" not in row and "Unique ID" in row
    assert row.get("Notes") == "" and row.cell("Notes").blank
    assert row.fields == ["A1", "2010-01-01"]
    with pytest.raises(KeyError):
        row["Notes"]


def test_rows_with_the_wrong_number_of_fields_are_each_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Unique ID,Date of birth,Notes\nA1,2010-01-01,\nA2\nA3,2010-01-01,,extra\nA4,2010-01-02,\n"
    )
    rows, problems = read(path)
    assert [line for line, _ in rows] == [2, 5]
    assert problems == [
        "list.csv, line 3, column Date of birth: " + WRONG_FIELD_COUNT.format(expected=3, found=1),
        "list.csv, line 4: " + WRONG_FIELD_COUNT.format(expected=3, found=4),
    ]


def test_header_below_title_lines(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Annex A: list 1,\n,\nUnique ID,Date of birth\nA1,2010-01-01\n")
    assert read(path, header_line=3) == ([(4, {"Unique ID": "A1", "Date of birth": "2010-01-01"})], [])
    path.write_text("\n\nUnique ID,Date of birth\nA1,2010-01-01\n")
    assert read(path, header_line=None) == ([(4, {"Unique ID": "A1", "Date of birth": "2010-01-01"})], [])


def test_a_header_problem_stops_the_rows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Unique ID", "DOB"], ["A1", "2010-01-01"]])
    rows, problems = read(path)
    assert rows == []
    assert problems == ["list.csv, line 1: " + MISSING_COLUMNS.format(columns="Date of birth")]


def test_sixty_thousand_rows_stream_with_the_right_lines(tmp_path: Path) -> None:
    path = tmp_path / "annex_a.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Unique ID,Date of birth\n")
        handle.writelines(f"C{n},2010-01-01\n" for n in range(60_000))
    reader = TableReader(path, SPEC)
    count, last = 0, None
    for row in reader.rows():
        count += 1
        last = row
    assert count == 60_000 and last is not None
    assert (last.line, last["Unique ID"]) == (60_001, "C59999")
    assert reader.problems == []


CSV_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc", "Zl", "Zp")), max_size=6
)


@settings(max_examples=50, deadline=None)
@given(
    table=st.lists(st.tuples(CSV_TEXT, CSV_TEXT), min_size=1, max_size=8).filter(
        lambda rows: any(a or b for a, b in rows)
    )
)
def test_csv_round_trip(table: list[tuple[str, str]]) -> None:
    """Whatever csv.writer writes (quotes, commas, newlines in values), the reader reads back,
    skipping blank rows and numbering each row by its record."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        write_csv(path, [["Unique ID", "Date of birth"], *[list(r) for r in table]])
        rows, problems = read(path)
    expected = [
        (n, {"Unique ID": a, "Date of birth": b}) for n, (a, b) in enumerate(table, start=2) if a or b
    ]
    assert problems == []
    assert rows == expected


# --- refusals ----------------------------------------------------------------------------------------


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    assert read(tmp_path / "nowhere.csv") == ([], ["nowhere.csv: " + FILE_MISSING])


def test_refuses_a_folder(tmp_path: Path) -> None:
    (tmp_path / "folder.csv").mkdir()
    assert read(tmp_path / "folder.csv") == (
        [],
        ["folder.csv: " + UNREADABLE.format(reason="it is a folder")],
    )


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xef\xbb\xbf", b" \r\n\t\n"])
def test_refuses_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert read(path) == ([], ["empty.csv: " + EMPTY_FILE])


def test_refuses_a_file_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("\nUnique ID,Date of birth\nA1,2010-01-01\n")
    assert read(path) == ([], ["list.csv, line 1: " + NO_HEADER])
    path.write_text("A1,2010-01-01\nA2,2010-01-02\n")
    expected = NOT_A_HEADER.format(columns="Unique ID, Date of birth, Notes")
    assert read(path) == ([], ["list.csv, line 1: " + expected])
    path.write_text("title\n")
    assert read(path, header_line=3) == ([], ["list.csv: " + ENDS_BEFORE_HEADER.format(line=3)])


def test_a_header_without_rows_is_a_problem_unless_allowed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Unique ID", "Date of birth"]])
    assert read(path) == ([], ["list.csv, line 2: " + NO_ROWS])
    assert read(path, allow_no_rows=True) == ([], [])


def test_refuses_csv_that_is_not_utf8_naming_the_byte_and_line(tmp_path: Path) -> None:
    good = [[f"A{n}", "2010-01-01"] for n in range(5000)]  # far more than one read of the text
    path = write_csv(
        tmp_path / "list.csv",
        [["Unique ID", "Date of birth"], *good, ["Zoë", "2010-01-02"]],
        encoding="cp1252",
    )
    offset = path.read_bytes().index(b"\xeb")
    message = NOT_UTF8.format(reason="invalid continuation byte", offset=offset)
    rows, problems = read(path)
    assert rows == []  # the rows before the bad byte are not given out either
    assert problems == [f"list.csv, line 5002: {message}"]
    assert offset > 64_000


def test_header_only_reading_names_bad_bytes_in_the_header(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"Unique ID,Date of birth\xff\nA1,2010-01-01\n")
    reader = TableReader(path, SPEC)
    assert reader.read_header() is None
    assert [str(p) for p in reader.problems] == [
        "list.csv, line 1: " + NOT_UTF8.format(reason="invalid start byte", offset=23)
    ]


@settings(max_examples=40, deadline=None)
@given(
    lines=st.lists(st.text("abc, 123", max_size=12), min_size=1, max_size=6),
    at=st.integers(min_value=0),
    bad=st.sampled_from([b"\xff", b"\xc3(", b"\xe2\x82", b"\x80"]),
)
def test_the_first_bad_byte_is_found_wherever_it_is(lines: list[str], at: int, bad: bytes) -> None:
    text = ("\n".join(lines) + "\n").encode()
    at %= len(text) + 1
    data = text[:at] + bad + text[at:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        found = first_non_utf8(path)
    assert found is not None
    _, offset, line = found
    assert offset == at
    assert line == text[:at].count(b"\n") + 1


def test_bad_bytes_after_the_first_megabyte_and_a_character_across_its_edge(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    edge = 1 << 20
    path.write_bytes(b"a" * (edge - 1) + "é".encode() + b"\nb\n")
    assert first_non_utf8(path) is None
    path.write_bytes(b"a" * (edge - 1) + "é".encode() + b"\nb\xff\n")
    assert first_non_utf8(path) == ("invalid start byte", edge + 3, 2)
    path.write_bytes(b"a\n" + "é".encode()[:1])
    assert first_non_utf8(path) == ("unexpected end of data", 2, 2)


def test_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Unique ID", "Date of birth"], ["A1", "2010-01-01"]])
    size = path.stat().st_size
    assert read(path, max_bytes=size)[1] == []
    message = TOO_LARGE.format(size=size, limit=size - 1)
    assert read(path, max_bytes=size - 1) == ([], [f"list.csv: {message}"])
    assert message == f"the file is too large: {size:,} bytes, over the limit of {size - 1:,} bytes"


def test_refuses_a_file_that_is_not_a_spreadsheet(tmp_path: Path) -> None:
    pdf = tmp_path / "list.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert read(pdf) == ([], ["list.csv: " + NOT_A_SPREADSHEET.format(detail=PDF)])
    binary = tmp_path / "list.dat"
    binary.write_bytes(b"Unique ID\x00\x01\x02")
    assert read(binary) == ([], ["list.dat: " + NOT_A_SPREADSHEET.format(detail=BINARY)])
    text = tmp_path / "list.xlsx"
    text.write_text("Unique ID,Date of birth\n")
    detail = NAMED_AS_WORKBOOK.format(suffix=".xlsx")
    assert read(text) == ([], ["list.xlsx: " + NOT_A_SPREADSHEET.format(detail=detail)])
    archive = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("readme.txt", "not a workbook")
    rows, problems = read(archive)
    assert rows == []
    assert len(problems) == 1
    assert problems[0].startswith(
        "archive.xlsx: the file is not a spreadsheet: it cannot be read as a workbook ("
    )


def test_refuses_a_workbook_given_as_csv(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "list.xlsx", {"List 1": [["Unique ID", "Date of birth"], ["A1", "x"]]})
    assert read(path, kind="csv") == ([], ["list.xlsx: " + NOT_A_SPREADSHEET.format(detail=BINARY)])


def test_a_csv_row_that_cannot_be_parsed_stops_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text('Unique ID,Date of birth\nA1,2010-01-01\nA2,"2010-01-02\n')
    rows, problems = read(path)
    assert rows == [(2, {"Unique ID": "A1", "Date of birth": "2010-01-01"})]
    assert problems == ["list.csv, line 3: " + BAD_CSV.format(error="unexpected end of data")]


# --- reading workbooks -------------------------------------------------------------------------------


def test_xlsx_rows_use_sheet_row_numbers_and_text_for_every_cell_type(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "list.xlsx",
        {
            "List 1": [
                ["Unique ID", "Date of birth", "Notes"],
                [881, dt.date(2010, 5, 1), 2.5],
                [None, None, None],
                ["A2", dt.datetime(2011, 6, 2, 13, 5), True],
            ]
        },
    )
    rows, problems = read(path)
    assert problems == []
    assert rows == [
        (2, {"Unique ID": "881", "Date of birth": "2010-05-01", "Notes": "2.5"}),
        (4, {"Unique ID": "A2", "Date of birth": "2011-06-02 13:05:00", "Notes": "TRUE"}),
    ]


def test_xlsx_with_the_table_away_from_the_corner(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "list.xlsx",
        {"List 1": [["Unique ID", "Date of birth"], ["A1", "2010-01-01"], [], ["A2", "2010-01-02"]]},
        start_row=3,
        start_col=2,
    )
    rows, problems = read(path, header_line=None)
    assert problems == []
    assert [line for line, _ in rows] == [4, 6]
    assert read(path, header_line=3)[0] == rows
    assert read(path) == ([], ["list.xlsx, line 1: " + NO_HEADER])


def test_xlsx_sheet_by_name(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "lists.xlsx",
        {
            "List 1": [["Unique ID", "Date of birth"], ["A1", "2010-01-01"]],
            "List 2": [["Unique ID", "Date of birth"], ["B1", "2011-01-01"]],
        },
    )
    assert read(path)[0] == [(2, {"Unique ID": "A1", "Date of birth": "2010-01-01"})]
    assert read(path, sheet="List 2")[0] == [(2, {"Unique ID": "B1", "Date of birth": "2011-01-01"})]
    assert read(path, sheet="list_2")[0] == [(2, {"Unique ID": "B1", "Date of birth": "2011-01-01"})]


def test_refuses_a_sheet_the_workbook_does_not_have_listing_those_it_has(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lists.xlsx", {"List 1": [["Unique ID"]], "Notes": [["x"]]})
    message = NO_SUCH_SHEET.format(sheet="List 3", sheets="'List 1', 'Notes'")
    assert read(path, sheet="List 3") == ([], [f"lists.xlsx: {message}"])
    assert message == "there is no sheet named 'List 3'; the workbook has 'List 1', 'Notes'"


def test_refuses_an_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lists.xlsx", {"List 1": [["Unique ID"]], "Empty": []})
    assert read(path, sheet="Empty") == ([], ["lists.xlsx: " + EMPTY_SHEET.format(sheet="Empty")])


def test_a_refused_file_closes_and_a_stopped_reader_can_be_dropped(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", [["Unique ID", "Date of birth"], ["A1", "x"], ["A2", "y"]])
    reader = TableReader(path, SPEC)
    rows = reader.rows()
    assert next(rows).line == 2
    rows.close()  # the file is closed with the generator
    assert reader.problems == []


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (0.1 + 0.2, "0.3"),
        (-12, "-12"),
        (False, "FALSE"),
        (dt.datetime(2024, 1, 2), "2024-01-02"),
        (dt.time(9, 30), "09:30:00"),
        ("  kept  ", "  kept  "),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


# --- value checks ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["E06000001", "E08000025", "E09000033", "E10000012", "E11000001", "E12000006", "E13000002"]
)
def test_ons_codes_of_english_areas(code: str) -> None:
    assert ons_code(cell(code)) == code
    assert ons_code(cell(f" {code.lower()} ".strip())) == code


@pytest.mark.parametrize(
    "code", ["E07000001", "E0600001", "E060000011", "W06000001", "E06OOOOO1", "E06٠٠٠٠٠١"]
)
def test_not_ons_codes_of_english_areas(code: str) -> None:
    prefixes = "E06/E08/E09/E10/E11/E12/E13"
    message = BAD_ONS_CODE.format(
        value=code, kind="an English local-authority area or region", prefixes=prefixes
    )
    assert ons_code(cell(code)) == Problem("f.csv", 7, "code", message)


def test_ons_code_kinds_name_what_they_expect() -> None:
    assert str(ons_code(cell("E12000001", "new_la_code"), UPPER_TIER_AREA)) == (
        "f.csv, line 7, column new_la_code: 'E12000001' is not an ONS code for an English upper-tier area "
        "(E06/E08/E09/E10 and 6 digits)"
    )
    assert ons_code(cell("E12000001"), REGION) == "E12000001"
    assert ons_code(cell("E54000029"), INTEGRATED_CARE_BOARD) == "E54000029"
    assert ons_code(cell(""), ENGLISH_AREA) == Problem("f.csv", 7, "code", REQUIRED)


def test_la_numbers() -> None:
    assert la_number(cell("881")) == "881"
    for bad in ("88", "8810", "3O1", "88.0"):
        assert la_number(cell(bad)) == Problem("f.csv", 7, "code", BAD_LA_NUMBER.format(value=bad))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-03-27", dt.date(2023, 3, 27)),
        ("27/03/2023", dt.date(2023, 3, 27)),
        ("7/3/2023", dt.date(2023, 3, 7)),
        ("27/03/23", dt.date(2023, 3, 27)),
        ("01/01/68", dt.date(2068, 1, 1)),
        ("01/01/69", dt.date(1969, 1, 1)),
    ],
)
def test_dates_in_iso_and_uk_forms(text: str, day: dt.date) -> None:
    assert date_value(cell(text)) == day


def test_bad_dates_say_which_forms_are_accepted() -> None:
    forms = "YYYY-MM-DD, DD/MM/YYYY or DD/MM/YY"
    assert date_value(cell("March 2023")) == cell("March 2023").problem(
        BAD_DATE.format(value="March 2023", forms=forms)
    )
    assert str(date_value(cell("2009-01-01", "date_of_operation"), (UK_DATE,))) == (
        "f.csv, line 7, column date_of_operation: '2009-01-01' is not a date in the form DD/MM/YYYY"
    )
    assert date_value(cell("31/02/2023")) == cell("31/02/2023").problem(
        NO_SUCH_DATE.format(value="31/02/2023")
    )
    assert date_value(cell("27/03/2023"), (ISO_DATE,)) == cell("27/03/2023").problem(
        BAD_DATE.format(value="27/03/2023", forms="YYYY-MM-DD")
    )


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_dates_read_back_in_every_form(day: dt.date) -> None:
    assert date_value(cell(day.isoformat())) == day
    assert date_value(cell(f"{day.day:02}/{day.month:02}/{day.year:04}")) == day
    if 1969 <= day.year <= 2068:
        assert date_value(cell(f"{day.day}/{day.month}/{day.year % 100:02}")) == day


@pytest.mark.parametrize(
    ("text", "number"), [("12", 12), ("-3", -3), ("1,234,567", 1234567), ("12.0", 12), ("007", 7)]
)
def test_integers(text: str, number: int) -> None:
    assert integer(cell(text)) == number


@pytest.mark.parametrize("text", ["3.5", "1,23", "12a", "1e3", "--1", "½"])
def test_not_integers(text: str) -> None:
    assert integer(cell(text)) == cell(text).problem(BAD_INTEGER.format(value=text))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_read_back_with_and_without_thousands(number: int) -> None:
    assert integer(cell(str(number))) == number
    assert integer(cell(f"{number:,}")) == number


def test_yes_no() -> None:
    assert [yes_no(cell(v)) for v in ("Yes", "NO", "y", "n")] == [True, False, True, False]
    assert yes_no(cell("Maybe", "wsoa_required")) == Problem(
        "f.csv", 7, "wsoa_required", BAD_YES_NO.format(value="Maybe")
    )
    assert (
        str(yes_no(cell("Maybe", "wsoa_required")))
        == "f.csv, line 7, column wsoa_required: 'Maybe' is not Yes or No"
    )


def test_required_optional_and_take() -> None:
    problems: list[Problem] = []
    assert required(cell("")) == cell("").problem(REQUIRED)
    assert optional(integer, cell("")) is None
    assert take(optional(integer, cell("4")), problems) == 4
    assert take(integer(cell("four")), problems) is None
    assert problems == [cell("four").problem(BAD_INTEGER.format(value="four"))]


def test_checks_on_rows_name_the_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "areas.csv", [["ons_code", "la_number"], ["E10000012", "881"], ["X1", "88"]])
    problems: list[Problem] = []
    reader = TableReader(path, ColumnSpec.of("ons_code", "la_number"), problems=problems)
    good = []
    for row in reader.rows():
        before = len(problems)
        code = take(ons_code(row.cell("ons_code"), UPPER_TIER_AREA), problems)
        number = take(la_number(row.cell("la_number")), problems)
        if len(problems) == before:
            good.append((code, number))
    assert good == [("E10000012", "881")]
    assert [str(p) for p in problems] == [
        "areas.csv, line 3, column ons_code: 'X1' is not an ONS code for an English upper-tier area "
        "(E06/E08/E09/E10 and 6 digits)",
        "areas.csv, line 3, column la_number: '88' is not a 3-digit DfE LA number",
    ]
    with pytest.raises(IntakeError) as caught:
        raise IntakeError(problems)
    assert str(caught.value).count("areas.csv, line 3") == 2


def test_reader_shares_the_callers_problem_list_and_names_the_file_as_told(tmp_path: Path) -> None:
    problems = [Problem("other.csv", None, None, "earlier")]
    TableReader(tmp_path / "x.csv", SPEC, problems=problems, file="raw/x.csv").read_header()
    assert problems == [
        Problem("other.csv", None, None, "earlier"),
        Problem("raw/x.csv", None, None, FILE_MISSING),
    ]

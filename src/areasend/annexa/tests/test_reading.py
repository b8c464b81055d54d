"""Reading a list: tolerant headers, and every kind of file that cannot be a list refused clearly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from areasend.annexa import synthetic
from areasend.annexa.reading import BOTH_LISTS, read_list, read_lists
from areasend.annexa.schema import list_kind
from areasend.annexa.xlsx import write_xlsx
from areasend.domain.intake import IntakeError

from .conftest import REFERENCE


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _rows(number: int, n: int = 3) -> tuple[list[str], list[list[str]]]:
    kind = list_kind(number)
    records = synthetic.generate(number, n, seed=3, reference_date=REFERENCE).records
    return [f.header for f in kind.fields], [[r.get(f.key, "") for f in kind.fields] for r in records]


def refused(path: Path, **kwargs: object) -> str:
    with pytest.raises(IntakeError) as caught:
        read_lists(path, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_headers_match_whatever_their_case_spacing_and_dashes(tmp_path: Path) -> None:
    header, rows = _rows(2)
    varied = [
        h.upper() if i % 3 == 0 else h.replace(" ", "  ").replace("–", "-") for i, h in enumerate(header)
    ]
    varied[0] = " unique_id "
    found = read_list(_csv(tmp_path / "l.csv", varied, rows))
    assert found.number == 2 and len(found) == 3
    assert found.columns["unique_id"][0] == rows[0][0]
    assert found.rows == [1, 2, 3]


def test_the_list_is_told_by_its_header(tmp_path: Path) -> None:
    header, rows = _rows(1)
    assert read_list(_csv(tmp_path / "l.csv", header, rows)).number == 1


def test_missing_and_extra_columns_are_named(tmp_path: Path) -> None:
    header, rows = _rows(2)
    message = refused(_csv(tmp_path / "a.csv", header[1:], [r[1:] for r in rows]), number=2)
    assert "missing column(s): Unique ID" in message
    message = refused(_csv(tmp_path / "b.csv", [*header, "Name"], [[*r, "x"] for r in rows]), number=2)
    assert "unexpected column(s): Name" in message
    # A heading spelt differently is not guessed at.
    misspelt = ["Date of Brith" if h == "Date of birth" else h for h in header]
    message = refused(_csv(tmp_path / "c.csv", misspelt, rows), number=2)
    assert "missing column(s): Date of birth" in message and "unexpected column(s): Date of Brith" in message


def test_list_2_columns_are_not_list_1(tmp_path: Path) -> None:
    header, rows = _rows(2)
    assert "missing column(s): Date initial EHC plan issued" in refused(
        _csv(tmp_path / "l.csv", header, rows), number=1
    )


def test_files_that_are_not_lists(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "the file is empty" in refused(empty)
    latin = tmp_path / "latin.csv"
    header, rows = _rows(2)
    _csv(latin, header, rows)
    latin.write_bytes(latin.read_bytes() + "Zoë".encode("latin-1"))
    assert "not UTF-8" in refused(latin, number=2)
    pdf = tmp_path / "list.csv"
    pdf.write_bytes(b"%PDF-1.7\n...")
    assert "not a spreadsheet" in refused(pdf)
    assert "does not exist" in refused(tmp_path / "nowhere.csv")
    only_header = _csv(tmp_path / "header.csv", header, [])
    assert "there are no rows below the header" in refused(only_header)
    big = _csv(tmp_path / "big.csv", header, rows)
    assert "too large" in refused(big, max_bytes=100)
    fake = tmp_path / "list.xlsx"
    fake.write_text("Unique ID,UPN\n1,2\n")
    assert "not a spreadsheet" in refused(fake)


def test_workbook_sheets_must_be_named_as_the_template(tmp_path: Path) -> None:
    header, rows = _rows(2)
    wrong = write_xlsx(tmp_path / "wrong.xlsx", [("Sheet1", [header, *rows])])
    message = refused(wrong)
    assert "there is no sheet named 'List 1' or 'List 2'; the workbook has 'Sheet1'" in message
    loose = write_xlsx(tmp_path / "loose.xlsx", [("list_2", [header, *rows])])
    assert read_list(loose).number == 2
    assert "no sheet named 'List 1'" in refused(loose, number=1)


def test_a_workbook_with_both_lists(tmp_path: Path) -> None:
    first, second = _rows(1), _rows(2, 5)
    path = write_xlsx(
        tmp_path / "both.xlsx",
        [("List 1", [first[0], *first[1]]), ("List 2", [second[0], *second[1]]), ("Notes", [["x"]])],
    )
    lists = read_lists(path)
    assert {n: len(v) for n, v in lists.items()} == {1: 3, 2: 5}
    with pytest.raises(IntakeError, match=BOTH_LISTS):
        read_list(path)
    assert len(read_list(path, number=2)) == 5


def test_workbook_rows_keep_their_spreadsheet_numbers(tmp_path: Path) -> None:
    header, rows = _rows(2)
    path = write_xlsx(tmp_path / "gaps.xlsx", [("List 2", [header, rows[0], [], rows[1]])])
    found = read_list(path)
    assert found.rows == [1, 3] and found.lines == (2, 4)


def test_workbook_header_problems(tmp_path: Path) -> None:
    header, rows = _rows(2)
    assert "sheet 'List 2' is empty" in refused(write_xlsx(tmp_path / "e.xlsx", [("List 2", [])]))
    blank_first = write_xlsx(tmp_path / "b.xlsx", [("List 2", [[], header, *rows])])
    assert "no header" in refused(blank_first)
    assert "there are no rows below the header" in refused(
        write_xlsx(tmp_path / "h.xlsx", [("List 2", [header])])
    )
    assert "missing column(s)" in refused(write_xlsx(tmp_path / "m.xlsx", [("List 2", [header[:-1]])]))


def test_workbook_and_csv_read_the_same(tmp_path: Path) -> None:
    made = synthetic.generate(1, 50, seed=8, reference_date=REFERENCE)
    from_csv = read_list(synthetic.write_csv(tmp_path / "l.csv", made))
    from_xlsx = read_list(synthetic.write_xlsx(tmp_path / "l.xlsx", [made]), number=1)
    assert from_csv.columns == from_xlsx.columns
    assert from_csv.rows == from_xlsx.rows

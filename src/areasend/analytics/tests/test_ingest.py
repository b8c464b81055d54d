"""Loading raw files: symbols become reasons; malformed files stop with file, row and column."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from areasend.analytics.errors import IngestError
from areasend.analytics.ingest import MANIFEST_FILE, RAW_DIR, copy_from_shared, load_database, raw_files
from areasend.analytics.pack import DataPackBuilder
from areasend.analytics.register import REGISTER_DIR, REGISTER_FILE
from areasend.domain.intake import MISSING_COLUMNS, NOT_UTF8, WRONG_FIELD_COUNT

from .conftest import BARNSLEY, ESSEX, RUTLAND, WESTMINSTER, entry

SHARED = Path("/work/shared/data")
NEWPLANS = "sen2_ehcp_2025_release/newplans_headline.csv"
CASELOAD = "sen2_ehcp_2025_release/caseload_headline.csv"
TRIBUNAL = "sen2_ehcp_2025_release/send_tribunals_appeal_rate_2014_2024.csv"
LAIT = "lait/lait_sen_indicators_by_la_wide.csv"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A private copy of the shipped raw files to damage."""
    target = tmp_path / "raw"
    for rel in raw_files():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(RAW_DIR / rel, target / rel)
    return target


def read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def write(path: Path, table: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(table)


def set_cells(path: Path, match: Callable[[dict[str, str]], bool], column: str, value: str) -> list[int]:
    """Set `column` to `value` in every row matching; returns the row numbers (header = 1)."""
    table = read(path)
    header = table[0]
    changed = []
    for number, row in enumerate(table[1:], start=2):
        if match(dict(zip(header, row, strict=True))):
            row[header.index(column)] = value
            changed.append(number)
    write(path, table)
    return changed


def load_error(raw: Path, register_dir: Path = REGISTER_DIR) -> IngestError:
    with pytest.raises(IngestError) as caught:
        load_database(raw, register_dir=register_dir).close()
    return caught.value


def where(err: IngestError) -> tuple[str, int | None, str | None]:
    """File, line and column of the (first) problem."""
    return err.first.file, err.first.line, err.first.column


def la_2024(la_number: str) -> Callable[[dict[str, str]], bool]:
    return lambda r: r["old_la_code"] == la_number and r["time_period"] == "2024"


def test_dfe_symbols_become_missing_values_with_reasons(raw: Path) -> None:
    path = raw / NEWPLANS
    symbols = {"881": "c", "857": ":", "213": "z", "370": "", "882": "-", "883": "x"}
    for la_number, symbol in symbols.items():
        assert set_cells(path, la_2024(la_number), "new_ehc_plans", symbol)
    db = load_database(raw)
    try:
        builder = DataPackBuilder.from_database(db)
    finally:
        db.close()
    reasons = {
        code: entry(builder.pack(code), "new_ehc_plans")["missing_reason"]
        for code in (ESSEX, RUTLAND, WESTMINSTER, BARNSLEY, "E06000033", "E06000034")
    }
    assert reasons == {
        ESSEX: "suppressed",
        RUTLAND: "not available",
        WESTMINSTER: "not applicable",
        BARNSLEY: "not published",
        "E06000033": "suppressed",  # Southend-on-Sea, '-'
        "E06000034": "not available",  # Thurrock, 'x'
    }
    essex = entry(builder.pack(ESSEX), "new_ehc_plans")
    assert essex["value"] is None and essex["rank"] is None
    assert essex["year"] == 2024  # the period still exists: other areas have figures


def test_real_symbols_in_the_shipped_files_carry_reasons(packs: dict[str, dict[str, Any]]) -> None:
    reasons = {
        e["missing_reason"]
        for pack in packs.values()
        for e in pack["indicators"]
        for e in [e, *e["history"]]
        if e["missing_reason"]
    }
    assert {"not available", "suppressed", "not applicable", "not returned"} <= reasons


def test_truncated_file_names_file_row_and_column(raw: Path) -> None:
    path = raw / CASELOAD
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = lines[499].split(",")
    path.write_text("".join(lines[:499]) + ",".join(cut[:13]), encoding="utf-8")
    err = load_error(raw)
    header = read(RAW_DIR / CASELOAD)[0]
    assert where(err) == (CASELOAD, 500, header[13])
    assert err.first.message == WRONG_FIELD_COUNT.format(expected=len(header), found=13)
    assert "truncated" in str(err)


def test_file_that_is_not_utf8_names_the_byte_and_line(raw: Path) -> None:
    path = raw / NEWPLANS
    data = path.read_bytes()
    lines = data.split(b"\n")
    fields = lines[300].split(b",")
    fields[12] = b"2\xe906"  # new_ehc_plans, with a Latin-1 byte
    lines[300] = b",".join(fields)
    path.write_bytes(b"\n".join(lines))
    offset = len(b"\n".join(lines[:300])) + 1 + lines[300].index(b"\xe9")
    err = load_error(raw)
    assert where(err) == (NEWPLANS, 301, None)
    assert err.first.message == NOT_UTF8.format(reason="invalid continuation byte", offset=offset)


def test_file_with_only_a_header_is_refused(raw: Path) -> None:
    path = raw / NEWPLANS
    path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    err = load_error(raw)
    assert where(err)[:2] == (NEWPLANS, 2)
    assert "no data rows" in str(err)


def test_wrong_header_names_the_missing_column(raw: Path) -> None:
    path = raw / CASELOAD
    table = read(path)
    table[0][table[0].index("ehcplans")] = "ehc_plans"
    write(path, table)
    err = load_error(raw)
    assert where(err) == (CASELOAD, 1, None)
    assert str(err) == f"{CASELOAD}, line 1: " + MISSING_COLUMNS.format(columns="ehcplans")


def test_header_variants_of_a_column_name_are_read(raw: Path) -> None:
    path = raw / CASELOAD
    table = read(path)
    table[0][table[0].index("ehcplans")] = " EHCPlans "
    table[0][table[0].index("old_la_code")] = "Old-LA-code"
    write(path, table)
    db = load_database(raw)
    try:
        changed = DataPackBuilder.from_database(db).pack(ESSEX)
    finally:
        db.close()
    db = load_database(RAW_DIR)
    try:
        shipped = DataPackBuilder.from_database(db).pack(ESSEX)
    finally:
        db.close()
    assert entry(changed, "ehcp_caseload") == entry(shipped, "ehcp_caseload")
    assert entry(changed, "ehcp_caseload")["value"] is not None


def test_bad_number_names_file_row_and_column(raw: Path) -> None:
    rows = set_cells(raw / NEWPLANS, la_2024("881"), "new_ehc_plans", "19O5")
    err = load_error(raw)
    assert where(err) == (NEWPLANS, rows[0], "new_ehc_plans")
    assert "'19O5'" in str(err)


def test_bad_number_in_lait(raw: Path) -> None:
    rows = set_cells(
        raw / LAIT, lambda r: r["la_number"] == "857" and r["years"] == "2020", "SEN_TotStat", "3.2.1"
    )
    err = load_error(raw)
    assert where(err) == (LAIT, rows[0], "SEN_TotStat")


def test_bad_period_names_the_row(raw: Path) -> None:
    rows = set_cells(raw / NEWPLANS, la_2024("857"), "time_period", "20x4")
    err = load_error(raw)
    assert where(err) == (NEWPLANS, rows[0], "time_period")


def test_unknown_la_number_names_the_row(raw: Path) -> None:
    rows = set_cells(raw / NEWPLANS, la_2024("857"), "old_la_code", "999")
    err = load_error(raw)
    assert where(err) == (NEWPLANS, rows[0], "old_la_code")
    assert "not in the area register" in str(err)


def tribunal_row(table: list[list[str]], la_number: str) -> int:
    return next(i for i, row in enumerate(table) if len(row) > 1 and row[1].strip() == la_number)


def test_tribunal_table_bad_rate_names_the_year_block(raw: Path) -> None:
    path = raw / TRIBUNAL
    table = read(path)
    index = tribunal_row(table, "881")
    table[index][34] = "4.7 per cent"  # 2024 'SEND Tribunal Appeal Rate'
    write(path, table)
    err = load_error(raw)
    assert where(err) == (TRIBUNAL, index + 1, "2024 appeal_rate")


def test_tribunal_table_wrong_header(raw: Path) -> None:
    path = raw / TRIBUNAL
    table = read(path)
    table[3][1] = "Code"
    write(path, table)
    err = load_error(raw)
    assert where(err) == (TRIBUNAL, 4, None)
    assert str(err) == f"{TRIBUNAL}, line 4: " + MISSING_COLUMNS.format(columns="LA code")


def test_tribunal_table_columns_out_of_place(raw: Path) -> None:
    path = raw / TRIBUNAL
    table = read(path)
    table[3][0], table[3][1] = table[3][1], table[3][0]
    write(path, table)
    err = load_error(raw)
    assert where(err) == (TRIBUNAL, 4, "Local Authority")
    assert "found ['LA code', 'Local Authority']" in str(err)


def test_tribunal_table_missing_measure(raw: Path) -> None:
    path = raw / TRIBUNAL
    table = read(path)
    table[4][6] = "Something else"  # 2015 'Total Appealable Decisions'
    write(path, table)
    err = load_error(raw)
    assert where(err)[:2] == (TRIBUNAL, 5)


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A private copy of the register's files (read from the areas app's data folder) to damage."""
    target = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, target)
    return target


def test_the_register_is_the_areas_apps_files_not_a_copy() -> None:
    assert not (RAW_DIR / "local_authorities").exists()
    assert not (RAW_DIR / "statistical_neighbours").exists()
    assert not any("local_authorities" in rel or "neighbours" in rel for rel in raw_files())
    assert (REGISTER_DIR / REGISTER_FILE).is_file()


def test_register_with_a_bad_code(raw: Path, register: Path) -> None:
    path = register / REGISTER_FILE
    table = read(path)
    table[5][0] = "X123"
    write(path, table)
    err = load_error(raw, register)
    assert where(err) == (REGISTER_FILE, 6, "new_la_code")
    assert "'X123' is not an ONS code for an English upper-tier area" in str(err)


def test_register_whose_live_areas_share_a_number(raw: Path, register: Path) -> None:
    path = register / REGISTER_FILE
    table = read(path)
    header = table[0]
    live = [row for row in table[1:] if row[header.index("status")] == "live"]
    live[1][header.index("old_la_code")] = live[0][header.index("old_la_code")]
    write(path, table)
    err = load_error(raw, register)
    number = live[0][header.index("old_la_code")]
    assert str(err) == f"{REGISTER_FILE}, column old_la_code: two live areas share the LA number {number!r}"


def test_register_with_a_live_area_without_a_number(raw: Path, register: Path) -> None:
    path = register / REGISTER_FILE
    table = read(path)
    table[1][1] = "x"  # Barking and Dagenham, live
    write(path, table)
    err = load_error(raw, register)
    assert (
        str(err)
        == f"{REGISTER_FILE}, column old_la_code: the live area E09000002 has no 3-digit DfE LA number"
    )


def test_register_without_live_areas(raw: Path, register: Path) -> None:
    path = register / REGISTER_FILE
    table = read(path)
    for row in table[1:]:
        row[6] = "terminated"
        row[8] = row[8] or "01/04/2026"
    write(path, table)
    err = load_error(raw, register)
    assert str(err) == f"{REGISTER_FILE}: the register has no live areas"


def test_neighbour_that_is_no_live_area(raw: Path, register: Path) -> None:
    path = register / "dfe_statistical_neighbours_may_2025_long.csv"
    table = read(path)
    areas = read(register / REGISTER_FILE)[1:]
    live_numbers = {r[1] for r in areas if r[6] == "live"}
    terminated = next(r for r in areas if r[6] == "terminated" and r[1] not in live_numbers | {"x"})
    index = next(i for i, row in enumerate(table) if row[0] == "current")
    table[index][4] = terminated[1]
    write(path, table)
    err = load_error(raw, register)
    assert where(err) == ("dfe_statistical_neighbours_may_2025_long.csv", index + 1, "neighbour_la_number")
    assert err.first.message == f"{terminated[1]!r} is not a live area"


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data folder is not on this machine")
def test_copy_from_shared_copies_checks_and_writes_a_manifest(tmp_path: Path) -> None:
    copied = copy_from_shared(SHARED, tmp_path)
    assert len(copied) == len(raw_files())
    for rel in raw_files():
        assert (tmp_path / rel).read_bytes() == (RAW_DIR / rel).read_bytes(), rel
    assert (tmp_path / MANIFEST_FILE).read_text(encoding="utf-8") == (RAW_DIR / MANIFEST_FILE).read_text(
        encoding="utf-8"
    )


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared data folder is not on this machine")
def test_copy_from_shared_never_replaces_good_files_with_broken_ones(tmp_path: Path, raw: Path) -> None:
    shared = tmp_path / "shared"
    for rel in raw_files():
        (shared / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / rel, shared / rel)
    set_cells(shared / NEWPLANS, la_2024("881"), "new_ehc_plans", "lots")
    before = (raw / NEWPLANS).read_bytes()
    with pytest.raises(IngestError):
        copy_from_shared(shared, raw)
    assert (raw / NEWPLANS).read_bytes() == before


def test_copy_from_shared_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        copy_from_shared(tmp_path / "empty", tmp_path / "dest")
    assert "missing from the shared data folder" in str(caught.value)

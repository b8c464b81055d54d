"""`areasend annexa validate` works offline: no database, no network."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.annexa import synthetic

from .conftest import REFERENCE


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "areasend.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=120,
    )


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, synthetic.SyntheticList]:
    made = synthetic.generate(
        2, 80, seed=9, reference_date=REFERENCE, errors={"missing_gender": 2, "age_25": 1}
    )
    return synthetic.write_csv(tmp_path / "list2.csv", made), made


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
def test_validate_needs_no_database(
    tmp_path: Path, planted: tuple[Path, synthetic.SyntheticList], database: str
) -> None:
    path, made = planted
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    locked = tmp_path / "locked"
    locked.mkdir()
    if database == "postgres":  # nothing listens on port 9 of this machine; a connection would fail
        env["DATABASE_URL"] = "postgres://nobody:nothing@127.0.0.1:9/none?connect_timeout=1"
    else:  # a database file that cannot exist, in a folder that cannot be written
        env["DATABASE_URL"] = f"sqlite:///{locked}/nowhere/areasend.sqlite3"
    env["AREASEND_DATA_DIR"] = str(locked)
    env["no_proxy"] = env["NO_PROXY"] = "*"
    env["http_proxy"] = env["https_proxy"] = "http://127.0.0.1:9"  # any network use fails
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        result = _run(
            ["annexa", "validate", str(path), "--reference-date", REFERENCE.isoformat()], env, tmp_path
        )
    finally:
        locked.chmod(stat.S_IRWXU)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["list"] == 2 and out["rows"] == 80
    assert out["summary"] == {"missing_gender": 2, "age_25": 1}
    assert (
        sorted(e["row"] for e in out["errors"] if e["rule"] == "missing_gender")
        == made.planted["missing_gender"]
    )
    assert set(out["errors"][0]) == {"row", "field", "rule", "level", "message"}
    assert not (locked / "nowhere").exists()


def test_exit_2_with_the_reason_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "list.csv"
    bad.write_text("Name,Age\nx,1\n")
    with pytest.raises(CommandError) as caught:
        call_command("annexa", "validate", str(bad), "--reference-date", "2026-09-01")
    assert caught.value.returncode == 2
    assert "The list cannot be read" in str(caught.value) and "no header" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        call_command("annexa", "validate", str(bad), "--reference-date", "1 September")
    assert caught.value.returncode == 2 and "--reference-date" in str(caught.value)


def test_exit_0_with_errors_and_text_format(planted: tuple[Path, synthetic.SyntheticList], capsys) -> None:  # type: ignore[no-untyped-def]
    path, made = planted
    call_command(
        "annexa", "validate", str(path), "--list", "2", "--reference-date", "2026-09-01", "--format", "text"
    )
    out = capsys.readouterr().out
    assert out.startswith("List 2: 80 rows, 2 errors and 1 queries")
    assert f"row {made.planted['age_25'][0]}, Date of birth: query age_25" in out


def test_a_workbook_is_checked_with_its_other_list(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    lists = synthetic.generate_area("E06000017", seed=4, reference_date=REFERENCE, scale=0.1, in_both=2)
    path = synthetic.write_xlsx(tmp_path / "both.xlsx", [lists[1], lists[2]])
    call_command("annexa", "validate", str(path), "--list", "1", "--reference-date", "2026-09-01")
    out = json.loads(capsys.readouterr().out)
    assert out["summary"] == {"in_both_lists": 4}  # UPN and unique ID of two children
    with pytest.raises(CommandError, match="both List 1 and List 2"):
        call_command("annexa", "validate", str(path), "--reference-date", "2026-09-01")


def test_synthetic_command_writes_a_labelled_list(tmp_path: Path) -> None:
    out = tmp_path / "rutland.xlsx"
    call_command(
        "annexa", "synthetic", "--area", "E06000017", "--out", str(out), "--reference-date", "2026-09-01"
    )
    from areasend.annexa.reading import read_lists

    lists = read_lists(out)
    size = next(a for a in synthetic.area_sizes() if a.code == "E06000017")
    assert (len(lists[1]), len(lists[2])) == (size.ehc_plans, size.sen_support)
    assert all(v and v.startswith("SYNTHETIC-") for v in lists[1].columns["unique_id"])
    with pytest.raises(CommandError, match="no rule 'nonsense'"):
        call_command("annexa", "synthetic", "--area", "E06000017", "--out", str(out), "--reference-date",
                     "2026-09-01", "--errors", "nonsense=1")  # fmt: skip


def test_a_workbook_without_the_list_asked_for(tmp_path: Path) -> None:
    made = synthetic.generate(1, 5, seed=1, reference_date=REFERENCE)
    path = synthetic.write_xlsx(tmp_path / "one.xlsx", [made])
    with pytest.raises(CommandError) as caught:
        call_command("annexa", "validate", str(path), "--list", "2", "--reference-date", "2026-09-01")
    assert caught.value.returncode == 2
    assert "there is no sheet named 'List 2'; the workbook has 'List 1', 'Synthetic data'" in str(
        caught.value
    )

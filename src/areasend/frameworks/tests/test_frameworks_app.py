"""The frameworks app: loading (idempotent, audited, read-only), pages and commands."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.areas.models import LocalArea
from areasend.cli import main
from areasend.conftest import check_page, signed_in
from areasend.core.models import AuditEvent
from areasend.domain.calendar import default_calendar
from areasend.domain.frameworks import (
    MSG_UNKNOWN_FROM,
    FrameworkFileError,
    Problem,
    load_framework_file,
    shipped_framework_files,
)
from areasend.domain.timeline import MSG_UNKNOWN_EVENT
from areasend.frameworks.management.commands.calendar import MSG_BAD_DATE
from areasend.frameworks.management.commands.frameworks import MSG_INVALID_FILE
from areasend.frameworks.management.commands.timeline import MSG_BAD_EVENT
from areasend.frameworks.models import FrameworkVersion, FrameworkVersionReadOnly
from areasend.frameworks.services import (
    MSG_CHANGED_WITHOUT_NEW_VERSION,
    checksum,
    framework_load,
    load_shipped_frameworks,
)

FILES = {path.name: path for path in shipped_framework_files()}
F2016 = FILES["local-area-send-2016.yaml"]
F2023 = FILES["area-send-2023.yaml"]
# The shipped versions (each file's own), and the next version of the 2023 file a test writes.
V2016 = load_framework_file(F2016).version
V2023 = load_framework_file(F2023).version
NEXT = V2023 + 1
# every shipped file (the 2023 framework's editions among them: ADR 26), in the order they load
SHIPPED = sorted(map(load_framework_file, FILES.values()), key=lambda f: (f.id, f.version))
FIXTURE = Path(__file__).resolve().parents[2] / "domain" / "tests" / "fixtures" / "minimal.yaml"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def new_version(text: str, version: int) -> str:
    """The 2023 file as version ``version``, with the revision note that needs."""
    note = (
        f"  - version: {version}\n    date: 2026-01-05\n    changes: [A test revision]\n"
        "    source: test\n    confidence: high\n"
    )
    text = text.replace(f"version: {V2023}\ntitle", f"version: {version}\ntitle", 1)
    return text.replace("\n# ---- Evaluation", "\n" + note + "\n# ---- Evaluation", 1)


# -- loading ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_shipped_frameworks_stores_raw_text_checksum_and_audit(admin_user: Any) -> None:
    results = load_shipped_frameworks(actor=admin_user)
    shipped = sorted((f.id, f.version) for f in map(load_framework_file, FILES.values()))
    assert [(r.framework_id, r.version, r.action) for r in results] == [(i, v, "loaded") for i, v in shipped]
    assert ("area-send-2023", V2023) in shipped and ("local-area-send-2016", V2016) in shipped
    record = FrameworkVersion.objects.get(framework_id="local-area-send-2016", version=V2016)
    assert record.raw_text == F2016.read_text(encoding="utf-8")
    assert record.sha256 == checksum(record.raw_text)
    assert record.loaded_by == admin_user
    assert record.framework() == load_framework_file(F2016)
    event = AuditEvent.objects.get(action="frameworks.load", object_id=str(record.pk))
    assert event.actor == admin_user
    assert event.changes["sha256"] == record.sha256


@pytest.mark.django_db
def test_loading_again_is_a_no_op() -> None:
    load_shipped_frameworks()
    audits = AuditEvent.objects.filter(action="frameworks.load").count()
    again = load_shipped_frameworks()
    assert {r.action for r in again} == {"unchanged"}
    assert FrameworkVersion.objects.count() == len(FILES)
    assert AuditEvent.objects.filter(action="frameworks.load").count() == audits


@pytest.mark.django_db
def test_same_version_with_different_content_is_refused() -> None:
    framework_load(path_or_text=F2023, actor=None)
    changed = F2023.read_text(encoding="utf-8").replace("value: 35\n", "value: 40\n", 1)
    with pytest.raises(ValidationError) as caught:
        framework_load(path_or_text=changed, actor=None)
    original = FrameworkVersion.objects.get(framework_id="area-send-2023")
    assert caught.value.messages == [
        MSG_CHANGED_WITHOUT_NEW_VERSION.format(
            framework_id="area-send-2023",
            version=V2023,
            loaded=original.sha256[:12],
            new=checksum(changed)[:12],
        )
    ]
    assert FrameworkVersion.objects.filter(framework_id="area-send-2023").count() == 1


@pytest.mark.django_db
def test_a_new_version_loads_beside_the_old() -> None:
    framework_load(path_or_text=F2023, actor=None)
    result = framework_load(path_or_text=new_version(F2023.read_text(encoding="utf-8"), NEXT), actor=None)
    assert (result.version, result.action) == (NEXT, "loaded")
    assert list(
        FrameworkVersion.objects.filter(framework_id="area-send-2023").values_list("version", flat=True)
    ) == [NEXT, V2023]


@pytest.mark.django_db
def test_an_invalid_file_is_not_loaded() -> None:
    broken = F2023.read_text(encoding="utf-8").replace("from: final_report_received", "from: report_in", 1)
    with pytest.raises(FrameworkFileError) as caught:
        framework_load(path_or_text=broken, actor=None, filename="broken.yaml")
    assert [p.message for p in caught.value.problems] == [MSG_UNKNOWN_FROM.format(name="report_in")]
    assert caught.value.problems[0].file == "broken.yaml"
    assert not FrameworkVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="frameworks.load").exists()


@pytest.mark.django_db
def test_a_loaded_version_is_read_only() -> None:
    record = framework_load(path_or_text=F2016, actor=None).record
    record.title = "Changed"
    with pytest.raises(FrameworkVersionReadOnly):
        record.save()
    with pytest.raises(FrameworkVersionReadOnly):
        record.delete()
    assert FrameworkVersion.objects.get(pk=record.pk).title != "Changed"


# -- pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_page(page_client: Any, viewer: Any) -> None:
    load_shipped_frameworks()
    response = signed_in(page_client, viewer).get("/frameworks/")
    assert response.status_code == 200
    page = check_page(response)
    assert page.texts("#frameworks thead th") == ["Framework", "Identifier", "Version", "In force"]
    rows = {row[1]: row for row in page.rows("#frameworks")}
    assert rows["local-area-send-2016"][0] == "Local area SEND inspection: framework and handbook (2016)"
    assert rows["area-send-2023"][2] == str(V2023)
    assert page.exists('#frameworks a.govuk-link[href="/frameworks/area-send-2023/"]')


@pytest.mark.django_db
def test_list_page_before_anything_is_loaded(page_client: Any, viewer: Any) -> None:
    page = check_page(signed_in(page_client, viewer).get("/frameworks/"))
    assert page.text(".govuk-inset-text").startswith("No frameworks are loaded yet")
    assert not page.exists("table")


@pytest.mark.django_db
def test_detail_page_shows_rules_with_sources_and_confidence(page_client: Any, essex_officer: Any) -> None:
    load_shipped_frameworks()
    response = signed_in(page_client, essex_officer).get("/frameworks/local-area-send-2016/")
    assert response.status_code == 200
    page = check_page(response)
    facts = dict(zip(page.texts("#framework-facts dt"), page.texts("#framework-facts dd"), strict=True))
    assert facts["Identifier"] == "local-area-send-2016" and facts["Versions loaded"] == str(V2016)
    assert any(
        "How effectively does the local area identify children and young people" in text
        for text in page.texts("#questions + .app-table-scroll tbody td strong")
    )
    deadlines = page.rows("#deadlines + p + .app-table-scroll table")
    assert any(
        "70 working days after principal authority received the final outcome letter; only if outcome is "
        "written statement of action required" in row[1]
        for row in deadlines
    )
    assert page.exists('a.govuk-link[href="https://legislation.gov.uk/uksi/2015/1792/note/made/data.xht"]')
    # long sources may break after separators
    assert any("000_<wbr>7c870ee6ec927506.<wbr>txt" in (li.html or "") for li in page.select("td li"))
    assert "Low" in page.texts("strong.govuk-tag.govuk-tag--red")
    assert any("Equality Act 2010" in text for text in page.texts("td"))
    assert "Sufficient progress in some areas" in page.texts("#follow-up ~ dl li")


@pytest.mark.django_db
def test_detail_page_for_an_older_version(page_client: Any, viewer: Any) -> None:
    framework_load(path_or_text=F2023, actor=None)
    framework_load(path_or_text=new_version(F2023.read_text(encoding="utf-8"), NEXT), actor=None)
    client = signed_in(page_client, viewer)
    latest = check_page(client.get("/frameworks/area-send-2023/"))
    assert latest.text(".govuk-caption-l") == f"Version {NEXT}" and not latest.exists(".govuk-warning-text")
    assert (
        latest.select_one(f'#framework-facts a[href="/frameworks/area-send-2023/?version={V2023}"]')
        is not None
    )
    older = check_page(client.get(f"/frameworks/area-send-2023/?version={V2023}"))
    assert older.text(".govuk-caption-l") == f"Version {V2023}"
    assert older.title.startswith(f"Area SEND inspections: framework and handbook (2023) (version {V2023})")
    assert older.text(".govuk-warning-text__text") == (
        f"Warning This is version {V2023}. See the latest version ({NEXT})."
    )
    assert older.select_one(".govuk-warning-text a").attributes["href"] == "/frameworks/area-send-2023/"
    assert client.get(f"/frameworks/area-send-2023/?version={NEXT + 1}").status_code == 404
    assert client.get("/frameworks/area-send-2023/?version=x").status_code == 404
    assert client.get("/frameworks/area-send-2023/?version=²").status_code == 404  # a digit, not a number
    assert client.get("/frameworks/no-such-framework/").status_code == 404


@pytest.mark.django_db
def test_pages_need_sign_in(client: Any) -> None:
    response = client.get("/frameworks/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# -- commands ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_frameworks_list_shows_shipped_and_loaded_versions() -> None:
    out, _ = run("frameworks", "list")
    assert out.splitlines() == [f"{f.id}\t{f.version}\t{f.title}" for f in SHIPPED]
    framework_load(path_or_text=new_version(F2023.read_text(encoding="utf-8"), NEXT), actor=None)
    out, _ = run("frameworks", "list")
    assert [line.split("\t")[:2] for line in out.splitlines()] == sorted(
        [[f.id, str(f.version)] for f in SHIPPED] + [["area-send-2023", str(NEXT)]],
        key=lambda item: (item[0], int(item[1])),
    )


@pytest.mark.django_db
def test_frameworks_load_is_idempotent_and_says_what_it_did() -> None:
    out, _ = run("frameworks", "load")
    assert out.splitlines() == [f"Loaded {f.id} version {f.version} ({f.title})" for f in SHIPPED]
    out, _ = run("frameworks", "load", str(F2016))
    assert out.splitlines() == [
        f"Already loaded, unchanged: local-area-send-2016 version {V2016} "
        "(Local area SEND inspection: framework and handbook (2016))"
    ]


@pytest.mark.django_db
def test_frameworks_load_refuses_a_changed_file_with_the_same_version(tmp_path: Path) -> None:
    run("frameworks", "load", str(F2023))
    changed = tmp_path / "changed.yaml"
    changed.write_text(F2023.read_text(encoding="utf-8").replace("value: 35\n", "value: 40\n", 1))
    with pytest.raises(CommandError) as caught:
        run("frameworks", "load", str(changed))
    assert caught.value.returncode == 2
    assert "already loaded with different content" in str(caught.value)


@pytest.mark.django_db
def test_frameworks_load_checks_every_file_before_loading_any(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIXTURE.read_text().replace("unit: months", "unit: decades"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("frameworks", "load", str(F2016), str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert "deadlines[4].unit" in err.getvalue()
    assert not FrameworkVersion.objects.exists()


def test_frameworks_validate_a_good_file() -> None:
    out, _ = run("frameworks", "validate", str(F2023))
    assert out.strip() == (
        f"{F2023}: valid (area-send-2023 version {V2023}, Area SEND inspections: framework and handbook (2023))"
    )


def test_frameworks_validate_a_bad_file_lists_each_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIXTURE.read_text().replace("from: report_received", "from: report_sent"))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("frameworks", "validate", str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert str(caught.value) == MSG_INVALID_FILE.format(file=bad, count=1, s="")
    expected = Problem(str(bad), "deadlines[3].from", MSG_UNKNOWN_FROM.format(name="report_sent"), 83)
    assert err.getvalue().splitlines() == [str(expected)]


@pytest.mark.django_db
def test_frameworks_show() -> None:
    out, _ = run("frameworks", "show", "local-area-send-2016")
    assert out.startswith(f"local-area-send-2016 version {V2016}: Local area SEND inspection")
    assert "Sign-off: Ofsted, CQC" in out.splitlines()
    assert (
        "  wsoa: opened drafting, submitted submitted; reviews: fit_for_purpose -> fit_for_purpose, "
        "not_fit_for_purpose -> not_fit_for_purpose; after 2 failed: escalated [high]"
    ) in out.splitlines()
    assert (
        "  wsoa_submission: 70 working days after report_received; only if outcome is wsoa_required [high]"
        in out
    )
    with pytest.raises(CommandError) as caught:
        run("frameworks", "show", "nope")
    assert caught.value.returncode == 2


def test_calendar_add_working_days() -> None:
    assert run("calendar", "add-working-days", "2025-09-08", "8")[0] == "2025-09-18\n"
    assert run("calendar", "add-working-days", "2023-05-09", "-1")[0] == "2023-05-05\n"
    with pytest.raises(CommandError) as caught:
        run("calendar", "add-working-days", "8/9/2025", "8")
    assert caught.value.returncode == 2
    assert str(caught.value) == MSG_BAD_DATE.format(value="8/9/2025")


@pytest.mark.django_db
def test_timeline_json() -> None:
    out, err = run(
        "timeline", "--framework", "local-area-send-2016", "--event", "notified=2019-09-23",
        "--area", "E10000012", "--format", "json",
    )  # fmt: skip
    rows = json.loads(out)
    assert set(rows[0]) == {"key", "label", "due", "rule", "source", "confidence", "held_by"}
    by_key = {row["key"]: row for row in rows}
    assert by_key["on_site_week_start"]["due"] == "2019-09-30"
    assert by_key["on_site_week_start"]["rule"] == "5 working days after notified"
    lag = default_calendar().pre_election_periods_for("E10000012")[0].release_lag
    assert (
        by_key["publication"]["due"]
        == default_calendar().add_working_days(dt.date(2019, 12, 12), lag).isoformat()
    )
    assert by_key["publication"]["held_by"] == ["General election 12 December 2019"]
    assert by_key["on_site_week_start"]["held_by"] == []
    assert err == ""


@pytest.mark.django_db
def test_timeline_area_takes_its_council_type_from_the_register() -> None:
    # a code whose prefix gives no council type: only the register says it is a London borough
    code = "E99000001"
    args = ("timeline", "--framework", "local-area-send-2016", "--event", "on_site_end=2022-02-18",
            "--area", code, "--format", "json")  # fmt: skip
    unheld = {row["key"]: row for row in json.loads(run(*args)[0])}["publication"]
    assert unheld["held_by"] == []
    LocalArea.objects.create(
        ons_code=code,
        name="Test borough",
        la_type="London Boroughs",
        region_code="E12000007",
        region_name="London",
    )
    held = {row["key"]: row for row in json.loads(run(*args)[0])}["publication"]
    assert held["held_by"] == ["Local elections 5 May 2022"]
    assert held["due"] > "2022-05-05" > unheld["due"]


@pytest.mark.django_db
def test_timeline_text_with_overrides_decisions_and_warnings() -> None:
    out, err = run(
        "timeline", "--framework", "area-send-2023", "--event", "notified=2025-09-09",
        "--event", "outcome=3", "--set", "priority_action_plan=50", "--format", "text",
    )  # fmt: skip
    assert "priority_action_plan" in out and "set to 50 (the framework says 35)" in out
    assert err.startswith("Warning: notified is 2025-09-09 (Tuesday)")


@pytest.mark.django_db
def test_timeline_bad_arguments() -> None:
    with pytest.raises(CommandError) as caught:
        run("timeline", "--framework", "area-send-2023", "--event", "notified")
    assert (caught.value.returncode, str(caught.value)) == (2, MSG_BAD_EVENT.format(value="notified"))
    with pytest.raises(CommandError) as caught:
        run("timeline", "--framework", "area-send-2023", "--event", "notifed=2025-09-08")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(MSG_UNKNOWN_EVENT.split("{")[0] + "'notifed'")
    for bad in (["--set", "publication=soon"], ["--area", "Essex"], ["--set", "wsoa=3"]):
        with pytest.raises(CommandError) as caught:
            run("timeline", "--framework", "area-send-2023", "--event", "notified=2025-09-08", *bad)
        assert caught.value.returncode == 2


# -- exit codes from the command line --------------------------------------------------------------


def command_line(*args: str, capsys: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    """`areasend ARGS` run in this process by the entry point's own code: exit status and output."""
    try:
        main(list(args))
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    else:
        status = 0
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["areasend", *args], status, out, err)


def installed_areasend(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The installed `areasend` program, with a new SQLite database that has no tables yet."""
    program = Path(sys.executable).with_name("areasend")
    assert program.exists(), f"{program} is not installed"
    env = dict(
        os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", AREASEND_DATA_DIR=str(tmp_path)
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([str(program), *args], capture_output=True, text=True, env=env, timeout=120)


def test_exit_codes_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok = command_line("calendar", "add-working-days", "2022-09-16", "1", capsys=capsys)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "2022-09-20\n", "")

    bad_date = command_line("calendar", "add-working-days", "2025-02-30", "1", capsys=capsys)
    assert bad_date.returncode == 2
    assert bad_date.stderr.strip() == "CommandError: " + MSG_BAD_DATE.format(value="2025-02-30")

    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(FIXTURE.read_text().replace("version: 2\ntitle", "version: 0\ntitle"))
    invalid = command_line("frameworks", "validate", str(bad_file), capsys=capsys)
    assert invalid.returncode == 2
    assert invalid.stderr.splitlines()[0] == f"{bad_file}:2: version: must be at least 1 (got 0)"

    valid = command_line("frameworks", "validate", str(F2016), capsys=capsys)
    assert valid.returncode == 0 and "valid" in valid.stdout
    for result in (bad_date, invalid):
        assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_an_unknown_framework_is_one_line_with_status_2() -> None:
    with pytest.raises(CommandError) as caught:
        run("timeline", "--framework", "area-send-2030", "--event", "notified=2030-01-07")
    assert caught.value.returncode == 2
    assert len(str(caught.value).strip().splitlines()) == 1


def test_a_new_install_answers_from_the_shipped_frameworks(tmp_path: Path) -> None:
    listed = installed_areasend("frameworks", "list", tmp_path=tmp_path)  # no database tables yet
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == len(SHIPPED)

    timeline = installed_areasend(
        "timeline", "--framework", "area-send-2023", "--event", "notified=2025-09-08", tmp_path=tmp_path
    )
    assert timeline.returncode == 0
    assert json.loads(timeline.stdout)[0] == {
        "key": "offsite_fieldwork",
        "label": "Off-site fieldwork starts (Thursday of week 2)",
        "due": "2025-09-18",
        "rule": "8 working days after notified",
        "source": json.loads(timeline.stdout)[0]["source"],
        "confidence": "high",
        "held_by": [],
    }
    # an area without a register to read: its council type comes from its ONS code
    held = installed_areasend(
        "timeline", "--framework", "local-area-send-2016", "--event", "on_site_end=2022-02-11",
        "--area", "E08000034", tmp_path=tmp_path,
    )  # fmt: skip
    assert held.returncode == 0 and "Traceback" not in held.stderr
    publication = {row["key"]: row for row in json.loads(held.stdout)}["publication"]
    assert publication["held_by"] == ["Local elections 5 May 2022"]

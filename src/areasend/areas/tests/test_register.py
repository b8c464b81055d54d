"""The register: real data, idempotent import, and bad files that change nothing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from areasend.areas.forms import SELECT_REGION
from areasend.areas.models import LocalArea, Partner, StatisticalNeighbour
from areasend.areas.reference_data import DATA_DIR, LAS_FILE, NEIGHBOURS_2025_FILE
from areasend.areas.services import areas_import
from areasend.conftest import api_headers, check_page, signed_in
from areasend.domain.intake import IntakeError

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "data"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _snapshot() -> tuple[int, int, int, list[tuple[str, str]]]:
    return (
        LocalArea.objects.count(),
        StatisticalNeighbour.objects.count(),
        Partner.objects.count(),
        list(LocalArea.objects.order_by("ons_code").values_list("ons_code", "name")),
    )


@pytest.mark.django_db
def test_register_has_153_live_areas_and_history() -> None:
    assert LocalArea.objects.filter(status="live").count() == 153
    for code, name in [
        ("E10000009", "Dorset"),
        ("E06000029", "Poole"),
        ("E10000021", "Northamptonshire"),
        ("E10000006", "Cumbria"),
    ]:
        area = LocalArea.objects.get(ons_code=code)
        assert area.name == name and area.status == "terminated" and area.terminated_on is not None


@pytest.mark.django_db
def test_essex_has_its_codes_region_and_ten_neighbours() -> None:
    essex = LocalArea.objects.get(ons_code="E10000012")
    assert (essex.la_number, essex.name, essex.region_name) == ("881", "Essex", "East of England")
    assert essex.ofsted_urn == "80468"
    assert essex.population_0_25 == 437426
    links = list(essex.neighbour_links.filter(model="2025-05").order_by("rank"))
    assert [link.neighbour.name for link in links][:3] == ["Kent", "West Sussex", "Gloucestershire"]
    assert len(links) == 10
    assert essex.neighbour_links.filter(model="2021-04").count() == 10


@pytest.mark.django_db
def test_neighbours_match_the_source_file_for_every_area() -> None:
    with (DATA_DIR / NEIGHBOURS_2025_FILE).open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["status"] == "current"]
    expected = {(r["la_number"], int(r["rank"]), r["neighbour_la_number"]) for r in rows}
    stored = set(
        StatisticalNeighbour.objects.filter(model="2025-05", area__status="live").values_list(
            "area__la_number", "rank", "neighbour__la_number"
        )
    )
    assert stored == expected
    assert len(expected) == 1530


@pytest.mark.django_db
def test_second_import_changes_nothing_and_says_so() -> None:
    before = _snapshot()
    report = areas_import()
    assert not report.changed
    assert report.lines()[0].startswith("No changes: 172 areas (153 live)")
    assert _snapshot() == before


@pytest.mark.django_db
def test_import_keeps_edited_partners() -> None:
    partner = Partner.objects.get(area__ons_code="E10000012", kind=Partner.LOCAL_AUTHORITY)
    partner.name = "Essex County Council"
    partner.save()
    areas_import()
    partner.refresh_from_db()
    assert partner.name == "Essex County Council"


def _rewrite(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


BAD_FILES = [
    (
        LAS_FILE,
        lambda ls: [*ls[:40], ls[40][:25]],
        "english_upper_tier_las.csv, line 41, column la_type: expected 9 fields, found 3 (is the file truncated?)",
    ),
    (
        LAS_FILE,
        lambda ls: [ls[0].replace("region_code", "region"), *ls[1:]],
        "english_upper_tier_las.csv, line 1: missing column(s): region_code",
    ),
    (
        LAS_FILE,
        lambda ls: [ls[0], ls[1].replace("E09000002", "X09000002"), *ls[2:]],
        "english_upper_tier_las.csv, line 2, column new_la_code: 'X09000002' is not an ONS code",
    ),
    (
        LAS_FILE,
        lambda ls: [ls[0], ls[1].replace(",301,", ",3O1,"), *ls[2:]],
        "english_upper_tier_las.csv, line 2, column old_la_code: '3O1' is not a 3-digit DfE LA number",
    ),
    (
        LAS_FILE,
        lambda ls: [ls[0], ls[1].replace("01/01/2009", "2009-01-01"), *ls[2:]],
        "english_upper_tier_las.csv, line 2, column date_of_operation: '2009-01-01' is not a date in the form DD/MM/YYYY",
    ),
    (
        LAS_FILE,
        lambda ls: [ls[0], *ls[1:], ls[1]],
        "english_upper_tier_las.csv, line 174, column new_la_code: 'E09000002' appears more than once (first on line 2)",
    ),
    (LAS_FILE, lambda ls: [], "english_upper_tier_las.csv: the file is empty"),
    (
        LAS_FILE,
        lambda ls: ls[:60],
        "d2i_la_lookup_with_stat_neighbours.csv, line 32, column la_code: '909' is not the DfE number of any area in english_upper_tier_las.csv",
    ),
    (
        NEIGHBOURS_2025_FILE,
        lambda ls: [ls[0], ls[1].replace(",1,", ",11,"), *ls[2:]],
        "dfe_statistical_neighbours_may_2025_long.csv, line 2, column rank: '11' is not a rank from 1 to 10",
    ),
    (
        NEIGHBOURS_2025_FILE,
        lambda ls: [ls[0], ls[1].replace(",308,", ",999,"), *ls[2:]],
        "dfe_statistical_neighbours_may_2025_long.csv, line 2, column neighbour_la_number: '999' is not the DfE number of any area",
    ),
    (
        NEIGHBOURS_2025_FILE,
        lambda ls: [ls[0], ls[1].replace("Close", "Nearby"), *ls[2:]],
        "dfe_statistical_neighbours_may_2025_long.csv, line 2, column closeness: 'Nearby' is not a closeness band",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("filename", "edit", "message"), BAD_FILES)
def test_bad_file_names_file_line_and_problem_and_changes_nothing(data_copy, filename, edit, message) -> None:  # type: ignore[no-untyped-def]
    LocalArea.objects.filter(ons_code="E10000012").update(name="Essex (edited)")
    before = _snapshot()
    _rewrite(data_copy / filename, edit)
    with pytest.raises(IntakeError) as caught:
        areas_import(directory=data_copy)
    assert message in str(caught.value)
    assert _snapshot() == before


@pytest.mark.django_db
def test_import_command_reports_bad_file_without_traceback(data_copy, capsys) -> None:  # type: ignore[no-untyped-def]
    _rewrite(data_copy / LAS_FILE, lambda ls: [*ls[:10], ls[10][:30]])
    with pytest.raises(CommandError) as caught:
        call_command("areas", "import", "--dir", str(data_copy))
    assert caught.value.returncode == 2
    assert "Nothing was imported." in str(caught.value)
    assert "english_upper_tier_las.csv, line 11" in str(caught.value)


@pytest.mark.django_db
def test_import_command_is_idempotent(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("areas", "import")
    assert capsys.readouterr().out.startswith("No changes: 172 areas (153 live)")


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the shared data folder is only beside a development checkout"
)
def test_shipped_copies_equal_the_shared_data(tmp_path: Path) -> None:
    from areasend.areas.reference_data import SHIPPED_FROM_SHARED

    for name, rel in SHIPPED_FROM_SHARED.items():
        assert (DATA_DIR / name).read_bytes() == (SHARED / rel).read_bytes(), name


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="the shared data folder is only beside a development checkout"
)
def test_refresh_data_copies_and_checks(tmp_path: Path) -> None:
    from areasend.areas.services import refresh_reference_data

    destination = tmp_path / "out"
    destination.mkdir()
    copied = refresh_reference_data(shared_data_dir=SHARED, destination=destination)
    assert sorted(copied) == sorted(p.name for p in destination.iterdir())
    with pytest.raises(FileNotFoundError, match="Not found under"):
        refresh_reference_data(shared_data_dir=tmp_path / "nowhere", destination=destination)


def _shared_copy(root: Path) -> Path:
    """A shared data folder laid out as the real one, holding the shipped files."""
    from areasend.areas.reference_data import SHIPPED_FROM_SHARED

    for name, rel in SHIPPED_FROM_SHARED.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA_DIR / name, root / rel)
    return root


def test_refresh_data_from_a_shared_folder_copies_every_file(tmp_path: Path) -> None:
    from areasend.areas.services import refresh_reference_data

    shared = _shared_copy(tmp_path / "shared")
    destination = tmp_path / "out"
    destination.mkdir()
    copied = refresh_reference_data(shared_data_dir=shared, destination=destination)
    assert sorted(copied) == sorted(p.name for p in destination.iterdir())
    for name in copied:
        assert (destination / name).read_bytes() == (DATA_DIR / name).read_bytes()


def test_refresh_data_refuses_a_register_the_data_pack_cannot_use(tmp_path: Path) -> None:
    """A second live area with Barking and Dagenham's DfE number reads as a register, but the data
    pack's statistics are keyed by that number: nothing is replaced."""
    from areasend.areas.services import refresh_reference_data

    shared = _shared_copy(tmp_path / "shared")
    register = shared / "local_authorities" / LAS_FILE
    extra = "E06000099,301,New Area,Unitary Authorities,E12000007,London,live,01/04/2026,"
    _rewrite(register, lambda ls: [*ls, extra])
    from areasend.areas.reference_data import read_reference_data

    shutil.copytree(DATA_DIR, tmp_path / "check")
    shutil.copyfile(register, tmp_path / "check" / LAS_FILE)
    assert len(read_reference_data(tmp_path / "check").areas) == 173  # the register's reader accepts it
    destination = tmp_path / "out"
    shutil.copytree(DATA_DIR, destination)
    before = {p.name: p.read_bytes() for p in destination.iterdir()}
    with pytest.raises(IntakeError) as caught:
        refresh_reference_data(shared_data_dir=shared, destination=destination)
    assert str(caught.value) == f"{LAS_FILE}, column old_la_code: two live areas share the LA number '301'"
    assert {p.name: p.read_bytes() for p in destination.iterdir()} == before


@pytest.mark.django_db
def test_area_list_search_and_region_filter(page_client, viewer) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, viewer)
    response = page_client.get("/areas/")
    assert response.context["areas"].count() == 153
    response = page_client.get("/areas/", {"q": "essex"})
    assert [a.name for a in response.context["areas"]] == ["Essex"]
    response = page_client.get("/areas/", {"region": "East of England"})
    assert response.context["areas"].count() == 11
    assert {a.region_name for a in response.context["areas"]} == {"East of England"}
    response = page_client.get("/areas/", {"q": "Dorset", "former": "on"})
    assert {a.ons_code for a in response.context["areas"]} == {"E06000059", "E10000009"}
    response = page_client.get("/areas/", {"region": "Atlantis"})
    page = check_page(response)
    assert page.title.startswith("Error: Local areas")
    assert page.text(".govuk-error-summary__list a[href='#id_region']") == SELECT_REGION
    assert page.text("#id_region-error") == f"Error: {SELECT_REGION}"


@pytest.mark.django_db
def test_essex_page(page_client, viewer) -> None:  # type: ignore[no-untyped-def]
    signed_in(page_client, viewer)
    page = check_page(page_client.get("/areas/e10000012/"))
    assert page.text("h1") == "Essex"
    facts = dict(zip(page.texts("#area-codes dt"), page.texts("#area-codes dd"), strict=True))
    assert facts["ONS code"] == "E10000012" and facts["DfE LA number"] == "881"
    assert facts["Region"] == "East of England (E12000006)"
    assert "Kent" in page.texts("#statistical-neighbours tbody td a")
    assert len(page.select("#statistical-neighbours tbody a.govuk-link[href^='/areas/E']")) == 10
    assert page.texts("#statistical-neighbours thead th") == ["Rank", "Area", "Closeness"]
    assert page.text("h2#inspection-history") == "Inspection history"


@pytest.mark.django_db
def test_api_areas(client, viewer) -> None:  # type: ignore[no-untyped-def]
    headers = api_headers(viewer)
    areas = client.get("/api/areas", headers=headers).json()
    assert len(areas) == 153
    essex = next(a for a in areas if a["ons_code"] == "E10000012")
    assert essex == {
        "ons_code": "E10000012",
        "la_number": "881",
        "name": "Essex",
        "region": "East of England",
    }
    detail = client.get("/api/areas/E10000012", headers=headers).json()
    assert len(detail["statistical_neighbours"]) == 10
    assert detail["statistical_neighbours"][0] == {
        "ons_code": "E10000016",
        "name": "Kent",
        "rank": 1,
        "closeness": "Very close",
    }
    assert {"kind": "local_authority", "name": "Essex", "code": "E10000012"} in detail["partners"]
    assert client.get("/api/areas/E99999999", headers=headers).status_code == 404


@pytest.mark.django_db
def test_openapi_schema_lists_the_area_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/openapi.json").json()
    assert "/api/areas" in schema["paths"]
    assert "/api/areas/{ons_code}" in schema["paths"]


@pytest.mark.django_db
def test_every_live_area_has_its_local_authority_and_an_icb() -> None:
    live = LocalArea.objects.filter(status="live")
    assert Partner.objects.filter(kind=Partner.LOCAL_AUTHORITY, area__in=live).count() == 153
    assert live.exclude(partners__kind=Partner.ICB).count() == 0
    essex_icbs = set(
        Partner.objects.filter(area__ons_code="E10000012", kind=Partner.ICB).values_list("code", flat=True)
    )
    assert essex_icbs == {"E54000023", "E54000025", "E54000026"}

"""Criteria and vocabulary terms: materialised on load, read-only, and a new version needs no code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from areasend.conftest import signed_in
from areasend.core.models import AuditEvent
from areasend.domain.frameworks import (
    VOCABULARY_KINDS,
    load_framework_file,
    shipped_framework_files,
    shipped_frameworks,
)
from areasend.frameworks import selectors
from areasend.frameworks.models import (
    ROWS_READ_ONLY,
    Criterion,
    FrameworkVersion,
    FrameworkVersionReadOnly,
    VocabularyTerm,
)
from areasend.frameworks.services import MSG_NO_VOCABULARIES, framework_load, load_shipped_frameworks
from areasend.frameworks.tests.legacy import (
    LEGACY_2016,
    LEGACY_2023,
    install_legacy_version,
    run_data_migration,
)

pytestmark = pytest.mark.django_db

FILES = {path.name: path for path in shipped_framework_files()}
F2023 = FILES["area-send-2023.yaml"]


def test_loading_materialises_every_criterion_and_term_of_the_file() -> None:
    load_shipped_frameworks()
    for path in FILES.values():
        framework = load_framework_file(path)
        record = FrameworkVersion.objects.get(framework_id=framework.id, version=framework.version)
        criteria = list(selectors.criteria_of(record))
        assert [c.code for c in criteria] == [node.ref for _, node in framework.walk_nodes()]
        assert len(criteria) == len(framework.nodes)
        for kind in VOCABULARY_KINDS:
            assert selectors.term_choices(record, kind) == [
                (t.code, t.label) for t in framework.vocabulary(kind)
            ]
        audit = AuditEvent.objects.get(action="frameworks.load", object_id=str(record.pk))
        assert audit.changes["criteria"] == len(framework.nodes)
        assert (
            audit.changes["vocabulary_terms"]
            == VocabularyTerm.objects.filter(framework_version=record).count()
        )


def test_criteria_keep_their_parents_text_and_source() -> None:
    record = framework_load(path_or_text=F2023, actor=None).record
    h11 = selectors.criterion_get(version=record, code="H1.1")
    assert h11 is not None and h11.parent is not None
    assert (h11.parent.code, h11.kind, h11.confidence) == ("H1", "criterion", "high")
    assert h11.text.startswith("Children and young people's needs are identified accurately")
    assert "lancashire.gov.uk" in h11.source
    assert [c.code for c in h11.parent.children.order_by("order")] == ["H1.1", "H1.2", "H1.3", "H1.4", "H1.5"]
    assert selectors.criterion_get(version=record, code="H9.9") is None
    sector = selectors.term_get(version=record, kind="sector", code="alternative_provision")
    assert (
        sector is not None
        and sector.label == "Alternative provision"
        and "paragraph 65" in sector.description
    )
    assert selectors.term_get(version=record, kind="sector", code="school") is None


def test_loading_the_same_version_again_adds_no_rows() -> None:
    load_shipped_frameworks()
    counts = (Criterion.objects.count(), VocabularyTerm.objects.count())
    load_shipped_frameworks()
    assert (Criterion.objects.count(), VocabularyTerm.objects.count()) == counts


def test_rows_cannot_be_changed_created_or_deleted_outside_the_loader() -> None:
    record = framework_load(path_or_text=F2023, actor=None).record
    criterion = selectors.criteria_of(record).first()
    term = selectors.vocabulary(record, "sector").first()
    assert criterion is not None and term is not None
    criterion.text = "Changed"
    term.label = "Changed"
    for row in (criterion, term):
        with pytest.raises(FrameworkVersionReadOnly, match=ROWS_READ_ONLY):
            row.save()
        with pytest.raises(FrameworkVersionReadOnly, match=ROWS_READ_ONLY):
            row.delete()
    with pytest.raises(FrameworkVersionReadOnly):
        VocabularyTerm(framework_version=record, vocabulary="sector", code="new", label="New", order=9).save()
    assert selectors.criteria_of(record).first().text != "Changed"  # type: ignore[union-attr]
    assert selectors.vocabulary(record, "sector").first().label == "Education"  # type: ignore[union-attr]


def test_a_new_version_with_a_new_criterion_and_evidence_source_needs_no_code(tmp_path: Path) -> None:
    """A handbook revision adding a criterion and an evidence source is a new file, nothing else."""
    old = framework_load(path_or_text=F2023, actor=None).record
    text = F2023.read_text(encoding="utf-8")
    current = old.version
    text = text.replace(f"version: {current}\ntitle", f"version: {current + 1}\ntitle", 1)
    text = text.replace(
        "\n# ---- Evaluation",
        f"\n  - version: {current + 1}\n    date: 2027-01-04\n    changes: [A criterion on transition to adult services]\n"
        "    source: test revision\n    confidence: high\n\n# ---- Evaluation",
        1,
    )
    text = text.replace(
        "\n  - ref: H2\n",
        "\n  - {ref: H1.6, parent: H1, kind: criterion, source: test revision, confidence: high,\n"
        '     text: "Young people move into adult services without a gap in their support."}\n\n  - ref: H2\n',
        1,
    )
    text = text.replace(
        "    - {code: data, label: Data,",
        "    - {code: tribunal_decisions, label: Tribunal decisions, source: test revision, confidence: medium}\n"
        "    - {code: data, label: Data,",
        1,
    )
    path = tmp_path / f"area-send-2023-v{current + 1}.yaml"
    path.write_text(text, encoding="utf-8")

    new = framework_load(path_or_text=path, actor=None).record
    assert new.version == current + 1
    added = selectors.criterion_get(version=new, code="H1.6")
    assert added is not None and added.parent is not None and added.parent.code == "H1"
    assert [c.code for c in selectors.criteria_of(new)][:7] == [
        "H1",
        "H1.1",
        "H1.2",
        "H1.3",
        "H1.4",
        "H1.5",
        "H1.6",
    ]
    assert "tribunal_decisions" in selectors.term_labels(new, "evidence_source")
    # the version already loaded is untouched
    assert selectors.criterion_get(version=old, code="H1.6") is None
    assert "tribunal_decisions" not in selectors.term_labels(old, "evidence_source")
    assert selectors.criteria_of(new).count() == selectors.criteria_of(old).count() + 1


def test_a_new_version_without_vocabularies_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        framework_load(path_or_text=LEGACY_2023, actor=None)
    assert caught.value.messages == [MSG_NO_VOCABULARIES.format(framework_id="area-send-2023", version=6)]
    assert not FrameworkVersion.objects.exists() and not Criterion.objects.exists()


def test_versions_loaded_before_rows_get_them_from_the_data_migration() -> None:
    """An installation that loaded area-send-2023 v6 and local-area-send-2016 v4 keeps working."""
    v6 = install_legacy_version(LEGACY_2023)
    v4 = install_legacy_version(LEGACY_2016)
    assert [c.code for c in selectors.criteria_of(v6)] == [n.ref for _, n in v6.framework().walk_nodes()]
    assert selectors.criterion_get(version=v4, code="A.1").parent.code == "A"  # type: ignore[union-attr]
    # the terms then fixed in code, which those versions' records use
    assert list(selectors.term_labels(v6, "age_phase")) == ["early_years", "school", "further_education"]
    assert "alternative_provision" in selectors.term_labels(v4, "sector")
    assert selectors.term_labels(v4, "finding_kind") == {
        "significant_weakness": "Area of significant weakness"
    }
    assert not selectors.vocabulary(v6, "evidence_source").exists()
    # and the shipped files load beside them as new versions with their own terms
    results = {r.framework_id: r.version for r in load_shipped_frameworks()}
    shipped = {fw.id: fw.version for fw in shipped_frameworks().values()}
    assert results == shipped
    latest = FrameworkVersion.objects.get(framework_id="area-send-2023", version=shipped["area-send-2023"])
    assert "school" not in selectors.term_labels(latest, "age_phase")
    assert selectors.term_labels(v6, "age_phase")["school"] == "School"


def test_migration_gives_rows_once() -> None:
    v6 = install_legacy_version(LEGACY_2023)
    counts = (Criterion.objects.count(), VocabularyTerm.objects.count())
    run_data_migration("frameworks", "0003_rows_for_loaded_versions", "materialise")
    assert (Criterion.objects.count(), VocabularyTerm.objects.count()) == counts
    assert selectors.criteria_of(v6).count() == len(v6.framework().nodes)


def test_the_framework_page_lists_each_vocabulary_with_its_sources(page_client: Any, viewer: Any) -> None:
    load_shipped_frameworks()
    client = signed_in(page_client, viewer)
    html = client.get("/frameworks/area-send-2023/").content.decode()
    sectors = html.split('id="vocabulary-sector"')[1].split("</table>")[0]
    assert "<code>alternative_provision</code>" in sectors and "paragraph 65" in sectors
    assert "Evidence sources" in html and "<code>survey</code>" in html
    html = client.get("/frameworks/local-area-send-2016/").content.decode()
    sectors = html.split('id="vocabulary-sector"')[1].split("</table>")[0]
    assert "<code>social_care</code>" in sectors and "alternative_provision" not in sectors


def test_validate_refuses_a_file_without_vocabularies() -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("frameworks", "validate", str(LEGACY_2023), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert err.getvalue().strip() == f"{LEGACY_2023}: " + MSG_NO_VOCABULARIES.format(
        framework_id="area-send-2023", version=6
    )
    assert out.getvalue() == ""
